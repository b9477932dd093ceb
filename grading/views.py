from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from core.confirm import Confirmation, confirmation_page, is_confirmed
from core.permissions import may, require
from reviews.selectors import reviews_written_for_grading
from seminars.rules import student_memberships
from seminars.selectors import get_seminar_with

from . import exports, selectors, services
from .chart import distribution
from .exceptions import GradeComponentsError
from .feedback import released_feedback_for
from .forms import ExportForm, GradeComponentFormSet, GradingSettingsForm, component_initial
from .sheet_form import posted_cells, sheet_lines


@login_required
@require_http_methods(["GET", "POST"])
def sheet(request, slug):
    seminar = get_seminar_with(request.user, slug, "grading.view_sheet")
    if request.method == "GET":
        return _sheet_page(request, seminar)
    cells, unreadable = posted_cells(request.POST)
    result = services.grades_set(seminar=seminar, grader=request.user, cells=cells, now=timezone.now())
    if result.refused or result.errors or unreadable:
        return _sheet_page(request, seminar, cells=cells, result=result, unreadable=unreadable)
    saved = [cell.student_id for cell in cells if cell.key in result.saved]
    if not saved:
        messages.info(request, _("No grade was changed."))
        return redirect("grading:sheet", slug=seminar.slug)
    count = len(result.saved)
    messages.success(
        request, ngettext("Saved %(counter)s grade.", "Saved %(counter)s grades.", count) % {"counter": count}
    )
    return redirect(reverse("grading:sheet", kwargs={"slug": seminar.slug}) + f"#row-{saved[-1]}")


def _sheet_page(request, seminar, *, cells=(), result=None, unreadable=0):
    """The sheet; after a save that was not complete, with what was typed in every cell not saved."""
    sheet = selectors.grading_sheet(seminar, request.user, with_files=True)
    lines, problems = sheet_lines(sheet, list(cells), result)
    bars, incomplete = distribution([row.final for row in sheet.rows])
    context = {
        "seminar": seminar,
        "rows": sheet.rows,
        "lines": lines,
        "components": sheet.components,
        "problems": problems,
        "saved_count": len(result.saved) if result else None,
        "unreadable": unreadable,
        "is_instructor": may(request.user, "grading.manage", seminar),
        "reviews_column": any(row.reviews for row in sheet.rows),
        "settings": selectors.settings_of(seminar),
        "bars": bars,
        "incomplete": incomplete,
        "export_form": ExportForm(),
    }
    return render(request, "grading/sheet.html", context)


@login_required
@require_safe
def history(request, slug, student):
    seminar = get_seminar_with(request.user, slug, "grading.view_sheet")
    membership = get_object_or_404(student_memberships(seminar), user_id=student)
    require(request.user, "grading.view_history", membership)
    context = {"seminar": seminar, "student": membership.user, "history": selectors.grade_history(membership)}
    reviews = reviews_written_for_grading(request.user, seminar, [membership.user_id])
    context["reviews"] = reviews.get(membership.user_id, [])
    return render(request, "grading/history.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def grading_settings(request, slug):
    seminar = get_seminar_with(request.user, slug, "grading.manage")
    form = GradingSettingsForm(
        request.POST if request.method == "POST" else None, instance=selectors.settings_of(seminar)
    )
    if request.method == "POST" and form.is_valid():
        services.grading_settings_set(seminar=seminar, **form.cleaned_data)
        messages.success(request, _("The grading rules are saved; every final grade follows them."))
        return redirect("grading:sheet", slug=seminar.slug)
    return render(request, "grading/settings.html", {"seminar": seminar, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def components(request, slug):
    seminar = get_seminar_with(request.user, slug, "grading.manage")
    formset = GradeComponentFormSet(
        request.POST if request.method == "POST" else None,
        initial=component_initial(selectors.components_of(seminar, linked=True)),
        form_kwargs={"deliverables": selectors.deliverable_choices(seminar)},
        prefix="components",
    )
    problems = []
    if request.method == "POST" and formset.is_valid():
        try:
            services.grade_components_set(seminar=seminar, components=formset.specs())
        except GradeComponentsError as error:
            problems = error.messages
        else:
            messages.success(request, _("The grade components are saved; every final grade follows them."))
            return redirect("grading:sheet", slug=seminar.slug)
    context = {
        "seminar": seminar,
        "formset": formset,
        "problems": problems,
        "rubric_components": selectors.components_of(seminar),
    }
    return render(request, "grading/components.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def release(request, slug):
    seminar = get_seminar_with(request.user, slug, "grading.manage")
    if is_confirmed(request):
        services.grades_release(seminar=seminar, released_by=request.user, now=timezone.now())
        messages.success(request, _("The grades are released: each student now sees their own."))
        return redirect("grading:sheet", slug=seminar.slug)
    back = reverse("grading:sheet", args=[seminar.slug])
    return confirmation_page(request, _release_confirmation(seminar, request.user, back), seminar=seminar)


def _release_confirmation(seminar, user, back) -> Confirmation:
    check = selectors.release_check(seminar, user)
    warnings = []
    if check.ungraded:
        warnings.append(
            ngettext(
                "%(count)d student has no grade yet and gets no e-mail: %(names)s.",
                "%(count)d students have no grade yet and get no e-mail: %(names)s.",
                len(check.ungraded),
            )
            % {"count": len(check.ungraded), "names": _names(row for row in check.ungraded)}
        )
    if check.incomplete:
        missing = ", ".join(
            _("%(name)s (no %(components)s)")
            % {
                "name": row.membership.user.get_full_name(),
                "components": ", ".join(component.name for component in components),
            }
            for row, components in check.incomplete
        )
        warnings.append(
            ngettext(
                "%(count)d final grade is incomplete: %(students)s.",
                "%(count)d final grades are incomplete: %(students)s.",
                len(check.incomplete),
            )
            % {"count": len(check.incomplete), "students": missing}
        )
    return Confirmation(
        title=_("Release the grades of %(title)s") % {"title": seminar.display_title},
        consequences=[
            ngettext(
                "This mails %(count)d student that their grades are released (the e-mail names no grade).",
                "This mails %(count)d students that their grades are released (the e-mail names no grade).",
                check.recipients,
            )
            % {"count": check.recipients},
            _("Each student then sees their own grades and final grade; a grade changed later is mailed."),
        ],
        warnings=warnings,
        blockers=[_("The grades are already released.")] if check.released else [],
        action_label=_("Release the grades"),
        cancel_url=back,
    )


def _names(rows) -> str:
    return ", ".join(row.membership.user.get_full_name() for row in rows)


@login_required
@require_safe
def export(request, slug):
    seminar = get_seminar_with(request.user, slug, "grading.manage")
    form = ExportForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Please choose a format and a decimal mark."))
        return redirect("grading:sheet", slug=seminar.slug)
    sheet = selectors.grading_sheet(seminar, request.user)
    comma = form.cleaned_data["decimal"] == "comma"
    name = f"grades-{seminar.slug}"
    if form.cleaned_data["file_format"] == "xlsx":
        response = HttpResponse(
            exports.xlsx_bytes(seminar, sheet, decimal_comma=comma),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    response = StreamingHttpResponse(
        exports.csv_lines(seminar, sheet, decimal_comma=comma), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@login_required
@require_safe
def my_grades(request, slug):
    seminar = get_seminar_with(request.user, slug, "grading.view_own")
    released = selectors.released_grades_for(seminar, request.user)
    feedback = released_feedback_for(seminar, request.user, released.components) if released else []
    context = {"seminar": seminar, "released": released, "feedback": feedback}
    return render(request, "grading/my_grades.html", context)
