"""Reads of papers, preferences and allotments; each returns only what the asking user may see."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from seminars.models import Membership, Seminar, Topic
from seminars.rules import student_memberships

from .models import Allotment, AllotmentChange, AllotmentPublication, Paper, Preference, PreferenceWindow


def papers_of_seminar(seminar: Seminar, *, topic_id: int | None = None, query: str = "") -> QuerySet[Paper]:
    papers = Paper.objects.filter(seminar=seminar).select_related("topic", "supervisor")
    if topic_id:
        papers = papers.filter(topic_id=topic_id)
    for word in query.split():
        papers = papers.filter(Q(title__icontains=word) | Q(authors__icontains=word))
    return papers.annotate(allotted=Count("allotments")).order_by("topic__order", "topic__title", "title")


def topics_with_papers(seminar: Seminar, papers: QuerySet[Paper]) -> list[tuple[Topic | None, list[Paper]]]:
    """Papers grouped by topic in the seminar's topic order; papers without a topic come last."""
    groups: dict[int | None, list[Paper]] = {}
    for paper in papers:
        groups.setdefault(paper.topic_id, []).append(paper)
    ordered = [(topic, groups[topic.pk]) for topic in seminar.topics.all() if topic.pk in groups]
    if None in groups:
        ordered.append((None, groups[None]))
    return ordered


def preference_window(seminar: Seminar) -> PreferenceWindow | None:
    return PreferenceWindow.objects.filter(seminar=seminar).first()


def ranking_of(seminar: Seminar, student) -> list[Paper]:
    """The student's own ranking, best first. Only ever called with the asking user as `student`."""
    preferences = (
        Preference.objects.filter(seminar=seminar, student=student)
        .select_related("paper__topic")
        .order_by("rank")
    )
    return [preference.paper for preference in preferences]


def catalogue_is_public(slug: str) -> bool:
    """The seminar at this address shows its papers to visitors (public setting, no draft)."""
    return Seminar.objects.filter(slug=slug, papers_public=True).exclude(state=Seminar.State.DRAFT).exists()


def is_published(seminar: Seminar) -> bool:
    return AllotmentPublication.objects.filter(seminar=seminar).exists()


def published_allotment_for(seminar: Seminar, student) -> Allotment | None:
    """A student's paper, and only once the allotment is published."""
    if not is_published(seminar):
        return None
    return (
        Allotment.objects.filter(seminar=seminar, student=student)
        .select_related("paper__supervisor", "paper__topic")
        .first()
    )


@dataclass(frozen=True)
class AllotmentRow:
    membership: Membership
    allotment: Allotment | None
    rank: int | None  # the allotted paper's place in the student's ranking; None if unranked
    ranked_count: int


def allotment_table(seminar: Seminar) -> list[AllotmentRow]:
    """Every student of the seminar with their paper (for instructors), in a fixed number of queries."""
    students = student_memberships(seminar)
    allotments = {
        allotment.student_id: allotment
        for allotment in Allotment.objects.filter(seminar=seminar).select_related(
            "paper__supervisor", "paper__topic"
        )
    }
    ranks: dict[tuple[int, int], int] = {}
    ranked_counts: dict[int, int] = {}
    for student_id, paper_id, rank in Preference.objects.filter(seminar=seminar).values_list(
        "student_id", "paper_id", "rank"
    ):
        ranks[(student_id, paper_id)] = rank
        ranked_counts[student_id] = ranked_counts.get(student_id, 0) + 1
    rows = []
    for membership in students:
        allotment = allotments.get(membership.user_id)
        rank = ranks.get((membership.user_id, allotment.paper_id)) if allotment else None
        rows.append(AllotmentRow(membership, allotment, rank, ranked_counts.get(membership.user_id, 0)))
    return rows


def allotment_changes(seminar: Seminar) -> QuerySet[AllotmentChange]:
    return AllotmentChange.objects.filter(seminar=seminar).select_related(
        "student", "old_paper", "new_paper", "changed_by"
    )


@dataclass(frozen=True)
class PublicationCheck:
    """What publishing the allotment does and what looks wrong before it: the students it mails, those
    left without a paper, those whose paper has no supervisor (their mail names none, no supervisor sees
    them), and whether students can still change their rankings."""

    allotted: list[AllotmentRow]
    without_paper: list[AllotmentRow]
    without_supervisor: list[AllotmentRow]
    window_open: bool


def publication_check(seminar: Seminar, *, now) -> PublicationCheck:
    rows = allotment_table(seminar)
    window = preference_window(seminar)
    return PublicationCheck(
        allotted=[row for row in rows if row.allotment],
        without_paper=[row for row in rows if row.allotment is None],
        without_supervisor=[
            row for row in rows if row.allotment and row.allotment.paper.supervisor_id is None
        ],
        window_open=window is not None and window.is_open(now),
    )
