import random

from celery import shared_task
from django.conf import settings
from django.utils import timezone

MAX_RETRIES = 5


def backoff_seconds(retries: int) -> float:
    """Exponential backoff with full jitter, capped well below the broker's visibility timeout (a Redis
    broker would deliver a long-delayed task twice); after the last retry the scan takes the row again."""
    ceiling = min(settings.REMINDER_RETRY_CAP_SECONDS, settings.REMINDER_RETRY_BASE_SECONDS * 2**retries)
    return random.uniform(ceiling / 2, ceiling)  # noqa: S311 - jitter, not cryptography


@shared_task(name="reminders.scan", acks_late=True, ignore_result=True)
def task_reminders_scan() -> int:
    """Run by beat every few minutes: claims what is due and hands each reminder to its own task."""
    from .services import reminders_scan

    return reminders_scan(now=timezone.now(), enqueue=task_reminder_send.delay)


@shared_task(
    bind=True,
    name="reminders.send",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    ignore_result=True,
)
def task_reminder_send(self, reminder_id: int) -> str:
    """Idempotent: a reminder already sent (or sent by another worker meanwhile) is left alone."""
    from .services import Outcome, reminder_send

    outcome = reminder_send(reminder_id=reminder_id, now=timezone.now())
    if outcome == Outcome.RETRY and self.request.retries < self.max_retries:
        raise self.retry(countdown=backoff_seconds(self.request.retries))
    return outcome.value
