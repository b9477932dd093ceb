from django.urls import path

from . import views

app_name = "seminars"
urlpatterns = [
    path("", views.seminar_list, name="list"),
    path("seminars/<slug:slug>/", views.seminar_detail, name="detail"),
    path("seminars/<slug:slug>/enrol/", views.enrol, name="enrol"),
    path("seminars/<slug:slug>/manage/edit/", views.seminar_edit, name="edit"),
    path("seminars/<slug:slug>/manage/students/", views.student_roster, name="roster"),
    path("seminars/<slug:slug>/manage/students/import/", views.student_import, name="import"),
]
