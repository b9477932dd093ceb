"""Who may do what with papers, rankings and the allotment; and the supervisor relation every later app
uses (a supervisor's students are those whose allotted paper they supervise)."""

import rules
from django.db.models import QuerySet

from seminars.models import Membership
from seminars.rules import (
    is_instructor_of,
    is_member_of,
    is_student_of,
    is_supervisor_in,
    seminar_of,
    student_memberships,
)

from .models import Allotment


def supervised_students(user, seminar) -> QuerySet[Membership]:
    """The students of `seminar` whose allotted paper `user` supervises as a supervisor of the seminar
    (published or not: supervisors are the seminar's staff). An instructor who supervises a paper sees
    every student anyway, as an instructor."""
    if user is None or not user.is_authenticated or not is_supervisor_in(user, seminar):
        return Membership.objects.none()
    supervised = Allotment.objects.filter(seminar=seminar, paper__supervisor=user).values("student_id")
    return student_memberships(seminar).filter(user_id__in=supervised)


_SUPERVISED = "_supervised_memberships"


def _supervised_ids(user, seminar) -> set[int]:
    """The membership ids of supervised_students, read once per user object and seminar (as the roles
    are, seminars.rules._memberships), so that asking about every student of a sheet costs one query."""
    found = user.__dict__.setdefault(_SUPERVISED, {})
    if seminar.pk not in found:
        found[seminar.pk] = set(supervised_students(user, seminar).values_list("pk", flat=True))
    return found[seminar.pk]


# The supervisor of a student (`membership` is the student's): asked of the same queryset the lists use.
@rules.predicate
def is_supervisor_of_student(user, membership: Membership) -> bool:
    if user is None or not user.is_authenticated or not is_supervisor_in(user, membership.seminar):
        return False
    return membership.pk in _supervised_ids(user, membership.seminar)


@rules.predicate
def catalogue_is_public(user, obj) -> bool:
    """The chair made the paper catalogue public (Seminar.papers_public), for a seminar that is no draft."""
    seminar = seminar_of(obj)
    return seminar.papers_public and seminar.is_public


rules.add_perm("papers.view_catalogue", is_member_of | catalogue_is_public)
rules.add_perm("papers.rank", is_student_of)
rules.add_perm("papers.see_own_allotment", is_student_of)
rules.add_perm("papers.manage", is_instructor_of)
rules.add_perm("papers.manage_allotment", is_instructor_of)
