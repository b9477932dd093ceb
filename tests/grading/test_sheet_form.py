"""The grading sheet as one form: many cells saved at once, stale cells refused while the others save, typed
values kept with the problem beside the field, a fixed number of queries per save, the history page."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from grading.models import Grade, GradeChange
from grading.services import CellInput, grade_components_ensure, grades_set
from tests.factories import student_of
from tests.seminars.helpers import add_students

from .helpers import (
    NOW,
    PRESENTATION,
    REPORT,
    grade_data,
    history_url,
    main_of,
    make_world,
    release,
    set_grade,
    sheet_url,
    snapshot,
    value_of,
)
from .test_queries import add_graded_students

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def instructor_client(client, world):
    client.force_login(world.instructor)
    return client


def row_of(content: str, student) -> str:
    return content.split(f'<tr id="row-{student.pk}">', 1)[1].split("</tr>", 1)[0]


def sheet_data(client, seminar, **typed) -> dict[str, str]:
    """The whole form as the page shows it (every cell, with its version), with `typed` put in:
    {"g-<student>-<component>": "1,3", ...}."""
    response = client.get(sheet_url(seminar))
    data = {}
    for line in response.context["lines"]:
        for cell in line.cells:
            data |= grade_data(
                cell.row.membership.user,
                cell.component.key,
                (str(cell.grade.value) if cell.grade else ""),
                version=cell.version,
                comment=cell.grade.comment if cell.grade else "",
            )
    return data | typed


def problems(response) -> list[str]:
    return [problem.text for problem in response.context["problems"]]


def test_sheet_post_of_many_cells_saves_each_and_returns_to_the_last_row(instructor_client, world):
    data = sheet_data(
        instructor_client,
        world.seminar,
        **{
            f"g-{world.me.pk}-{PRESENTATION}": "1,3",
            f"c-{world.me.pk}-{PRESENTATION}": "Clear slides",
            f"g-{world.me.pk}-{REPORT}": "2.0",
            f"g-{world.other.pk}-{REPORT}": "3,7",
        },
    )

    response = instructor_client.post(sheet_url(world.seminar), data, follow=True)

    # Otto's row comes after Mia's: the page goes back to it.
    assert response.redirect_chain == [(f"{sheet_url(world.seminar)}#row-{world.other.pk}", 302)]
    assert [str(message) for message in response.context["messages"]] == ["Saved 3 grades."]
    assert value_of(world.seminar, world.me, PRESENTATION) == Decimal("1.3")
    assert value_of(world.seminar, world.me, REPORT) == Decimal("2.0")
    assert value_of(world.seminar, world.other, REPORT) == Decimal("3.7")
    assert value_of(world.seminar, world.other, PRESENTATION) is None
    assert Grade.objects.get(student=world.me, component__key=PRESENTATION).comment == "Clear slides"
    assert GradeChange.objects.count() == 3
    assert 'id="sheet-status" role="status"' in response.content.decode()


def test_sheet_post_writes_only_the_cells_that_changed(instructor_client, world):
    set_grade(world.seminar, world.me, PRESENTATION, "1,3", grader=world.instructor, comment="Good")
    set_grade(world.seminar, world.other, PRESENTATION, "2,0", grader=world.instructor)
    data = sheet_data(instructor_client, world.seminar, **{f"g-{world.other.pk}-{PRESENTATION}": "2.3"})

    response = instructor_client.post(sheet_url(world.seminar), data, follow=True)

    assert [str(message) for message in response.context["messages"]] == ["Saved 1 grade."]
    mine = Grade.objects.get(student=world.me, component__key=PRESENTATION)
    assert (mine.version, mine.comment) == (1, "Good")
    assert Grade.objects.get(student=world.other, component__key=PRESENTATION).version == 2
    assert GradeChange.objects.count() == 3


def test_sheet_post_of_an_unchanged_sheet_says_nothing_was_changed(instructor_client, world):
    set_grade(world.seminar, world.me, PRESENTATION, "1,3", grader=world.instructor)
    before = snapshot()

    response = instructor_client.post(
        sheet_url(world.seminar), sheet_data(instructor_client, world.seminar), follow=True
    )

    assert [str(message) for message in response.context["messages"]] == ["No grade was changed."]
    assert snapshot() == before


def test_sheet_post_with_a_stale_cell_refuses_it_saves_the_others_and_keeps_what_was_typed(world):
    first, second = Client(), Client()
    first.force_login(world.instructor)
    second.force_login(world.second_instructor)
    set_grade(world.seminar, world.me, REPORT, "2,0", grader=world.instructor)
    data = sheet_data(
        first,
        world.seminar,
        **{f"g-{world.me.pk}-{REPORT}": "1,0", f"g-{world.other.pk}-{PRESENTATION}": "2,7"},
    )
    second.post(sheet_url(world.seminar), grade_data(world.me, REPORT, "3,3", version=1))

    response = first.post(sheet_url(world.seminar), data)

    assert response.status_code == 200
    assert value_of(world.seminar, world.me, REPORT) == Decimal("3.3")
    assert value_of(world.seminar, world.other, PRESENTATION) == Decimal("2.7")
    assert problems(response) == [
        "Mia Me, Report: Not saved: Ivo Instructor changed this grade to 3.3 since you opened the page. "
        "Check it and save again if yours should replace it."
    ]
    content = response.content.decode()
    assert "Saved 1 grade." in content.split('role="status"', 1)[1].split("</div>", 1)[0]
    row = row_of(content, world.me)
    suffix = f"{world.me.pk}-{REPORT}"
    assert f'name="g-{suffix}" value="1,0"' in row  # what the instructor typed
    assert f'name="v-{suffix}" value="2"' in row  # saving again replaces 3.3 on purpose
    assert "changed this grade to 3.3" in row.split(f'id="e-{suffix}"', 1)[1]
    assert 'value="2.7"' in row_of(content, world.other)


def test_sheet_post_of_a_stale_cell_left_as_it_was_keeps_the_newer_grade(world):
    first, second = Client(), Client()
    first.force_login(world.instructor)
    second.force_login(world.second_instructor)
    set_grade(world.seminar, world.me, REPORT, "2,0", grader=world.instructor)
    data = sheet_data(first, world.seminar, **{f"g-{world.other.pk}-{REPORT}": "1,7"})
    second.post(sheet_url(world.seminar), grade_data(world.me, REPORT, "3,3", version=1))

    response = first.post(sheet_url(world.seminar), data, follow=True)

    assert [str(message) for message in response.context["messages"]] == ["Saved 1 grade."]
    assert value_of(world.seminar, world.me, REPORT) == Decimal("3.3")
    assert value_of(world.seminar, world.other, REPORT) == Decimal("1.7")


def test_sheet_post_of_an_invalid_value_keeps_it_beside_its_error_and_saves_the_others(
    instructor_client, world
):
    data = sheet_data(
        instructor_client,
        world.seminar,
        **{f"g-{world.me.pk}-{PRESENTATION}": "4,3", f"g-{world.other.pk}-{PRESENTATION}": "1,0"},
    )

    response = instructor_client.post(sheet_url(world.seminar), data)

    assert response.status_code == 200
    assert value_of(world.seminar, world.me, PRESENTATION) is None
    assert value_of(world.seminar, world.other, PRESENTATION) == Decimal("1.0")
    content = main_of(response.content.decode())
    suffix = f"{world.me.pk}-{PRESENTATION}"
    field = content.split(f'id="g-{suffix}"', 1)[1].split(">", 1)[0]
    assert 'value="4,3"' in field
    assert 'aria-invalid="true"' in field
    assert f'aria-describedby="e-{suffix}"' in field
    error = content.split(f'id="e-{suffix}" class="cell-error">', 1)[1].split("</span>", 1)[0]
    assert error.startswith("4,3 is not a step of the grade scale.")
    alert = content.split('role="alert">', 1)[1].split("</div>", 1)[0]
    assert f'<a href="#g-{suffix}">Mia Me, Presentation: 4,3 is not a step' in alert
    assert 'aria-invalid="true"' not in row_of(content, world.other)


def test_sheet_post_by_a_supervisor_saves_their_student_and_refuses_another(client, world):
    client.force_login(world.supervisor)
    data = grade_data(world.me, REPORT, "1,7") | grade_data(world.other, REPORT, "1,0")

    response = client.post(sheet_url(world.seminar), data)

    assert value_of(world.seminar, world.me, REPORT) == Decimal("1.7")
    assert value_of(world.seminar, world.other, REPORT) is None
    assert problems(response) == ["You can grade only the students whose paper you supervise."]


def test_sheet_post_after_release_mails_each_student_with_a_changed_grade_once(
    instructor_client, world, mailoutbox, django_capture_on_commit_callbacks
):
    third = student_of(world.seminar, user__full_name="Tom Third", user__email="tom@uni.example")
    for student in (world.me, world.other, third):
        set_grade(world.seminar, student, PRESENTATION, "2,0", grader=world.instructor)
    release(world.seminar, world.instructor)
    data = sheet_data(
        instructor_client,
        world.seminar,
        **{
            f"g-{world.me.pk}-{PRESENTATION}": "1,0",
            f"g-{world.me.pk}-{REPORT}": "1,3",
            f"c-{world.other.pk}-{PRESENTATION}": "A comment only",
            f"g-{third.pk}-{REPORT}": "4,0",
        },
    )

    with django_capture_on_commit_callbacks(execute=True):
        instructor_client.post(sheet_url(world.seminar), data)

    assert sorted(mail.to[0] for mail in mailoutbox) == ["mia@uni.example", "tom@uni.example"]


def test_sheet_in_german_shows_and_takes_grades_with_either_decimal_mark(instructor_client, world):
    set_grade(world.seminar, world.me, PRESENTATION, "1,3", grader=world.instructor)
    data = grade_data(world.me, REPORT, "2.0")

    response = instructor_client.post(sheet_url(world.seminar), data, HTTP_ACCEPT_LANGUAGE="de", follow=True)

    row = row_of(response.content.decode(), world.me)
    assert 'value="1,3"' in row
    assert 'value="2,0"' in row
    assert "<strong>1,5</strong> sehr gut" in row


@pytest.mark.parametrize("viewer", ["instructor", "supervisor"])
def test_sheet_post_costs_the_same_queries_for_3_and_300_changed_cells(client, viewer):
    world = make_world()
    grader = getattr(world, viewer)
    client.force_login(grader)
    few = add_graded_students(world.seminar, 3, prefix="few", supervisor=world.supervisor, grader=grader)
    many = add_graded_students(world.seminar, 300, prefix="many", supervisor=world.supervisor, grader=grader)

    def queries_to_save(students, text) -> int:
        data = {}
        for student in students:
            data |= grade_data(student, PRESENTATION, text, version=2) | grade_data(
                student, REPORT, text, version=2
            )
        with CaptureQueriesContext(connection) as captured:
            response = client.post(sheet_url(world.seminar), data)
        assert response.status_code == 302
        return len(captured)

    few_queries, many_queries = queries_to_save(few, "1,0"), queries_to_save(many, "1,3")
    if connection.vendor == "sqlite":
        # SQLite takes at most 999 parameters a statement, so Django splits the bulk writes of 600 grades
        # into batches: a few more statements, not one per cell.
        assert few_queries <= many_queries <= few_queries + 10
    else:
        assert few_queries == many_queries
    assert Grade.objects.filter(student__in=many, value=Decimal("1.3")).count() == 600


def test_sheet_of_300_graded_students_is_under_200_kb_of_html(client):
    """The figure bench/grading.py measures (sheet_kb): 300 students, the two default components, each
    grade set once (so no history link)."""
    world = make_world()
    client.force_login(world.instructor)
    students = add_students(world.seminar, 298, prefix="size")
    components = grade_components_ensure(seminar=world.seminar)
    grades = Grade.objects.bulk_create(
        Grade(seminar=world.seminar, student=student, component=component, value="2.3", updated_at=NOW)
        for student in [*students, world.me, world.other]
        for component in components
    )
    GradeChange.objects.bulk_create(
        GradeChange(grade=grade, new_value=grade.value, changed_at=NOW) for grade in grades
    )

    response = client.get(sheet_url(world.seminar))

    assert len(response.context["rows"]) == 300
    assert len(response.content) < 200_000


# ------------------------------------------------------------------------------------- the history page


@pytest.mark.parametrize(
    ("who", "status"),
    [("instructor", 200), ("supervisor", 200), ("other_supervisor", 403), ("me", 403), ("other", 403)],
)
def test_history_is_for_whoever_may_grade_the_student(client, world, who, status):
    set_grade(world.seminar, world.me, PRESENTATION, "1,3", grader=world.instructor)
    set_grade(world.seminar, world.me, PRESENTATION, "1,7", grader=world.instructor)
    client.force_login(getattr(world, who))

    response = client.get(history_url(world.seminar, world.me))

    assert response.status_code == status
    assert ("1.3 → 1.7" in response.content.decode()) == (status == 200)


def test_history_of_someone_who_is_no_student_of_the_seminar_is_404(instructor_client, world):
    for person in (world.foreign_student, world.supervisor):
        assert instructor_client.get(history_url(world.seminar, person)).status_code == 404


def test_grades_set_of_a_stale_cell_whose_history_does_not_say_what_was_shown_refuses_it(world):
    """Version n is the grade's n-th change; where the history does not fit (a grade written around the
    services), a stale cell is refused rather than guessed to be untouched."""
    [component, _] = grade_components_ensure(seminar=world.seminar)
    Grade.objects.create(
        seminar=world.seminar, student=world.me, component=component, value="2.0", version=3, updated_at=NOW
    )
    cell = CellInput(
        student_id=world.me.pk, component=component.key, text="1,0", comment="", expected_version=2
    )

    result = grades_set(seminar=world.seminar, grader=world.instructor, cells=[cell], now=NOW)

    assert list(result.refused) == [cell.key]
    assert (result.saved, result.errors) == ({}, {})
    assert value_of(world.seminar, world.me, component.key) == Decimal("2.0")
