"""Helpers of the grading tests: a seminar with every role, grades set directly or through the sheet, URLs."""

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal

from django.urls import reverse

from accounts.models import User
from grading import services
from grading.models import Grade, GradeChange, GradeComponent, GradingSettings
from grading.services import ComponentSpec
from papers.models import Allotment
from seminars.models import Seminar
from tests.factories import SeminarFactory, UserFactory, instructor_of, student_of, supervisor_of
from tests.papers.helpers import PaperFactory

NOW = datetime(2027, 2, 15, 10, 0, tzinfo=UTC)
# The keys of the two default components (grading.selectors.DEFAULT_COMPONENTS).
PRESENTATION = "presentation"
REPORT = "report"
PARTICIPATION = "participation"


@dataclass
class World:
    """Seminar B (the default components, presentation 60 % and report 40 %): Mia (paper supervised by Sue)
    and Otto (paper supervised by Sam).
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
    seminar = SeminarFactory(title="Seminar B", state=state)
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
        current = Grade.objects.filter(seminar=seminar, student=student, component__key=component).first()
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


def specs_of(seminar: Seminar) -> list[ComponentSpec]:
    """The seminar's saved components as the components page posts them back unchanged."""
    return [
        ComponentSpec(c.pk, c.name_en, c.name_de, c.weight, c.deliverable_id, c.order)
        for c in GradeComponent.objects.filter(seminar=seminar).order_by("order")
    ]


def three_components(seminar: Seminar, *, deliverable=None) -> list[GradeComponent]:
    """Presentation 50 %, report 30 % and a new participation 20 % (linked to `deliverable`)."""
    services.grade_components_ensure(seminar=seminar)
    presentation, report = specs_of(seminar)
    return services.grade_components_set(
        seminar=seminar,
        components=[
            replace(presentation, weight=50),
            replace(report, weight=30),
            ComponentSpec(None, "Participation", "Mitarbeit", 20, deliverable.pk if deliverable else None),
        ],
    )


def components_url(seminar: Seminar) -> str:
    return reverse("grading:components", kwargs={"slug": seminar.slug})


def stored_components(seminar: Seminar) -> list[tuple]:
    return list(
        GradeComponent.objects.filter(seminar=seminar)
        .order_by("order")
        .values_list("pk", "key", "name_en", "name_de", "weight", "deliverable_id", "order")
    )


def release(seminar, by, now=NOW) -> GradingSettings:
    return services.grades_release(seminar=seminar, released_by=by, now=now)


def stored_grades() -> dict:
    """Every grade as a plain value: (seminar, student, component key) -> (value, comment, version)."""
    return {
        (grade.seminar_id, grade.student_id, grade.component.key): (grade.value, grade.comment, grade.version)
        for grade in Grade.objects.select_related("component")
    }


def snapshot() -> dict:
    return {
        "grades": stored_grades(),
        "changes": list(GradeChange.objects.order_by("pk").values_list("grade_id", "old_value", "new_value")),
        "settings": list(GradingSettings.objects.order_by("pk").values()),
        "components": list(GradeComponent.objects.order_by("pk").values()),
    }


def value_of(seminar, student, component) -> Decimal | None:
    grade = Grade.objects.filter(seminar=seminar, student=student, component__key=component).first()
    return grade.value if grade else None


def grade_data(student, component, value, *, version=0, comment="") -> dict[str, str]:
    """One cell of the sheet's form, as the page posts it (grading.sheet_form)."""
    suffix = f"{student.pk}-{component}"
    return {f"g-{suffix}": value, f"c-{suffix}": comment, f"v-{suffix}": str(version)}


def history_url(seminar: Seminar, student) -> str:
    return reverse("grading:history", kwargs={"slug": seminar.slug, "student": student.pk})


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
