"""How the portal's Celery tasks are declared."""

import functools
import inspect
import logging

from celery import shared_task

logger = logging.getLogger(__name__)

# Every task that sends mail: acknowledged after it ran, retried with backoff and jitter when the
# SMTP server cannot be reached (OSError covers refused connections and timeouts).
MAIL_TASK_OPTIONS = {
    "acks_late": True,
    "autoretry_for": (OSError,),
    "retry_backoff": True,
    "retry_jitter": True,
    "max_retries": 5,
}


def mail_task(name: str):
    """A mail task: keyword arguments in (ids, as the outbox stores them). Arguments the function no longer
    takes are dropped, so a task saved in the outbox before a deploy that changed its signature still runs."""

    def decorate(function):
        accepted = set(inspect.signature(function).parameters)

        @functools.wraps(function)
        def run(**kwargs):
            dropped = sorted(set(kwargs) - accepted)
            if dropped:
                logger.info("task %s: ignoring arguments it no longer takes: %s", name, ", ".join(dropped))
            return function(**{key: value for key, value in kwargs.items() if key in accepted})

        return shared_task(name=name, **MAIL_TASK_OPTIONS)(run)

    return decorate


@shared_task(name="core.outbox_flush", acks_late=True, ignore_result=True)
def task_outbox_flush() -> int:
    """Run by beat: hands over the tasks whose hand-over after their commit failed (broker down)."""
    from django.utils import timezone

    from .outbox import outbox_flush

    return outbox_flush(now=timezone.now())


@mail_task("core.message_send")
def task_message_send(to: str, subject: str, text: str, html: str | None = None) -> None:
    """A mail rendered already (allauth's account mails, rendered in the request with its context)."""
    from .mail import message_send

    message_send(to=to, subject=subject, text=text, html=html)
