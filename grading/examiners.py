"""Several examiners per component: each enters their own grade of a student's component; the component
grade, the one that counts, is set from them: their mean on the scale (scoring.examiners_mean) or a grade
set by hand with a reason. Either way it is saved through grades_set, so the grade's history records who
set it, when, and the reason ("Mean of 2 examiners' grades" or what the examiner typed)."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from seminars.models import Membership, Seminar

from .exceptions import GradingError
from .models import ExaminerGrade, Grade, GradeComponent
from .scoring import GradeInputError, examiners_mean, format_grade, parse_grade
from .services import CellInput, GradesSetResult, grades_set


@transaction.atomic
def examiner_grade_set(
    *, seminar: Seminar, student: User, component: GradeComponent, examiner: User, text: str, now: datetime
) -> ExaminerGrade | None:
    """Saves the examiner's own grade (a step of the scale; empty removes it). Locks the student's
    membership row, as grading a student does. It does not change the component grade by itself."""
    Membership.objects.filter(seminar=seminar, user=student).select_for_update(of=("self",)).order_by(
        "pk"
    ).first()
    if not (text or "").strip():
        ExaminerGrade.objects.filter(component=component, student=student, examiner=examiner).delete()
        return None
    try:
        value = parse_grade(text)
    except GradeInputError as error:
        raise GradingError(str(error)) from None
    grade, _created = ExaminerGrade.objects.update_or_create(
        component=component,
        student=student,
        examiner=examiner,
        defaults={"seminar": seminar, "value": value, "updated_at": now},
    )
    return grade


@dataclass(frozen=True)
class ExaminerGrades:
    grades: list[ExaminerGrade]  # by examiner's name
    mean: Decimal | None
    current: Grade | None  # the component grade that counts


def examiner_grades_of(seminar: Seminar, student: User, component: GradeComponent) -> ExaminerGrades:
    grades = list(
        ExaminerGrade.objects.filter(component=component, student=student)
        .select_related("examiner")
        .order_by("examiner__full_name", "examiner_id")
    )
    current = Grade.objects.filter(component=component, student=student).first()
    return ExaminerGrades(grades, examiners_mean([grade.value for grade in grades]), current)


def component_grade_from_examiners(
    *,
    seminar: Seminar,
    student: User,
    component: GradeComponent,
    by: User,
    value: Decimal | None,
    reason: str,
    expected_version: int,
    now: datetime,
) -> GradesSetResult:
    """Sets the component grade: with `value` None the examiners' mean (at least one examiner's grade),
    otherwise `value` by hand, for which a reason is required. Saved through grades_set (the grader's
    right to grade the student, a stale page refused by `expected_version`, the history and the mail
    after release)."""
    if value is None:
        mean = examiner_grades_of(seminar, student, component).mean
        if mean is None:
            raise GradingError(_("No examiner has entered a grade yet."))
        count = ExaminerGrade.objects.filter(component=component, student=student).count()
        value = mean
        reason = _("Mean of %(count)d examiners' grades") % {"count": count}
    elif not reason.strip():
        raise GradingError(
            _("Please give a reason for setting the grade by hand; it is kept in the history.")
        )
    cell = CellInput(
        student_id=student.pk,
        component=component.key,
        text=format_grade(value, decimal_comma=False),
        comment=reason.strip(),
        expected_version=expected_version,
    )
    return grades_set(seminar=seminar, grader=by, cells=[cell], now=now)
