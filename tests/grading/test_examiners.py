"""Several examiners per component: each enters their own grade; the component grade is their mean on the
scale or set by hand with a reason, kept in the grade's history."""

from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from grading.models import ExaminerGrade, Grade, GradeChange
from grading.scoring import STEPS, examiners_mean

from .helpers import PRESENTATION, make_world

steps = st.sampled_from(STEPS)


@given(st.lists(steps, min_size=1, max_size=5))
def test_the_mean_is_a_step_of_the_scale_between_the_examiners_grades(values):
    mean = examiners_mean(values)

    assert mean in STEPS
    assert min(values) <= mean <= max(values)


@given(st.lists(steps, min_size=1, max_size=5), st.randoms())
def test_the_mean_does_not_depend_on_the_examiners_order(values, random):
    shuffled = list(values)
    random.shuffle(shuffled)

    assert examiners_mean(values) == examiners_mean(shuffled)


@given(steps, st.integers(1, 4))
def test_examiners_who_agree_give_their_grade(value, count):
    assert examiners_mean([value] * count) == value


@pytest.mark.parametrize(
    ("values", "mean"),
    [
        (["1.3", "1.7"], "1.3"),
        (["1.0", "2.0"], "1.3"),
        (["4.0", "5.0"], "4.0"),
        (["2.3", "2.7", "3.0"], "2.7"),
    ],
)
def test_the_mean_in_the_cases_a_chair_asks_about(values, mean):
    assert examiners_mean([Decimal(value) for value in values]) == Decimal(mean)


def test_no_mean_without_grades():
    assert examiners_mean([]) is None


@pytest.fixture
def world(db):
    return make_world()


def page(world, student=None):
    return reverse("grading:examiners", args=[world.seminar.slug, (student or world.me).pk, PRESENTATION])


def test_two_examiners_grade_side_by_side_and_the_mean_becomes_the_component_grade(client, world):
    for examiner, grade in ((world.instructor, "1,3"), (world.supervisor, "2,0")):
        client.force_login(examiner)
        assert client.post(page(world), {"action": "own", "grade": grade}).status_code == 302

    shown = client.get(page(world)).content.decode()
    client.post(page(world), {"action": "mean", "version": "0"})

    assert "Ida Instructor" in shown
    assert "Sue Supervisor" in shown
    assert "Use the mean: 1.7" in shown
    grade = Grade.objects.get(student=world.me, component__key=PRESENTATION)
    assert grade.value == Decimal("1.7")
    change = GradeChange.objects.get(grade=grade)
    assert change.comment == "Mean of 2 examiners' grades"
    assert change.changed_by == world.supervisor


def test_a_grade_set_by_hand_needs_a_reason_which_the_history_keeps(client, world):
    client.force_login(world.instructor)
    client.post(page(world), {"action": "own", "grade": "2,3"})

    refused = client.post(page(world), {"action": "hand", "value": "1,7", "reason": " ", "version": "0"})
    saved = client.post(
        page(world),
        {"action": "hand", "value": "1,7", "reason": "Second examiner ill; agreed by mail", "version": "0"},
    )

    assert refused.status_code == 400
    assert "Please give a reason" in refused.content.decode()
    assert 'value="1,7"' in refused.content.decode()  # what was typed stays
    assert saved.status_code == 302
    change = GradeChange.objects.get(grade__student=world.me)
    assert (change.new_value, change.comment) == (Decimal("1.7"), "Second examiner ill; agreed by mail")


def test_a_stale_page_does_not_overwrite_a_newer_component_grade(client, world):
    client.force_login(world.instructor)
    client.post(page(world), {"action": "own", "grade": "2,3"})
    client.post(page(world), {"action": "mean", "version": "0"})

    response = client.post(page(world), {"action": "hand", "value": "1,0", "reason": "typo", "version": "0"})

    assert response.status_code == 400
    assert "Someone changed this grade meanwhile" in response.content.decode()
    assert Grade.objects.get(student=world.me).value == Decimal("2.3")


def test_a_grade_off_the_scale_is_refused_and_an_empty_one_removes_the_examiners_grade(client, world):
    client.force_login(world.instructor)

    off = client.post(page(world), {"action": "own", "grade": "1,5"})
    client.post(page(world), {"action": "own", "grade": "2,0"})
    client.post(page(world), {"action": "own", "grade": ""})

    assert off.status_code == 400
    assert "1,5 is not a step of the grade scale" in off.content.decode()
    assert not ExaminerGrade.objects.exists()


def test_only_whoever_may_grade_the_student_opens_the_page(client, world):
    answers = {}
    for name in ("me", "other", "supervisor", "other_supervisor", "instructor", "foreign_instructor"):
        client.force_login(getattr(world, name))
        answers[name] = client.get(page(world)).status_code

    assert answers == {
        "me": 403,
        "other": 403,
        "supervisor": 200,
        "other_supervisor": 403,
        "instructor": 200,
        "foreign_instructor": 403,
    }
