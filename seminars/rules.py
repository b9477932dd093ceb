"""The access policy's ground floor: who a person is in a seminar, and which seminars they may see.

Every app's rules.py builds its permissions from these predicates and querysets; no other module
compares roles. Predicates take the person and anything that belongs to one seminar (the seminar, a
membership, a deliverable ...). A person's roles are read once per user object (one query for all their
seminars) and kept on it for the request; `forget_roles` drops them after a change of the person's own
memberships.

A withdrawn student (Membership.withdrawn_at) is no longer a student, nor a member, of the seminar: every
predicate and queryset here leaves them out, so every page, list, reminder, allotment and calendar that
asks them follows at once. Their membership row stays, for the exam office and for an undo.
"""

from datetime import datetime

import rules
from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User

from .models import Membership, Seminar

STUDENT = Membership.Role.STUDENT
SUPERVISOR = Membership.Role.SUPERVISOR
INSTRUCTOR = Membership.Role.INSTRUCTOR
STAFF_ROLES = (INSTRUCTOR, SUPERVISOR)
_ROLES = "_seminar_roles"
RUN_SEMINARS = "run_seminars"


def seminar_of(obj) -> Seminar:
    return obj if isinstance(obj, Seminar) else obj.seminar


def _memberships(user) -> dict[int, tuple[str, datetime | None]]:
    """seminar id -> (role, withdrawn at) of all the person's memberships, read once per user object."""
    if user is None or not user.is_authenticated:
        return {}
    found = getattr(user, _ROLES, None)
    if found is None:
        rows = Membership.objects.filter(user=user).values_list("seminar_id", "role", "withdrawn_at")
        found = {seminar_id: (role, withdrawn_at) for seminar_id, role, withdrawn_at in rows}
        setattr(user, _ROLES, found)
    return found


def remember_roles(user, memberships) -> None:
    """Keeps the roles of memberships the caller has read anyway (all of `user`'s), saving the query."""
    setattr(
        user,
        _ROLES,
        {membership.seminar_id: (membership.role, membership.withdrawn_at) for membership in memberships},
    )


def forget_roles(user) -> None:
    if hasattr(user, _ROLES):
        delattr(user, _ROLES)


def role_of(user, obj) -> str | None:
    """The person's role in the seminar `obj` belongs to, for showing it ("Your role: Student"); None for
    a student who withdrew."""
    role, withdrawn_at = _memberships(user).get(seminar_of(obj).pk, (None, None))
    return role if withdrawn_at is None else None


def withdrawn_at_of(user, obj) -> datetime | None:
    """When the person withdrew from the seminar `obj` belongs to; None if they did not (or are no
    student of it)."""
    return _memberships(user).get(seminar_of(obj).pk, (None, None))[1]


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


# The seminar's teaching staff: its instructors and its supervisors (members with the supervisor role,
# whether or not a paper names them yet).
is_teacher_of = is_instructor_of | is_supervisor_in


def site_permission(app_label: str, codename: str):
    """A predicate for a site permission (a model's Meta permission `app_label.codename`), given in the
    Django admin to the person or to one of their groups. Read once per user object. Like every right of
    the policy it is never implied by being a superuser: a superuser gives it to themselves in the admin
    like to anyone else."""
    kept_as = f"_site_permission_{app_label}_{codename}"

    def holds(user) -> bool:
        if user is None or not user.is_authenticated or not user.is_active:
            return False
        found = getattr(user, kept_as, None)
        if found is None:
            found = (
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
                .filter(Q(user=user) | Q(group__user=user))
                .exists()
            )
            setattr(user, kept_as, found)
        return found

    return rules.predicate(holds, name=f"has_{codename}")


# The site permission to create and copy seminars (Seminar's Meta permission "run_seminars").
runs_seminars = site_permission("seminars", RUN_SEMINARS)


@rules.predicate
def withdrawal_is_open(user, obj) -> bool:
    """Before the seminar's withdrawal deadline (none set: never), when a student may withdraw themselves."""
    deadline = seminar_of(obj).withdrawal_deadline
    return deadline is not None and timezone.now() < deadline


def visible_seminars(user) -> QuerySet[Seminar]:
    """Seminars a person may see: every one that is not a draft, and the drafts they are a member of."""
    visible = ~Q(state=Seminar.State.DRAFT)
    if user is not None and user.is_authenticated:
        visible |= Q(pk__in=Membership.objects.current().filter(user=user).values("seminar_id"))
    return Seminar.objects.filter(visible)


@rules.predicate
def can_see_seminar(user, obj) -> bool:
    return visible_seminars(user).filter(pk=seminar_of(obj).pk).exists()


# ------------------------------------------------------------------------ who is what in a seminar


