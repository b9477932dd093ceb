"""Who sees and does what in grading: instructors everything of their seminar, supervisors their own
students' grades, students their own released grades, nobody else anything."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from grading.models import Grade, GradeComponent, GradingSettings
from papers.models import Allotment
from seminars.models import Seminar

from .helpers import (
    PRESENTATION,
    REPORT,
    components_url,
    export_url,
    grade_data,
    main_of,
    make_world,
    my_grades_url,
    release,
    release_url,
    set_grade,
    settings_url,
    sheet_url,
    snapshot,
    value_of,
)

pytestmark = pytest.mark.django_db

SETTINGS_DATA = {"rounding": "step"}


def graded_world(state=Seminar.State.OPEN):
    world = make_world(state=state)
    set_grade(world.seminar, world.me, PRESENTATION, "1,3", grader=world.instructor)
    set_grade(world.seminar, world.other, PRESENTATION, "3,7", grader=world.instructor)
    return world


def manage_requests(world, student):
    """Every request of the manage pages, with a grade for `student`: (method, url, data)."""
    seminar = world.seminar
    return [
        ("get", sheet_url(seminar), None),
        ("post", sheet_url(seminar), grade_data(student, PRESENTATION, "1,0", version=1)),
        ("post", sheet_url(seminar), grade_data(student, REPORT, "1,0", version=0)),
        ("get", settings_url(seminar), None),
        ("post", settings_url(seminar), SETTINGS_DATA),
        ("post", release_url(seminar), {}),
        ("get", export_url(seminar, "csv"), None),
        ("get", export_url(seminar, "xlsx"), None),
        ("get", components_url(seminar), None),
        ("post", components_url(seminar), components_data(seminar)),
    ]


MANAGE_REQUESTS = 10


def components_data(seminar) -> dict[str, str]:
    """The components page's form, reweighing the saved components to 100 % and 0 %."""
    data = {"components-TOTAL_FORMS": "2", "components-INITIAL_FORMS": "2"}
    for index, (component, weight) in enumerate(
        zip(GradeComponent.objects.filter(seminar=seminar), (100, 0), strict=True)
    ):
        data |= {
            f"components-{index}-id": str(component.pk),
            f"components-{index}-name_en": component.name_en,
            f"components-{index}-weight": str(weight),
        }
    return data


def send(client, method, url, data):
    return client.post(url, data) if method == "post" else client.get(url)


# ------------------------------------------------------------------------------------------- students


@pytest.mark.parametrize("whose", ["me", "other"])
def test_student_post_of_a_grade_is_forbidden_and_stores_nothing(client, whose):
    world = graded_world()
    before = snapshot()
    client.force_login(world.me)

    for component, version in ((PRESENTATION, 1), (REPORT, 0)):
        response = client.post(
            sheet_url(world.seminar), grade_data(getattr(world, whose), component, "1,0", version=version)
        )
        assert response.status_code == 403

    assert snapshot() == before


@pytest.mark.parametrize("index", range(MANAGE_REQUESTS))
def test_student_gets_403_on_every_manage_page(client, index):
    world = graded_world()
    before = snapshot()
    client.force_login(world.me)
    method, url, data = manage_requests(world, world.me)[index]

    response = send(client, method, url, data)

    assert response.status_code == 403
    assert snapshot() == before


def test_student_of_another_seminar_gets_403_on_my_grades(client):
    world = graded_world()
    release(world.seminar, world.instructor)
    client.force_login(world.foreign_student)

    response = client.get(my_grades_url(world.seminar))

    assert response.status_code == 403
    assert "1.3" not in main_of(response.content.decode())


@pytest.mark.parametrize("who", ["instructor", "supervisor", "outsider"])
def test_my_grades_is_for_the_seminars_students_only(client, who):
    world = graded_world()
    release(world.seminar, world.instructor)
    client.force_login(getattr(world, who))

    assert client.get(my_grades_url(world.seminar)).status_code == 403


def test_my_grades_of_a_draft_seminar_is_404_for_a_non_member(client):
    world = graded_world(state=Seminar.State.DRAFT)
    client.force_login(world.foreign_student)

    assert client.get(my_grades_url(world.seminar)).status_code == 404


# ----------------------------------------------------------------------------------------- supervisors


def test_supervisor_sheet_shows_only_the_students_whose_paper_they_supervise(client):
    world = graded_world()
    client.force_login(world.supervisor)

    response = client.get(sheet_url(world.seminar))

    content = main_of(response.content.decode())
    assert response.status_code == 200
    assert [row.membership.user for row in response.context["rows"]] == [world.me]
    assert "Mia Me" in content
    assert "Paper of Mia" in content
    for hidden in ("Otto", "Paper of Otto", "otto@uni.example", "03700002", "3.7"):
        assert hidden not in content


