from django.urls import path

from . import views

app_name = "copying"
urlpatterns = [
    path("seminars/<slug:slug>/manage/copy/", views.seminar_copy, name="copy"),
    path("seminars/<slug:slug>/manage/copied/", views.seminar_copied, name="copied"),
]
