from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from core.downloads import file_response
from core.file_checks import too_large_message
from core.forms import id_or_none
from core.permissions import may, require
from core.uploads import LimitedUploadHandler, parse_with_names_kept
from seminars.rules import student_memberships
from seminars.selectors import get_seminar_for_user, get_seminar_with

from . import feedback as feedback_service
from .examiners import component_grade_from_examiners, examiner_grade_set, examiner_grades_of
from .exceptions import GradingError
from .feedback_forms import FeedbackForm, RubricForm
from .models import Feedback
from .scoring import GradeInputError, parse_grade


@login_required
@require_http_methods(["GET", "POST"])
def rubric(request, slug, component):
    seminar = get_seminar_with(request.user, slug, "grading.set_rubric")
    found = feedback_service.component_by_key(seminar, component)
    if found is None:
        raise Http404
    form = RubricForm(request.POST if request.method == "POST" else None, component=found)
    if request.method == "POST" and form.is_valid():
        feedback_service.rubric_set(component=found, criteria=form.cleaned_data["rubric"])
        messages.success(request, _("The rubric of “%(name)s” was saved.") % {"name": found.name})
        return redirect("grading:components", slug=seminar.slug)
    given = Feedback.objects.filter(component=found).exclude(ratings=[]).count()
    context = {"seminar": seminar, "component": found, "form": form, "given": given}
    return render(request, "grading/rubric.html", context)


def _feedback_target(request, slug, student, component, permission="grading.give_feedback"):
    seminar = get_seminar_with(request.user, slug, "grading.view_sheet")
    membership = get_object_or_404(student_memberships(seminar), user_id=student)
    require(request.user, permission, membership)
    found = feedback_service.component_by_key(seminar, component)
    if found is None:
        raise Http404
    return seminar, membership, found


@csrf_exempt
@require_http_methods(["GET", "POST"])
def feedback(request, slug, student, component):
    """For a POST the upload handler must be in place before anything reads the body, the CSRF check
    included (as for submissions and materials: the size limit is kept while the body streams in)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    seminar, membership, found = _feedback_target(request, slug, student, component)
    handler = None
    if request.method == "POST":
        handler = LimitedUploadHandler(request, max_bytes=feedback_service.feedback_max_bytes())
        request.upload_handlers = [handler]
        parse_with_names_kept(request)
    return _feedback_page(request, seminar, membership, found, handler)


@csrf_protect
def _feedback_page(request, seminar, membership, component, handler):
    given = Feedback.objects.filter(component=component, student=membership.user).first()
    posted = request.method == "POST"
    form = FeedbackForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        component=component,
        feedback=given,
    )
    if posted:
        refused = None
        if handler.too_many or len(request.FILES) > 1:
            refused = _("Please upload one file at a time. Nothing was stored.")
        elif handler.too_large:
            refused = (
                too_large_message(feedback_service.feedback_max_bytes()) + " " + _("Nothing was stored.")
            )
        if form.is_valid() and refused is None:
            try:
                feedback_service.feedback_save(
                    seminar=seminar,
                    student=membership.user,
                    component=component,
                    ratings=form.ratings,
                    comment=form.cleaned_data["comment"],
                    upload=form.cleaned_data.get("file"),
                    remove_file=form.cleaned_data.get("remove_file", False),
                    examiner=request.user,
                    now=timezone.now(),
                )
            except GradingError as error:
                form.add_error("file" if form.cleaned_data.get("file") else None, str(error.message))
            else:
                messages.success(request, _("The feedback was saved."))
                return redirect(reverse("grading:history", args=[seminar.slug, membership.user_id]))
        if refused is not None:
            form.errors.pop("file", None)
            form.add_error("file", refused)
    context = {
        "seminar": seminar,
        "student": membership.user,
        "component": component,
        "form": form,
        "given": given,
    }
    return render(request, "grading/feedback.html", context, status=400 if posted and form.errors else 200)


@login_required
@require_safe
def feedback_file(request, slug, pk):
    """The feedback file: for its student once the grades are released, and for whoever may grade them;
    404 for everyone else in the seminar (ids reveal nothing), 403 for a person of no part in it."""
    seminar = get_seminar_for_user(request.user, slug)
    if not (
        may(request.user, "grading.view_own", seminar) or may(request.user, "grading.view_sheet", seminar)
    ):
        require(request.user, "grading.view_sheet", seminar)
    found = Feedback.objects.filter(pk=pk, seminar=seminar).exclude(file="").select_related("seminar").first()
    if found is None or not may(request.user, "grading.download_feedback", found):
        raise Http404
    return file_response(
        found.file, name=found.original_name, content_type=found.content_type, size=found.size
    )


@login_required
@require_http_methods(["GET", "POST"])
def examiners(request, slug, student, component):
    """Each examiner's own grade side by side, and the component grade set from them: the mean, or by hand
    with a reason."""
    seminar, membership, found = _feedback_target(request, slug, student, component, "grading.set_grade")
    errors = []
    if request.method == "POST" and request.POST.get("action") in EXAMINER_ACTIONS:
        errors = EXAMINER_ACTIONS[request.POST["action"]](request, seminar, membership.user, found)
        if not errors:
            return redirect(request.path)
    state = examiner_grades_of(seminar, membership.user, found)
    own = next((grade for grade in state.grades if grade.examiner_id == request.user.pk), None)
    context = {"seminar": seminar, "student": membership.user, "component": found, "state": state}
    context |= {"own": own, "errors": errors, "posted": request.POST}
    return render(request, "grading/examiners.html", context, status=400 if errors else 200)


def _own_grade(request, seminar, student, component) -> list[str]:
    try:
        examiner_grade_set(
            seminar=seminar,
            student=student,
            component=component,
            examiner=request.user,
            text=request.POST.get("grade", ""),
            now=timezone.now(),
        )
    except GradingError as error:
        return [str(error.message)]
    messages.success(request, _("Your grade was saved."))
    return []


def _component_grade(request, seminar, student, component) -> list[str]:
    """The mean (action "mean") or a grade by hand with its reason (action "hand")."""
    try:
        value = parse_grade(request.POST.get("value", "")) if request.POST["action"] == "hand" else None
        result = component_grade_from_examiners(
            seminar=seminar,
            student=student,
            component=component,
            by=request.user,
            value=value,
            reason=request.POST.get("reason", ""),
            expected_version=id_or_none(request.POST.get("version")) or 0,
            now=timezone.now(),
        )
    except (GradingError, GradeInputError) as error:
        return [str(getattr(error, "message", error))]
    errors = list(result.errors.values())
    if result.refused:
        errors.append(_("Someone changed this grade meanwhile; it is shown below. Nothing was saved."))
    if not errors:
        messages.success(request, _("The component grade was saved."))
    return errors


EXAMINER_ACTIONS = {"own": _own_grade, "mean": _component_grade, "hand": _component_grade}
