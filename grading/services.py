"""Every write of grading: grades (with history and stale-page protection), settings, release."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.mail import mail_send, portal_link
from core.outbox import enqueue_many_on_commit, enqueue_on_commit
from core.permissions import may
from seminars.models import Membership, Seminar
from seminars.rules import students_filter

from .exceptions import GradeConflictError, NotAStudentError, NotYourStudentError
from .models import Grade, GradeChange, GradingSettings
from .scoring import parse_grade
from .tasks import task_grade_notify


@transaction.atomic
def grade_set(
    *,
    seminar: Seminar,
    student: User,
    component: str,
    text: str,
    comment: str,
    grader: User,
    expected_version: int,
    now: datetime,
) -> Grade:
    """Sets a component grade. Allowed for the seminar's instructors and the supervisor of the student's
    paper. The value must be a step of the scale ("2,3" or "2.3"). `expected_version` is the version the
    grader's page showed (0 for no grade yet): if someone saved in between, the save is refused with the
    current value and nothing is overwritten. Every change is recorded; after release the student is told."""
    membership = Membership.objects.filter(students_filter(), seminar=seminar, user=student).first()
    if membership is None:
        raise NotAStudentError
    if not may(grader, "grading.set_grade", membership):
        raise NotYourStudentError
    value = parse_grade(text)
    # The student's membership row is the lock: two first saves of one grade cannot both insert it.
    Membership.objects.select_for_update().filter(seminar=seminar, user=student).first()
    grade = (
        Grade.objects.select_for_update(of=("self",))
        .select_related("grader")
        .filter(seminar=seminar, student=student, component=component)
        .first()
    )
    if (grade.version if grade else 0) != expected_version:
        raise GradeConflictError(grade)
    if grade and grade.value == value and grade.comment == comment:
        return grade
    old_value = grade.value if grade else None
    if grade is None:
        grade = Grade(seminar=seminar, student=student, component=component, version=0)
    grade.value, grade.comment, grade.grader, grade.updated_at = value, comment, grader, now
    grade.version += 1
    grade.save()
    GradeChange.objects.create(
        grade=grade, old_value=old_value, new_value=value, comment=comment, changed_by=grader, changed_at=now
    )
    released = GradingSettings.objects.filter(seminar=seminar, released_at__isnull=False).exists()
    if released and old_value != value:
        enqueue_on_commit(task_grade_notify, seminar_id=seminar.pk, student_id=student.pk)
    return grade


@transaction.atomic
def grading_settings_set(*, seminar: Seminar, rounding: str, must_pass_all: bool) -> GradingSettings:
    """Changes the exam rules; final grades are computed from them, so every final grade follows."""
    settings, _created = GradingSettings.objects.update_or_create(
        seminar=seminar, defaults={"rounding": rounding, "must_pass_all": must_pass_all}
    )
    return settings


@transaction.atomic
def grades_release(*, seminar: Seminar, released_by: User, now: datetime) -> GradingSettings:
    """Shows every student of the seminar their grades and final grade, and tells those who have grades."""
    settings, _created = GradingSettings.objects.select_for_update().get_or_create(seminar=seminar)
    if settings.released_at is not None:
        return settings
    settings.released_at, settings.released_by = now, released_by
    settings.save()
    graded = sorted(set(Grade.objects.filter(seminar=seminar).values_list("student_id", flat=True)))
    enqueue_many_on_commit(
        task_grade_notify, [{"seminar_id": seminar.pk, "student_id": student_id} for student_id in graded]
    )
    return settings


def grade_notify(*, seminar: Seminar, student: User) -> None:
    """Mails a student that their grades in a seminar are released or have changed (no grade in the mail:
    the student reads it in the portal after logging in)."""
    mail_send(
        to=student,
        subject=gettext_lazy("Your grades in %(seminar)s"),
        subject_params={"seminar": seminar.title},
        template="grading/email/grades",
        context={
            "student": student,
            "seminar": seminar,
            "grades_url": portal_link("grading:mine", seminar.slug),
        },
        zone=seminar.time_zone,
    )
