from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.confirm import Confirmation, confirmation_page, is_confirmed
from core.downloads import file_response
from core.file_checks import too_large_message
from core.permissions import may, require
from core.templatetags.zoned import zoned_plain
from core.uploads import LimitedUploadHandler, parse_with_names_kept
from seminars.selectors import get_seminar_with

from . import selectors, services
from .archive import zip_stream
from .exceptions import SubmissionError
from .forms import DeliverableForm, ExtensionForm, UploadForm
from .models import Deliverable, Extension, ExtraUnit
from .rules import visible_students


@login_required
@require_safe
def deliverable_list(request, slug):
    seminar = get_seminar_with(request.user, slug, "submissions.view_deliverables")
    uploads = may(request.user, "submissions.upload", seminar)
    if uploads:
        rows = selectors.progress_of(seminar, request.user)
    else:
        rows = [(deliverable, None, None) for deliverable in selectors.deliverables_of(seminar)]
    context = {
        "seminar": seminar,
        "rows": selectors.by_due_time(rows),
        "uploads": uploads,
        "now": timezone.now(),
        "is_instructor": may(request.user, "submissions.manage", seminar),
        "discussed": selectors.discussed_talks(seminar, request.user) if uploads else [],
    }
    return render(request, "submissions/deliverable_list.html", context)


@login_required
@require_safe
def deliverable_detail(request, slug, pk):
    seminar, deliverable = selectors.get_deliverable_with(
        request.user, slug, pk, "submissions.view_deliverables"
    )
    if not may(request.user, "submissions.upload", seminar):
        return redirect("submissions:overview", slug=seminar.slug, pk=deliverable.pk)
    now = timezone.now()
    deadline = selectors.deadline_for(deliverable, request.user)
    context = {
        "seminar": seminar,
        "deliverable": deliverable,
        "deadline": deadline,
        "verdict_now": deadline.verdict_at(now, deliverable),
        "versions": selectors.versions_of(deliverable, request.user),
        "form": UploadForm(deliverable=deliverable),
        "now": now,
    }
    return render(request, "submissions/deliverable_detail.html", context)


@csrf_exempt
@require_POST
def upload(request, slug, pk):
    """The upload handler must be in place before anything reads the body, the CSRF check included."""
    if not request.user.is_authenticated:
        # After logging in, back to the deliverable page (the upload address only takes POSTs).
        return redirect_to_login(reverse("submissions:deliverable", args=[slug, pk]))
    seminar, deliverable = selectors.get_deliverable_with(
        request.user, slug, pk, "submissions.view_deliverables"
    )
    handler = LimitedUploadHandler(request, max_bytes=deliverable.max_bytes)
    request.upload_handlers = [handler]
    parse_with_names_kept(request)
    return _upload(request, seminar, deliverable, handler)


@csrf_protect
def _upload(request, seminar, deliverable, handler):
    files = request.FILES
    # The time of record: the whole request body has been received by now.
    received_at = timezone.now()
    back = _go(request, reverse("submissions:deliverable", args=[seminar.slug, deliverable.pk]))
    require(request.user, "submissions.upload", seminar)
    if handler.too_many or len(files.getlist("file")) > 1 or len(files) > 1:
        messages.error(request, _("Please upload one file at a time. Nothing was stored."))
        return back
    if handler.too_large:
        messages.error(request, too_large_message(deliverable.max_bytes) + " " + _("Nothing was stored."))
        return back
    form = UploadForm(request.POST, files, deliverable=deliverable)
    if not form.is_valid():
        messages.error(request, _("Please choose a file to upload. Nothing was stored."))
        return back
    try:
        submission = services.submission_create(
            deliverable=deliverable,
            student=request.user,
            upload=form.cleaned_data["file"],
            received_at=received_at,
        )
    except SubmissionError as error:
        messages.error(request, f"{error.message} " + _("Nothing was stored."))
        return back
    messages.success(
        request, _("Your file was received. This is your receipt; a copy is on its way by mail.")
    )
    return _go(request, reverse("submissions:receipt", args=[seminar.slug, deliverable.pk, submission.pk]))


def _go(request, url: str) -> HttpResponse:
    """Where the student goes next: a redirect, or for the page's upload script (which shows the progress
    bar) the address to open, so that the message waiting there is not used up by the script's request."""
    if request.headers.get("X-Portal-Upload") == "1":
        return JsonResponse({"location": url})
    return HttpResponseRedirect(url)


@login_required
@require_safe
def receipt(request, slug, pk, submission):
    found = selectors.get_submission_for_user(request.user, submission)
    if found.deliverable_id != pk or found.deliverable.seminar.slug != slug:
        raise Http404
    versions = selectors.versions_of(found.deliverable, found.student)
    context = {
        "seminar": found.deliverable.seminar,
        "deliverable": found.deliverable,
        "submission": found,
        "counts": versions.counted is not None and versions.counted.pk == found.pk,
    }
    return render(request, "submissions/receipt.html", context)


@login_required
@require_safe
def download(request, submission):
    found = selectors.get_submission_for_user(request.user, submission)
    return file_response(
        found.file, name=found.original_name, content_type=found.content_type, size=found.size
    )


