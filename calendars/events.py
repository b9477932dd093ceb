"""What a person's calendar holds: for each seminar they belong to (not archived) the pre-course meeting
and the block seminar days; a student their own deadlines (with extensions, and relative ones from their
slot), their talk, the talks they discuss and the due time of the peer reviews they write; instructors
and supervisors the seminar's deadlines, each visible student's own due time of the deliverables due "N
days before the talk", and every talk."""

from datetime import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from core.ical import CalendarEvent
from reviews.rules import reviews_written_by
from schedule.ical import day_event, talk_event
from schedule.models import Slot
from schedule.selectors import (
    days_of,
    is_published,
    paper_changes_of_presenters,
    papers_of_presenters,
    slots_of,
    talk_starts,
)
from seminars.models import Membership, Seminar
from seminars.rules import is_teacher_of, remember_roles
from submissions.models import Deliverable, Extension
from submissions.rules import visible_students
from submissions.selectors import deadline_of, deliverables_of


def _premeeting(seminar: Seminar) -> list[CalendarEvent]:
    if seminar.premeeting_start is None:
        return []
    return [
        CalendarEvent(
            uid=f"premeeting-{seminar.pk}",
            start=seminar.premeeting_start,
            end=seminar.premeeting_end,
            summary=_("Pre-course meeting: %(title)s") % {"title": seminar.display_title},
            zone=seminar.time_zone,
            changed=seminar.updated_at,
            location=", ".join(
                part for part in (seminar.premeeting_location, seminar.premeeting_url) if part
            ),
            url=seminar.get_absolute_url(),
        )
    ]


def _talk_changes(seminar: Seminar, student_ids: list[int]) -> dict[int, datetime]:
    """When each student's talk (their first slot in the published schedule, as talk_starts counts it)
    last changed: a due time counted back from it moves with it."""
    changes: dict[int, datetime] = {}
    for presenter_id, updated_at in (
        Slot.objects.filter(
            seminar=seminar,
            presenter_id__in=student_ids,
            seminar__block_seminar__published_at__isnull=False,
        )
        .order_by("starts_at")
        .values_list("presenter_id", "updated_at")
    ):
        changes.setdefault(presenter_id, updated_at)
    return changes


def _own_deadlines(
    seminar: Seminar, deliverables: list[Deliverable], students: list[User], *, for_staff: bool
) -> list[CalendarEvent]:
    """Each student's own due time of each deliverable (their extension included, one counted back from
    their talk only once the schedule with it is published), in three queries however many students. The
    UID is the student's, so the student's and the staff's calendars show the same event."""
    student_ids = [student.pk for student in students]
    relative = any(item.due_mode == Deliverable.DueMode.BEFORE_TALK for item in deliverables)
    starts = talk_starts([seminar.pk], student_ids) if relative else {}
    talk_changes = _talk_changes(seminar, student_ids) if relative else {}
    active: dict[tuple[int, int], Extension] = {}
    extension_changes: dict[tuple[int, int], datetime] = {}
    for extension in Extension.objects.filter(deliverable__in=deliverables, student_id__in=student_ids):
        key = (extension.deliverable_id, extension.student_id)
        if extension.revoked_at is None:
            active[key] = extension
        changes = (extension_changes.get(key), extension.granted_at, extension.revoked_at)
        extension_changes[key] = max(change for change in changes if change)
    events = []
    for student in students:
        for deliverable in deliverables:
            counted_back = deliverable.due_mode == Deliverable.DueMode.BEFORE_TALK
            talk = starts.get((seminar.pk, student.pk)) if counted_back else None
            key = (deliverable.pk, student.pk)
            deadline = deadline_of(deliverable, active.get(key), talk)
            if deadline.due is None:
                continue
            changes = [deliverable.updated_at, extension_changes.get(key)]
            if talk is not None:
                changes.append(talk_changes.get(student.pk))
            names = {"deliverable": deliverable.display_title, "seminar": seminar.display_title}
            if for_staff:
                summary = _("%(deliverable)s due: %(student)s (%(seminar)s)") % {
                    **names,
                    "student": student.get_full_name(),
                }
                url = reverse("submissions:overview", args=[seminar.slug, deliverable.pk])
            else:
                summary = _("Due: %(deliverable)s (%(seminar)s)") % names
                url = reverse("submissions:deliverable", args=[seminar.slug, deliverable.pk])
            events.append(
                CalendarEvent(
                    uid=f"deliverable-{deliverable.pk}-student-{student.pk}",
                    start=deadline.due,
                    end=None,
                    summary=summary,
                    zone=seminar.time_zone,
                    changed=max(change for change in changes if change),
                    url=url,
                )
            )
    return events


