from core.tasks import mail_task


@mail_task("seminars.membership_notify")
def task_membership_notify(membership_id: int) -> None:
    from .models import Membership
    from .services import membership_notify

    membership = Membership.objects.select_related("user", "seminar").filter(pk=membership_id).first()
    if membership is not None:
        membership_notify(membership=membership)


@mail_task("seminars.role_change_notify")
def task_role_change_notify(membership_id: int, role: str) -> None:
    from .models import Membership
    from .people import role_change_notify

    membership = Membership.objects.select_related("user", "seminar").filter(pk=membership_id).first()
    # Changed twice before the mail went out: only the role the person has now is told (once per change).
    if membership is not None and membership.role == role:
        role_change_notify(membership=membership)


@mail_task("seminars.withdrawal_notify")
def task_withdrawal_notify(membership_id: int) -> None:
    from .models import Membership
    from .people import withdrawal_notify

    membership = Membership.objects.select_related("user", "seminar").filter(pk=membership_id).first()
    if membership is not None and membership.withdrawn_at is not None:
        withdrawal_notify(membership=membership)


@mail_task("seminars.withdrawal_undo_notify")
def task_withdrawal_undo_notify(membership_id: int) -> None:
    from .models import Membership
    from .people import withdrawal_undo_notify

    membership = Membership.objects.select_related("user", "seminar").filter(pk=membership_id).first()
    if membership is not None and membership.withdrawn_at is None:
        withdrawal_undo_notify(membership=membership)


@mail_task("seminars.announcement_mail")
def task_announcement_mail(announcement_id: int, user_id: int) -> None:
    from accounts.models import User

    from .announcements import announcement_mail
    from .models import Announcement

    announcement = Announcement.objects.select_related("seminar").filter(pk=announcement_id).first()
    user = User.objects.filter(pk=user_id).first()
    if announcement is not None and user is not None:
        announcement_mail(announcement=announcement, user=user)
