"""Reads of grades. Students see their own grades only once released; supervisors only their students."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from papers.models import Allotment
from schedule.selectors import talk_starts
from seminars.models import Membership, Seminar
from submissions.models import Deliverable, Submission
from submissions.rules import visible_students
from submissions.selectors import versions_from

from .models import Grade, GradeChange, GradingSettings
from .scoring import FinalGrade, final_grade

COMPONENTS = [Grade.Component.PRESENTATION, Grade.Component.REPORT]


def settings_of(seminar: Seminar) -> GradingSettings:
    """The seminar's grading settings; the defaults (unsaved) until an instructor changes them."""
    return GradingSettings.objects.filter(seminar=seminar).first() or GradingSettings(seminar=seminar)


def weights_of(seminar: Seminar) -> dict[str, int]:
    return {
        Grade.Component.PRESENTATION: seminar.weight_presentation,
        Grade.Component.REPORT: seminar.weight_report,
    }


def final_of(seminar: Seminar, settings: GradingSettings, grades: dict[str, Decimal | None]) -> FinalGrade:
    return final_grade(
        {component: grades.get(component) for component in COMPONENTS},
        weights_of(seminar),
        rounding=settings.rounding,
        must_pass_all=settings.must_pass_all,
    )


def gradable_students(seminar: Seminar, user) -> QuerySet[Membership]:
    """The same people whose files the user may see: instructors all students, supervisors their own."""
    return visible_students(user, seminar)


@dataclass(frozen=True)
class SheetRow:
    membership: Membership
    allotment: Allotment | None
    grades: dict[str, Grade]
    final: FinalGrade
    files: dict[str, Submission] = field(default_factory=dict)
    talk: datetime | None = None


def counted_files(seminar: Seminar, student_ids: list[int]) -> dict[int, dict[str, Submission]]:
    """Each student's counted report and slides (of the first deliverable of each kind), in one query."""
    versions: dict[tuple[int, int], list[Submission]] = {}
    deliverables: dict[int, Deliverable] = {}
    for submission in (
        Submission.objects.filter(
            deliverable__seminar=seminar,
            deliverable__kind__in=[Deliverable.Kind.REPORT, Deliverable.Kind.SLIDES],
            student_id__in=student_ids,
        )
        .select_related("deliverable")
        .order_by("deliverable__order", "deliverable_id", "version")
    ):
        deliverables[submission.deliverable_id] = submission.deliverable
        versions.setdefault((submission.student_id, submission.deliverable_id), []).append(submission)
    files: dict[int, dict[str, Submission]] = {}
    for (student_id, deliverable_id), items in versions.items():
        deliverable = deliverables[deliverable_id]
        counted = versions_from(items, deliverable).counted
        if counted is not None:
            files.setdefault(student_id, {}).setdefault(deliverable.kind, counted)
    return files


def grading_sheet(seminar: Seminar, user, *, with_files: bool = False) -> list[SheetRow]:
    """One row per student the user may grade, in a fixed number of queries however many students;
    `with_files` adds each student's counted report and slides and their talk (two queries more)."""
    memberships = list(gradable_students(seminar, user))
    student_ids = [membership.user_id for membership in memberships]
    allotments = {
        allotment.student_id: allotment
        for allotment in Allotment.objects.filter(seminar=seminar, student_id__in=student_ids).select_related(
            "paper__supervisor"
        )
    }
    grades: dict[int, dict[str, Grade]] = {}
    changes = GradeChange.objects.select_related("changed_by")
    for grade in (
        Grade.objects.filter(seminar=seminar, student_id__in=student_ids)
        .select_related("grader")
        .prefetch_related(Prefetch("changes", queryset=changes))
    ):
        grades.setdefault(grade.student_id, {})[grade.component] = grade
    settings = settings_of(seminar)
    files = counted_files(seminar, student_ids) if with_files else {}
    talks = talk_starts([seminar.pk], student_ids) if with_files else {}
    rows = []
    for membership in memberships:
        own = grades.get(membership.user_id, {})
        final = final_of(seminar, settings, {component: grade.value for component, grade in own.items()})
        rows.append(
            SheetRow(
                membership,
                allotments.get(membership.user_id),
                own,
                final,
                files.get(membership.user_id, {}),
                talks.get((seminar.pk, membership.user_id)),
            )
        )
    return rows


def released_grades_for(seminar: Seminar, student) -> tuple[dict[str, Grade], FinalGrade] | None:
    """A student's own grades, and only once the seminar's grades are released."""
    settings = settings_of(seminar)
    if settings.released_at is None:
        return None
    own = {grade.component: grade for grade in Grade.objects.filter(seminar=seminar, student=student)}
    return own, final_of(seminar, settings, {component: grade.value for component, grade in own.items()})
