"""Reads of the matching rounds; each page costs the same number of queries however many seminars and
applicants a round has."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from core.languages import in_reader_language, title_in_reader_language
from seminars.models import Topic
from seminars.rules import taught_seminars

from .explanations import RefusalView, ResultView
from .models import Application, Result, Round, RoundSeminar


def get_round(pk: int) -> Round:
    try:
        return Round.objects.select_related("previous").get(pk=pk)
    except Round.DoesNotExist as missing:
        raise Http404 from missing


def get_round_seminar(matching_round: Round, slug: str) -> RoundSeminar:
    try:
        return RoundSeminar.objects.select_related("seminar", "round").get(
            round=matching_round, seminar__slug=slug
        )
    except RoundSeminar.DoesNotExist as missing:
        raise Http404 from missing


def rounds_all() -> QuerySet[Round]:
    """Every round for the coordinators, the newest first, with its numbers of seminars and applicants."""
    seminars = RoundSeminar.objects.filter(round=OuterRef("pk")).order_by().values("round")
    applicants = Application.objects.filter(round=OuterRef("pk")).order_by().values("round")
    return Round.objects.annotate(
        seminar_count=Coalesce(Subquery(seminars.annotate(count=Count("pk")).values("count")), 0),
        applicant_count=Coalesce(
            Subquery(applicants.annotate(count=Count("student", distinct=True)).values("count")), 0
        ),
    ).order_by("-created_at", "-pk")


def rounds_for_student(user, now: datetime) -> QuerySet[Round]:
    """The rounds a person may rank in now or soon (not run yet), and those they applied to."""
    return (
        Round.objects.filter(
            Q(run_at__isnull=True, students_close_at__gte=now) | Q(applications__student=user)
        )
        .distinct()
        .order_by("students_close_at", "pk")
    )


def rounds_for_dashboard(user, now: datetime, *, coordinating: bool = False) -> QuerySet[Round]:
    """The rounds a person's dashboard names: those they may rank in now or soon, those they applied to,
    and, until publication, those a seminar they instruct takes part in (they rank its applicants) and,
    for a coordinator (`coordinating`, asked of the policy by the caller), every round."""
    shown = (
        Q(run_at__isnull=True, students_close_at__gte=now)
        | Q(applications__student=user)
        | Q(published_at__isnull=True, round_seminars__seminar__in=taught_seminars(user))
    )
    if coordinating:
        shown |= Q(published_at__isnull=True)
    return Round.objects.filter(shown).distinct().order_by("students_close_at", "pk")


def chair_entries(user) -> QuerySet[RoundSeminar]:
    """The round entries of the seminars the person instructs, the newest round first."""
    return (
        RoundSeminar.objects.filter(seminar__in=taught_seminars(user))
        .select_related("seminar", "round")
        .order_by("-round__created_at", "seminar__title")
    )


def round_seminars(matching_round: Round) -> QuerySet[RoundSeminar]:
    """The round's seminars with their page's facts (pre-course meeting, topics, prerequisites,
    evaluation), by title."""
    return (
        RoundSeminar.objects.filter(round=matching_round)
        .select_related("seminar")
        .prefetch_related(Prefetch("seminar__topics", queryset=Topic.objects.order_by("order", "title")))
        .order_by("seminar__title")
    )


def ranking_of(matching_round: Round, user) -> list[Application]:
    return list(
        Application.objects.filter(round=matching_round, student=user)
        .select_related("round_seminar__seminar")
        .order_by("rank")
    )


def applicants_of(round_seminar: RoundSeminar) -> list[Application]:
    """The seminar's applicants by name, for its instructors: never the student's rank of this or any
    other seminar (the page shows none of it)."""
    return list(
        Application.objects.filter(round_seminar=round_seminar)
        .select_related("student")
        .order_by("student__full_name", "student__email")
    )


def matched_of(round_seminar: RoundSeminar) -> list[Result]:
    """The students the published matching gave a seat in the seminar, by name."""
    return list(
        Result.objects.filter(round_seminar=round_seminar)
        .select_related("student")
        .order_by("student__full_name", "student__email")
    )


def round_seminars_with_counts(matching_round: Round) -> QuerySet[RoundSeminar]:
    """The coordinator's table: each seminar with its applicants, those its chair decided on, and (after
    the run) the students it got. One count per subquery: counting two relations in one join would
    multiply their rows."""
    applications = Application.objects.filter(round_seminar=OuterRef("pk"))
    decided = applications.filter(Q(chair_rank__isnull=False) | ~Q(not_acceptable_reason=""))
    return (
        RoundSeminar.objects.filter(round=matching_round)
        .select_related("seminar")
        .annotate(
            applicant_count=_count(applications),
            decided_count=_count(decided),
            matched_count=_count(Result.objects.filter(round_seminar=OuterRef("pk"))),
        )
        .order_by("seminar__title")
    )


def _count(rows: QuerySet):
    counted = rows.order_by().values("round_seminar").annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted), 0)


def result_view(matching_round: Round, user) -> ResultView | None:
    """The person's result of the round with what they may know of it, or None (no result, or not yet
    published). Four queries, each on the person's rows of the round or on its seminars."""
    if matching_round.published_at is None:
        return None
    result = (
        Result.objects.filter(round=matching_round, student=user)
        .select_related("round_seminar__seminar")
        .first()
    )
    if result is None:
        return None
    # Lazy titles: the explanation is put into words in the reader's language (a page's, or a mail's).
    # Only the seminars the explanation names: a round has a thousand, and a mail goes to every applicant.
    titles = {
        pk: title_in_reader_language(english, german)
        for pk, english, german in RoundSeminar.objects.filter(
            round=matching_round, pk__in=[pk for pk, _reason in result.refusals]
        ).values_list("pk", "seminar__title", "seminar__title_de")
    }
    reasons = dict(
        Application.objects.filter(round=matching_round, student=user).values_list(
            "round_seminar_id", "not_acceptable_reason"
        )
    )
    refusals = [
        RefusalView(place, titles[pk], reason, reasons.get(pk, ""))
        for place, (pk, reason) in enumerate(result.refusals, start=1)
    ]
    seats_left = []
    if result.round_seminar is None:
        seats_left = [
            (title_in_reader_language(english, german), free_seats)
            for english, german, free_seats in RoundSeminar.objects.filter(
                round=matching_round, free_seats__gt=0
            )
            .order_by("seminar__title")
            .values_list("seminar__title", "seminar__title_de", "free_seats")
        ]
    return ResultView(
        seminar_title=in_reader_language(result.round_seminar.seminar, "title")
        if result.round_seminar
        else None,
        choice=result.choice,
        refusals=refusals,
        seats_left=seats_left,
    )


