"""Every write the seminars app makes."""

from dataclasses import dataclass
from datetime import datetime

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.languages import in_reader_language
from core.mail import mail_send, portal_link
from core.outbox import enqueue_on_commit

from . import rules
from .exceptions import (
    AlreadyMemberError,
    CapacityBelowEnrolmentError,
    EnrolmentClosedError,
    PlacesByMatchingError,
    PrerequisitesNotConfirmedError,
    RowError,
    SeminarFullError,
    StudentImportError,
)
from .models import Membership, Seminar, Topic
from .selectors import student_count
from .student_list import StudentRow, parse_student_list
from .tasks import task_membership_notify


def membership_lock(*, seminar, user, students_only: bool = False) -> Membership | None:
    """Locks one person's membership row for the rest of the transaction, and nothing else: without the
    model's ordering, which joins the seminar and the user, FOR UPDATE would lock the seminar's row too and
    hold up every other member (and every service that locks the seminar). `students_only`: only a
    student's membership (None otherwise)."""
    memberships = Membership.objects.filter(seminar=seminar, user=user)
    if students_only:
        memberships = memberships.filter(rules.students_filter())
    return memberships.select_for_update(of=("self",)).order_by("pk").first()


@transaction.atomic
def enrolment_create(
    *, seminar: Seminar, user: User, prerequisites_confirmed: bool, now: datetime
) -> Membership:
    """Enrols a student. Allowed iff the seminar is open, its places are not given by a matching round, the
    user is not yet a member, they confirm the mandatory prerequisites (when there are any) and a place is
    free. The seminar row is locked so that two students taking the last place at the same moment cannot
    both get it."""
    seminar = Seminar.objects.select_for_update().get(pk=seminar.pk)
    if seminar.places_by_matching:
        raise PlacesByMatchingError
    if not seminar.is_open_for_enrolment:
        raise EnrolmentClosedError
    existing = Membership.objects.filter(seminar=seminar, user=user).first()
    if existing is not None and existing.withdrawn_at is not None:
        raise AlreadyMemberError(
            _(
                "You withdrew from this seminar. To take part again, please ask an instructor to take you "
                "back."
            )
        )
    if existing is not None:
        raise AlreadyMemberError
    if seminar.mandatory_prerequisite_list and not prerequisites_confirmed:
        raise PrerequisitesNotConfirmedError
    if student_count(seminar) >= seminar.capacity:
        raise SeminarFullError
    membership = Membership.objects.create(
        seminar=seminar,
        user=user,
        role=Membership.Role.STUDENT,
        source=Membership.Source.ENROLMENT,
        prerequisites_confirmed_at=now,
    )
    rules.forget_roles(user)
    return membership


@transaction.atomic
def matched_students_admit(*, placements: dict[int, list[tuple[int, datetime | None]]]) -> int:
    """Makes the students a matching placed (seminar id -> [(student id, prerequisites confirmed at)])
    students of their seminars, as enrolment does, in one statement per kind of row; returns how many
    became students. The matching's seats are the seminar's places, so no capacity is asked here. A person
    who already has a membership of the seminar (a student, one who withdrew, staff) keeps it as it is.
    The caller (the matching's publication) holds the lock on its round."""
    seminar_ids = list(placements)
    existing = set(Membership.objects.filter(seminar_id__in=seminar_ids).values_list("seminar_id", "user_id"))
    rows = [
        Membership(
            seminar_id=seminar_id,
            user_id=user_id,
            role=Membership.Role.STUDENT,
            source=Membership.Source.MATCHING,
            prerequisites_confirmed_at=confirmed_at,
        )
        for seminar_id, students in placements.items()
        for user_id, confirmed_at in students
        if (seminar_id, user_id) not in existing
    ]
    Membership.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def seminar_update(
    *, seminar: Seminar, topic_titles: list[str], topic_titles_de: list[str] | None = None, **fields
) -> Seminar:
    """Saves the seminar page and settings. The capacity never drops below the number of enrolled students.
    `topic_titles_de` are the topics' German titles, by position ("" for none)."""
    locked = Seminar.objects.select_for_update().get(pk=seminar.pk)
    enrolled = student_count(locked)
    if fields.get("capacity", locked.capacity) < enrolled:
        raise CapacityBelowEnrolmentError(
            _("%(count)d students are already enrolled; the capacity cannot be smaller.")
            % {"count": enrolled}
        )
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    seminar_topics_set(seminar=locked, titles=topic_titles, titles_de=topic_titles_de)
    return locked


def seminar_topics_set(*, seminar: Seminar, titles: list[str], titles_de: list[str] | None = None) -> None:
    """Makes the seminar's topics exactly `titles`, in that order; a topic whose title stays keeps its row.
    `titles_de`, by position, are their German titles (None keeps each topic's German title)."""
    existing = {topic.title: topic for topic in seminar.topics.all()}
    for order, title in enumerate(titles, start=1):
        topic = existing.pop(title, None) or Topic(seminar=seminar, title=title)
        topic.order = order
        if titles_de is not None:
            topic.title_de = titles_de[order - 1] if order <= len(titles_de) else ""
        topic.save()
    Topic.objects.filter(pk__in=[topic.pk for topic in existing.values()]).delete()


