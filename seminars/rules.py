"""The access policy's ground floor: who a person is in a seminar, and which seminars they may see.

Every app's rules.py builds its permissions from these predicates and querysets; no other module
compares roles. Predicates take the person and anything that belongs to one seminar (the seminar, a
membership, a deliverable ...). A person's roles are read once per user object (one query for all their
seminars) and kept on it for the request; `forget_roles` drops them after a change of the person's own
memberships.
"""

import rules
from django.db.models import Q, QuerySet

from accounts.models import User

from .models import Membership, Seminar

STUDENT = Membership.Role.STUDENT
SUPERVISOR = Membership.Role.SUPERVISOR
INSTRUCTOR = Membership.Role.INSTRUCTOR
_ROLES = "_seminar_roles"


def seminar_of(obj) -> Seminar:
    return obj if isinstance(obj, Seminar) else obj.seminar


def _roles(user) -> dict[int, str]:
    if user is None or not user.is_authenticated:
        return {}
    roles = getattr(user, _ROLES, None)
    if roles is None:
        roles = dict(Membership.objects.filter(user=user).values_list("seminar_id", "role"))
        setattr(user, _ROLES, roles)
    return roles


def remember_roles(user, memberships) -> None:
    """Keeps the roles of memberships the caller has read anyway (all of `user`'s), saving the query."""
    setattr(user, _ROLES, {membership.seminar_id: membership.role for membership in memberships})


def forget_roles(user) -> None:
    if hasattr(user, _ROLES):
        delattr(user, _ROLES)


def role_of(user, obj) -> str | None:
    """The person's role in the seminar `obj` belongs to, for showing it ("Your role: Student")."""
    return _roles(user).get(seminar_of(obj).pk)


@rules.predicate
def is_member_of(user, obj) -> bool:
    return role_of(user, obj) is not None


@rules.predicate
def is_student_of(user, obj) -> bool:
    return role_of(user, obj) == STUDENT


@rules.predicate
def is_instructor_of(user, obj) -> bool:
    return role_of(user, obj) == INSTRUCTOR


@rules.predicate
def is_supervisor_in(user, obj) -> bool:
    return role_of(user, obj) == SUPERVISOR


# The seminar's teaching staff: its instructors and the supervisors of its papers.
is_teacher_of = is_instructor_of | is_supervisor_in


def visible_seminars(user) -> QuerySet[Seminar]:
    """Seminars a person may see: every one that is not a draft, and the drafts they are a member of."""
    visible = ~Q(state=Seminar.State.DRAFT)
    if user is not None and user.is_authenticated:
        visible |= Q(pk__in=Membership.objects.filter(user=user).values("seminar_id"))
    return Seminar.objects.filter(visible)


@rules.predicate
def can_see_seminar(user, obj) -> bool:
    return visible_seminars(user).filter(pk=seminar_of(obj).pk).exists()


# ------------------------------------------------------------------------ who is what in a seminar


def student_memberships(seminar: Seminar) -> QuerySet[Membership]:
    """The seminar's students, by name."""
    return (
        Membership.objects.filter(seminar=seminar, role=STUDENT)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def student_users(seminar: Seminar) -> QuerySet[User]:
    """The seminar's students as users, by name: the choices of forms that pick a student."""
    return User.objects.filter(memberships__seminar=seminar, memberships__role=STUDENT).order_by(
        "full_name", "email"
    )


def staff_users(seminar: Seminar) -> QuerySet[User]:
    """Who may supervise a paper: the seminar's supervisors and instructors."""
    return User.objects.filter(
        memberships__seminar=seminar, memberships__role__in=[SUPERVISOR, INSTRUCTOR]
    ).order_by("full_name")


def _ids_by_seminar(role: str, seminar_ids, user_id: int | None) -> dict[int, list[int]]:
    members = Membership.objects.filter(seminar_id__in=seminar_ids, role=role)
    if user_id is not None:
        members = members.filter(user_id=user_id)
    found: dict[int, list[int]] = {}
    for seminar_id, member_id in members.values_list("seminar_id", "user_id"):
        found.setdefault(seminar_id, []).append(member_id)
    return found


def students_by_seminar(seminar_ids, user_id: int | None = None) -> dict[int, list[int]]:
    """seminar -> its students' ids, for many seminars in one query (the reminder scan)."""
    return _ids_by_seminar(STUDENT, seminar_ids, user_id)


def instructors_by_seminar(seminar_ids, user_id: int | None = None) -> dict[int, list[int]]:
    """seminar -> its instructors' ids, for many seminars in one query."""
    return _ids_by_seminar(INSTRUCTOR, seminar_ids, user_id)


def is_enrolled(seminar, user) -> bool:
    """Whether `user` is a student of `seminar` now, read from the database (for services that act on a
    person other than the one asking, or must see the latest state)."""
    return Membership.objects.filter(seminar=seminar, user=user, role=STUDENT).exists()


def students_filter(prefix: str = "") -> Q:
    """The condition "is a student" on memberships, for counts and bulk reads (`prefix` as in
    "memberships__")."""
    return Q(**{f"{prefix}role": STUDENT})


def other_roles_of(seminar: Seminar, users) -> dict[str, str]:
    """e-mail -> role of those of `users` who are staff of the seminar (a student list must not make an
    instructor or supervisor a student)."""
    return dict(
        Membership.objects.filter(seminar=seminar, user__in=users)
        .exclude(role=STUDENT)
        .values_list("user__email", "role")
    )


# --------------------------------------------------------------------------------------- permissions

rules.add_perm("seminars.view", can_see_seminar)
rules.add_perm("seminars.enrol", rules.is_authenticated & can_see_seminar)
rules.add_perm("seminars.edit", is_instructor_of)
rules.add_perm("seminars.view_roster", is_instructor_of)
rules.add_perm("seminars.import_students", is_instructor_of)
