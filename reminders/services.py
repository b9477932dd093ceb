"""Every write of reminders: the scan that claims what is due, the sending of one reminder, settings.

At most once: a reminder for (user, obligation, offset) is claimed by inserting its row under a unique
constraint before anything is sent, and a sender locks the row and sends only while it is pending; the
mail and the "sent" mark share one transaction. The one window no system closes: the SMTP server accepted
the mail and the worker died before its transaction committed; the row is still pending and the mail goes
out a second time (see README, Reminders).
"""

import enum
import logging
from collections.abc import Mapping
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from core.mail import mail_send
from seminars.models import Seminar

from .kinds import Check, ReminderKind, Verdict
from .models import Reminder, ReminderSettings
from .registry import kind_of, registered_kinds
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
    """Claims every reminder of every registered kind due at `now` (inserting its row; an existing row
    wins) and hands each pending row to `enqueue(pk)`: new rows, and rows handed out long ago that are
    still pending (the broker was down, or a worker died). Returns how many were handed out. If the broker
    cannot take a task, the rest stay pending for the next scan: nothing here waits for the broker."""
    found = [candidate for kind in registered_kinds() for candidate in kind.candidates(now)]
    Reminder.objects.bulk_create(
        [
            Reminder(
                seminar_id=candidate.seminar_id,
                user_id=candidate.user_id,
                kind=candidate.kind,
                object_id=candidate.object_id,
                offset_minutes=candidate.offset_minutes,
                title=str(candidate.title)[:200],
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
    """Sends one claimed reminder if it is still pending and its kind's check calls it still owed, in the
    recipient's language. A reminder whose obligation is met (the file was uploaded, the papers ranked), whose
    offset was removed, whose kind is no longer registered or whose time has passed is skipped; one whose
    deadline moved later is released, to be claimed again when its time comes. Locks the reminder's row."""
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(of=("self",))
            .select_related("user", "seminar")
            .filter(pk=reminder_id)
            .first()
        )
        if reminder is None or reminder.state != Reminder.State.PENDING:
            return Outcome.NOTHING
        kind = kind_of(reminder.kind)
        check = kind.check(reminder, now) if kind is not None else Check(Verdict.NOT_OWED)
        if check.verdict is Verdict.NOT_YET:
            reminder.delete()
            return Outcome.NOT_YET
        if check.verdict is Verdict.NOT_OWED:
            reminder.state = Reminder.State.SKIPPED
            reminder.save(update_fields=["state"])
            return Outcome.SKIPPED
        reminder.attempts += 1
        try:
            _mail(reminder, kind, check.context)
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


def _mail(reminder: Reminder, kind: ReminderKind, context: Mapping) -> None:
    user, seminar = reminder.user, reminder.seminar
    mail_send(
        to=user,
        subject=kind.subject,
        subject_params={"title": context.get("subject_title", reminder.title)},
        template=kind.template,
        context={**context, "reminder": reminder, "user": user, "seminar": seminar},
        zone=seminar.time_zone,
        headers={"X-Portal-Reminder": f"{reminder.obligation}:{reminder.offset_minutes}"},
    )


@transaction.atomic
def reminder_settings_set(
    *, seminar: Seminar, offsets: list[int], instructor_summary: bool
) -> ReminderSettings:
    """Sets a seminar's reminder offsets. Reminders already sent stay sent; one claimed but not sent yet
    whose offset was removed is skipped; new offsets apply from the next scan."""
    reminder_settings, _created = ReminderSettings.objects.update_or_create(
        seminar=seminar, defaults={"offsets": offsets, "instructor_summary": instructor_summary}
    )
    return reminder_settings
