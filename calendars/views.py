from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.ical import calendar_bytes

from . import services
from .events import events_for
from .models import CalendarFeed


@login_required
@require_safe
def my_calendar(request):
    feed = services.calendar_feed_get(user=request.user)
    url = request.build_absolute_uri(reverse("calendars:feed", args=[feed.token]))
    return render(request, "calendars/my_calendar.html", {"feed_url": url})


@login_required
@require_POST
def revoke(request):
    services.calendar_feed_revoke(user=request.user)
    messages.success(request, _("Your calendar address is replaced; the old one no longer works."))
    return redirect("calendars:mine")


@require_safe
def feed(request, token):
    """The secret address is the only credential: an unknown or revoked token gives 404."""
    found = CalendarFeed.objects.select_related("user").filter(token=token, user__is_active=True).first()
    if found is None:
        raise Http404
    with translation.override(found.user.language):
        body = calendar_bytes(_("Seminar portal"), events_for(found.user))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="seminar-portal.ics"'
    return response