def _deliverables(seminar: Seminar) -> list[Deliverable]:
    deliverables = list(deliverables_of(seminar))
    for deliverable in deliverables:
        deliverable.seminar = seminar
    return deliverables


def _seminar_deadlines(seminar: Seminar, deliverables: list[Deliverable]) -> list[CalendarEvent]:
    return [
        CalendarEvent(
            uid=f"deliverable-{deliverable.pk}",
            start=deliverable.due_at,
            end=None,
            summary=_("Due: %(deliverable)s (%(seminar)s)")
            % {"deliverable": deliverable.display_title, "seminar": seminar.display_title},
            zone=seminar.time_zone,
            changed=deliverable.updated_at,
            url=reverse("submissions:overview", args=[seminar.slug, deliverable.pk]),
        )
        for deliverable in deliverables
        if deliverable.due_mode == Deliverable.DueMode.FIXED
    ]


def _staff_deadlines(seminar: Seminar, user: User) -> list[CalendarEvent]:
    """A fixed deadline once; one counted back from the talk once per student, as each student's own due
    time differs (talk, extension). A supervisor sees only the students whose paper they supervise."""
    deliverables = _deliverables(seminar)
    events = _seminar_deadlines(seminar, deliverables)
    relative = [item for item in deliverables if item.due_mode == Deliverable.DueMode.BEFORE_TALK]
    if relative:
        students = [membership.user for membership in visible_students(user, seminar)]
        events.extend(_own_deadlines(seminar, relative, students, for_staff=True))
    return events


def _talks(seminar: Seminar, user: User, *, every_talk: bool) -> list[CalendarEvent]:
    if not is_published(seminar):
        return []
    slots = slots_of(seminar).filter(presenter__isnull=False)
    if not every_talk:
        # Their own talk, and the talks they discuss.
        slots = slots.filter(Q(presenter=user) | Q(discussant=user) | Q(second_discussant=user))
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


def _reviews_due(seminar: Seminar, user: User) -> list[CalendarEvent]:
    """A reviewer's due time of each peer review round they review in, once it is published: one event per
    round (however many reports), naming the deliverable, never an author."""
    rounds = {
        review.round_id: review.round
        for review in reviews_written_by(user, seminar).select_related("round__deliverable")
    }
    return [
        CalendarEvent(
            uid=f"review-round-{review_round.pk}-reviewer-{user.pk}",
            start=review_round.due_at,
            end=None,
            summary=_("Peer review due: %(deliverable)s (%(seminar)s)")
            % {"deliverable": review_round.deliverable.display_title, "seminar": seminar.display_title},
            zone=seminar.time_zone,
            changed=review_round.published_at,
            url=reverse("reviews:mine", args=[seminar.slug]),
        )
        for review_round in rounds.values()
    ]


def events_for(user: User) -> list[CalendarEvent]:
    events = []
    memberships = list(
        Membership.objects.current().filter(user=user).select_related("seminar").order_by("seminar__title")
    )
    remember_roles(user, memberships)
    for membership in memberships:
        if membership.seminar.state == Seminar.State.ARCHIVED:
            continue
        seminar = membership.seminar
        events.extend(_premeeting(seminar))
        events.extend(day_event(day, seminar) for day in days_of(seminar))
        if is_teacher_of(user, seminar):
            events.extend(_staff_deadlines(seminar, user))
            events.extend(_talks(seminar, user, every_talk=True))
        else:
            events.extend(_own_deadlines(seminar, _deliverables(seminar), [user], for_staff=False))
            events.extend(_talks(seminar, user, every_talk=False))
            events.extend(_reviews_due(seminar, user))
    return events
