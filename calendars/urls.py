from django.urls import path

from . import views

app_name = "calendars"
urlpatterns = [
    path("account/calendar/", views.my_calendar, name="mine"),
    path("account/calendar/revoke/", views.revoke, name="revoke"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
]
