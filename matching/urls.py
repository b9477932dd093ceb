from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("matching/", views.open_rounds, name="open"),
    path("matching/rounds/", views.rounds, name="rounds"),
    path("matching/rounds/new/", views.round_create, name="round_create"),
    path("matching/rounds/<int:pk>/", views.round_detail, name="round"),
    path("matching/rounds/<int:pk>/second-round/", views.round_create, name="second_round"),
    path("matching/rounds/<int:pk>/publish/", views.round_publish, name="publish"),
    path("matching/rounds/<int:pk>/figures/", views.round_figures, name="figures"),
    path("matching/rounds/<int:pk>/rank/", views.rank, name="rank"),
    path("matching/rounds/<int:pk>/result/", views.result, name="result"),
    path("matching/rounds/<int:pk>/seminars/<slug:slug>/applicants/", views.applicants, name="applicants"),
]
