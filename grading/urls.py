from django.urls import path

from . import import_views, views

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
]
