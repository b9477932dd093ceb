"""Who may see whose work, upload, follow a deliverable and grant extensions.

A person sees their own files; an instructor every student's; a supervisor their own students' (those
whose allotted paper they supervise); nobody else anyone's. `visible_students` is that rule as a
queryset, for lists; the predicates ask the same queryset about one student, so a list and a download
can never disagree. The discussant of a talk also gets the presenter's counted slides (and nothing else)."""

import rules
from django.db.models import Q, QuerySet

from papers.rules import supervised_students
from schedule.models import Slot
from seminars.models import Membership
from seminars.rules import (
    is_instructor_of,
    is_member_of,
    is_student_of,
    is_supervisor_in,
    is_teacher_of,
    student_memberships,
)

from .deadlines import counted_index
from .models import Deliverable, Submission


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


def discussed_slots(user, seminar) -> QuerySet[Slot]:
    """The talks `user` discusses in the published schedule of `seminar` (while a student of it)."""
    if user is None or not user.is_authenticated or not is_student_of(user, seminar):
        return Slot.objects.none()
    return Slot.objects.filter(
        Q(discussant=user) | Q(second_discussant=user),
        seminar=seminar,
        presenter__isnull=False,
        seminar__block_seminar__published_at__isnull=False,
    )


@rules.predicate
def is_discussant_of_slides(user, submission) -> bool:
    """The discussant of a talk gets the presenter's counted version of the slides, nothing else of theirs."""
    deliverable = submission.deliverable
    if deliverable.kind != Deliverable.Kind.SLIDES:
        return False
    if not discussed_slots(user, deliverable.seminar).filter(presenter_id=submission.student_id).exists():
        return False
    versions = list(
        Submission.objects.filter(deliverable=deliverable, student_id=submission.student_id).order_by(
            "version"
        )
    )
    index = counted_index(
        [item.is_late for item in versions], late_replaces_on_time=deliverable.late_replaces_on_time
    )
    return index is not None and versions[index].pk == submission.pk


@rules.predicate
def can_see_submission(user, submission) -> bool:
    return may_see_work_of(user, submission.deliverable.seminar, submission.student_id)


rules.add_perm("submissions.view_deliverables", is_member_of)
rules.add_perm("submissions.upload", is_student_of)
rules.add_perm("submissions.view_overview", is_teacher_of)
rules.add_perm("submissions.manage", is_instructor_of)
rules.add_perm("submissions.extend", is_instructor_of)
rules.add_perm("submissions.download", can_see_submission | is_discussant_of_slides)
