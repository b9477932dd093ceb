"""Reads of grades. Students see their own grades only once released; supervisors only their students."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import QuerySet

from papers.models import Allotment
from reviews.models import PeerReview
from reviews.selectors import reviews_written_for_grading
from schedule.selectors import talk_starts
from seminars.models import Membership, Seminar
from seminars.rules import student_memberships
from submissions.models import Deliverable, Submission
from submissions.rules import visible_students
from submissions.selectors import versions_from

from .models import ExaminerGrade, Grade, GradeChange, GradeComponent, GradingSettings
from .scoring import FinalGrade, examiners_mean, final_grade

# The components of a seminar that has saved none: (key, English name, German name, weight, the kind of
# deliverable linked by default). The names are the catalogue's translations of "Presentation" and "Report".
DEFAULT_COMPONENTS = [
    ("presentation", "Presentation", "Vortrag", 60, Deliverable.Kind.SLIDES),
    ("report", "Report", "Ausarbeitung", 40, Deliverable.Kind.REPORT),
]


def settings_of(seminar: Seminar) -> GradingSettings:
    """The seminar's grading settings; the defaults (unsaved) until an instructor changes them."""
    return GradingSettings.objects.filter(seminar=seminar).first() or GradingSettings(seminar=seminar)


def default_components(seminar: Seminar, *, linked: bool = True) -> list[GradeComponent]:
    """Presentation 60 % and report 40 % (unsaved). `linked`: to the seminar's first slides and first report
    deliverable, as the sheet linked them before components were data (one query)."""
    first: dict[str, Deliverable] = {}
    if linked:
        kinds = [kind for *_, kind in DEFAULT_COMPONENTS]
        for deliverable in Deliverable.objects.filter(seminar=seminar, kind__in=kinds).order_by(
            "order", "pk"
        ):
            first.setdefault(deliverable.kind, deliverable)
    return [
        GradeComponent(
            seminar=seminar,
            key=key,
            name_en=name_en,
            name_de=name_de,
            weight=weight,
            deliverable=first.get(kind),
            order=order,
        )
        for order, (key, name_en, name_de, weight, kind) in enumerate(DEFAULT_COMPONENTS, start=1)
    ]


def components_of(seminar: Seminar, *, linked: bool = False) -> list[GradeComponent]:
    """The seminar's grade components in order; the defaults (unsaved) until the first grade or an
    instructor's edit saves them. `linked` loads the linked deliverables too. One query, or two for the
    defaults when linked."""
    saved = GradeComponent.objects.filter(seminar=seminar).order_by("order", "pk")
    if linked:
        saved = saved.select_related("deliverable")
    return list(saved) or default_components(seminar, linked=linked)


def _keys(components: list[GradeComponent]) -> dict[int, str]:
    """Component id -> key. A grade of a component saved after `components` were read (the first grade of
    a seminar, saved meanwhile) finds no key and is left out, so that a page agrees with its columns."""
    return {component.pk: component.key for component in components if component.pk}


def deliverable_choices(seminar: Seminar) -> list[tuple[int, str]]:
    """The deliverables a component may link to: the seminar's, in their order."""
    return list(
        Deliverable.objects.filter(seminar=seminar).order_by("order", "pk").values_list("pk", "title")
    )


def final_of(
    components: list[GradeComponent], settings: GradingSettings, grades: dict[str, Decimal | None]
) -> FinalGrade:
    """The final grade from the grades by component key, with the components' weights."""
    return final_grade(
        {component.key: grades.get(component.key) for component in components},
        {component.key: component.weight for component in components},
        rounding=settings.rounding,
        must_pass_all=settings.must_pass_all,
    )


def gradable_students(seminar: Seminar, user) -> QuerySet[Membership]:
    """The same people whose files the user may see: instructors all students, supervisors their own."""
    return visible_students(user, seminar)


@dataclass(frozen=True)
class CellExaminers:
    """The examiners' own grades of one student's component (by examiner's name) and their mean on the
    scale (grading.examiners)."""

    grades: list[ExaminerGrade]
    mean: Decimal | None


@dataclass(frozen=True)
class SheetRow:
    membership: Membership
    allotment: Allotment | None
    grades: dict[str, Grade]  # by component key
    final: FinalGrade
    files: list[Submission] = field(default_factory=list)  # counted files of the linked deliverables
    talk: datetime | None = None
    examiners: dict[str, CellExaminers] = field(default_factory=dict)  # by component key
    reviews: list[PeerReview] = field(default_factory=list)  # the reviews the student wrote, if readable


@dataclass(frozen=True)
class GradingSheet:
    components: list[GradeComponent]
    rows: list[SheetRow]


def counted_files(components: list[GradeComponent], student_ids: list[int]) -> dict[int, list[Submission]]:
    """Each student's counted file of every deliverable linked to a component, in the components' order,
    in one query."""
    deliverables = {
        component.deliverable.pk: component.deliverable for component in components if component.deliverable
    }
    versions: dict[tuple[int, int], list[Submission]] = {}
    for submission in Submission.objects.filter(
        deliverable_id__in=list(deliverables), student_id__in=student_ids
    ).order_by("version"):
        submission.deliverable = deliverables[submission.deliverable_id]
        versions.setdefault((submission.student_id, submission.deliverable_id), []).append(submission)
    files: dict[int, list[Submission]] = {}
    for student_id in student_ids:
        for deliverable_id, deliverable in deliverables.items():
            items = versions.get((student_id, deliverable_id))
            counted = versions_from(items, deliverable).counted if items else None
            if counted is not None:
                files.setdefault(student_id, []).append(counted)
    return files


