"""Tasks are enqueued on commit through a database outbox, so that a change never depends on the broker.

`enqueue_on_commit(task, **kwargs)` inside a transaction writes an OutboxTask row with the change; after
commit it hands the task to the broker and deletes the row. When the broker is down the row stays and
`outbox_flush` (run by beat every OUTBOX_FLUSH_SECONDS) hands it over later. A rolled-back change
leaves no row, so it sends nothing.
"""

import logging
from datetime import datetime, timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F

from .models import OutboxTask

logger = logging.getLogger(__name__)
FLUSH_BATCH = 1000


def enqueue_on_commit(task, **kwargs) -> None:
    enqueue_many_on_commit(task, [kwargs])


def enqueue_many_on_commit(task, kwarg_list) -> None:
    """Keyword arguments only: a row that waits in the outbox across a deploy still means the same."""
    rows = OutboxTask.objects.bulk_create(OutboxTask(name=task.name, kwargs=kwargs) for kwargs in kwarg_list)
    if rows:
        pks = [row.pk for row in rows]
        transaction.on_commit(lambda: _hand_over(pks))


def _send(row: OutboxTask) -> None:
    if current_app.conf.task_always_eager:
        # Tests run tasks in-process; send_task would bypass that.
        current_app.tasks[row.name].apply(kwargs=row.kwargs, throw=True)
    else:
        # One attempt: a broker that does not answer costs the request at most the socket timeout
        # (two seconds), not Celery's publish retries; the row waits for the flush.
        current_app.send_task(row.name, kwargs=row.kwargs, retry=False)


def _hand_over(pks: list[int]) -> int:
    """Hands each of these rows to the broker once: claimed under a row lock that another hand-over skips
    (the flush and the hand-over after commit, two flushes), sent, and deleted in the same transaction."""
    handed = []
    with transaction.atomic():
        rows = list(OutboxTask.objects.select_for_update(skip_locked=True).filter(pk__in=pks).order_by("pk"))
        for row in rows:
            try:
                _send(row)
            except Exception:  # noqa: BLE001 - whatever the broker raised, the flush tries again
                logger.warning("broker unavailable; %d tasks wait in the outbox", len(rows) - len(handed))
                break
            handed.append(row.pk)
        OutboxTask.objects.filter(pk__in=handed).delete()
    return len(handed)


def outbox_flush(*, now: datetime) -> int:
    """Hands over what was not handed over after its commit; returns how many tasks went out. Rows another
    flush is handing over are left to it."""
    waiting_since = now - timedelta(seconds=settings.OUTBOX_FLUSH_SECONDS)
    with transaction.atomic():
        pks = list(
            OutboxTask.objects.select_for_update(skip_locked=True)
            .filter(created_at__lt=waiting_since)
            .order_by("pk")
            .values_list("pk", flat=True)[:FLUSH_BATCH]
        )
        OutboxTask.objects.filter(pk__in=pks).update(attempts=F("attempts") + 1)
        return _hand_over(pks)
