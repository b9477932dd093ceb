from celery import shared_task

# Every task that sends mail: acknowledged after it ran, retried with backoff and jitter when the
# SMTP server cannot be reached (OSError covers refused connections and timeouts).
MAIL_TASK_OPTIONS = {
    "acks_late": True,
    "autoretry_for": (OSError,),
    "retry_backoff": True,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(name="seminars.membership_notify", **MAIL_TASK_OPTIONS)
def task_membership_notify(membership_id: int, language: str = "en") -> None:
    from .models import Membership
    from .services import membership_notify

    membership = Membership.objects.select_related("user", "seminar").filter(pk=membership_id).first()
    if membership is not None:
        membership_notify(membership=membership, language=language)


@shared_task(name="seminars.outbox_flush", acks_late=True, ignore_result=True)
def task_outbox_flush() -> int:
    from django.utils import timezone

    from .outbox import outbox_flush

    return outbox_flush(now=timezone.now())
