from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("seminars/<slug:slug>/reviews/", views.mine, name="mine"),
    path("seminars/<slug:slug>/reviews/<int:pk>/", views.write, name="write"),
    path("seminars/<slug:slug>/reviews/<int:pk>/report/", views.report, name="report"),
    path("seminars/<slug:slug>/reviews/<int:pk>/read/", views.read, name="read"),
    path("seminars/<slug:slug>/manage/reviews/<int:pk>/reviewer/", views.reassign, name="reassign"),
    path("seminars/<slug:slug>/manage/deliverables/<int:pk>/peer-review/", views.manage, name="manage"),
    path(
        "seminars/<slug:slug>/manage/deliverables/<int:pk>/peer-review/assign/", views.assign, name="assign"
    ),
    path(
        "seminars/<slug:slug>/manage/deliverables/<int:pk>/peer-review/publish/",
        views.publish,
        name="publish",
    ),
    path(
        "seminars/<slug:slug>/manage/deliverables/<int:pk>/peer-review/release/",
        views.release,
        name="release",
    ),
]
