from django.urls import path

from . import views

app_name = "reminders"
urlpatterns = [
    path("seminars/<slug:slug>/reminders/", views.my_reminders, name="mine"),
    path("seminars/<slug:slug>/manage/reminders/", views.manage, name="manage"),
]
