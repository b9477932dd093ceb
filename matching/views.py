from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from core.confirm import Confirmation, confirmation_page, is_confirmed
from core.forms import id_or_none
from core.permissions import may, require
from core.rankings import ranking_after
from seminars.exceptions import SeminarError
from seminars.models import Seminar

from . import chart, running, selectors, services
from .forms import RoundForm, RunForm
from .models import RoundSeminar


def _posted(request):
    return request.POST if request.method == "POST" else None


def _render(request, template: str, context: dict):
    """Rounds are the department's, not one seminar's: their times show in the portal's zone."""
    return render(request, template, {"zone": settings.TIME_ZONE, **context})


@login_required
@require_safe
def open_rounds(request):
    """Where a student finds the rounds they can rank in and their results."""
    context = {
        "rounds": selectors.rounds_for_student(request.user, timezone.now()),
        "now": timezone.now(),
        "coordinates": may(request.user, "matching.coordinate"),
        "chair_entries": selectors.chair_entries(request.user),
    }
    return _render(request, "matching/open.html", context)


@login_required
@require_safe
def rounds(request):
    require(request.user, "matching.coordinate")
    return _render(request, "matching/rounds.html", {"rounds": selectors.rounds_all()})


def _offered_seminars():
    return Seminar.objects.exclude(state__in=[Seminar.State.DRAFT, Seminar.State.ARCHIVED]).order_by(
        "title", "pk"
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request, pk=None):
    """A new round, or (with `pk`) the second round after a published one, offering its seats left."""
    require(request.user, "matching.coordinate")
    previous = selectors.get_round(pk) if pk else None
    offered = services.second_round_seats(previous) if previous else None
    seminars = [seminar for seminar, _seats in offered] if previous else _offered_seminars()
    seats = {seminar.pk: count for seminar, count in offered} if previous else None
    form = RoundForm(_posted(request), seminars=seminars, seats=seats)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.round_create(
                **form.round_data(), seats=form.seats(), previous=previous, created_by=request.user
            )
        except SeminarError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The round “%(title)s” is open.") % {"title": created.title})
            return redirect("matching:round", pk=created.pk)
    return _render(request, "matching/round_form.html", {"form": form, "previous": previous})


@login_required
@require_http_methods(["GET", "POST"])
def round_detail(request, pk):
    require(request.user, "matching.coordinate")
    matching_round = selectors.get_round(pk)
    form = RunForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            result = running.round_run(
                matching_round=matching_round,
                run_by=request.user,
                now=timezone.now(),
                seed=form.cleaned_data["seed"],
            )
        except SeminarError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _(
                    "The round has been run: %(matched)d of %(total)d applicants have a seat. Check it, then "
                    "publish."
                )
                % {"matched": len(result.assignment), "total": len(result.outcomes)},
            )
        return redirect("matching:round", pk=matching_round.pk)
    context = {
        "matching_round": matching_round,
        "entries": selectors.round_seminars_with_counts(matching_round),
        "form": form,
        "now": timezone.now(),
    }
    return _render(request, "matching/round_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def round_publish(request, pk):
    require(request.user, "matching.coordinate")
    matching_round = selectors.get_round(pk)
    back = reverse("matching:round", args=[matching_round.pk])
    if is_confirmed(request):
        try:
            done = running.round_publish(
                matching_round=matching_round, published_by=request.user, now=timezone.now()
            )
        except SeminarError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "The round is published: %(admitted)d student joined their seminar, %(mailed)d "
                    "applicants get an e-mail.",
                    "The round is published: %(admitted)d students joined their seminars, %(mailed)d "
                    "applicants get an e-mail.",
                    done.admitted,
                )
                % {"admitted": done.admitted, "mailed": done.mailed},
            )
        return redirect(back)
    return confirmation_page(request, _publication_confirmation(matching_round, back))


def _publication_confirmation(matching_round, back) -> Confirmation:
    figures = selectors.figures(matching_round)
    blockers = []
    if matching_round.run_at is None:
        blockers.append(_("The round has not been run yet: run it, check the result, then publish it."))
    elif matching_round.published_at is not None:
        blockers.append(_("This round has already been published."))
    warnings = []
    if matching_round.publish_at > timezone.now():
        warnings.append(_("The students were told the results come out later, on the publication date."))
    return Confirmation(
        title=_("Publish the round %(title)s") % {"title": matching_round.title},
        consequences=[
            ngettext(
                "%(count)d student becomes a student of their seminar.",
                "%(count)d students become students of their seminars.",
                figures.matched,
            )
            % {"count": figures.matched},
            ngettext(
                "This mails %(count)d applicant their result and why.",
                "This mails %(count)d applicants their result and why.",
                figures.applicants,
            )
            % {"count": figures.applicants},
        ],
        warnings=warnings,
        blockers=blockers,
        action_label=_("Publish the round"),
        cancel_url=back,
    )


