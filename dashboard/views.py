"""One page for all of a person's seminars: what is due next as a student, what needs action as staff."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from . import selectors


@login_required
@require_safe
def dashboard(request):
    board = selectors.dashboard_for(request.user, now=timezone.now())
    return render(request, "dashboard/home.html", {"board": board, "now": timezone.now()})
