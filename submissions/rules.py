"""Who may see whose work, upload, follow a deliverable and grant extensions.

A person sees their own files; an instructor every student's; a supervisor their own students' (those
whose allotted paper they supervise); nobody else anyone's. `visible_students` is that rule as a
queryset, for lists; the predicates ask the same queryset about one student, so a list and a download
can never disagree."""

import rules
from django.db.models import QuerySet

from papers.rules import supervised_students
from seminars.models import Membership
from seminars.rules import (
    is_instructor_of,
    is_member_of,
    is_student_of,
    is_supervisor_in,
    is_teacher_of,
    student_memberships,
)


def visible_students(user, seminar) -> QuerySet[Membership]:
    """The students of `seminar` whose work `user` may see besides their own, by name."""
    if is_instructor_of(user, seminar):
        return student_memberships(seminar)
    if is_supervisor_in(user, seminar):
        return supervised_students(user, seminar)
    return Membership.objects.none()


def may_see_work_of(user, seminar, student_id: int) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return student_id == user.pk or visible_students(user, seminar).filter(user_id=student_id).exists()


@rules.predicate
def can_see_submission(user, submission) -> bool:
    return may_see_work_of(user, submission.deliverable.seminar, submission.student_id)


rules.add_perm("submissions.view_deliverables", is_member_of)
rules.add_perm("submissions.upload", is_student_of)
rules.add_perm("submissions.view_overview", is_teacher_of)
rules.add_perm("submissions.manage", is_instructor_of)
rules.add_perm("submissions.extend", is_instructor_of)
rules.add_perm("submissions.download", can_see_submission)
