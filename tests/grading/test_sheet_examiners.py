"""The grading sheet beside each grade: the examiners' own grades with their mean (and whether the grade was
set by hand), and for a seminar with peer review the reviews each student wrote, for grading "peer review
quality". Only for whoever may grade the student; the reviews only through the reviews app's policy
(instructors read every review, supervisors none)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from grading.models import ExaminerGrade
from grading.services import grade_components_ensure
from papers.models import Allotment
from tests.factories import SeminarFactory, instructor_of, supervisor_of
from tests.papers.helpers import PaperFactory
from tests.reviews.helpers import assign_and_publish, main_text, make_world, write

from .helpers import NOW, PRESENTATION, history_url, set_grade, sheet_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Four students; Sue supervises Alma's paper, Sam Bert's; two examiners grade Alma's presentation."""
    world = make_world(4, slug="exams")
    world.other_supervisor = supervisor_of(world.seminar, user__full_name="Sam Supervisor")
    alma, bert, *_ = world.students
    for student, supervisor in ((alma, world.supervisor), (bert, world.other_supervisor)):
        paper = PaperFactory(
            seminar=world.seminar, title=f"Paper of {student.full_name}", supervisor=supervisor
        )
        Allotment.objects.create(seminar=world.seminar, student=student, paper=paper, source="automatic")
    grade_components_ensure(seminar=world.seminar)
    presentation = world.seminar.grade_components.get(key=PRESENTATION)
    for examiner, value in ((world.instructor, "1.3"), (world.supervisor, "2.0")):
        ExaminerGrade.objects.create(
            seminar=world.seminar,
            student=alma,
            component=presentation,
            examiner=examiner,
            value=Decimal(value),
            updated_at=NOW,
        )
    foreign = SeminarFactory(title="Another seminar")
    world.foreign_instructor = instructor_of(foreign, user__full_name="Fiona Foreign")
    return world


def examiners_url(world, student) -> str:
    return reverse("grading:examiners", args=[world.seminar.slug, student.pk, PRESENTATION])


def test_the_sheet_shows_each_examiners_grade_and_their_mean_beside_the_cell(client, world):
    alma = world.students[0]
    set_grade(world.seminar, alma, PRESENTATION, "1,7", grader=world.instructor)
    client.force_login(world.instructor)

    text = main_text(client.get(sheet_url(world.seminar)))

    # By examiner's name; 1,3 and 2,0 give 1,7 on the scale, the grade saved: not set by hand.
    assert "Examiners: Ida Instructor 1.3 · Sue Supervisor 2.0; mean 1.7" in text
    assert text.count("Examiners:") == 1
    assert "set by hand" not in text


def test_a_grade_that_is_not_the_examiners_mean_is_marked_set_by_hand_with_a_link_to_the_reason(
    client, world
):
    alma = world.students[0]
    set_grade(world.seminar, alma, PRESENTATION, "1,0", grader=world.instructor, comment="Best talk")
    client.force_login(world.instructor)

    content = client.get(sheet_url(world.seminar)).content.decode()
    reason_page = main_text(client.get(examiners_url(world, alma)))

    assert f'href="{examiners_url(world, alma)}">set by hand' in content
    assert "mean 1.7" in main_text(client.get(sheet_url(world.seminar)))
    assert "Component grade that counts 1.0 (Best talk)" in reason_page


def test_the_examiners_grades_without_a_component_grade_show_the_mean_only(client, world):
    client.force_login(world.instructor)

    text = main_text(client.get(sheet_url(world.seminar)))

    assert "mean 1.7" in text
    assert "set by hand" not in text


def test_the_supervisor_sees_the_examiners_grades_of_their_student_only(client, world):
    alma, bert, *_ = world.students
    ExaminerGrade.objects.create(
        seminar=world.seminar,
        student=bert,
        component=world.seminar.grade_components.get(key=PRESENTATION),
        examiner=world.other_supervisor,
        value=Decimal("3.7"),
        updated_at=NOW,
    )
    client.force_login(world.supervisor)

    text = main_text(client.get(sheet_url(world.seminar)))

    assert "Sue Supervisor 2.0" in text
    assert "Bert Bernd" not in text
    assert "3.7" not in text
    assert client.get(examiners_url(world, bert)).status_code == 403


@pytest.mark.parametrize("who", ["other student", "foreign instructor"])
def test_nobody_else_sees_the_examiners_grades(client, world, who):
    alma, bert, *_ = world.students
    client.force_login(bert if who == "other student" else world.foreign_instructor)

    pages = [
        client.get(url)
        for url in (sheet_url(world.seminar), history_url(world.seminar, alma), examiners_url(world, alma))
    ]

    assert [page.status_code for page in pages] == [403] * 3
    assert not any("Sue Supervisor" in page.content.decode() for page in pages)


def test_the_instructor_reads_the_reviews_each_student_wrote_from_the_sheet_and_their_grades(client, world):
    assign_and_publish(world)
    alma = world.students[0]
    written = world.review_round.reviews.get(reviewer=alma)
    write(written)
    client.force_login(world.instructor)

    sheet = client.get(sheet_url(world.seminar))
    history = client.get(history_url(world.seminar, alma))
    review_page = client.get(reverse("reviews:read", args=[world.seminar.slug, written.pk]))

    read_url = reverse("reviews:read", args=[world.seminar.slug, written.pk])
    assert "Reviews written" in main_text(sheet)
    # One link per review: each student reviews one report (k = 1), under double-blind with both names.
    assert sheet.content.decode().count("/read/") == 4
    assert f'href="{read_url}">Written report: {written.author.full_name}' in sheet.content.decode()
    assert f"Reviews written by {alma.full_name}" in main_text(history)
    assert f'href="{read_url}"' in history.content.decode()
    assert history.content.decode().count("/read/") == 1
    assert review_page.status_code == 200
    assert "section 3 needs an example" in review_page.content.decode()


def test_a_review_not_written_yet_is_linked_and_says_so(client, world):
    assign_and_publish(world)
    client.force_login(world.instructor)

    text = main_text(client.get(history_url(world.seminar, world.students[0])))

    assert "(not written)" in text


@pytest.mark.parametrize("who", ["supervisor", "other student", "foreign instructor"])
def test_nobody_but_the_instructors_gets_the_review_links(client, world, who):
    assign_and_publish(world)
    alma, bert, *_ = world.students
    for review in world.review_round.reviews.all():
        write(review)
    person = {
        "supervisor": world.supervisor,
        "other student": bert,
        "foreign instructor": world.foreign_instructor,
    }
    client.force_login(person[who])

    pages = [client.get(sheet_url(world.seminar)), client.get(history_url(world.seminar, alma))]

    for page in pages:
        assert "/read/" not in page.content.decode()
        assert "Reviews written" not in page.content.decode()
    if who == "supervisor":
        assert [page.status_code for page in pages] == [200, 200]


def test_without_peer_review_the_sheet_has_no_reviews_column(client, world):
    client.force_login(world.instructor)

    assert "Reviews written" not in main_text(client.get(sheet_url(world.seminar)))
