"""Announcements: an instructor writes, confirms with the number of recipients, sends; members read the
archive."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from . import announcements, selectors
from .exceptions import AudienceChangedError, NoRecipientsError, SeminarError
from .forms import AnnouncementForm


def _recipient_count(seminar, form, author) -> int:
    data = form.cleaned_data
    return selectors.announcement_recipients(
        seminar, audience=data["audience"], topic=data.get("topic"), author=author
    ).count()


@login_required
@require_http_methods(["GET", "POST"])
def announcement_new(request, slug):
    """Three steps on one address: the form ("write"), the confirmation page with the number of people it
    mails ("confirm"), and the sending ("send"); "edit" goes back to the form with everything typed."""
    seminar = selectors.get_seminar_with(request.user, slug, "seminars.announce")
    step = request.POST.get("step", "confirm") if request.method == "POST" else "write"
    form = AnnouncementForm(request.POST if request.method == "POST" else None, seminar=seminar)
    if step == "edit" or not form.is_valid():
        return render(request, "seminars/announcement_form.html", {"seminar": seminar, "form": form})
    count = _recipient_count(seminar, form, request.user)
    context = {"seminar": seminar, "form": form, "count": count}
    if count == 0:
        form.add_error("audience", str(NoRecipientsError.message))
        return render(request, "seminars/announcement_form.html", context)
    if step == "send":
        try:
            announcement = announcements.announcement_send(
                seminar=seminar,
                author=request.user,
                expected_count=_expected(request),
                now=timezone.now(),
                **form.cleaned_data,
            )
        except AudienceChangedError as error:
            context.update(count=error.count, error=error.message)
        except SeminarError as error:
            context["error"] = error.message
        else:
            messages.success(
                request,
                ngettext(
                    "The message is on its way to %(count)d person.",
                    "The message is on its way to %(count)d people.",
                    announcement.recipient_count,
                )
                % {"count": announcement.recipient_count},
            )
            return redirect("seminars:announcements", slug=seminar.slug)
    return render(request, "seminars/announcement_confirm.html", context)


def _expected(request) -> int:
    try:
        return int(request.POST.get("expected_count", ""))
    except ValueError:
        return -1


@login_required
@require_safe
def announcement_list(request, slug):
    seminar = selectors.get_seminar_with(request.user, slug, "seminars.view_announcements")
    context = {"seminar": seminar, "announcements": selectors.announcements_of(seminar)}
    return render(request, "seminars/announcements.html", context)
