from django.urls import path

from . import views

app_name = "schedule"
urlpatterns = [
    path("seminars/<slug:slug>/program/", views.program, name="program"),
    path("seminars/<slug:slug>/program.ics", views.program_ics, name="program_ics"),
    path("seminars/<slug:slug>/manage/schedule/", views.manage, name="manage"),
    path("seminars/<slug:slug>/manage/schedule/days/new/", views.day_edit, name="day_create"),
    path("seminars/<slug:slug>/manage/schedule/days/<int:pk>/", views.day_edit, name="day_edit"),
    path("seminars/<slug:slug>/manage/schedule/days/<int:pk>/delete/", views.day_delete, name="day_delete"),
    path("seminars/<slug:slug>/manage/schedule/slots/new/", views.slot_edit, name="slot_create"),
    path("seminars/<slug:slug>/manage/schedule/slots/<int:pk>/", views.slot_edit, name="slot_edit"),
    path(
        "seminars/<slug:slug>/manage/schedule/slots/<int:pk>/delete/", views.slot_delete, name="slot_delete"
    ),
    path("seminars/<slug:slug>/manage/schedule/generate/", views.generate, name="generate"),
    path("seminars/<slug:slug>/manage/schedule/fill/", views.fill, name="fill"),
    path("seminars/<slug:slug>/manage/schedule/publish/", views.publish, name="publish"),
]