@login_required
@require_safe
def round_figures(request, pk):
    require(request.user, "matching.coordinate")
    matching_round = selectors.get_round(pk)
    figures = selectors.figures(matching_round)
    bars = chart.choice_bars(figures)
    context = {
        "matching_round": matching_round,
        "figures": figures,
        "bars": bars,
        "width": chart.chart_width(bars),
    }
    return _render(request, "matching/figures.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def rank(request, pk):
    require(request.user, "matching.rank")
    matching_round = selectors.get_round(pk)
    ranking = selectors.ranking_of(matching_round, request.user)
    if request.method == "POST":
        entry, action = id_or_none(request.POST.get("entry")), request.POST.get("action", "")
        ids = [application.round_seminar_id for application in ranking]
        new_ranking = ranking_after(action, ids, entry) if entry else ids
        confirmed = {entry} if entry and request.POST.get("confirm") == "yes" else set()
        programme = request.POST.get("study_programme", ranking[0].study_programme if ranking else "")
        try:
            services.ranking_set(
                matching_round=matching_round,
                student=request.user,
                round_seminar_ids=new_ranking,
                confirmed=confirmed,
                study_programme=programme.strip()[:120],
                now=timezone.now(),
            )
        except SeminarError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your ranking has been saved."))
        return redirect("matching:rank", pk=matching_round.pk)
    ranked = {application.round_seminar_id for application in ranking}
    context = {
        "matching_round": matching_round,
        "ranking": ranking,
        "others": [entry for entry in selectors.round_seminars(matching_round) if entry.pk not in ranked],
        "may_rank": matching_round.students_may_rank(timezone.now()),
        "study_programme": ranking[0].study_programme if ranking else "",
    }
    return _render(request, "matching/rank.html", context)


@login_required
@require_safe
def result(request, pk):
    require(request.user, "matching.rank")
    matching_round = selectors.get_round(pk)
    context = {
        "matching_round": matching_round,
        "result": selectors.result_view(matching_round, request.user),
    }
    return _render(request, "matching/result.html", context)


def _marks(request) -> dict[int, services.ChairMark]:
    """The chair's form, one row per applicant (student ids as the form sent them, so that a student who
    did not apply is refused by the service with a message)."""
    marks = {}
    for student_id in {id_or_none(value) for value in request.POST.getlist("student")} - {None}:
        rank_text = request.POST.get(f"rank-{student_id}", "").strip()
        # Empty: not ranked. Anything but a whole number (or one too large) is rank 0, which the service
        # refuses with the applicant's name.
        whole = rank_text.isascii() and rank_text.isdecimal() and len(rank_text) < 5
        rank_value = (int(rank_text) if whole else 0) if rank_text else None
        marks[student_id] = services.ChairMark(
            rank=rank_value,
            not_acceptable=request.POST.get(f"reject-{student_id}") == "yes",
            reason=request.POST.get(f"reason-{student_id}", "")[:2000],
        )
    return marks


@login_required
@require_http_methods(["GET", "POST"])
def applicants(request, pk, slug):
    matching_round = selectors.get_round(pk)
    entry: RoundSeminar = selectors.get_round_seminar(matching_round, slug)
    require(request.user, "matching.rank_applicants", entry)
    if request.method == "POST":
        try:
            changed = services.applicants_rank(round_seminar=entry, marks=_marks(request), now=timezone.now())
        except SeminarError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext("%(count)d applicant's mark saved.", "%(count)d applicants' marks saved.", changed)
                % {"count": changed},
            )
        return redirect("matching:applicants", pk=matching_round.pk, slug=entry.seminar.slug)
    context = {
        "matching_round": matching_round,
        "entry": entry,
        "seminar": entry.seminar,
        "applicants": selectors.applicants_of(entry),
        "may_rank": matching_round.chairs_may_rank(timezone.now()),
        "matched": selectors.matched_of(entry) if matching_round.published_at else None,
    }
    return _render(request, "matching/applicants.html", context)
