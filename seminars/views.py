from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from core.permissions import may, require

from . import creation, materials, people, rules, selectors, services
from .exceptions import (
    AlreadyMemberError,
    SeminarError,
    SlugTakenError,
    StudentImportError,
    WithdrawalClosedError,
)
from .forms import EnrolForm, SeminarCreateForm, SeminarForm, StudentImportForm


def _posted(request):
    """The form data of a POST, even an empty one (a bound form then reports its missing fields)."""
    return request.POST if request.method == "POST" else None


@require_safe
def seminar_list(request):
    seminars = selectors.seminars_for_user(request.user)
    return render(request, "seminars/seminar_list.html", {"seminars": seminars})


@require_safe
def seminar_detail(request, slug):
    seminar = selectors.get_seminar_for_user(request.user, slug)
    context = {
        "seminar": seminar,
        "student_count": selectors.student_count(seminar),
        "withdrawn_at": rules.withdrawn_at_of(request.user, seminar),
        "instructors": [membership.user for membership in rules.instructor_memberships(seminar)],
    }
    if may(request.user, "seminars.view_announcements", seminar):
        announcements = selectors.announcements_of(seminar)
        context["show_announcements"] = True
        context["announcements"] = announcements[:LATEST_ANNOUNCEMENTS]
        context["more_announcements"] = announcements[LATEST_ANNOUNCEMENTS:].exists()
    if may(request.user, "seminars.view_materials", seminar):
        context["materials"] = materials.materials_of(seminar)
    return render(request, "seminars/seminar_detail.html", context)


# The seminar page shows the newest few; the archive page has them all.
LATEST_ANNOUNCEMENTS = 3


@login_required
@require_http_methods(["GET", "POST"])
def seminar_create(request):
    require(request.user, "seminars.create")
    form = SeminarCreateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            seminar = creation.seminar_create(by=request.user, **form.cleaned_data)
        except SlugTakenError as error:
            form.add_error("slug", error.message)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(title)s has been created as a draft that only its staff see. Add the rest here.")
                % {"title": seminar.display_title},
            )
            return redirect("seminars:edit", slug=seminar.slug)
    return render(request, "seminars/seminar_create.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request, slug):
    seminar = selectors.get_seminar_for_user(request.user, slug)
    form = EnrolForm(_posted(request), seminar=seminar)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrolment_create(
                seminar=seminar, user=request.user, prerequisites_confirmed=True, now=timezone.now()
            )
        except AlreadyMemberError as error:
            messages.info(request, error.message)
            return redirect(seminar)
        except SeminarError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("You are enrolled in %(title)s.") % {"title": seminar.display_title})
            return redirect(seminar)
    context = {
        "seminar": seminar,
        "form": form,
        "is_member": rules.is_member_of(request.user, seminar),
        "places_left": max(seminar.capacity - selectors.student_count(seminar), 0),
    }
    return render(request, "seminars/enrol.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def seminar_edit(request, slug):
    seminar = selectors.get_seminar_with(request.user, slug, "seminars.edit")
    form = SeminarForm(_posted(request), instance=seminar)
    if request.method == "POST" and form.is_valid():
        try:
            seminar = services.seminar_update(
                seminar=seminar,
                topic_titles=form.cleaned_data["topics"],
                topic_titles_de=form.cleaned_data["topics_de"],
                **form.seminar_fields(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        except SeminarError as error:
            form.add_error("capacity", error.message)
        else:
            messages.success(request, _("The seminar page has been saved."))
            return redirect(seminar)
    return render(request, "seminars/seminar_edit.html", {"seminar": seminar, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def student_import(request, slug):
    seminar = selectors.get_seminar_with(request.user, slug, "seminars.import_students")
    form = StudentImportForm(_posted(request), request.FILES if request.method == "POST" else None)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            result = services.students_import(
                seminar=seminar, data=form.cleaned_data["student_list"], language=translation.get_language()
            )
        except StudentImportError as error:
            form.add_error(None, error.message)
            row_errors = error.errors
        else:
            counts = {"added": result.added, "new": result.new_accounts, "existing": result.already_members}
            summary = [
                ngettext("%(added)d student added", "%(added)d students added", result.added),
                ngettext("%(new)d new account invited", "%(new)d new accounts invited", result.new_accounts),
                ngettext(
                    "%(existing)d already in the seminar",
                    "%(existing)d already in the seminar",
                    result.already_members,
                ),
            ]
            messages.success(
                request, _("Import done: %(summary)s.") % {"summary": "; ".join(summary) % counts}
            )
            if result.withdrawn:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)d student on the list withdrew from this seminar and was not taken back: "
                        "%(emails)s. To take them back, undo the withdrawal on the roster.",
                        "%(count)d students on the list withdrew from this seminar and were not taken back: "
                        "%(emails)s. To take them back, undo the withdrawal on the roster.",
                        len(result.withdrawn),
                    )
                    % {"count": len(result.withdrawn), "emails": ", ".join(result.withdrawn)},
                )
            return redirect("seminars:roster", slug=seminar.slug)
    context = {"seminar": seminar, "form": form, "row_errors": row_errors}
    return render(request, "seminars/student_import.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, slug):
    """A student's own withdrawal: a page that says what it means, then the button (before the deadline)."""
    seminar = selectors.get_seminar_with(request.user, slug, "seminars.view_withdrawal")
    context = {"seminar": seminar, "is_open": may(request.user, "seminars.withdraw", seminar)}
    if request.method == "POST":
        if not context["is_open"]:
            context["error"] = WithdrawalClosedError.message
            return render(request, "seminars/withdraw.html", context, status=403)
        membership = rules.student_memberships(seminar).get(user=request.user)
        try:
            people.student_withdraw(membership=membership, by=request.user, now=timezone.now())
        except SeminarError as error:
            context["error"] = error.message
        else:
            messages.success(
                request,
                _("You have withdrawn from %(title)s. A confirmation is on its way by e-mail.")
                % {"title": seminar.display_title},
            )
            return redirect(seminar)
    return render(request, "seminars/withdraw.html", context)