@dataclass(frozen=True)
class SeminarFigures:
    seminar: object
    capacity: int
    applicants: int
    matched: int

    @property
    def free(self) -> int:
        return self.capacity - self.matched

    @property
    def fill_percent(self) -> int:
        return round(100 * self.matched / self.capacity)


def seats_after(matching_round: Round) -> list[SeminarFigures]:
    return [
        SeminarFigures(entry.seminar, entry.capacity, entry.applicant_count, entry.matched_count)
        for entry in round_seminars_with_counts(matching_round)
    ]


@dataclass(frozen=True)
class Figures:
    applicants: int
    by_choice: list[tuple[int, int]]  # (choice, how many got it), 1st first
    unmatched: int
    seminars: list[SeminarFigures]

    @property
    def matched(self) -> int:
        return self.applicants - self.unmatched


def figures(matching_round: Round) -> Figures:
    """How many got their 1st, 2nd ... choice, how many no seat, and each seminar's fill and applicants.
    Two queries."""
    counts = dict(
        Result.objects.filter(round=matching_round)
        .order_by()
        .values("choice")
        .annotate(count=Count("pk"))
        .values_list("choice", "count")
    )
    unmatched = counts.pop(None, 0)
    return Figures(
        applicants=sum(counts.values()) + unmatched,
        by_choice=sorted(counts.items()),
        unmatched=unmatched,
        seminars=seats_after(matching_round),
    )
