"""What is owed now: read from the other apps in a fixed number of queries, however many students.

Each obligation yields one candidate per (user, offset) whose reminder is due at `now` (schedule.is_due).
- deliverable: a student of the seminar with no upload yet, by their own due time (extensions included);
- ranking: a student who has not ranked papers, before the preference window closes;
- summary: each instructor, once, after a deliverable's fixed deadline (due + grace), for two days;
- talk: each presenter, the day before their talk in the published schedule.
Due times relative to a talk count from the student's slot in the published schedule.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q

from papers.models import Preference, PreferenceWindow
from schedule.models import Slot
from schedule.selectors import talk_starts
from seminars.models import Membership, Seminar
from submissions.models import Deliverable, Extension, Submission
from submissions.selectors import deadline_of

from .models import Reminder, ReminderSettings
from .schedule import DAY, DEFAULT_OFFSETS, MAX_OFFSET, fire_at, is_due

# Extensions can carry a deadline far past the deliverable's; those granted within this are reminded.
EXTENSION_HORIZON = timedelta(days=120)
SUMMARY_WINDOW = timedelta(days=2)


@dataclass(frozen=True)
class Candidate:
    seminar_id: int
    user_id: int
    kind: str
    object_id: int
    offset_minutes: int
    title: str
    due_at: datetime
    fire_at: datetime


def offsets_of(seminar_ids) -> dict[int, list[int]]:
    own = dict(
        ReminderSettings.objects.filter(seminar_id__in=seminar_ids).values_list("seminar_id", "offsets")
    )
    return {seminar_id: own.get(seminar_id, DEFAULT_OFFSETS) for seminar_id in seminar_ids}


def summaries_off(seminar_ids) -> set[int]:
    return set(
        ReminderSettings.objects.filter(seminar_id__in=seminar_ids, instructor_summary=False).values_list(
            "seminar_id", flat=True
        )
    )


def _due_offsets(now, due, offsets, zone):
    for offset in offsets:
        if is_due(now, due, offset, zone):
            yield offset, fire_at(due, offset, zone)


def candidates(now: datetime) -> list[Candidate]:
    lookahead = timedelta(minutes=MAX_OFFSET)
    fixed = Q(
        due_mode=Deliverable.DueMode.FIXED, due_at__gt=now - EXTENSION_HORIZON, due_at__lte=now + lookahead
    )
    # Relative to talks: of seminars whose published talks are not long past.
    relative = Q(
        due_mode=Deliverable.DueMode.BEFORE_TALK,
        seminar__in=Slot.objects.filter(
            starts_at__gt=now - EXTENSION_HORIZON, seminar__block_seminar__published_at__isnull=False
        ).values("seminar_id"),
    )
    deliverables = list(
        Deliverable.objects.filter(fixed | relative)
        .exclude(seminar__state=Seminar.State.ARCHIVED)
        .select_related("seminar")
    )
    talks = list(
        Slot.objects.filter(
            presenter__isnull=False,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(days=2),
            seminar__block_seminar__published_at__isnull=False,
        )
        .exclude(seminar__state=Seminar.State.ARCHIVED)
        .select_related("seminar")
    )
    windows = list(
        PreferenceWindow.objects.filter(closes_at__gt=now, closes_at__lte=now + lookahead)
        .exclude(seminar__state=Seminar.State.ARCHIVED)
        .select_related("seminar")
    )
    seminar_ids = {item.seminar_id for item in deliverables} | {window.seminar_id for window in windows}
    found: list[Candidate] = [
        Candidate(
            slot.seminar_id,
            slot.presenter_id,
            Reminder.Kind.TALK,
            slot.pk,
            DAY,
            slot.seminar.title,
            slot.starts_at,
            fire_at(slot.starts_at, DAY, ZoneInfo(slot.seminar.time_zone)),
        )
        for slot in talks
        if is_due(now, slot.starts_at, DAY, ZoneInfo(slot.seminar.time_zone))
    ]
    if not seminar_ids:
        return found
    relative_seminars = {
        item.seminar_id for item in deliverables if item.due_mode == Deliverable.DueMode.BEFORE_TALK
    }
    starts = talk_starts(relative_seminars) if relative_seminars else {}
    offsets = offsets_of(seminar_ids)
    no_summary = summaries_off(seminar_ids)
    extensions = {
        (extension.deliverable_id, extension.student_id): extension
        for extension in Extension.objects.filter(deliverable__in=deliverables, revoked_at__isnull=True)
    }
    members: dict[int, dict[str, list[int]]] = {}
    for seminar_id, user_id, role in (
        Membership.objects.current()
        .filter(seminar_id__in=seminar_ids, role__in=[Membership.Role.STUDENT, Membership.Role.INSTRUCTOR])
        .values_list("seminar_id", "user_id", "role")
    ):
        members.setdefault(seminar_id, {}).setdefault(role, []).append(user_id)
    submitted = set(
        Submission.objects.filter(deliverable__in=deliverables)
        .values_list("deliverable_id", "student_id")
        .distinct()
    )
    ranked = set(
        Preference.objects.filter(seminar_id__in=[window.seminar_id for window in windows])
        .values_list("seminar_id", "student_id")
        .distinct()
    )

    for deliverable in deliverables:
        zone = ZoneInfo(deliverable.seminar.time_zone)
        seminar_members = members.get(deliverable.seminar_id, {})
        for student_id in seminar_members.get(Membership.Role.STUDENT, []):
            if (deliverable.pk, student_id) in submitted:
                continue
            talk = starts.get((deliverable.seminar_id, student_id))
            due = deadline_of(deliverable, extensions.get((deliverable.pk, student_id)), talk).due
            if due is None:
                continue
            for offset, fire in _due_offsets(now, due, offsets[deliverable.seminar_id], zone):
                found.append(
                    Candidate(
                        deliverable.seminar_id,
                        student_id,
                        Reminder.Kind.DELIVERABLE,
                        deliverable.pk,
                        offset,
                        deliverable.title,
                        due,
                        fire,
                    )
                )
        if deliverable.due_at is None:
            continue
        closes = deliverable.due_at + deliverable.rule.grace
        if deliverable.seminar_id not in no_summary and closes <= now < closes + SUMMARY_WINDOW:
            for instructor_id in seminar_members.get(Membership.Role.INSTRUCTOR, []):
                found.append(
                    Candidate(
                        deliverable.seminar_id,
                        instructor_id,
                        Reminder.Kind.SUMMARY,
                        deliverable.pk,
                        0,
                        deliverable.title,
                        deliverable.due_at,
                        closes,
                    )
                )
    for window in windows:
        zone = ZoneInfo(window.seminar.time_zone)
        for student_id in members.get(window.seminar_id, {}).get(Membership.Role.STUDENT, []):
            if (window.seminar_id, student_id) in ranked or window.opens_at > now:
                continue
            for offset, fire in _due_offsets(now, window.closes_at, offsets[window.seminar_id], zone):
                found.append(
                    Candidate(
                        window.seminar_id,
                        student_id,
                        Reminder.Kind.RANKING,
                        window.pk,
                        offset,
                        window.seminar.title,
                        window.closes_at,
                        fire,
                    )
                )
    return found
