from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.confirm import confirmation_page, is_confirmed
from core.downloads import file_response
from core.permissions import may
from seminars.selectors import get_seminar_with

from . import selectors, services
from .confirmations import publish_confirmation, release_confirmation
from .downloads import report_response
from .exceptions import ReviewError
from .forms import ReassignForm, ReviewForm, ReviewRoundForm
from .models import ReviewRound


def _manage_url(seminar, deliverable) -> str:
    return reverse("reviews:manage", args=[seminar.slug, deliverable.pk])


@login_required
@require_safe
def mine(request, slug):
    seminar = get_seminar_with(request.user, slug, "reviews.view_own")
    writing, received = selectors.my_reviews(request.user, seminar)
    context = {"seminar": seminar, "writing": writing, "received": received, "now": timezone.now()}
    return render(request, "reviews/mine.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def write(request, slug, pk):
    now = timezone.now()  # the time of record: the request has been received
    seminar, review = selectors.get_review_with(request.user, slug, pk, "reviews.write")
    form = ReviewForm(request.POST if request.method == "POST" else None, review=review)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_save(
                review=review,
                reviewer=request.user,
                ratings=form.ratings,
                text=form.cleaned_data["text"],
                now=now,
            )
        except ReviewError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your review was saved. You can change it until its due time."))
            return redirect("reviews:write", slug=seminar.slug, pk=review.pk)
    context = {"seminar": seminar, "review": review, "form": form, "open": services.review_open(review, now)}
    return render(request, "reviews/write.html", context)


@login_required
@require_safe
def report(request, slug, pk):
    seminar, review = selectors.get_review_with(request.user, slug, pk, "reviews.download_report")
    if may(request.user, "reviews.see_author_name", review):
        found = review.submission
        return file_response(
            found.file, name=found.original_name, content_type=found.content_type, size=found.size
        )
    response = report_response(review)
    if response is None:
        messages.error(
            request,
            _(
                "Under double-blind review only PDF reports are given out, without their metadata; "
                "this report is no PDF. Please ask an instructor."
            ),
        )
        return redirect("reviews:write", slug=seminar.slug, pk=review.pk)
    return response


@login_required
@require_safe
def read(request, slug, pk):
    seminar, review = selectors.get_review_with(request.user, slug, pk, "reviews.read")
    return render(request, "reviews/read.html", {"seminar": seminar, "review": review})


@login_required
@require_http_methods(["GET", "POST"])
def manage(request, slug, pk):
    seminar, deliverable, review_round = selectors.get_round_with(request.user, slug, pk)
    instance = review_round or ReviewRound(deliverable=deliverable, due_at=None)
    form = ReviewRoundForm(
        request.POST if request.method == "POST" else None, instance=instance, seminar=seminar
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.review_round_save(deliverable=deliverable, review_round=form.save(commit=False))
        except ReviewError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The peer review settings were saved."))
            return redirect(_manage_url(seminar, deliverable))
    reviews = selectors.round_reviews(review_round) if review_round else []
    context = {
        "seminar": seminar,
        "deliverable": deliverable,
        "review_round": review_round,
        "form": form,
        "reviews": reviews,
        "counts": selectors.round_counts(reviews),
        "deadline_passed": services.deadline_passed(deliverable, timezone.now()),
        "reassign_form": ReassignForm(seminar=seminar),
    }
    return render(request, "reviews/manage.html", context)


def _round_or_back(request, slug, pk):
    seminar, deliverable, review_round = selectors.get_round_with(request.user, slug, pk)
    if review_round is None:
        raise Http404
    return seminar, deliverable, review_round


@login_required
@require_POST
def assign(request, slug, pk):
    seminar, deliverable, review_round = _round_or_back(request, slug, pk)
    try:
        count = services.reviews_assign(review_round=review_round, now=timezone.now())
    except ReviewError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext("%(count)d review assigned.", "%(count)d reviews assigned.", count) % {"count": count},
        )
    return redirect(_manage_url(seminar, deliverable))


@login_required
@require_POST
def reassign(request, slug, pk):
    seminar, review = selectors.get_review_with(
        request.user, slug, pk, "reviews.manage", seminar_permission="reviews.manage"
    )
    form = ReassignForm(request.POST, seminar=seminar)
    back = redirect(_manage_url(seminar, review.round.deliverable))
    if not form.is_valid():
        messages.error(request, _("Please choose a student of this seminar as the reviewer."))
        return back
    try:
        services.review_reassign(review=review, reviewer=form.cleaned_data["reviewer"])
    except ReviewError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The reviewer was changed."))
    return back


def _confirmed_mailing(request, slug, pk, *, service, confirmation_of, mailed):
    """A step that mails many people (publish, release): asks first, saying how many; then runs `service`
    and says how many were mailed (`mailed`: count -> the sentence)."""
    seminar, deliverable, review_round = _round_or_back(request, slug, pk)
    back = _manage_url(seminar, deliverable)
    if not is_confirmed(request):
        return confirmation_page(request, confirmation_of(review_round, back), seminar=seminar)
    try:
        count = service(review_round=review_round, by=request.user, now=timezone.now())
    except ReviewError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, mailed(count) % {"count": count})
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def publish(request, slug, pk):
    return _confirmed_mailing(
        request,
        slug,
        pk,
        service=services.reviews_publish,
        confirmation_of=publish_confirmation,
        mailed=lambda count: ngettext(
            "%(count)d reviewer was mailed.", "%(count)d reviewers were mailed.", count
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def release(request, slug, pk):
    return _confirmed_mailing(
        request,
        slug,
        pk,
        service=services.reviews_release,
        confirmation_of=release_confirmation,
        mailed=lambda count: ngettext(
            "%(count)d author was mailed.", "%(count)d authors were mailed.", count
        ),
    )
