"""Every write of reminders: the scan that claims what is due, the sending of one reminder, settings.

At most once: a reminder for (user, obligation, offset) is claimed by inserting its row under a unique
constraint before anything is sent, and a sender locks the row and sends only while it is pending; the
mail and the "sent" mark share one transaction. The one window no system closes: the SMTP server accepted
the mail and the worker died before its transaction committed; the row is still pending and the mail goes
out a second time (see README, Reminders).
"""

import enum
import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy

from core.mail import mail_send
from papers.models import Preference, PreferenceWindow
from schedule.models import Slot
from schedule.selectors import is_published
from seminars.models import Seminar
from seminars.rules import is_enrolled
from submissions.models import Deliverable, Submission
from submissions.selectors import deadline_for, overview

from . import obligations
from .models import Reminder, ReminderSettings
from .schedule import is_due, is_stale
from .smtp import is_temporary

logger = logging.getLogger(__name__)


class Outcome(enum.StrEnum):
    SENT = "sent"
    SKIPPED = "skipped"
    NOT_YET = "not_yet"
    RETRY = "retry"
    FAILED = "failed"
    NOTHING = "nothing"


def reminders_scan(*, now: datetime, enqueue) -> int:
    """Claims every reminder due at `now` (inserting its row; an existing row wins) and hands each pending
    row to `enqueue(pk)`: new rows, and rows handed out long ago that are still pending (the broker was
    down, or a worker died). Returns how many were handed out. If the broker cannot take a task, the rest
    stay pending for the next scan: nothing here waits for the broker."""
    found = obligations.candidates(now)
    Reminder.objects.bulk_create(
        [
            Reminder(
                seminar_id=candidate.seminar_id,
                user_id=candidate.user_id,
                kind=candidate.kind,
                object_id=candidate.object_id,
                offset_minutes=candidate.offset_minutes,
                title=candidate.title[:200],
                due_at=candidate.due_at,
                fire_at=candidate.fire_at,
                created_at=now,
            )
            for candidate in found
        ],
        ignore_conflicts=True,
    )
    stuck_before = now - timedelta(seconds=settings.REMINDER_REENQUEUE_SECONDS)
    pending = list(
        Reminder.objects.filter(state=Reminder.State.PENDING)
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stuck_before))
        .order_by("fire_at", "pk")
        .values_list("pk", flat=True)
    )
    if not pending:
        return 0
    Reminder.objects.filter(pk__in=pending).update(enqueued_at=now)
    handed = 0
    for pk in pending:
        try:
            enqueue(pk)
        except Exception:  # noqa: BLE001 - any broker failure: the rest waits for the next scan
            logger.warning("broker unavailable; %d reminders wait for the next scan", len(pending) - handed)
            Reminder.objects.filter(pk__in=pending[handed:]).update(enqueued_at=None)
            break
        handed += 1
    return handed


def reminder_send(*, reminder_id: int, now: datetime) -> Outcome:
    """Sends one claimed reminder if it is still pending and still needed, in the recipient's language.
    A reminder whose obligation is met (the file was uploaded, the papers ranked) or whose time has passed
    is skipped; one whose deadline moved later is released, to be claimed again when its time comes."""
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(of=("self",))
            .select_related("user", "seminar")
            .filter(pk=reminder_id)
            .first()
        )
        if reminder is None or reminder.state != Reminder.State.PENDING:
            return Outcome.NOTHING
        context = _still_needed(reminder, now)
        if isinstance(context, Outcome):
            if context == Outcome.NOT_YET:
                reminder.delete()
            else:
                reminder.state = Reminder.State.SKIPPED
                reminder.save(update_fields=["state"])
            return context
        reminder.attempts += 1
        try:
            _mail(reminder, context)
        except Exception as error:  # noqa: BLE001 - classified below, recorded on the row
            reminder.last_error = f"{type(error).__name__}: {error}"[:2000]
            temporary = is_temporary(error)
            if not temporary:
                reminder.state = Reminder.State.FAILED
            reminder.save(update_fields=["attempts", "last_error", "state"])
            logger.warning("reminder %s: %s", reminder.pk, reminder.last_error)
            return Outcome.RETRY if temporary else Outcome.FAILED
        reminder.state, reminder.sent_at = Reminder.State.SENT, now
        reminder.save(update_fields=["attempts", "state", "sent_at", "last_error"])
        return Outcome.SENT