def student_memberships(seminar: Seminar) -> QuerySet[Membership]:
    """The seminar's students (not those who withdrew), by name."""
    return (
        Membership.objects.filter(students_filter(), seminar=seminar)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def roster_memberships(seminar: Seminar) -> QuerySet[Membership]:
    """Every student membership of the seminar, withdrawn ones too, by name (the roster and its export)."""
    return (
        Membership.objects.filter(seminar=seminar, role=STUDENT)
        .select_related("user", "withdrawn_by")
        .order_by("user__full_name", "user__email")
    )


def withdrawn_memberships(seminar: Seminar) -> QuerySet[Membership]:
    """The students who withdrew from the seminar, the latest first (for the roster and an undo)."""
    return (
        Membership.objects.filter(seminar=seminar, role=STUDENT, withdrawn_at__isnull=False)
        .select_related("user", "withdrawn_by")
        .order_by("-withdrawn_at", "user__full_name")
    )


def staff_memberships(seminar: Seminar) -> QuerySet[Membership]:
    """The seminar's instructors and supervisors: instructors first, then by name."""
    return (
        Membership.objects.filter(seminar=seminar, role__in=STAFF_ROLES)
        .select_related("user")
        .order_by("role", "user__full_name", "user__email")
    )


def is_staff_membership(membership: Membership) -> bool:
    return membership.role in STAFF_ROLES


def is_instructor_membership(membership: Membership) -> bool:
    return membership.role == INSTRUCTOR


def is_student_membership(membership: Membership) -> bool:
    """A student's membership, withdrawn or not."""
    return membership.role == STUDENT


def is_current_student_membership(membership: Membership) -> bool:
    return membership.role == STUDENT and membership.withdrawn_at is None


def instructor_memberships(seminar: Seminar) -> QuerySet[Membership]:
    """The seminar's instructors by name, for its page."""
    return (
        Membership.objects.filter(seminar=seminar, role=INSTRUCTOR)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def instructor_count(seminar: Seminar) -> int:
    return Membership.objects.filter(seminar=seminar, role=INSTRUCTOR).count()


def participant_memberships(seminar: Seminar) -> QuerySet[Membership]:
    """Everyone who is part of the seminar now: students (not withdrawn), supervisors and instructors."""
    return Membership.objects.current().filter(seminar=seminar).select_related("user")


def student_users(seminar: Seminar) -> QuerySet[User]:
    """The seminar's students as users, by name: the choices of forms that pick a student."""
    return User.objects.filter(students_filter("memberships__"), memberships__seminar=seminar).order_by(
        "full_name", "email"
    )


def staff_users(seminar: Seminar) -> QuerySet[User]:
    """Who may supervise a paper: the seminar's supervisors and instructors."""
    return User.objects.filter(
        memberships__seminar=seminar, memberships__role__in=[SUPERVISOR, INSTRUCTOR]
    ).order_by("full_name")


def _ids_by_seminar(role: str, seminar_ids, user_id: int | None) -> dict[int, list[int]]:
    members = Membership.objects.current().filter(seminar_id__in=seminar_ids, role=role)
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
    """Whether `user` is a student of `seminar` now (not withdrawn), read from the database (for services
    that act on a person other than the one asking, or must see the latest state)."""
    return Membership.objects.filter(students_filter(), seminar=seminar, user=user).exists()


def students_filter(prefix: str = "") -> Q:
    """The condition "is a student now" (not withdrawn) on memberships, for counts and bulk reads
    (`prefix` as in "memberships__")."""
    return Q(**{f"{prefix}role": STUDENT, f"{prefix}withdrawn_at__isnull": True})


def withdrawn_filter(prefix: str = "") -> Q:
    """The condition "was a student and withdrew" on memberships (`prefix` as in "memberships__")."""
    return Q(**{f"{prefix}role": STUDENT, f"{prefix}withdrawn_at__isnull": False})


def staff_filter(prefix: str = "") -> Q:
    """The condition "is an instructor or supervisor" on memberships (`prefix` as in "memberships__")."""
    return Q(**{f"{prefix}role__in": STAFF_ROLES})


def taught_seminars(user) -> QuerySet[Seminar]:
    """The seminars `user` is an instructor of (as a queryset, for reads across seminars)."""
    return Seminar.objects.filter(memberships__user=user, memberships__role=INSTRUCTOR)


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
# Creating a seminar needs the site permission; copying one also needs to teach it (be its instructor), so
# nobody copies a seminar they do not teach.
rules.add_perm("seminars.create", runs_seminars)
rules.add_perm("seminars.copy", runs_seminars & is_instructor_of)
rules.add_perm("seminars.view_roster", is_instructor_of)
rules.add_perm("seminars.import_students", is_instructor_of)
# Invite, re-role and remove instructors and supervisors; withdraw a student and undo it.
rules.add_perm("seminars.manage_people", is_instructor_of)
# The withdrawal page (its terms and deadline) is a student's; withdrawing oneself needs the deadline ahead.
rules.add_perm("seminars.view_withdrawal", is_student_of)
rules.add_perm("seminars.withdraw", is_student_of & withdrawal_is_open)
rules.add_perm("seminars.announce", is_instructor_of)
rules.add_perm("seminars.view_announcements", is_member_of)
rules.add_perm("seminars.view_announcement_audience", is_teacher_of)


# Materials: instructors upload and manage them; everyone in the seminar downloads them, but the students
# of a draft seminar only once it is published (the instructors may still be preparing them).
@rules.predicate
def seminar_is_draft(user, obj) -> bool:
    return seminar_of(obj).state == Seminar.State.DRAFT


rules.add_perm("seminars.manage_materials", is_instructor_of)
rules.add_perm("seminars.view_materials", is_teacher_of | (is_student_of & ~seminar_is_draft))


@rules.predicate
def is_staff_like(user) -> bool:
    """Instructors and supervisors of any seminar (a withdrawn role does not exist for staff) and site
    staff (is_staff): the people whose account reaches exam records, for whom MFA can be made mandatory
    (MFA_REQUIRED_FOR_STAFF)."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_staff or any(role in STAFF_ROLES for role, _withdrawn in _memberships(user).values())


# Asked by accounts.middleware (which sits below this app and knows no roles) by name only.
rules.add_perm("accounts.must_use_mfa", is_staff_like)
