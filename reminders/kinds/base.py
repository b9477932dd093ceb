"""What every kind of reminder shares: the candidate the scan claims, the obligation both the scan and the
send task judge, the timing, and the base classes whose `candidates` (bulk) and `check` (one row) are both
built on the kind's one `obligations` method."""

import enum
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import ClassVar

from django.db.models import QuerySet
from django.utils.functional import Promise

from seminars.models import Seminar

from ..models import Reminder
from ..schedule import DEFAULT_OFFSETS, MAX_OFFSET, fire_at, is_due, is_stale

# Extensions can carry a deadline far past the deliverable's; those granted within this are reminded.
EXTENSION_HORIZON = timedelta(days=120)
SUMMARY_WINDOW = timedelta(days=2)
# The longest offset, and a day more: a day offset across a change of the clocks is an hour longer.
LOOKAHEAD = timedelta(minutes=MAX_OFFSET) + timedelta(days=1)


@dataclass(frozen=True)
class Candidate:
    """A reminder due at the scan's `now`, to be claimed by inserting its Reminder row."""

    seminar_id: int
    user_id: int
    kind: str
    object_id: int
    offset_minutes: int
    title: str
    due_at: datetime
    fire_at: datetime


@dataclass(frozen=True)
class Obligation:
    """What one person owes (or, for staff, is told about) one object: a deliverable, a window, a slot."""

    seminar: Seminar
    user_id: int
    item: object  # the row a Reminder's object_id names
    # Lazy (core.languages.in_reader_language): stored in the portal's language, mailed in the reader's.
    title: str
    due: datetime | None  # what the reminders count back from; None while not set (no talk yet)
    offsets: tuple[int, ...]
    not_before: datetime | None = None  # no reminder before this (a ranking window that is not open yet)


class Timing(enum.Enum):
    DUE = "due"
    NOT_YET = "not_yet"
    PAST = "past"


class Verdict(enum.Enum):
    OWED = "owed"  # send it now
    NOT_YET = "not_yet"  # its time moved later: release the row, to be claimed again then
    NOT_OWED = "not_owed"  # met, gone, switched off or past: skip it


@dataclass(frozen=True)
class Check:
    verdict: Verdict
    context: Mapping = field(default_factory=dict)  # the mail's, when owed


def offsets_of(seminar: Seminar) -> tuple[int, ...]:
    """The seminar's offsets; `objects()` loads its settings with it (select_related)."""
    own = getattr(seminar, "reminder_settings", None)
    return tuple(own.offsets if own is not None else DEFAULT_OFFSETS)


def summary_wanted(seminar: Seminar) -> bool:
    own = getattr(seminar, "reminder_settings", None)
    return own is None or own.instructor_summary


class ReminderKind:
    """One kind of reminder. Subclasses set the class attributes and implement `objects`, `around`,
    `obligations`, `fire_at`, `timing` and `link`; `candidates` and `check` are built on them."""

    key: ClassVar[str]  # Reminder.kind
    label: ClassVar[Promise]
    subject: ClassVar[Promise]  # filled with %(title)s, the row's title
    template: ClassVar[str]  # mail templates: template.txt and template.html

    def objects(self) -> QuerySet:
        """The objects reminders are about, with the state that holds for both the scan and the send task
        (not archived, published): the send task looks its row's object up in this queryset."""
        raise NotImplementedError

    def around(self, objects: QuerySet, now: datetime) -> QuerySet:
        """For the scan: those of `objects` whose reminders may be due at `now`. At least every object
        that `timing` calls due at `now`; the rest the timing drops."""
        raise NotImplementedError

    def obligations(self, items: list, now: datetime, user_id: int | None = None) -> Iterator[Obligation]:
        """Who owes what about `items` (a non-empty list), in a fixed number of queries; only `user_id`'s
        when given (the send task)."""
        raise NotImplementedError

    def fire_at(self, obligation: Obligation, offset: int) -> datetime:
        raise NotImplementedError

    def timing(self, obligation: Obligation, offset: int, now: datetime) -> Timing:
        raise NotImplementedError

    def link(self, obligation: Obligation) -> str:
        """The absolute address of the page where the recipient acts."""
        raise NotImplementedError

    def title_of(self, item) -> str | None:
        """What a reminder about `item` (one of `objects()`) is about, in the language active when it is
        read (core.languages.in_reader_language); None: the kind does not say, the row's stored title
        serves."""
        return None

    def titles(self, object_ids: Collection[int]) -> dict[int, str]:
        """`title_of` for the reminder lists: object id -> its title in the reader's language, in one query;
        objects no longer among `objects()` (an archived seminar) are left out."""
        if type(self).title_of is ReminderKind.title_of:
            return {}
        return {item.pk: str(self.title_of(item)) for item in self.objects().filter(pk__in=object_ids)}

    def context(self, obligation: Obligation, user) -> dict:
        """What the mail shows beyond due, now and url."""
        return {}

    def candidates(self, now: datetime) -> Iterator[Candidate]:
        items = list(self.around(self.objects(), now))
        if not items:
            return
        for obligation in self.obligations(items, now):
            for offset in obligation.offsets:
                if self.timing(obligation, offset, now) is Timing.DUE:
                    yield Candidate(
                        seminar_id=obligation.seminar.pk,
                        user_id=obligation.user_id,
                        kind=self.key,
                        object_id=obligation.item.pk,
                        offset_minutes=offset,
                        title=obligation.title,
                        due_at=obligation.due,
                        fire_at=self.fire_at(obligation, offset),
                    )

    def check(self, reminder: Reminder, now: datetime) -> Check:
        """Is this claimed reminder still owed at `now`, and what goes in its mail."""
        items = list(self.objects().filter(pk=reminder.object_id, seminar_id=reminder.seminar_id))
        if not items:
            return Check(Verdict.NOT_OWED)
        obligation = next(
            (
                obligation
                for obligation in self.obligations(items, now, user_id=reminder.user_id)
                if obligation.user_id == reminder.user_id
            ),
            None,
        )
        if obligation is None or reminder.offset_minutes not in obligation.offsets:
            return Check(Verdict.NOT_OWED)
        timing = self.timing(obligation, reminder.offset_minutes, now)
        if timing is Timing.PAST:
            return Check(Verdict.NOT_OWED)
        if timing is Timing.NOT_YET:
            return Check(Verdict.NOT_YET)
        return Check(
            Verdict.OWED,
            {
                "due": obligation.due,
                "now": now,
                "url": self.link(obligation),
                "subject_title": obligation.title,
                **self.context(obligation, reminder.user),
            },
        )


class OffsetKind(ReminderKind):
    """Reminded at each of the seminar's offsets before the due time (schedule.is_due), from
    `not_before` on."""

    def fire_at(self, obligation: Obligation, offset: int) -> datetime:
        return fire_at(obligation.due, offset, obligation.seminar.zone)

    def timing(self, obligation: Obligation, offset: int, now: datetime) -> Timing:
        due, zone = obligation.due, obligation.seminar.zone
        if due is None:
            return Timing.NOT_YET
        if is_stale(now, due, offset, zone):
            return Timing.PAST
        if not is_due(now, due, offset, zone) or (obligation.not_before and now < obligation.not_before):
            return Timing.NOT_YET
        return Timing.DUE
