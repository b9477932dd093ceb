"""The grading sheet (and the export) cost the same number of queries for 3 and 300 students."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grading.models import ExaminerGrade, Grade, GradeChange, GradingSettings
from grading.services import ComponentSpec, grade_components_ensure, grade_components_set
from papers.models import Allotment, Paper
from reviews.models import PeerReview, ReviewRound
from submissions.models import Deliverable, Submission
from tests.factories import SeminarFactory, UserFactory, instructor_of, supervisor_of
from tests.seminars.helpers import add_students
from tests.submissions.helpers import DUE, DeliverableFactory

from .helpers import NOW, export_url, my_grades_url, sheet_url

pytestmark = pytest.mark.django_db

# One more than with two fixed components for the export and the student's page: the components. The
# sheet: two more for the examiners' grades and the reviews the students wrote.
MAX_SHEET_QUERIES = 16
MAX_EXPORT_QUERIES = 11
MAX_MY_GRADES_QUERIES = 9  # with the written feedback (one query)


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured)


def add_graded_students(seminar, count: int, *, prefix: str, supervisor, grader) -> list:
    """`count` students, each with an allotted paper (supervised), a grade for each component, two changes
    per grade, two versions of each linked deliverable's file (the sheet links the counted one), two
    examiners' grades of the first component (the grader's 1,3 and another's 2,0: mean 1,7, the grade)
    and, in the report's peer review round, a review of the next student's report."""
    students = add_students(seminar, count, prefix=prefix)
    Paper.objects.bulk_create(
        Paper(
            seminar=seminar,
            title=f"{prefix} paper {n:03d}",
            authors="A. Author",
            capacity=1,
            supervisor=supervisor,
        )
        for n in range(count)
    )
    papers = Paper.objects.filter(seminar=seminar, title__startswith=f"{prefix} paper").order_by("title")
    Allotment.objects.bulk_create(
        Allotment(seminar=seminar, student=student, paper=paper, source="automatic")
        for student, paper in zip(students, papers, strict=True)
    )
    components = grade_components_ensure(seminar=seminar)
    Grade.objects.bulk_create(
        Grade(
            seminar=seminar,
            student=student,
            component=component,
            value=Decimal("1.7"),
            grader=grader,
            version=2,
            updated_at=NOW,
        )
        for student in students
        for component in components
    )
    Submission.objects.bulk_create(
        Submission(
            deliverable=component.deliverable,
            student=student,
            version=version,
            file=f"seminar-{seminar.pk}/{prefix}-{student.pk}-{version}.pdf",
            original_name="file.pdf",
            file_type="pdf",
            size=10,
            sha256="0" * 64,
            received_at=DUE - timedelta(hours=3 - version),
        )
        for student in students
        for component in components
        if component.deliverable
        for version in (1, 2)
    )
    second_examiner = UserFactory(full_name=f"{prefix} examiner")
    ExaminerGrade.objects.bulk_create(
        ExaminerGrade(
            seminar=seminar,
            student=student,
            component=components[0],
            examiner=examiner,
            value=Decimal(value),
            updated_at=NOW,
        )
        for student in students
        for examiner, value in ((grader, "1.3"), (second_examiner, "2.0"))
    )
    report = next((c.deliverable for c in components if c.key == "report" and c.deliverable), None)
    if report is not None:
        add_reviews(report, students)
    grades = Grade.objects.filter(seminar=seminar, student__in=students)
    GradeChange.objects.bulk_create(
        GradeChange(
            grade=grade,
            old_value=old,
            new_value=new,
            changed_by=grader,
            changed_at=NOW + timedelta(minutes=n),
        )
        for grade in grades
        for n, (old, new) in enumerate(((None, Decimal("2.0")), (Decimal("2.0"), Decimal("1.7"))))
    )
    return students


def add_reviews(report, students) -> None:
    """The report's peer review round (published), in which each student reviews the next one's report."""
    count = len(students)
    review_round, _created = ReviewRound.objects.get_or_create(
        deliverable=report, defaults={"due_at": DUE + timedelta(days=7), "published_at": NOW}
    )
    counted = {
        submission.student_id: submission
        for submission in Submission.objects.filter(deliverable=report, student__in=students, version=2)
    }
    PeerReview.objects.bulk_create(
        PeerReview(
            round=review_round,
            reviewer=student,
            author=students[(n + 1) % count],
            submission=counted[students[(n + 1) % count].pk],
            text="Fine.",
            submitted_at=NOW,
        )
        for n, student in enumerate(students)
    )


@pytest.fixture
def seminar():
    """Three components, two of them linked to a deliverable."""
    seminar = SeminarFactory(capacity=500)
    GradingSettings.objects.create(seminar=seminar, released_at=NOW)
    report = DeliverableFactory(seminar=seminar)
    slides = DeliverableFactory(seminar=seminar, kind=Deliverable.Kind.SLIDES, title="Slides")
    grade_components_set(
        seminar=seminar,
        components=[
            ComponentSpec(None, "Presentation", "Vortrag", 50, slides.pk),
            ComponentSpec(None, "Report", "Ausarbeitung", 30, report.pk),
            ComponentSpec(None, "Participation", "Teilnahme", 20),
        ],
    )
    return seminar


@pytest.mark.parametrize("viewer", ["instructor", "supervisor"])
def test_sheet_costs_the_same_queries_for_3_and_300_students(
    client, seminar, viewer, django_assert_max_num_queries
):
    instructor = instructor_of(seminar)
    supervisor = supervisor_of(seminar)
    other_supervisor = supervisor_of(seminar)
    client.force_login(instructor if viewer == "instructor" else supervisor)
    add_graded_students(seminar, 3, prefix="few", supervisor=supervisor, grader=instructor)
    add_graded_students(seminar, 2, prefix="others", supervisor=other_supervisor, grader=other_supervisor)
    few = queries_for(client, sheet_url(seminar))

    add_graded_students(seminar, 297, prefix="many", supervisor=supervisor, grader=supervisor)
    with django_assert_max_num_queries(MAX_SHEET_QUERIES):
        response = client.get(sheet_url(seminar))

    content = response.content.decode()
    assert len(response.context["rows"]) == (302 if viewer == "instructor" else 300)
    # The history is a page of its own, linked from each changed grade (two changes: version 2).
    assert '<ul class="history">' not in content
    assert content.count("/history/") == 3 * len(response.context["rows"])
    assert content.count('/download/">') == 2 * len(response.context["rows"])
    assert content.count("Examiners: ") == len(response.context["rows"])
    assert content.count("mean 1.7") == len(response.context["rows"])
    # The reviews each student wrote: for the instructors only (supervisors have no part in peer review).
    assert content.count("/read/") == (len(response.context["rows"]) if viewer == "instructor" else 0)
    assert queries_for(client, sheet_url(seminar)) == few


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_costs_the_same_queries_for_3_and_300_students(
    client, seminar, file_format, django_assert_max_num_queries
):
    instructor = instructor_of(seminar)
    supervisor = supervisor_of(seminar)
    client.force_login(instructor)
    add_graded_students(seminar, 3, prefix="few", supervisor=supervisor, grader=instructor)
    few = queries_for(client, export_url(seminar, file_format))

    add_graded_students(seminar, 297, prefix="many", supervisor=supervisor, grader=supervisor)
    with django_assert_max_num_queries(MAX_EXPORT_QUERIES):
        queries_for(client, export_url(seminar, file_format))

    assert queries_for(client, export_url(seminar, file_format)) == few


def test_my_grades_costs_the_same_queries_for_3_and_300_students(
    client, seminar, django_assert_max_num_queries
):
    instructor = instructor_of(seminar)
    supervisor = supervisor_of(seminar)
    [me, *_] = add_graded_students(seminar, 3, prefix="few", supervisor=supervisor, grader=instructor)
    client.force_login(me)
    few = queries_for(client, my_grades_url(seminar))

    add_graded_students(seminar, 297, prefix="many", supervisor=supervisor, grader=supervisor)
    with django_assert_max_num_queries(MAX_MY_GRADES_QUERIES):
        queries_for(client, my_grades_url(seminar))

    assert queries_for(client, my_grades_url(seminar)) == few
