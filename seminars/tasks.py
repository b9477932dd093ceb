from celery import shared_task


@shared_task(
    name="seminars.membership_notify",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_jitter=True,
    max_retries=5,
)
def task_membership_notify(membership_id: int, language: str = "en") -> None:
    from .models import Membership
    from .services import membership_notify

    membership = Membership.objects.select_related("user", "seminar").filter(pk=membership_id).first()
    if membership is not None:
        membership_notify(membership=membership, language=language)