def _still_needed(reminder: Reminder, now: datetime) -> dict | Outcome:
    seminar, user = reminder.seminar, reminder.user
    if seminar.state == Seminar.State.ARCHIVED:
        return Outcome.SKIPPED
    zone = ZoneInfo(seminar.time_zone)
    is_student = is_enrolled(seminar, user)
    if reminder.kind == Reminder.Kind.SUMMARY:
        deliverable = Deliverable.objects.filter(pk=reminder.object_id, seminar=seminar).first()
        if deliverable is None:
            return Outcome.SKIPPED
        deliverable.seminar = seminar
        rows = overview(deliverable, user)
        return {
            "deliverable": deliverable,
            "due": deliverable.due_at,
            "on_time": [row for row in rows if row.status == "on_time"],
            "late": [row for row in rows if row.status == "late"],
            "missing": [row for row in rows if row.status == "missing"],
            "url": reverse("submissions:overview", args=[seminar.slug, deliverable.pk]),
        }
    if not is_student:
        return Outcome.SKIPPED
    if reminder.kind == Reminder.Kind.TALK:
        slot = Slot.objects.filter(pk=reminder.object_id, seminar=seminar, presenter=user).first()
        if slot is None or not is_published(seminar):
            return Outcome.SKIPPED
        due = slot.starts_at
        extra = {"slot": slot, "url": reverse("schedule:program", args=[seminar.slug])}
    elif reminder.kind == Reminder.Kind.DELIVERABLE:
        deliverable = Deliverable.objects.filter(pk=reminder.object_id, seminar=seminar).first()
        if deliverable is None or Submission.objects.filter(deliverable=deliverable, student=user).exists():
            return Outcome.SKIPPED
        deliverable.seminar = seminar
        due = deadline_for(deliverable, user).due
        extra = {
            "deliverable": deliverable,
            "url": reverse("submissions:deliverable", args=[seminar.slug, deliverable.pk]),
        }
    else:
        window = PreferenceWindow.objects.filter(pk=reminder.object_id, seminar=seminar).first()
        if window is None or Preference.objects.filter(seminar=seminar, student=user).exists():
            return Outcome.SKIPPED
        due = window.closes_at
        extra = {"url": reverse("papers:preferences", args=[seminar.slug])}
    if due is not None and is_stale(now, due, reminder.offset_minutes, zone):
        return Outcome.SKIPPED
    if due is None or not is_due(now, due, reminder.offset_minutes, zone):
        return Outcome.NOT_YET
    return {"due": due, "now": now, **extra}


SUBJECTS = {
    Reminder.Kind.DELIVERABLE: gettext_lazy("Reminder: “%(title)s” is due"),
    Reminder.Kind.RANKING: gettext_lazy("Reminder: rank the papers of “%(title)s”"),
    Reminder.Kind.SUMMARY: gettext_lazy("After the deadline: “%(title)s”"),
    Reminder.Kind.TALK: gettext_lazy("Reminder: your talk in “%(title)s” is tomorrow"),
}


def _mail(reminder: Reminder, context: dict) -> None:
    user, seminar = reminder.user, reminder.seminar
    mail_send(
        to=user,
        subject=SUBJECTS[reminder.kind],
        subject_params={"title": reminder.title},
        template=f"reminders/email/{reminder.kind}",
        context={
            **context,
            "reminder": reminder,
            "user": user,
            "seminar": seminar,
            "url": settings.PORTAL_URL + context["url"],
        },
        zone=seminar.time_zone,
        headers={"X-Portal-Reminder": f"{reminder.obligation}:{reminder.offset_minutes}"},
    )


@transaction.atomic
def reminder_settings_set(
    *, seminar: Seminar, offsets: list[int], instructor_summary: bool
) -> ReminderSettings:
    """Sets a seminar's reminder offsets. Reminders already sent stay sent; new offsets apply from the next
    scan."""
    reminder_settings, _created = ReminderSettings.objects.update_or_create(
        seminar=seminar, defaults={"offsets": offsets, "instructor_summary": instructor_summary}
    )
    return reminder_settings
