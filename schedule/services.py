"""Every write of the block seminar schedule: timing, days, slots, filling, publishing, changes.

The seminar's row serialises them all (`_lock`): a change made while the schedule is being published is
either before it (and in the program the presenters are mailed) or after it (recorded and mailed as a
change), and two changes at once each see the other's result as their "before"."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.languages import in_reader_language
from core.mail import mail_send, portal_link
from core.outbox import enqueue_many_on_commit
from seminars.models import Seminar
from seminars.rules import student_memberships

from . import selectors
from .discussants import Talk
from .discussants import assign as assign_discussants
from .exceptions import (
    AllotmentNotPublishedError,
    ConflictsError,
    DayHasPresentersError,
    ScheduleError,
    SlotsTakenError,
)
from .models import BlockDay, BlockSeminar, ScheduleChange, Slot
from .planning import Day, fill, generate
from .tasks import task_talk_notify

UNCHANGED = object()  # slot_save: a discussant not given stays as it is


def _lock(seminar) -> None:
    Seminar.objects.select_for_update().filter(
        pk=seminar.pk if isinstance(seminar, Seminar) else seminar
    ).first()


@transaction.atomic
def block_seminar_set(
    *,
    seminar: Seminar,
    talk_minutes: int,
    gap_minutes: int,
    break_after: int,
    break_minutes: int,
    discussants_per_talk: int = 1,
) -> BlockSeminar:
    _lock(seminar)
    block, _created = BlockSeminar.objects.update_or_create(
        seminar=seminar,
        defaults={
            "talk_minutes": talk_minutes,
            "gap_minutes": gap_minutes,
            "break_after": break_after,
            "break_minutes": break_minutes,
            "discussants_per_talk": discussants_per_talk,
        },
    )
    return block


@transaction.atomic
def block_day_save(*, seminar: Seminar, day: BlockDay) -> BlockDay:
    _lock(seminar)
    day.seminar = seminar
    day.save()
    return day


@transaction.atomic
def block_day_delete(*, day: BlockDay) -> None:
    """Removes a day and its slots; refused while a slot of the day has a presenter."""
    _lock(day.seminar_id)
    if day.slots.filter(presenter__isnull=False).exists():
        raise DayHasPresentersError
    day.delete()


@transaction.atomic
def slots_generate(*, seminar: Seminar) -> list[Slot]:
    """Lays out the talks on every day from the timing (replacing all slots). Refused while any slot has a
    presenter, so that no assignment is lost."""
    _lock(seminar)
    if Slot.objects.filter(seminar=seminar, presenter__isnull=False).exists():
        raise SlotsTakenError
    block = selectors.block_of(seminar)
    days = {day.pk: day for day in selectors.days_of(seminar)}
    Slot.objects.filter(seminar=seminar).delete()
    planned = generate([Day(day.pk, day.starts_at, day.ends_at) for day in days.values()], block.timing)
    return Slot.objects.bulk_create(
        Slot(seminar=seminar, day_id=key, starts_at=start, ends_at=end, room=days[key].room)
        for key, start, end in planned
    )


def _starts(seminar: Seminar) -> dict[int, datetime]:
    starts: dict[int, datetime] = {}
    for presenter_id, starts_at in (
        Slot.objects.filter(seminar=seminar, presenter__isnull=False)
        .order_by("starts_at")
        .values_list("presenter_id", "starts_at")
    ):
        starts.setdefault(presenter_id, starts_at)
    return starts


def _record_changes(
    *, seminar: Seminar, before: dict[int, datetime], changed_by: User, now: datetime
) -> list[ScheduleChange]:
    """After a change to a published schedule: one record and one mail per student whose talk moved,
    was given or was taken."""
    if not selectors.is_published(seminar):
        return []
    after = _starts(seminar)
    changes = ScheduleChange.objects.bulk_create(
        ScheduleChange(
            seminar=seminar,
            student_id=student_id,
            old_starts_at=before.get(student_id),
            new_starts_at=after.get(student_id),
            changed_by=changed_by,
            changed_at=now,
        )
        for student_id in sorted(set(before) | set(after))
        if before.get(student_id) != after.get(student_id)
    )
    enqueue_many_on_commit(
        task_talk_notify,
        [
            {"seminar_id": seminar.pk, "student_id": change.student_id, "change_id": change.pk}
            for change in changes
        ],
    )
    return changes


@transaction.atomic
def slot_save(
    *,
    seminar: Seminar,
    slot: Slot,
    starts_at: datetime,
    ends_at: datetime,
    day: BlockDay,
    room: str,
    presenter: User | None,
    changed_by: User,
    now: datetime,
    discussant: User | None | object = UNCHANGED,
    second_discussant: User | None | object = UNCHANGED,
) -> Slot:
    """Creates or changes one slot, its presenter and discussants (never the presenter, never one person
    twice; not given: unchanged). After publishing, each student whose talk this moves, gives or takes is
    told, and the change is recorded."""
    if discussant is UNCHANGED:
        discussant = slot.discussant if slot.pk else None
    if second_discussant is UNCHANGED:
        second_discussant = slot.second_discussant if slot.pk else None
    if presenter is not None and presenter in (discussant, second_discussant):
        raise ScheduleError(_("The presenter does not discuss their own talk."))
    if second_discussant is not None and second_discussant == discussant:
        raise ScheduleError(_("Choose two different discussants, or one."))
    if ends_at <= starts_at:
        raise ScheduleError(_("A talk must end after it starts."))
    _lock(seminar)
    before = _starts(seminar)
    slot.seminar, slot.day, slot.starts_at, slot.ends_at = seminar, day, starts_at, ends_at
    slot.room, slot.presenter = room, presenter
    slot.discussant, slot.second_discussant = discussant, second_discussant
    slot.save()
    _record_changes(seminar=seminar, before=before, changed_by=changed_by, now=now)
    return slot


@transaction.atomic
def slot_delete(*, seminar: Seminar, slot: Slot, changed_by: User, now: datetime) -> None:
    _lock(seminar)
    before = _starts(seminar)
    slot.delete()
    _record_changes(seminar=seminar, before=before, changed_by=changed_by, now=now)


@transaction.atomic
def slots_fill(*, seminar: Seminar, changed_by: User, now: datetime) -> int:
    """Puts every student without a slot into the free slots: in the seminar's topic order, then paper
    order. Returns how many were placed. Once the schedule is published, an allotment that is not (yet)
    published does not decide the order: the program would show its topics' grouping."""
    _lock(seminar)
    before = _starts(seminar)
    slots = list(selectors.slots_of(seminar).select_for_update(of=("self",)))
    by_topic = not selectors.is_published(seminar) or not selectors.allotment_unpublished(seminar)
    order = selectors.students_in_topic_order(seminar) if by_topic else selectors.students_by_name(seminar)
    placement = fill([selectors.plan_of(slot) for slot in slots], order)
    for slot in slots:
        if slot.pk in placement:
            slot.presenter_id = placement[slot.pk]
            slot.save(update_fields=["presenter", "updated_at"])
    _record_changes(seminar=seminar, before=before, changed_by=changed_by, now=now)
    return len(placement)


