"""The writes of a round before its run: opening it, the students' rankings, the chairs' marks (running and
publishing it: matching/running.py). Each checks everything before it writes, so a refused action changes
nothing; each says which row it locks."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from accounts.models import User
from seminars.models import Membership, Seminar
from seminars.rules import staff_filter, students_filter, withdrawn_filter

from .exceptions import (
    ChairRankingClosedError,
    MatchingError,
    RankingClosedError,
)
from .models import Application, Round, RoundSeminar


@transaction.atomic
def round_create(
    *,
    title: str,
    term: str,
    seats: list[tuple[Seminar, int]],
    students_open_at: datetime,
    students_close_at: datetime,
    chairs_open_at: datetime,
    chairs_close_at: datetime,
    publish_at: datetime,
    unranked_acceptable: bool,
    created_by: User,
    previous: Round | None = None,
) -> Round:
    """Opens a matching round: each seminar (not a draft, not archived: students read its page) with its
    seats (at least one), the students' window before the end of the chairs' window, the publication after
    both. A seminar takes part in one unpublished round at a time; from now on its places are given by the
    matching (Seminar.places_by_matching), so first-come enrolment refuses. A second round (`previous`)
    follows a published one. The participating seminars' rows are locked, so two coordinators cannot put
    one seminar into two rounds at once."""
    seminar_ids = [seminar.pk for seminar, _seats in seats]
    locked = {
        seminar.pk: seminar
        for seminar in Seminar.objects.select_for_update().filter(pk__in=seminar_ids).order_by("pk")
    }
    _check_round(
        seats=seats,
        students_open_at=students_open_at,
        students_close_at=students_close_at,
        chairs_open_at=chairs_open_at,
        chairs_close_at=chairs_close_at,
        publish_at=publish_at,
        previous=previous,
    )
    busy = (
        RoundSeminar.objects.filter(seminar_id__in=locked, round__published_at__isnull=True)
        .select_related("seminar", "round")
        .first()
    )
    if busy is not None:
        raise MatchingError(
            _("%(seminar)s already takes part in the round “%(round)s”, which is not published yet.")
            % {"seminar": busy.seminar.display_title, "round": busy.round.title}
        )
    matching_round = Round.objects.create(
        title=title,
        term=term,
        previous=previous,
        students_open_at=students_open_at,
        students_close_at=students_close_at,
        chairs_open_at=chairs_open_at,
        chairs_close_at=chairs_close_at,
        publish_at=publish_at,
        unranked_acceptable=unranked_acceptable,
        created_by=created_by,
    )
    RoundSeminar.objects.bulk_create(
        RoundSeminar(round=matching_round, seminar_id=seminar.pk, capacity=count) for seminar, count in seats
    )
    Seminar.objects.filter(pk__in=seminar_ids).update(places_by_matching=True)
    return matching_round


def _check_round(
    *, seats, students_open_at, students_close_at, chairs_open_at, chairs_close_at, publish_at, previous
) -> None:
    if not seats:
        raise MatchingError(_("Choose at least one seminar for the round."))
    seen = set()
    for seminar, count in seats:
        if seminar.pk in seen:
            raise MatchingError(_("%(seminar)s is in the round twice.") % {"seminar": seminar.display_title})
        seen.add(seminar.pk)
        if seminar.state in (Seminar.State.DRAFT, Seminar.State.ARCHIVED):
            raise MatchingError(
                _("%(seminar)s is a draft or archived: only a seminar whose page students see can take part.")
                % {"seminar": seminar.display_title}
            )
        if count < 1:
            raise MatchingError(
                _("%(seminar)s needs at least one seat to take part in the round.")
                % {"seminar": seminar.display_title}
            )
    if students_close_at <= students_open_at or chairs_close_at <= chairs_open_at:
        raise MatchingError(_("Each ranking window must close after it opens."))
    if chairs_close_at < students_close_at:
        raise MatchingError(_("The chairs' window must not close before the students' window."))
    if publish_at < chairs_close_at:
        raise MatchingError(_("The results can only be published after the chairs' window closes."))
    if previous is not None and not Round.objects.filter(pk=previous.pk, published_at__isnull=False).exists():
        raise MatchingError(_("A second round follows a published round."))


def second_round_seats(previous: Round) -> list[tuple[Seminar, int]]:
    """The seminars of a published round that still have seats, each with how many: its seats in the round
    less its students now (a student who withdrew after the publication frees their seat)."""
    entries = list(
        RoundSeminar.objects.filter(round=previous).select_related("seminar").order_by("seminar__title")
    )
    taken = dict(
        Membership.objects.current()
        .filter(students_filter(), seminar_id__in=[entry.seminar_id for entry in entries])
        .order_by()
        .values("seminar_id")
        .annotate(count=Count("pk"))
        .values_list("seminar_id", "count")
    )
    return [
        (entry.seminar, entry.capacity - taken.get(entry.seminar_id, 0))
        for entry in entries
        if entry.capacity > taken.get(entry.seminar_id, 0)
    ]


@transaction.atomic
def ranking_set(
    *,
    matching_round: Round,
    student: User,
    round_seminar_ids: list[int],
    confirmed: set[int],
    study_programme: str,
    now: datetime,
) -> None:
    """Makes the student's ranking of the round exactly `round_seminar_ids`, best first. Allowed while the
    students' window is open and the round has not run; each seminar once and of this round; a seminar
    with mandatory prerequisites only when the student confirms them (now, `confirmed`, or earlier); not a
    seminar they teach or withdrew from; in a second round only a student without a seat from the rounds
    before. A seminar kept on the list keeps its chair's rank. The student's user row is locked, so two
    tabs saving at once end in one of their lists."""
    User.objects.select_for_update().filter(pk=student.pk).first()
    matching_round = Round.objects.get(pk=matching_round.pk)
    if not matching_round.students_may_rank(now):
        raise RankingClosedError
    entries = {
        entry.pk: entry
        for entry in RoundSeminar.objects.filter(round=matching_round).select_related("seminar")
    }
    if len(set(round_seminar_ids)) != len(round_seminar_ids):
        twice = next(pk for pk in round_seminar_ids if round_seminar_ids.count(pk) > 1)
        title = entries[twice].seminar.display_title if twice in entries else "?"
        raise MatchingError(_("You ranked %(seminar)s twice; rank each seminar once.") % {"seminar": title})
    if any(pk not in entries for pk in round_seminar_ids):
        raise MatchingError(_("A seminar you ranked does not take part in this round."))
    existing = {
        application.round_seminar_id: application
        for application in Application.objects.filter(round=matching_round, student=student)
    }
    for pk in round_seminar_ids:
        seminar = entries[pk].seminar
        earlier = existing.get(pk)
        if (
            seminar.mandatory_prerequisite_list
            and pk not in confirmed
            and (earlier is None or earlier.prerequisites_confirmed_at is None)
        ):
            raise MatchingError(
                _("Please confirm that you meet the mandatory prerequisites of %(seminar)s.")
                % {"seminar": seminar.display_title}
            )
    taught = _membership_among(round_seminar_ids, student, staff_filter())
    if taught is not None:
        raise MatchingError(
            _("You teach %(seminar)s, so you cannot apply to it.") % {"seminar": taught.seminar.display_title}
        )
    withdrawn = _membership_among(round_seminar_ids, student, withdrawn_filter())
    if withdrawn is not None:
        # As at first-come enrolment (seminars.services.enrolment_create): only an instructor takes a
        # student back, with everything they had; a seat from the matching would leave them withdrawn.
        raise MatchingError(
            _(
                "You withdrew from %(seminar)s. To take part again, please ask an instructor to take you "
                "back; the matching cannot."
            )
            % {"seminar": withdrawn.seminar.display_title}
        )
    _check_no_earlier_seat(matching_round, student)
    Application.objects.filter(round=matching_round, student=student).exclude(
        round_seminar_id__in=round_seminar_ids
    ).delete()
    for rank, pk in enumerate(round_seminar_ids, start=1):
        application = existing.get(pk) or Application(
            round=matching_round, round_seminar_id=pk, student=student
        )
        application.rank = rank
        application.study_programme = study_programme
        if pk in confirmed and application.prerequisites_confirmed_at is None:
            application.prerequisites_confirmed_at = now
        application.save()


def _membership_among(round_seminar_ids: list[int], student: User, condition) -> Membership | None:
    """The student's membership that meets `condition` (a seminars.rules filter) in one of these seminars of
    the round, with its seminar, if any."""
    return (
        Membership.objects.filter(condition, user=student, seminar__round_entries__pk__in=round_seminar_ids)
        .select_related("seminar")
        .first()
    )


def _check_no_earlier_seat(matching_round: Round, student: User) -> None:
    earlier = matching_round.previous
    while earlier is not None:
        seat = (
            Membership.objects.current()
            .filter(students_filter(), user=student, seminar__round_entries__round=earlier)
            .select_related("seminar")
            .first()
        )
        if seat is not None:
            raise MatchingError(
                _(
                    "You already have a seat in %(seminar)s from an earlier round; this round is for "
                    "students without one."
                )
                % {"seminar": seat.seminar.display_title}
            )
        earlier = earlier.previous


@dataclass(frozen=True)
class ChairMark:
    """A chair's decision on one applicant: a rank (1 best, ties allowed; None: not ranked) or, instead,
    the reason they are not acceptable (the student reads it)."""

    rank: int | None = None
    not_acceptable: bool = False
    reason: str = ""


@transaction.atomic
def applicants_rank(*, round_seminar: RoundSeminar, marks: dict[int, ChairMark], now: datetime) -> int:
    """Saves a chair's ranking of the seminar's applicants (student id -> mark); returns how many changed.
    Allowed while the chairs' window is open and the round has not run; only applicants of this seminar;
    a mark "not acceptable" needs a reason, which the student will read; ranks are 1 or more. The round
    seminar's row is locked, so two instructors saving at once end in one of their rankings."""
    round_seminar = (
        RoundSeminar.objects.select_for_update(of=("self",)).select_related("round").get(pk=round_seminar.pk)
    )
    if not round_seminar.round.chairs_may_rank(now):
        raise ChairRankingClosedError
    applications = {
        application.student_id: application
        for application in Application.objects.filter(round_seminar=round_seminar).select_related("student")
    }
    if any(student_id not in applications for student_id in marks):
        raise MatchingError(_("You ranked someone who did not apply to this seminar; nothing was saved."))
    for student_id, mark in marks.items():
        name = applications[student_id].student.get_full_name()
        if mark.not_acceptable and not mark.reason.strip():
            raise MatchingError(
                _("Please say why %(name)s is not acceptable: the student will read it; nothing was saved.")
                % {"name": name}
            )
        if mark.rank is not None and mark.rank < 1:
            raise MatchingError(
                _("The rank of %(name)s must be a whole number, 1 or more; nothing was saved.")
                % {"name": name}
            )
    changed = []
    for student_id, mark in marks.items():
        application = applications[student_id]
        rank = None if mark.not_acceptable else mark.rank
        reason = mark.reason.strip() if mark.not_acceptable else ""
        if (application.chair_rank, application.not_acceptable_reason) != (rank, reason):
            application.chair_rank, application.not_acceptable_reason = rank, reason
            changed.append(application)
    Application.objects.bulk_update(changed, ["chair_rank", "not_acceptable_reason"])
    return len(changed)
