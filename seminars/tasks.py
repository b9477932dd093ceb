from core.tasks import mail_task


@mail_task("seminars.membership_notify")
def task_membership_notify(membership_id: int) -> None:
    from .models import Membership
    from .services import membership_notify

    membership = Membership.objects.select_related("user", "seminar").filter(pk=membership_id).first()
    if membership is not None:
        membership_notify(membership=membership)