@transaction.atomic
def schedule_publish(*, seminar: Seminar, published_by: User, now: datetime) -> BlockSeminar:
    """Publishes the schedule and tells each presenter their slot. Refused while the schedule has
    conflicts, and while the seminar has an allotment that is not published: the order of the talks
    follows the papers' topics, so a published program would tell who presents what before the students
    are told (the program shows no titles until the allotment is published in any case). Publishing twice
    changes nothing. The seminar row is the lock, as in the other publishing services: two instructors
    publishing at the same moment mail every presenter once."""
    _lock(seminar)
    block = selectors.block_of(seminar)
    if block.published_at is not None:
        return block
    if selectors.allotment_unpublished(seminar):
        raise AllotmentNotPublishedError
    if selectors.conflicts_of(seminar):
        raise ConflictsError
    block.published_at, block.published_by = now, published_by
    block.save()
    discussants_assign(seminar=seminar, block=block, seed=int(now.timestamp()))
    presenters = sorted(_starts(seminar))
    enqueue_many_on_commit(
        task_talk_notify, [{"seminar_id": seminar.pk, "student_id": student_id} for student_id in presenters]
    )
    return block


def discussants_assign(*, seminar: Seminar, block: BlockSeminar, seed: int) -> int:
    """Gives each talk without discussants its discussants (schedule.discussants: never the presenter, the
    work spread evenly, not a neighbouring presenter if avoidable, the same topic preferred; `seed` makes
    it reproducible), `block.discussants_per_talk` of them. Talks that have a discussant (set by hand
    before publishing) keep theirs. Called by schedule_publish inside its transaction (the
    seminar row locked). Returns how many talks got discussants."""
    per_talk = block.discussants_per_talk
    slots = list(selectors.slots_of(seminar).filter(presenter__isnull=False).select_for_update(of=("self",)))
    if per_talk < 1 or not slots:
        return 0
    students = list(student_memberships(seminar).values_list("user_id", flat=True))
    topics = selectors.topics_of_students(seminar)
    talks = [
        Talk(slot.pk, slot.presenter_id, slot.day_id, slot.starts_at, topics.get(slot.presenter_id))
        for slot in slots
    ]
    open_slots = {
        slot.pk for slot in slots if slot.discussant_id is None and slot.second_discussant_id is None
    }
    chosen = assign_discussants(
        talks=[talk for talk in talks if talk.slot in open_slots],
        students=students,
        per_talk=per_talk,
        seed=seed,
        topics=topics,
    )
    count = 0
    for slot in slots:
        found = chosen.get(slot.pk) or []
        if found:
            slot.discussant_id = found[0]
            slot.second_discussant_id = found[1] if len(found) > 1 else None
            slot.save(update_fields=["discussant", "second_discussant", "updated_at"])
            count += 1
    return count


def talk_notify(*, seminar: Seminar, student: User, change: ScheduleChange | None) -> None:
    """Mails a student their slot (on publishing) or what changed, in their own language."""
    slot = (
        Slot.objects.filter(seminar=seminar, presenter=student)
        .select_related("day")
        .order_by("starts_at")
        .first()
    )
    mail_send(
        to=student,
        subject=gettext_lazy("Your talk in %(seminar)s has changed")
        if change
        else gettext_lazy("Your talk in %(seminar)s"),
        subject_params={"seminar": in_reader_language(seminar, "title")},
        template="schedule/email/talk",
        context={
            "seminar": seminar,
            "student": student,
            "slot": slot,
            "change": change,
            "title": selectors.papers_of_presenters(seminar).get(student.pk, ""),
            "url": portal_link("schedule:program", seminar.slug),
        },
        zone=seminar.time_zone,
    )
