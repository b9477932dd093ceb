"""What a person's calendar holds: for each seminar they belong to (not archived) the pre-course meeting
and the block seminar days; a student their own deadlines (with extensions, and relative ones from their
slot) and their talk; instructors and supervisors the seminar's deadlines and every talk."""

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from schedule.ical import day_event, talk_event
from schedule.selectors import (
    days_of,
    is_published,
    paper_changes_of_presenters,
    papers_of_presenters,
    slots_of,
)
from seminars.ical import CalendarEvent
from seminars.models import Membership, Seminar
from submissions.models import Extension
from submissions.selectors import deliverables_of, progress_of


def _premeeting(seminar: Seminar) -> list[CalendarEvent]:
    if seminar.premeeting_start is None:
        return []
    return [
        CalendarEvent(
            uid=f"premeeting-{seminar.pk}",
            start=seminar.premeeting_start,
            end=seminar.premeeting_end,
            summary=_("Pre-course meeting: %(title)s") % {"title": seminar.title},
            zone=seminar.time_zone,
            changed=seminar.updated_at,
            location=", ".join(
                part for part in (seminar.premeeting_location, seminar.premeeting_url) if part
            ),
            url=seminar.get_absolute_url(),
        )
    ]


def _student_deadlines(seminar: Seminar, user: User) -> list[CalendarEvent]:
    rows = progress_of(seminar, user)
    extension_changes = {
        row["deliverable_id"]: max(value for value in (row["granted"], row["revoked"]) if value)
        for row in Extension.objects.filter(deliverable__seminar=seminar, student=user)
        .values("deliverable_id")
        .annotate(granted=Max("granted_at"), revoked=Max("revoked_at"))
    }
    talk = slots_of(seminar).filter(presenter=user).first() if is_published(seminar) else None
    events = []
    for deliverable, deadline, _versions in rows:
        if deadline.due is None:
            continue
        changes = [deliverable.updated_at, extension_changes.get(deliverable.pk)]
        if deliverable.due_mode == deliverable.DueMode.BEFORE_TALK and talk is not None:
            changes.append(talk.updated_at)
        events.append(
            CalendarEvent(
                uid=f"deliverable-{deliverable.pk}-student-{user.pk}",
                start=deadline.due,
                end=None,
                summary=_("Due: %(deliverable)s (%(seminar)s)")
                % {"deliverable": deliverable.title, "seminar": seminar.title},
                zone=seminar.time_zone,
                changed=max(change for change in changes if change),
                url=reverse("submissions:deliverable", args=[seminar.slug, deliverable.pk]),
            )
        )
    return events


def _seminar_deadlines(seminar: Seminar) -> list[CalendarEvent]:
    return [
        CalendarEvent(
            uid=f"deliverable-{deliverable.pk}",
            start=deliverable.due_at,
            end=None,
            summary=_("Due: %(deliverable)s (%(seminar)s)")
            % {"deliverable": deliverable.title, "seminar": seminar.title},
            zone=seminar.time_zone,
            changed=deliverable.updated_at,
            url=reverse("submissions:overview", args=[seminar.slug, deliverable.pk]),
        )
        for deliverable in deliverables_of(seminar)
        if deliverable.due_at is not None
    ]


def _talks(seminar: Seminar, user: User, *, every_talk: bool) -> list[CalendarEvent]:
    if not is_published(seminar):
        return []
    slots = slots_of(seminar).filter(presenter__isnull=False)
    if not every_talk:
        slots = slots.filter(presenter=user)
    titles, changes = papers_of_presenters(seminar), paper_changes_of_presenters(seminar)
    return [
        talk_event(
            slot,
            seminar,
            titles.get(slot.presenter_id, ""),
            show_name=True,
            paper_changed=changes.get(slot.presenter_id),
        )
        for slot in slots
    ]


def events_for(user: User) -> list[CalendarEvent]:
    events = []
    memberships = (
        Membership.objects.filter(user=user)
        .exclude(seminar__state=Seminar.State.ARCHIVED)
        .select_related("seminar")
        .order_by("seminar__title")
    )
    for membership in memberships:
        seminar = membership.seminar
        events.extend(_premeeting(seminar))
        events.extend(day_event(day, seminar) for day in days_of(seminar))
        if membership.role == Membership.Role.STUDENT:
            events.extend(_student_deadlines(seminar, user))
            events.extend(_talks(seminar, user, every_talk=False))
        else:
            events.extend(_seminar_deadlines(seminar))
            events.extend(_talks(seminar, user, every_talk=True))
    return events