@dataclass(frozen=True)
class ImportResult:
    new_accounts: int
    added: int
    already_members: int
    # Addresses of students who withdrew from the seminar: the import does not take them back (an instructor
    # undoes the withdrawal on the roster, which keeps the record of it straight).
    withdrawn: tuple[str, ...] = ()


def students_import(*, seminar: Seminar, data: bytes, language: str) -> ImportResult:
    """Imports a student list (CSV: e-mail, name, matriculation number). All or nothing: any bad line is
    reported with its number and nothing is imported. A person already in the seminar is not added again,
    nor is a student who withdrew (reported by address: an instructor takes them back on the roster).
    New accounts get an invitation to set a password; existing accounts get a notice. Mail goes out after
    the commit, in each person's mail language; a new account starts with `language` (the importing
    instructor's) until its owner chooses."""
    rows, errors = parse_student_list(data)
    if errors:
        raise StudentImportError(errors)
    with transaction.atomic():
        users = _existing_users(rows)
        errors = _conflicts(seminar, rows, users)
        if errors:
            raise StudentImportError(errors)
        members = dict(
            Membership.objects.filter(seminar=seminar, user__in=users.values()).values_list(
                "user_id", "withdrawn_at"
            )
        )
        withdrawn = tuple(
            row.email for row in rows if row.email in users and members.get(users[row.email].pk) is not None
        )
        new_accounts = added = 0
        for row in rows:
            user = users.get(row.email)
            if user is None:
                user = User.objects.create_user(
                    email=row.email,
                    full_name=row.name,
                    given_name=row.given_name,
                    family_name=row.family_name,
                    matriculation_number=row.matriculation_number,
                    language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
                )
                EmailAddress.objects.create(user=user, email=row.email, verified=True, primary=True)
                new_accounts += 1
            elif user.pk in members:
                continue
            elif row.matriculation_number and not user.matriculation_number:
                user.matriculation_number = row.matriculation_number
                user.save(update_fields=["matriculation_number"])
            membership = Membership.objects.create(
                seminar=seminar, user=user, role=Membership.Role.STUDENT, source=Membership.Source.IMPORT
            )
            added += 1
            enqueue_on_commit(task_membership_notify, membership_id=membership.pk)
    return ImportResult(
        new_accounts=new_accounts,
        added=added,
        already_members=len(rows) - added - len(withdrawn),
        withdrawn=withdrawn,
    )


def _existing_users(rows: list[StudentRow]) -> dict[str, User]:
    emails = [row.email for row in rows]
    found = User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
    return {user.email.lower(): user for user in found}


ALREADY_IN_ROLE = {
    Membership.Role.INSTRUCTOR: gettext_lazy("%(email)s is already an instructor of this seminar."),
    Membership.Role.SUPERVISOR: gettext_lazy("%(email)s is already a supervisor of this seminar."),
}


def _conflicts(seminar: Seminar, rows: list[StudentRow], users: dict[str, User]) -> list[RowError]:
    errors = []
    numbers = {row.matriculation_number: row for row in rows if row.matriculation_number}
    holders = dict(
        User.objects.filter(matriculation_number__in=numbers).values_list("matriculation_number", "email")
    )
    roles = rules.other_roles_of(seminar, users.values())
    for row in rows:
        user = users.get(row.email)
        holder = holders.get(row.matriculation_number)
        if holder and holder.lower() != row.email:
            errors.append(
                RowError(
                    row.line,
                    _("Matriculation number %(number)s belongs to another account (%(email)s).")
                    % {"number": row.matriculation_number, "email": holder},
                )
            )
        if (
            user
            and user.matriculation_number
            and row.matriculation_number not in ("", user.matriculation_number)
        ):
            errors.append(
                RowError(
                    row.line,
                    _("%(email)s has matriculation number %(number)s in the portal, not %(given)s.")
                    % {
                        "email": row.email,
                        "number": user.matriculation_number,
                        "given": row.matriculation_number,
                    },
                )
            )
        if user and user.email in roles:
            errors.append(
                RowError(
                    row.line,
                    ALREADY_IN_ROLE[roles[user.email]] % {"email": row.email},
                )
            )
    return sorted(errors, key=lambda error: error.line)


def membership_notify(*, membership: Membership) -> None:
    """Tells a person that an instructor added them to a seminar. Someone without a password yet gets an
    invitation link to set one (valid as long as a password-reset link; "Forgot password" sends a new one);
    after setting it they are signed in and land on the seminar's page."""
    user, seminar = membership.user, membership.seminar
    context = {"user": user, "seminar": seminar, "seminar_url": portal_link("seminars:detail", seminar.slug)}
    if not user.has_usable_password():
        path = reverse(
            "account_reset_password_from_key",
            kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
        )
        context["set_password_url"] = (
            f"{settings.PORTAL_URL}{path}?{urlencode({'next': seminar.get_absolute_url()})}"
        )
    if rules.is_staff_membership(membership):
        context["role"] = membership.get_role_display  # called while rendering: in the recipient's language
    mail_send(
        to=user,
        subject=gettext_lazy("You have been added to %(seminar)s"),
        subject_params={"seminar": in_reader_language(seminar, "title")},
        template="seminars/email/staff_added" if "role" in context else "seminars/email/membership_added",
        context=context,
        zone=seminar.time_zone,
    )
