from django.urls import path

from . import views

app_name = "submissions"
urlpatterns = [
    path("seminars/<slug:slug>/deliverables/", views.deliverable_list, name="list"),
    path("seminars/<slug:slug>/deliverables/<int:pk>/", views.deliverable_detail, name="deliverable"),
    path("seminars/<slug:slug>/deliverables/<int:pk>/upload/", views.upload, name="upload"),
    path(
        "seminars/<slug:slug>/deliverables/<int:pk>/receipts/<int:submission>/", views.receipt, name="receipt"
    ),
    path("submissions/<int:submission>/download/", views.download, name="download"),
    path("seminars/<slug:slug>/manage/deliverables/", views.manage_list, name="manage"),
    path("seminars/<slug:slug>/manage/deliverables/new/", views.deliverable_edit, name="create"),
    path("seminars/<slug:slug>/manage/deliverables/<int:pk>/", views.overview, name="overview"),
    path("seminars/<slug:slug>/manage/deliverables/<int:pk>/edit/", views.deliverable_edit, name="edit"),
    path(
        "seminars/<slug:slug>/manage/deliverables/<int:pk>/students/<int:student>/",
        views.student_versions,
        name="student",
    ),
    path("seminars/<slug:slug>/manage/deliverables/<int:pk>/download.zip", views.download_all, name="zip"),
    path(
        "seminars/<slug:slug>/manage/deliverables/<int:pk>/extensions/",
        views.extension_grant,
        name="extension_grant",
    ),
    path(
        "seminars/<slug:slug>/manage/deliverables/<int:pk>/extensions/<int:extension>/revoke/",
        views.extension_revoke,
        name="extension_revoke",
    ),
]
