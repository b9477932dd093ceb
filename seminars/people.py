"""Every write about the seminar's people: its staff (invite, change a role, remove) and the withdrawal of
students (and its undo)."""

from dataclasses import dataclass
from datetime import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from core.languages import in_reader_language
from core.mail import mail_send, portal_link
from core.outbox import enqueue_on_commit

from . import rules
from .exceptions import (
    InvitationError,
    LastInstructorError,
    NameNeededError,
    NotAStudentError,
    NotWithdrawnError,
    SeminarFullError,
    StillSupervisesError,
    StudentNotStaffError,
    WithdrawalClosedError,
)
from .models import Membership, Seminar
from .selectors import student_count
from .services import ALREADY_IN_ROLE
from .tasks import (
    task_membership_notify,
    task_role_change_notify,
    task_withdrawal_notify,
    task_withdrawal_undo_notify,
)

# ------------------------------------------------------------------------------------------ the staff


def _staff_role(role: str) -> str:
    if role not in rules.STAFF_ROLES:
        raise StudentNotStaffError
    return role


@dataclass(frozen=True)
class InvitationResult:
    membership: Membership
    new_account: bool


@transaction.atomic
def staff_invite(
    *, seminar: Seminar, email: str, full_name: str, role: str, language: str
) -> InvitationResult:
    """Makes the person with `email` an instructor or supervisor of the seminar and tells them by mail.
    An existing account (the address matched without regard to case) is added as it is; a new address gets
    an account (named `full_name`, which is then required; mail in `language`, the inviting instructor's)
    and an invitation link to set a password, as a student-list import does. A student of the seminar (or
    one who withdrew) is never made staff this way, and nobody is added twice. The seminar row is locked,
    so two instructors inviting the same address at the same moment add it once."""
    role = _staff_role(role)
    seminar = Seminar.objects.select_for_update().get(pk=seminar.pk)
    email = email.strip().lower()
    user = User.objects.annotate(email_lower=Lower("email")).filter(email_lower=email).first()
    new_account = user is None
    if new_account:
        if not full_name.strip():
            raise NameNeededError
        user = User.objects.create_user(
            email=email,
            full_name=" ".join(full_name.split()),
            language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    else:
        existing = Membership.objects.filter(seminar=seminar, user=user).first()
        if existing is not None and rules.is_student_membership(existing):
            raise InvitationError(
                _("%(email)s is a student of this seminar and cannot be made an instructor or supervisor.")
                % {"email": user.email}
            )
        if existing is not None:
            raise InvitationError(ALREADY_IN_ROLE[existing.role] % {"email": user.email})
    membership = Membership.objects.create(
        seminar=seminar, user=user, role=role, source=Membership.Source.INVITATION
    )
    enqueue_on_commit(task_membership_notify, membership_id=membership.pk)
    return InvitationResult(membership=membership, new_account=new_account)


def _locked_staff(membership: Membership) -> tuple[Seminar, Membership]:
    """The seminar row locked (it serialises every change of its staff) and the membership as it is now."""
    seminar = Seminar.objects.select_for_update().get(pk=membership.seminar_id)
    current = Membership.objects.select_related("user").filter(pk=membership.pk, seminar=seminar).first()
    if current is None or not rules.is_staff_membership(current):
        raise StudentNotStaffError
    return seminar, current


@transaction.atomic
def membership_role_change(*, membership: Membership, role: str) -> Membership:
    """Makes an instructor a supervisor or a supervisor an instructor. A student is never made staff this
    way, and the seminar always keeps an instructor: the last one cannot be made a supervisor. Locks the
    seminar row, so that two instructors demoting each other at the same moment cannot leave it without
    one. The person is told by mail (nothing is sent when the role stays)."""
    role = _staff_role(role)
    seminar, membership = _locked_staff(membership)
    if membership.role == role:
        return membership
    if rules.is_instructor_membership(membership) and rules.instructor_count(seminar) <= 1:
        raise LastInstructorError
    membership.role = role
    membership.save(update_fields=["role"])
    rules.forget_roles(membership.user)
    enqueue_on_commit(task_role_change_notify, membership_id=membership.pk, role=role)
    return membership


def role_change_notify(*, membership: Membership) -> None:
    """Tells a member of the staff their new role in the seminar."""
    seminar = membership.seminar
    mail_send(
        to=membership.user,
        subject=gettext_lazy("Your role in %(seminar)s"),
        subject_params={"seminar": in_reader_language(seminar, "title")},
        template="seminars/email/role_changed",
        context={
            "seminar": seminar,
            "user": membership.user,
            "role": membership.get_role_display,
            "seminar_url": portal_link("seminars:detail", seminar.slug),
        },
        zone=seminar.time_zone,
    )


@transaction.atomic
def staff_remove(*, membership: Membership) -> None:
    """Removes an instructor or supervisor from the seminar. The last instructor cannot be removed, nor a
    person who still supervises papers of the seminar (they need another supervisor first: their students
    would otherwise have none). Locks the seminar row, as every change of the staff does."""
    seminar, membership = _locked_staff(membership)
    if rules.is_instructor_membership(membership) and rules.instructor_count(seminar) <= 1:
        raise LastInstructorError
    supervised = seminar.papers.filter(supervisor=membership.user_id).count()
    if supervised:
        raise StillSupervisesError(
            ngettext(
                "%(name)s still supervises %(count)d paper of this seminar. Give it another supervisor "
                "first.",
                "%(name)s still supervises %(count)d papers of this seminar. Give them another supervisor "
                "first.",
                supervised,
            )
            % {"name": membership.user.full_name, "count": supervised}
        )
    membership.delete()
    rules.forget_roles(membership.user)


# ------------------------------------------------------------------------------------------ withdrawal


@transaction.atomic
def student_withdraw(*, membership: Membership, by: User, now: datetime) -> Membership:
    """Withdraws a student from the seminar. The membership stays with the time and who did it, so their
    uploads and grades stay for the exam office; from then on they are no longer a student of the seminar
    anywhere (seminars.rules). A student may withdraw themselves only before the seminar's withdrawal
    deadline (none set: not at all); an instructor may at any time (the caller asks the policy). The
    membership row is locked, so a double click withdraws once. The student is told by mail."""
    membership = (
        Membership.objects.select_for_update().select_related("seminar", "user").get(pk=membership.pk)
    )
    if not rules.is_current_student_membership(membership):
        raise NotAStudentError
    deadline = membership.seminar.withdrawal_deadline
    if membership.user_id == by.pk and (deadline is None or now >= deadline):
        raise WithdrawalClosedError
    membership.withdrawn_at, membership.withdrawn_by = now, by
    membership.save(update_fields=["withdrawn_at", "withdrawn_by"])
    rules.forget_roles(membership.user)
    rules.forget_roles(by)
    enqueue_on_commit(task_withdrawal_notify, membership_id=membership.pk)
    return membership


@transaction.atomic
def withdrawal_undo(*, membership: Membership) -> Membership:
    """Takes a withdrawn student back: they are a student of the seminar again, with everything they had.
    Only while a place is free (the capacity counts them again). The seminar row is locked, as for an
    enrolment, so that two undos cannot take the last place twice. The student is told by mail."""
    seminar = Seminar.objects.select_for_update().get(pk=membership.seminar_id)
    membership = Membership.objects.select_related("user").filter(pk=membership.pk, seminar=seminar).first()
    if membership is None or membership.withdrawn_at is None:
        raise NotWithdrawnError
    if student_count(seminar) >= seminar.capacity:
        raise SeminarFullError(
            _(
                "All %(capacity)d places are taken. Raise the seminar's capacity first to take the student "
                "back."
            )
            % {"capacity": seminar.capacity}
        )
    membership.withdrawn_at, membership.withdrawn_by = None, None
    membership.save(update_fields=["withdrawn_at", "withdrawn_by"])
    rules.forget_roles(membership.user)
    enqueue_on_commit(task_withdrawal_undo_notify, membership_id=membership.pk)
    return membership


def withdrawal_notify(*, membership: Membership) -> None:
    """Tells a student that they were withdrawn from the seminar (by themselves or an instructor), and
    when."""
    seminar = membership.seminar
    mail_send(
        to=membership.user,
        subject=gettext_lazy("You have withdrawn from %(seminar)s"),
        subject_params={"seminar": in_reader_language(seminar, "title")},
        template="seminars/email/withdrawn",
        context={
            "seminar": seminar,
            "membership": membership,
            "by_self": membership.withdrawn_by_id == membership.user_id,
            "seminar_url": portal_link("seminars:detail", seminar.slug),
        },
        zone=seminar.time_zone,
    )


def withdrawal_undo_notify(*, membership: Membership) -> None:
    """Tells a student that an instructor took them back into the seminar."""
    seminar = membership.seminar
    mail_send(
        to=membership.user,
        subject=gettext_lazy("You are a student of %(seminar)s again"),
        subject_params={"seminar": in_reader_language(seminar, "title")},
        template="seminars/email/reinstated",
        context={"seminar": seminar, "seminar_url": portal_link("seminars:detail", seminar.slug)},
        zone=seminar.time_zone,
    )
