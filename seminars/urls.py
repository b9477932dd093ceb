from django.urls import path

from . import announcement_views, material_views, people_views, views

app_name = "seminars"
urlpatterns = [
    path("", views.seminar_list, name="list"),
    # Before the seminar page: "new" is a reserved slug (seminars.models.RESERVED_SLUGS).
    path("seminars/new/", views.seminar_create, name="create"),
    path("seminars/<slug:slug>/", views.seminar_detail, name="detail"),
    path("seminars/<slug:slug>/enrol/", views.enrol, name="enrol"),
    path("seminars/<slug:slug>/withdraw/", views.withdraw, name="withdraw"),
    path("seminars/<slug:slug>/announcements/", announcement_views.announcement_list, name="announcements"),
    path("seminars/<slug:slug>/manage/edit/", views.seminar_edit, name="edit"),
    path("seminars/<slug:slug>/manage/students/", people_views.student_roster, name="roster"),
    path("seminars/<slug:slug>/manage/students/import/", views.student_import, name="import"),
    path("seminars/<slug:slug>/manage/students/export/", people_views.roster_export, name="roster_export"),
    path(
        "seminars/<slug:slug>/manage/students/<int:pk>/withdraw/",
        people_views.student_withdraw,
        name="student_withdraw",
    ),
    path(
        "seminars/<slug:slug>/manage/students/<int:pk>/undo-withdrawal/",
        people_views.withdrawal_undo,
        name="withdrawal_undo",
    ),
    path("seminars/<slug:slug>/manage/people/", people_views.staff, name="people"),
    path("seminars/<slug:slug>/manage/people/<int:pk>/role/", people_views.staff_role, name="staff_role"),
    path(
        "seminars/<slug:slug>/manage/people/<int:pk>/remove/", people_views.staff_remove, name="staff_remove"
    ),
    path(
        "seminars/<slug:slug>/manage/announcements/new/",
        announcement_views.announcement_new,
        name="announce",
    ),
]
# Materials (seminars/material_views.py): the list is on the seminar page; downloads for its members.
urlpatterns += [
    path("seminars/<slug:slug>/materials/<int:pk>/", material_views.material_download, name="material"),
    path("seminars/<slug:slug>/manage/materials/", material_views.materials_manage, name="materials"),
    path(
        "seminars/<slug:slug>/manage/materials/upload/",
        material_views.material_upload,
        name="material_upload",
    ),
    path(
        "seminars/<slug:slug>/manage/materials/<int:pk>/edit/",
        material_views.material_edit,
        name="material_edit",
    ),
    path(
        "seminars/<slug:slug>/manage/materials/<int:pk>/remove/",
        material_views.material_remove,
        name="material_remove",
    ),
]
