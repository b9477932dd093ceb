from django.urls import path

from . import views

app_name = "papers"
urlpatterns = [
    path("seminars/<slug:slug>/papers/", views.paper_list, name="list"),
    path("seminars/<slug:slug>/preferences/", views.preferences, name="preferences"),
    path("seminars/<slug:slug>/manage/papers/new/", views.paper_edit, name="create"),
    path("seminars/<slug:slug>/manage/papers/<int:pk>/edit/", views.paper_edit, name="edit"),
    path("seminars/<slug:slug>/manage/papers/<int:pk>/delete/", views.paper_delete, name="delete"),
    path("seminars/<slug:slug>/manage/papers/import/", views.paper_import, name="import"),
    path("seminars/<slug:slug>/manage/preference-window/", views.preference_window, name="window"),
    path("seminars/<slug:slug>/manage/allotment/", views.allotment, name="allotment"),
    path("seminars/<slug:slug>/manage/allotment/publish/", views.allotment_publish, name="publish"),
]
