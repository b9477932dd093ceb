"""Helpers of the grading tests: a seminar with every role, grades set directly or through the sheet, URLs."""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from django.urls import reverse

from accounts.models import User
from grading import services
from grading.models import Grade, GradeChange, GradingSettings
from papers.models import Allotment
from seminars.models import Seminar
from tests.factories import SeminarFactory, UserFactory, instructor_of, student_of, supervisor_of
from tests.papers.helpers import PaperFactory

NOW = datetime(2027, 2, 15, 10, 0, tzinfo=UTC)
PRESENTATION = Grade.Component.PRESENTATION
REPORT = Grade.Component.REPORT


@dataclass
class World:
    """Seminar B (weights 60/40): Mia (paper supervised by Sue) and Otto (paper supervised by Sam).
    Seminar A has its own instructor, student and grades."""

    seminar: Seminar
    instructor: User
    second_instructor: User
    me: User
    other: User
    supervisor: User
    other_supervisor: User
    foreign_seminar: Seminar
    foreign_instructor: User
    foreign_student: User
    outsider: User


def make_world(state=Seminar.State.OPEN) -> World:
    seminar = SeminarFactory(title="Seminar B", state=state, weight_presentation=60, weight_report=40)
    instructor = instructor_of(seminar, user__full_name="Ida Instructor")
    second_instructor = instructor_of(seminar, user__full_name="Ivo Instructor")
    supervisor = supervisor_of(seminar, user__full_name="Sue Supervisor")
    other_supervisor = supervisor_of(seminar, user__full_name="Sam Supervisor")
    me = student_of(
        seminar,
        user__full_name="Mia Me",
        user__email="mia@uni.example",
        user__matriculation_number="03700001",
    )
    other = student_of(
        seminar,
        user__full_name="Otto Other",
        user__email="otto@uni.example",
        user__matriculation_number="03700002",
    )
    for student, paper_supervisor, title in (
        (me, supervisor, "Paper of Mia"),
        (other, other_supervisor, "Paper of Otto"),
    ):
        paper = PaperFactory(seminar=seminar, title=title, supervisor=paper_supervisor)
        Allotment.objects.create(seminar=seminar, student=student, paper=paper, source="automatic")
    foreign_seminar = SeminarFactory(title="Seminar A")
    foreign_student = student_of(foreign_seminar, user__full_name="Fred Foreign")
    return World(
        seminar=seminar,
        instructor=instructor,
        second_instructor=second_instructor,
        me=me,
        other=other,
        supervisor=supervisor,
        other_supervisor=other_supervisor,
        foreign_seminar=foreign_seminar,
        foreign_instructor=instructor_of(foreign_seminar, user__full_name="Fiona Foreign"),
        foreign_student=foreign_student,
        outsider=UserFactory(full_name="Olga Outsider"),
    )


def set_grade(seminar, student, component, text, *, grader, version=None, comment="", now=NOW) -> Grade:
    """Through the service, as the sheet does; `version` defaults to the current one (no conflict)."""
    if version is None:
        current = Grade.objects.filter(seminar=seminar, student=student, component=component).first()
        version = current.version if current else 0
    return services.grade_set(
        seminar=seminar,
        student=student,
        component=component,
        text=text,
        comment=comment,
        grader=grader,
        expected_version=version,
        now=now,
    )


def release(seminar, by, now=NOW) -> GradingSettings:
    return services.grades_release(seminar=seminar, released_by=by, now=now)


def stored_grades() -> dict:
    """Every grade as a plain value: (seminar, student, component) -> (value, comment, version)."""
    return {
        (grade.seminar_id, grade.student_id, grade.component): (grade.value, grade.comment, grade.version)
        for grade in Grade.objects.all()
    }


def snapshot() -> dict:
    return {
        "grades": stored_grades(),
        "changes": list(GradeChange.objects.order_by("pk").values_list("grade_id", "old_value", "new_value")),
        "settings": list(GradingSettings.objects.order_by("pk").values()),
    }


def value_of(seminar, student, component) -> Decimal | None:
    grade = Grade.objects.filter(seminar=seminar, student=student, component=component).first()
    return grade.value if grade else None


def grade_data(student, component, value, *, version=0, comment="") -> dict[str, str]:
    return {
        "student": str(student.pk),
        "component": str(component),
        "version": str(version),
        "value": value,
        "comment": comment,
    }


def sheet_url(seminar: Seminar) -> str:
    return reverse("grading:sheet", kwargs={"slug": seminar.slug})


def settings_url(seminar: Seminar) -> str:
    return reverse("grading:settings", kwargs={"slug": seminar.slug})


def release_url(seminar: Seminar) -> str:
    return reverse("grading:release", kwargs={"slug": seminar.slug})


def export_url(seminar: Seminar, file_format="csv", decimal="comma") -> str:
    return (
        reverse("grading:export", kwargs={"slug": seminar.slug})
        + f"?file_format={file_format}&decimal={decimal}"
    )


def my_grades_url(seminar: Seminar) -> str:
    return reverse("grading:mine", kwargs={"slug": seminar.slug})


def main_of(content: str) -> str:
    """The page's <main>: what the page says, without the layout around it (user menu etc.)."""
    return content.split("<main", 1)[-1].split("</main>", 1)[0]
