from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from seminars.selectors import get_seminar_with

from . import selectors, services
from .forms import ReminderSettingsForm

PAGE_SIZE = 100


@login_required
@require_safe
def my_reminders(request, slug):
    seminar = get_seminar_with(request.user, slug, "reminders.view_own")
    reminders = selectors.with_titles(selectors.reminders_for_user(seminar, request.user))
    return render(request, "reminders/my_reminders.html", {"seminar": seminar, "reminders": reminders})


@login_required
@require_http_methods(["GET", "POST"])
def manage(request, slug):
    seminar = get_seminar_with(request.user, slug, "reminders.manage")
    form = ReminderSettingsForm(
        request.POST or None, reminder_settings=selectors.reminder_settings_of(seminar)
    )
    if request.method == "POST" and form.is_valid():
        services.reminder_settings_set(seminar=seminar, **form.cleaned_data)
        messages.success(request, _("The reminder times are saved; they apply from the next scan."))
        return redirect("reminders:manage", slug=seminar.slug)
    page = Paginator(selectors.reminders_of_seminar(seminar), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_titles(page.object_list)
    return render(request, "reminders/manage.html", {"seminar": seminar, "form": form, "page": page})