def examiners_by_cell(
    components: list[GradeComponent], student_ids: list[int]
) -> dict[tuple[int, str], CellExaminers]:
    """(student id, component key) -> the examiners' grades of that cell and their mean, in one query."""
    keys = _keys(components)
    grades: dict[tuple[int, str], list[ExaminerGrade]] = {}
    for grade in (
        ExaminerGrade.objects.filter(component_id__in=list(keys), student_id__in=student_ids)
        .select_related("examiner")
        .order_by("examiner__full_name", "examiner_id")
    ):
        grades.setdefault((grade.student_id, keys[grade.component_id]), []).append(grade)
    return {
        key: CellExaminers(found, examiners_mean([grade.value for grade in found]))
        for key, found in grades.items()
    }


def grading_sheet(seminar: Seminar, user, *, with_files: bool = False) -> GradingSheet:
    """The seminar's components and one row per student the user may grade, in a fixed number of queries
    however many students; `with_files` adds what the sheet's page shows beside the grades: each student's
    counted files of the deliverables linked to the components, their talk, the examiners' grades of each
    component and the reviews the student wrote, as far as the user may read them (four queries more)."""
    components = components_of(seminar, linked=with_files)
    memberships = list(gradable_students(seminar, user))
    student_ids = [membership.user_id for membership in memberships]
    allotments = {
        allotment.student_id: allotment
        for allotment in Allotment.objects.filter(seminar=seminar, student_id__in=student_ids).select_related(
            "paper__supervisor"
        )
    }
    keys = _keys(components)
    grades: dict[int, dict[str, Grade]] = {}
    for grade in Grade.objects.filter(seminar=seminar, student_id__in=student_ids).select_related("grader"):
        if grade.component_id in keys:
            grades.setdefault(grade.student_id, {})[keys[grade.component_id]] = grade
    settings = settings_of(seminar)
    files = counted_files(components, student_ids) if with_files else {}
    talks = talk_starts([seminar.pk], student_ids) if with_files else {}
    examiners = examiners_by_cell(components, student_ids) if with_files else {}
    reviews = reviews_written_for_grading(user, seminar, student_ids) if with_files else {}
    rows = []
    for membership in memberships:
        own = grades.get(membership.user_id, {})
        final = final_of(components, settings, {key: grade.value for key, grade in own.items()})
        rows.append(
            SheetRow(
                membership,
                allotments.get(membership.user_id),
                own,
                final,
                files.get(membership.user_id, []),
                talks.get((seminar.pk, membership.user_id)),
                {
                    component.key: examiners[(membership.user_id, component.key)]
                    for component in components
                    if (membership.user_id, component.key) in examiners
                },
                reviews.get(membership.user_id, []),
            )
        )
    return GradingSheet(components, rows)


@dataclass(frozen=True)
class StudentGrades:
    components: list[GradeComponent]
    grades: dict[str, Grade]  # by component key
    final: FinalGrade


def released_grades_for(seminar: Seminar, student) -> StudentGrades | None:
    """A student's own grades, and only once the seminar's grades are released."""
    settings = settings_of(seminar)
    if settings.released_at is None:
        return None
    components = components_of(seminar)
    keys = _keys(components)
    own = {
        keys[grade.component_id]: grade
        for grade in Grade.objects.filter(seminar=seminar, student=student)
        if grade.component_id in keys
    }
    final = final_of(components, settings, {key: grade.value for key, grade in own.items()})
    return StudentGrades(components, own, final)


def graded_student_ids(seminar: Seminar) -> list[int]:
    """The students of the seminar (not those who withdrew) with at least one grade: whom the release
    mails."""
    return sorted(
        set(
            Grade.objects.filter(
                seminar=seminar, student_id__in=student_memberships(seminar).values("user_id")
            ).values_list("student_id", flat=True)
        )
    )


@dataclass(frozen=True)
class ReleaseCheck:
    """What releasing the grades does and what looks wrong before it."""

    released: bool
    recipients: int  # students mailed
    ungraded: list[SheetRow]  # students without any grade
    incomplete: list[tuple[SheetRow, list[GradeComponent]]]  # some grades, and these components missing


def release_check(seminar: Seminar, user) -> ReleaseCheck:
    """For the release's confirmation page; a fixed number of queries however many students."""
    sheet = grading_sheet(seminar, user)
    ungraded = [row for row in sheet.rows if not row.grades]
    incomplete = [
        (row, [component for component in sheet.components if component.key not in row.grades])
        for row in sheet.rows
        if row.grades and row.final.incomplete
    ]
    return ReleaseCheck(
        released=settings_of(seminar).released_at is not None,
        recipients=len(graded_student_ids(seminar)),
        ungraded=ungraded,
        incomplete=incomplete,
    )


@dataclass(frozen=True)
class ComponentHistory:
    component: GradeComponent
    grade: Grade | None
    changes: list[GradeChange]  # the latest first


def grade_history(membership: Membership) -> list[ComponentHistory]:
    """Every change of a student's grades in the seminar, by component in the components' order (three
    queries)."""
    components = components_of(membership.seminar)
    keys = _keys(components)
    grades = {
        keys[grade.component_id]: grade
        for grade in Grade.objects.filter(seminar=membership.seminar, student_id=membership.user_id)
        if grade.component_id in keys
    }
    changes: dict[int, list[GradeChange]] = {}
    for change in GradeChange.objects.filter(grade__in=list(grades.values())).select_related("changed_by"):
        changes.setdefault(change.grade_id, []).append(change)
    return [
        ComponentHistory(
            component,
            grades.get(component.key),
            changes.get(grades[component.key].pk, []) if component.key in grades else [],
        )
        for component in components
    ]
