"""Who may grade whom, see the grading sheet, set the rules and release grades, and read their own; who
writes examiner feedback and who downloads its file."""

import rules

from papers.rules import is_supervisor_of_student
from seminars.rules import is_instructor_of, is_student_of, is_teacher_of

# `membership` is the student's: the seminar's instructors grade everyone, a supervisor their students.
can_grade = is_instructor_of | is_supervisor_of_student

rules.add_perm("grading.view_sheet", is_teacher_of)
rules.add_perm("grading.set_grade", can_grade)
# The history of a student's grades: whoever may grade them.
rules.add_perm("grading.view_history", can_grade)
rules.add_perm("grading.manage", is_instructor_of)
rules.add_perm("grading.view_own", is_student_of)
# Examiner feedback (a rubric filled in, a comment, a file): written by whoever may grade the student, for
# the components whose rubric the instructors set.
rules.add_perm("grading.give_feedback", can_grade)
rules.add_perm("grading.set_rubric", is_instructor_of)


@rules.predicate
def is_released_own_feedback(user, feedback) -> bool:
    """The student's own feedback, once the seminar's grades are released (and while they are a student)."""
    from .models import GradingSettings

    return (
        user is not None
        and user.is_authenticated
        and feedback.student_id == user.pk
        and is_student_of(user, feedback.seminar)
        and GradingSettings.objects.filter(seminar=feedback.seminar, released_at__isnull=False).exists()
    )


@rules.predicate
def may_grade_feedback_student(user, feedback) -> bool:
    from seminars.models import Membership

    membership = Membership.objects.filter(seminar=feedback.seminar, user_id=feedback.student_id).first()
    return membership is not None and can_grade(user, membership)


rules.add_perm("grading.download_feedback", is_released_own_feedback | may_grade_feedback_student)
