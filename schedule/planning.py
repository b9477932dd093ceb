"""Planning a block seminar, pure: slots from days and talk lengths, conflicts, filling in topic order."""

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum


@dataclass(frozen=True)
class Day:
    key: int
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Timing:
    talk: timedelta
    gap: timedelta = timedelta(0)
    break_after: int = 0
    break_length: timedelta = timedelta(0)


def generate(days: list[Day], timing: Timing) -> list[tuple[int, datetime, datetime]]:
    """Back-to-back talks from each day's start, `gap` after each, a break after every `break_after` talks;
    only talks that end by the day's end."""
    slots = []
    for day in sorted(days, key=lambda day: day.start):
        # Elapsed time, not wall-clock time: a day across a DST change keeps real talk lengths.
        start, end, count = day.start.astimezone(UTC), day.end.astimezone(UTC), 0
        while start + timing.talk <= end:
            slots.append((day.key, start, start + timing.talk))
            count += 1
            start += timing.talk + timing.gap
            if timing.break_after and count % timing.break_after == 0:
                start += timing.break_length
    return slots


class ConflictKind(StrEnum):
    TWO_SLOTS = "two_slots"
    OVERLAP = "overlap"
    NO_SLOT = "no_slot"
    OUTSIDE_DAY = "outside_day"


@dataclass(frozen=True)
class SlotPlan:
    key: int
    day: int
    room: str
    start: datetime
    end: datetime
    presenter: int | None


@dataclass(frozen=True)
class Conflict:
    kind: ConflictKind
    slots: tuple[int, ...] = ()
    student: int | None = None


def conflicts(slots: list[SlotPlan], days: dict[int, Day], students: list[int]) -> list[Conflict]:
    """A student in two slots, two slots overlapping in one room, a student without a slot, a slot outside
    its day. Slots in different rooms may run at the same time."""
    found = []
    booked = Counter(slot.presenter for slot in slots if slot.presenter is not None)
    for student, count in sorted(booked.items()):
        if count > 1:
            keys = tuple(slot.key for slot in slots if slot.presenter == student)
            found.append(Conflict(ConflictKind.TWO_SLOTS, keys, student))
    ordered = sorted(slots, key=lambda slot: (slot.room.casefold(), slot.start, slot.key))
    for index, slot in enumerate(ordered):
        for later in ordered[index + 1 :]:
            if later.room.casefold() != slot.room.casefold() or later.start >= slot.end:
                break
            found.append(Conflict(ConflictKind.OVERLAP, (slot.key, later.key)))
    for student in students:
        if student not in booked:
            found.append(Conflict(ConflictKind.NO_SLOT, (), student))
    for slot in slots:
        day = days.get(slot.day)
        if day is None or slot.start < day.start or slot.end > day.end:
            found.append(Conflict(ConflictKind.OUTSIDE_DAY, (slot.key,)))
    return found


def fill(slots: list[SlotPlan], students_in_order: list[int]) -> dict[int, int]:
    """Puts the students who have no slot yet into the free slots, in the given order (topic order, then
    paper order) and in time order of the slots. Returns slot key -> student; what does not fit stays."""
    placed = {slot.presenter for slot in slots if slot.presenter is not None}
    waiting = [student for student in students_in_order if student not in placed]
    free = sorted((slot for slot in slots if slot.presenter is None), key=lambda slot: (slot.start, slot.key))
    return {slot.key: student for slot, student in zip(free, waiting, strict=False)}


@dataclass(frozen=True)
class AgendaEntry:
    """One line of a day's program: a talk (`talk` is its index in the day's talks) or a break between two."""

    start: datetime
    end: datetime
    talk: int | None = None

    @property
    def is_break(self) -> bool:
        return self.talk is None


def agenda(talks: list[tuple[datetime, datetime]], *, changeover: timedelta) -> list[AgendaEntry]:
    """A day's talks in order of their start, with a break wherever the time between the end of the talks so
    far and the next start is longer than the changeover after each talk (a planned break, an empty slot)."""
    order = sorted(range(len(talks)), key=lambda index: talks[index])
    entries: list[AgendaEntry] = []
    latest_end: datetime | None = None
    for index in order:
        start, end = talks[index]
        if latest_end is not None and start - latest_end > changeover:
            entries.append(AgendaEntry(latest_end, start))
        entries.append(AgendaEntry(start, end, index))
        latest_end = end if latest_end is None else max(latest_end, end)
    return entries