@login_required
@require_safe
def manage_list(request, slug):
    seminar = get_seminar_with(request.user, slug, "submissions.manage")
    context = {
        "seminar": seminar,
        "deliverables": selectors.deliverables_by_due_time(seminar),
        "now": timezone.now(),
    }
    return render(request, "submissions/manage_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def deliverable_edit(request, slug, pk=None):
    seminar = get_seminar_with(request.user, slug, "submissions.manage")
    instance = get_object_or_404(Deliverable, seminar=seminar, pk=pk) if pk else Deliverable(seminar=seminar)
    initial = {}
    if pk is None and request.GET.get("kind") in Deliverable.Kind.values:
        initial = {"kind": request.GET["kind"], "title": Deliverable.Kind(request.GET["kind"]).label}
    form = DeliverableForm(request.POST or None, instance=instance, initial=initial, seminar=seminar)
    if request.method == "POST" and form.is_valid():
        deliverable = services.deliverable_save(seminar=seminar, deliverable=form.save(commit=False))
        messages.success(
            request, _("The deliverable “%(title)s” is saved.") % {"title": deliverable.display_title}
        )
        return redirect("submissions:overview", slug=seminar.slug, pk=deliverable.pk)
    return render(request, "submissions/deliverable_form.html", {"seminar": seminar, "form": form})


def _overview_page(request, seminar, deliverable, extension_form=None, status=200):
    rows = selectors.overview(deliverable, request.user)
    context = {
        "seminar": seminar,
        "deliverable": deliverable,
        "rows": rows,
        "counts": selectors.overview_counts(rows),
        "is_instructor": may(request.user, "submissions.extend", seminar),
        "history": selectors.extension_history(deliverable, request.user),
        "extension_form": extension_form,
    }
    return render(request, "submissions/overview.html", context, status=status)


@login_required
@require_safe
def overview(request, slug, pk):
    seminar, deliverable = selectors.get_deliverable_with(request.user, slug, pk, "submissions.view_overview")
    form = ExtensionForm(seminar=seminar) if may(request.user, "submissions.extend", seminar) else None
    return _overview_page(request, seminar, deliverable, form)


@login_required
@require_safe
def student_versions(request, slug, pk, student):
    seminar, deliverable = selectors.get_deliverable_with(request.user, slug, pk, "submissions.view_overview")
    person = get_object_or_404(visible_students(request.user, seminar), user_id=student).user
    context = {
        "seminar": seminar,
        "deliverable": deliverable,
        "student": person,
        "deadline": selectors.deadline_for(deliverable, person),
        "versions": selectors.versions_of(deliverable, person),
    }
    return render(request, "submissions/student_versions.html", context)


@login_required
@require_safe
def download_all(request, slug, pk):
    seminar, deliverable = selectors.get_deliverable_with(request.user, slug, pk, "submissions.view_overview")
    every_version = request.GET.get("versions") == "all"
    files = selectors.counted_submissions(deliverable, request.user, every_version=every_version)
    response = StreamingHttpResponse(zip_stream(files), content_type="application/zip")
    suffix = "all-versions" if every_version else "counted"
    response["Content-Disposition"] = content_disposition_header(
        True, f"{seminar.slug}-{deliverable.kind}-{deliverable.pk}-{suffix}.zip"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _deliverable_to_extend(request, slug, pk) -> tuple:
    """Granting and revoking: the overview's readers (instructors and supervisors) get 403 unless the
    policy lets them extend, like everyone else who is no member."""
    seminar, deliverable = selectors.get_deliverable_with(request.user, slug, pk, "submissions.view_overview")
    require(request.user, "submissions.extend", seminar)
    return seminar, deliverable


@login_required
@require_POST
def extension_grant(request, slug, pk):
    seminar, deliverable = _deliverable_to_extend(request, slug, pk)
    form = ExtensionForm(request.POST, seminar=seminar)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.extension_grant(
                deliverable=deliverable,
                student=data["student"],
                new_due_at=data["new_due_at"] if data["mode"] == "new_due" else None,
                extra_minutes=round(data["extra_time"] * ExtraUnit(data["extra_unit"]).minutes)
                if data["mode"] == "extra"
                else None,
                extra_unit=data["extra_unit"],
                reason=data["reason"],
                granted_by=request.user,
                now=timezone.now(),
            )
        except SubmissionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("%(name)s has an extension now.") % {"name": data["student"].get_full_name()}
            )
            return redirect("submissions:overview", slug=seminar.slug, pk=deliverable.pk)
    return _overview_page(request, seminar, deliverable, form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def extension_revoke(request, slug, pk, extension):
    seminar, deliverable = _deliverable_to_extend(request, slug, pk)
    found = get_object_or_404(
        Extension.objects.select_related("student"), deliverable=deliverable, pk=extension
    )
    if not is_confirmed(request):
        return confirmation_page(request, _revoke_confirmation(seminar, deliverable, found), seminar=seminar)
    services.extension_revoke(extension=found, revoked_by=request.user, now=timezone.now())
    messages.success(
        request, _("The extension of %(name)s is revoked.") % {"name": found.student.get_full_name()}
    )
    return redirect("submissions:overview", slug=seminar.slug, pk=deliverable.pk)


def _revoke_confirmation(seminar, deliverable, extension) -> Confirmation:
    without = selectors.deadline_of(
        deliverable, None, selectors.talk_start_for(deliverable, extension.student)
    )
    name = extension.student.get_full_name()
    due = zoned_plain(without.due, seminar.time_zone) if without.due else _("not set yet")
    return Confirmation(
        title=_("Revoke the extension of %(name)s") % {"name": name},
        consequences=[
            _("%(name)s's due time for “%(deliverable)s” goes back to %(due)s.")
            % {"name": name, "deliverable": deliverable.display_title, "due": due},
            _("The extension stays in the history, with who revoked it and when."),
        ],
        blockers=[] if extension.revoked_at is None else [_("This extension is already revoked.")],
        action_label=_("Revoke the extension"),
        cancel_url=reverse("submissions:overview", args=[seminar.slug, deliverable.pk]),
        danger=True,
    )