def test_supervisor_sheet_offers_no_export_release_or_rules(client):
    world = graded_world()
    client.force_login(world.supervisor)

    content = main_of(client.get(sheet_url(world.seminar)).content.decode())

    assert release_url(world.seminar) not in content
    assert settings_url(world.seminar) not in content
    assert reverse("grading:export", kwargs={"slug": world.seminar.slug}) not in content


def test_supervisor_sheet_without_supervised_papers_is_empty(client):
    world = graded_world()
    Grade.objects.all().delete()
    client.force_login(world.supervisor)
    Allotment.objects.filter(student=world.me).delete()

    response = client.get(sheet_url(world.seminar))

    assert response.context["rows"] == []
    assert "No students to grade." in response.content.decode()


def test_supervisor_post_of_their_students_grade_is_stored(client):
    world = graded_world()
    client.force_login(world.supervisor)

    client.post(sheet_url(world.seminar), grade_data(world.me, REPORT, "1,7"))

    assert value_of(world.seminar, world.me, REPORT) == Decimal("1.7")


@pytest.mark.parametrize(("component", "version"), [(PRESENTATION, 1), (REPORT, 0)])
def test_supervisor_post_of_another_supervisors_student_is_refused_and_stores_nothing(
    client, component, version
):
    world = graded_world()
    before = snapshot()
    client.force_login(world.supervisor)

    response = client.post(
        sheet_url(world.seminar), grade_data(world.other, component, "1,0", version=version)
    )

    assert response.status_code == 200
    # Otto is not on the supervisor's sheet, so the page does not name him.
    assert [problem.text for problem in response.context["problems"]] == [
        "You can grade only the students whose paper you supervise."
    ]
    assert "Otto" not in main_of(response.content.decode())
    assert snapshot() == before


@pytest.mark.parametrize("index", range(3, MANAGE_REQUESTS))
def test_supervisor_gets_403_on_rules_release_export_and_components(client, index):
    world = graded_world()
    before = snapshot()
    client.force_login(world.supervisor)
    method, url, data = manage_requests(world, world.me)[index]

    response = send(client, method, url, data)

    assert response.status_code == 403
    assert snapshot() == before


# ----------------------------------------------------------------------- instructors of another seminar


@pytest.mark.parametrize("index", range(MANAGE_REQUESTS))
@pytest.mark.parametrize("state", [Seminar.State.OPEN, Seminar.State.DRAFT])
def test_instructor_of_another_seminar_is_refused_everywhere_and_changes_nothing(client, index, state):
    world = graded_world(state=state)
    before = snapshot()
    client.force_login(world.foreign_instructor)
    method, url, data = manage_requests(world, world.me)[index]

    response = send(client, method, url, data)

    assert response.status_code in (403, 404)
    assert snapshot() == before
    assert not GradingSettings.objects.filter(seminar=world.seminar).exists()


def test_instructor_sheet_of_the_own_seminar_lists_no_foreign_student(client):
    world = graded_world()
    set_grade(
        world.foreign_seminar, world.foreign_student, PRESENTATION, "2,7", grader=world.foreign_instructor
    )
    client.force_login(world.instructor)

    content = main_of(client.get(sheet_url(world.seminar)).content.decode())

    assert "Fred Foreign" not in content
    assert "Mia Me" in content
    assert "Otto Other" in content


def test_instructor_post_of_the_components_form_of_the_manage_requests_is_stored(client):
    world = graded_world()
    client.force_login(world.instructor)
    method, url, data = manage_requests(world, world.me)[-1]

    response = send(client, method, url, data)

    assert response.status_code == 302
    assert list(GradeComponent.objects.filter(seminar=world.seminar).values_list("weight", flat=True)) == [
        100,
        0,
    ]


def test_instructor_post_of_a_foreign_student_stores_nothing(client):
    world = graded_world()
    before = snapshot()
    client.force_login(world.instructor)

    client.post(sheet_url(world.seminar), grade_data(world.foreign_student, PRESENTATION, "1,0"))

    assert snapshot() == before


# ------------------------------------------------------------------------------------------- anonymous


@pytest.mark.parametrize("index", range(MANAGE_REQUESTS))
def test_anonymous_is_sent_to_the_login_page_and_changes_nothing(client, index):
    world = graded_world()
    before = snapshot()
    method, url, data = manage_requests(world, world.me)[index]

    response = send(client, method, url, data)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL) + "?next=")
    assert snapshot() == before


def test_anonymous_on_my_grades_is_sent_to_the_login_page(client):
    world = graded_world()
    release(world.seminar, world.instructor)

    response = client.get(my_grades_url(world.seminar))

    assert response.status_code == 302
    assert "1.3" not in response.content.decode()
