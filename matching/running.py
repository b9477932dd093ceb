"""Running a round and publishing it: the writes that turn the rankings into seats. Each checks everything
before it writes, so a refused action changes nothing, and locks the round's row."""

import random
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.mail import mail_send, portal_link
from core.outbox import enqueue_many_on_commit
from seminars.models import Membership
from seminars.rules import withdrawn_filter
from seminars.services import matched_students_admit

from . import matching, selectors
from .exceptions import AlreadyPublishedError, AlreadyRunError, MatchingError, NotRunError
from .models import Application, Result, Round, RoundSeminar
from .tasks import task_result_notify

SEED_LIMIT = 2**31


def matching_problem(matching_round: Round) -> matching.MatchingProblem:
    """The round's data as the pure module takes it, in one query per table. An applicant the chair did not
    rank is acceptable at the seminar's lowest rank (one below its chair's lowest), unless the round says
    unranked applicants are not acceptable; an application to a seminar the student has withdrawn from
    is left out."""
    entries = list(
        RoundSeminar.objects.filter(round=matching_round).values_list("pk", "capacity", "seminar_id")
    )
    capacities = {pk: capacity for pk, capacity, _seminar_id in entries}
    seminar_of = {pk: seminar_id for pk, _capacity, seminar_id in entries}
    # A student who withdrew from a seminar takes no seat in it (only an instructor takes them back, as
    # ranking_set says): withdrawn after ranking it, their application does not count.
    withdrawn = set(
        Membership.objects.filter(withdrawn_filter(), seminar_id__in=seminar_of.values()).values_list(
            "user_id", "seminar_id"
        )
    )
    rows = (
        Application.objects.filter(round=matching_round)
        .order_by("student_id", "rank")
        .values_list("student_id", "round_seminar_id", "chair_rank", "not_acceptable_reason")
    )
    rankings: dict[int, list[int]] = {}
    ranked: dict[int, dict[int, int]] = {pk: {} for pk in capacities}
    unranked: dict[int, list[int]] = {pk: [] for pk in capacities}
    for student_id, round_seminar_id, chair_rank, reason in rows:
        ranking = rankings.setdefault(student_id, [])  # an applicant still, with a result and its mail
        if (student_id, seminar_of[round_seminar_id]) in withdrawn:
            continue
        ranking.append(round_seminar_id)
        if reason:
            continue
        if chair_rank is not None:
            ranked[round_seminar_id][student_id] = chair_rank
        elif matching_round.unranked_acceptable:
            unranked[round_seminar_id].append(student_id)
    for pk, students in unranked.items():
        lowest = max(ranked[pk].values(), default=0) + 1
        ranked[pk].update(dict.fromkeys(students, lowest))
    return matching.MatchingProblem(capacities=capacities, student_rankings=rankings, chair_rankings=ranked)


@transaction.atomic
def round_run(
    *, matching_round: Round, run_by: User, now: datetime, seed: int | None = None
) -> matching.MatchingResult:
    """Runs the matching once (student-proposing deferred acceptance, matching/matching.py) and stores each
    applicant's result, unpublished. Allowed after both ranking windows closed and only once: the drawn (or
    given) seed is recorded, and the same data and seed give the same matching. Locks the round's row."""
    matching_round = Round.objects.select_for_update().get(pk=matching_round.pk)
    if matching_round.run_at is not None:
        raise AlreadyRunError
    if now <= matching_round.students_close_at:
        raise MatchingError(_("Students can still rank: run the round after their window closes."))
    if now <= matching_round.chairs_close_at:
        raise MatchingError(_("The chairs can still rank: run the round after their window closes."))
    if seed is None:
        seed = random.SystemRandom().randrange(SEED_LIMIT)
    result = matching.match(matching_problem(matching_round), seed=seed)
    Result.objects.bulk_create(
        (
            Result(
                round=matching_round,
                student_id=student_id,
                round_seminar_id=outcome.seminar,
                choice=outcome.choice,
                refusals=[[refusal.seminar, refusal.reason.value] for refusal in outcome.refusals],
            )
            for student_id, outcome in result.outcomes.items()
        )
    )
    entries = list(RoundSeminar.objects.filter(round=matching_round))
    for entry in entries:
        entry.free_seats = result.free_seats[entry.pk]
    RoundSeminar.objects.bulk_update(entries, ["free_seats"])
    matching_round.seed, matching_round.run_at, matching_round.run_by = seed, now, run_by
    matching_round.save(update_fields=["seed", "run_at", "run_by"])
    return result


@dataclass(frozen=True)
class Publication:
    admitted: int
    mailed: int


@transaction.atomic
def round_publish(*, matching_round: Round, published_by: User, now: datetime) -> Publication:
    """Publishes a run round once: each matched student becomes a student of their seminar (a membership,
    as enrolment makes, through seminars.services.matched_students_admit), and every applicant is mailed
    their result and its explanation in their own language (through the outbox, after the commit). Locks
    the round's row."""
    matching_round = Round.objects.select_for_update().get(pk=matching_round.pk)
    if matching_round.run_at is None:
        raise NotRunError
    if matching_round.published_at is not None:
        raise AlreadyPublishedError
    # When the placed student confirmed the seminar's prerequisites: from their application to it.
    confirmed_at = Application.objects.filter(
        round_seminar=OuterRef("round_seminar"), student=OuterRef("student")
    ).values("prerequisites_confirmed_at")[:1]
    seminar_of = dict(RoundSeminar.objects.filter(round=matching_round).values_list("pk", "seminar_id"))
    placements: dict[int, list[tuple[int, datetime | None]]] = {}
    result_ids = []
    results = (
        Result.objects.filter(round=matching_round)
        .annotate(confirmed_at=Subquery(confirmed_at))
        .values_list("pk", "student_id", "round_seminar_id", "confirmed_at")
    )
    for result_id, student_id, round_seminar_id, confirmed in results:
        result_ids.append(result_id)
        if round_seminar_id is not None:
            placements.setdefault(seminar_of[round_seminar_id], []).append((student_id, confirmed))
    admitted = matched_students_admit(placements=placements)
    matching_round.published_at, matching_round.published_by = now, published_by
    matching_round.save(update_fields=["published_at", "published_by"])
    enqueue_many_on_commit(task_result_notify, [{"result_id": result_id} for result_id in result_ids])
    return Publication(admitted=admitted, mailed=len(result_ids))


def result_notify(*, result: Result) -> None:
    """Mails an applicant their published result and its explanation, in their language (the explanation
    is put into words while the mail renders, in that language)."""
    matching_round, student = result.round, result.student
    view = selectors.result_view(matching_round, student)
    if view is None:
        return
    mail_send(
        to=student,
        subject=gettext_lazy("Your seminar in %(round)s"),
        subject_params={"round": matching_round.title},
        template="matching/email/result",
        context={
            "matching_round": matching_round,
            "result": view,
            "explanation": view.lines,  # called while rendering: in the recipient's language
            "result_url": portal_link("matching:result", matching_round.pk),
            "seminars_url": portal_link("seminars:list"),
        },
    )
