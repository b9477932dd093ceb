"""Reads of the block seminar: the program (names only for members), talks for due times and calendars."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet

from papers.models import Allotment, AllotmentPublication
from seminars.models import Membership, Seminar
from seminars.rules import student_memberships

from .models import BlockDay, BlockSeminar, Slot
from .planning import AgendaEntry, Conflict, Day, SlotPlan, agenda, conflicts


def block_of(seminar: Seminar) -> BlockSeminar:
    return BlockSeminar.objects.filter(seminar=seminar).first() or BlockSeminar(seminar=seminar)


def is_published(seminar: Seminar) -> bool:
    return BlockSeminar.objects.filter(seminar=seminar, published_at__isnull=False).exists()


def days_of(seminar: Seminar) -> QuerySet[BlockDay]:
    return BlockDay.objects.filter(seminar=seminar).order_by("starts_at")


def slots_of(seminar: Seminar) -> QuerySet[Slot]:
    return (
        Slot.objects.filter(seminar=seminar)
        .select_related("presenter", "day", "discussant", "second_discussant")
        .order_by("starts_at", "room", "pk")
    )


def talk_starts(seminar_ids, student_ids=None) -> dict[tuple[int, int], datetime]:
    """(seminar, student) -> the start of the student's talk, from published schedules only: until the
    schedule is published, due times relative to the talk are not set."""
    slots = Slot.objects.filter(
        seminar_id__in=seminar_ids,
        presenter__isnull=False,
        seminar__block_seminar__published_at__isnull=False,
    )
    if student_ids is not None:
        slots = slots.filter(presenter_id__in=student_ids)
    starts: dict[tuple[int, int], datetime] = {}
    for seminar_id, presenter_id, starts_at in slots.order_by("starts_at").values_list(
        "seminar_id", "presenter_id", "starts_at"
    ):
        starts.setdefault((seminar_id, presenter_id), starts_at)
    return starts


def talk_start_of(seminar: Seminar, student) -> datetime | None:
    return talk_starts([seminar.pk], [student.pk]).get((seminar.pk, student.pk))


def allotment_unpublished(seminar: Seminar) -> bool:
    """The seminar has an allotment (run or made by hand) that its students have not been shown yet."""
    return (
        Allotment.objects.filter(seminar=seminar).exists()
        and not AllotmentPublication.objects.filter(seminar=seminar).exists()
    )


def allotted_titles(seminar: Seminar) -> dict[int, str]:
    """student -> the title of their allotted paper, published or not: for the seminar's staff only (the
    schedule manage page)."""
    return dict(Allotment.objects.filter(seminar=seminar).values_list("student_id", "paper__title"))


def papers_of_presenters(seminar: Seminar) -> dict[int, str]:
    """student -> paper title for the program, its calendars and the talk mails: empty until the allotment
    is published, because these reach students and visitors (nothing derived from an unpublished
    allotment leaves the staff pages)."""
    if not AllotmentPublication.objects.filter(seminar=seminar).exists():
        return {}
    return allotted_titles(seminar)


def paper_changes_of_presenters(seminar: Seminar) -> dict[int, datetime]:
    """When each presenter's paper, as the program shows it, last changed (a talk's calendar entry shows
    the title): the later of the allotment's change and the allotment's publication; empty until then."""
    publication = AllotmentPublication.objects.filter(seminar=seminar).first()
    if publication is None:
        return {}
    return {
        student_id: max(updated_at, publication.published_at)
        for student_id, updated_at in Allotment.objects.filter(seminar=seminar).values_list(
            "student_id", "updated_at"
        )
    }


@dataclass(frozen=True)
class ProgramDay:
    day: BlockDay
    slots: list[tuple[Slot, str]]
    changeover: timedelta = timedelta(0)

    @property
    def talks(self) -> list[tuple[Slot, str]]:
        """The slots someone presents in (the program shows no empty slot)."""
        return [(slot, title) for slot, title in self.slots if slot.presenter_id is not None]

    @property
    def span(self) -> tuple[datetime, datetime] | None:
        """The day's real span: from the first talk's start to the last talk's end."""
        talks = self.talks
        if not talks:
            return None
        return min(slot.starts_at for slot, _ in talks), max(slot.ends_at for slot, _ in talks)

    @property
    def agenda(self) -> list[tuple[AgendaEntry, Slot | None, str]]:
        """The talks in order with the breaks between them: (entry, slot, title); a break has no slot."""
        talks = self.talks
        entries = agenda([(slot.starts_at, slot.ends_at) for slot, _ in talks], changeover=self.changeover)
        return [(entry, *(talks[entry.talk] if entry.talk is not None else (None, ""))) for entry in entries]


def topics_of_students(seminar: Seminar) -> dict[int, int | None]:
    """student id -> the topic of their allotted paper (published or not: for the staff's planning)."""
    return dict(Allotment.objects.filter(seminar=seminar).values_list("student_id", "paper__topic_id"))


def program(seminar: Seminar) -> list[ProgramDay]:
    """Day by day: each slot with its paper's title. Callers decide whether to show presenter names."""
    titles = papers_of_presenters(seminar)
    changeover = timedelta(minutes=block_of(seminar).gap_minutes)
    by_day: dict[int, list[tuple[Slot, str]]] = {}
    for slot in slots_of(seminar):
        by_day.setdefault(slot.day_id, []).append((slot, titles.get(slot.presenter_id, "")))
    return [ProgramDay(day, by_day.get(day.pk, []), changeover) for day in days_of(seminar)]


def students_by_name(seminar: Seminar) -> list[int]:
    return [membership.user_id for membership in student_memberships(seminar)]


def students_in_topic_order(seminar: Seminar) -> list[int]:
    """Students by the topic of their paper (the seminar's topic order), then paper order, then name;
    students without a paper last."""
    allotments = {
        allotment.student_id: allotment
        for allotment in Allotment.objects.filter(seminar=seminar).select_related("paper__topic")
    }
    students = list(student_memberships(seminar))

    def key(membership: Membership):
        allotment = allotments.get(membership.user_id)
        if allotment is None:
            return (2, 0, "", membership.user.full_name.casefold())
        topic = allotment.paper.topic
        return (
            0 if topic else 1,
            topic.order if topic else 0,
            allotment.paper.title.casefold(),
            membership.user.full_name.casefold(),
        )

    return [membership.user_id for membership in sorted(students, key=key)]


def plan_of(slot: Slot) -> SlotPlan:
    return SlotPlan(slot.pk, slot.day_id, slot.room, slot.starts_at, slot.ends_at, slot.presenter_id)


def conflicts_of(seminar: Seminar, slots: list[Slot] | None = None) -> list[Conflict]:
    slots = list(slots_of(seminar)) if slots is None else slots
    days = {day.pk: Day(day.pk, day.starts_at, day.ends_at) for day in days_of(seminar)}
    students = list(student_memberships(seminar).values_list("user_id", flat=True))
    return conflicts([plan_of(slot) for slot in slots], days, students)
