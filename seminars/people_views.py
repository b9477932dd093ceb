"""The seminar's people, for its instructors: staff (invite, role, remove), the student roster with its
export, and withdrawing a student (and the undo)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.permissions import may

from . import exports, people, rules, selectors
from .exceptions import NameNeededError, NotAStudentError, SeminarError
from .forms import ExportFormatForm, RoleForm, StaffInviteForm
from .views import _posted


@login_required
@require_http_methods(["GET", "POST"])
def staff(request, slug):
    seminar = selectors.get_seminar_with(request.user, slug, "seminars.manage_people")
    form = StaffInviteForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            result = people.staff_invite(
                seminar=seminar, **form.cleaned_data, language=translation.get_language()
            )
        except NameNeededError as error:
            form.add_error("full_name", error.message)
        except SeminarError as error:
            form.add_error("email", error.message)
        else:
            membership = result.membership
            text = (
                _("Added %(name)s as %(role)s. An invitation to set a password is on its way.")
                if result.new_account
                else _("Added %(name)s as %(role)s and told them by e-mail.")
            )
            messages.success(
                request, text % {"name": membership.user.full_name, "role": membership.get_role_display()}
            )
            return redirect("seminars:people", slug=seminar.slug)
    staff_rows = [
        (row, RoleForm(initial={"role": row.membership.role}, auto_id=f"role-{row.membership.pk}-%s"))
        for row in selectors.staff_rows(seminar)
    ]
    context = {"seminar": seminar, "form": form, "staff": staff_rows}
    return render(request, "seminars/people.html", context)


@login_required
@require_POST
def staff_role(request, slug, pk):
    seminar = selectors.get_seminar_with(request.user, slug, "seminars.manage_people")
    membership = selectors.membership_in(seminar, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose a role."))
        return redirect("seminars:people", slug=seminar.slug)
    try:
        membership = people.membership_role_change(membership=membership, role=form.cleaned_data["role"])
    except SeminarError as error:
        messages.error(request, error.message)
        return redirect("seminars:people", slug=seminar.slug)
    name = {"name": membership.user.full_name, "role": membership.get_role_display()}
    messages.success(request, _("The role of %(name)s is now: %(role)s.") % name)
    rules.forget_roles(request.user)
    # Someone who made themselves a supervisor may no longer manage the people.
    return redirect(
        "seminars:people" if may(request.user, "seminars.manage_people", seminar) else "seminars:detail", slug
    )


@login_required
@require_POST
def staff_remove(request, slug, pk):
    seminar = selectors.get_seminar_with(request.user, slug, "seminars.manage_people")
    membership = selectors.membership_in(seminar, pk)
    try:
        people.staff_remove(membership=membership)
    except SeminarError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(name)s is no longer part of the seminar.") % {"name": membership.user.full_name}
        )
        rules.forget_roles(request.user)
        if not may(request.user, "seminars.manage_people", seminar):
            return redirect(seminar)
    return redirect("seminars:people", slug=seminar.slug)


@login_required
@require_safe
def student_roster(request, slug):
    seminar = selectors.get_seminar_with(request.user, slug, "seminars.view_roster")
    roster = selectors.roster(seminar)
    context = {"seminar": seminar, "students": roster.students, "withdrawn": roster.withdrawn}
    return render(request, "seminars/student_roster.html", context)


@login_required
@require_safe
def roster_export(request, slug):
    seminar = selectors.get_seminar_with(request.user, slug, "seminars.view_roster")
    form = ExportFormatForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Please choose CSV or XLSX."))
        return redirect("seminars:roster", slug=seminar.slug)
    roster = selectors.roster(seminar)
    rows = [*roster.students, *roster.withdrawn]
    name = f"students-{seminar.slug}"
    if form.cleaned_data["file_format"] == "xlsx":
        response = HttpResponse(
            exports.xlsx_bytes(seminar, rows, german=translation.get_language() == "de"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    response = StreamingHttpResponse(
        exports.csv_lines(seminar, rows, language=translation.get_language()),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def student_withdraw(request, slug, pk):
    seminar = selectors.get_seminar_with(request.user, slug, "seminars.manage_people")
    membership = selectors.membership_in(seminar, pk)
    if request.method == "GET" and not rules.is_current_student_membership(membership):
        messages.error(request, NotAStudentError.message)
        return redirect("seminars:roster", slug=seminar.slug)
    if request.method == "POST":
        try:
            people.student_withdraw(membership=membership, by=request.user, now=timezone.now())
        except SeminarError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(name)s has been withdrawn from the seminar. Their uploads and grades are kept.")
                % {"name": membership.user.full_name},
            )
        return redirect("seminars:roster", slug=seminar.slug)
    row = selectors.roster_rows(seminar, [membership])[0]
    return render(request, "seminars/student_withdraw.html", {"seminar": seminar, "row": row})


@login_required
@require_POST
def withdrawal_undo(request, slug, pk):
    seminar = selectors.get_seminar_with(request.user, slug, "seminars.manage_people")
    membership = selectors.membership_in(seminar, pk)
    try:
        people.withdrawal_undo(membership=membership)
    except SeminarError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(name)s is a student of the seminar again.") % {"name": membership.user.full_name}
        )
    return redirect("seminars:roster", slug=seminar.slug)
