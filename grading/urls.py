from django.urls import path

from . import feedback_views, import_views, views

app_name = "grading"
urlpatterns = [
    path("seminars/<slug:slug>/grades/", views.my_grades, name="mine"),
    path("seminars/<slug:slug>/manage/grades/", views.sheet, name="sheet"),
    path("seminars/<slug:slug>/manage/grades/history/<int:student>/", views.history, name="history"),
    path("seminars/<slug:slug>/manage/grades/settings/", views.grading_settings, name="settings"),
    path("seminars/<slug:slug>/manage/grades/components/", views.components, name="components"),
    path("seminars/<slug:slug>/manage/grades/release/", views.release, name="release"),
    path("seminars/<slug:slug>/manage/grades/export/", views.export, name="export"),
    path("seminars/<slug:slug>/manage/grades/import/", import_views.grade_import, name="import"),
    path(
        "seminars/<slug:slug>/manage/grades/rubrics/<slug:component>/", feedback_views.rubric, name="rubric"
    ),
    path(
        "seminars/<slug:slug>/manage/grades/history/<int:student>/feedback/<slug:component>/",
        feedback_views.feedback,
        name="feedback",
    ),
    path(
        "seminars/<slug:slug>/manage/grades/history/<int:student>/examiners/<slug:component>/",
        feedback_views.examiners,
        name="examiners",
    ),
    path(
        "seminars/<slug:slug>/grades/feedback/<int:pk>/", feedback_views.feedback_file, name="feedback_file"
    ),
]
