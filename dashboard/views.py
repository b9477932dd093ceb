"""One page for all of a person's seminars: what is due next as a student, what needs action as staff."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from . import selectors


@login_required
@require_safe
def dashboard(request):
    board = selectors.dashboard_for(request.user, now=timezone.now())
    # Matching rounds are the department's, not one seminar's: their times show in the portal's zone.
    context = {"board": board, "now": timezone.now(), "zone": settings.TIME_ZONE}
    return render(request, "dashboard/home.html", context)
