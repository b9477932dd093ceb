"""Releasing grades asks first: how many students it mails, who has no grade, whose final grade is
incomplete; only a confirmed POST releases."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grading.models import GradingSettings
from seminars.models import Membership
from tests.factories import SeminarFactory, instructor_of, student_of
from tests.seminars.helpers import add_students

from .helpers import PRESENTATION, REPORT, main_of, make_world, release, release_url, set_grade, snapshot

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main_of(response.content.decode()))).split())


@pytest.fixture
def world():
    world = make_world()
    student_of(world.seminar, user__full_name="Nina Nograde", user__email="nina@uni.example")
    set_grade(world.seminar, world.me, PRESENTATION, "1,3", grader=world.instructor)
    set_grade(world.seminar, world.me, REPORT, "2,0", grader=world.instructor)
    set_grade(world.seminar, world.other, REPORT, "2,7", grader=world.instructor)
    return world


@pytest.fixture
def instructor_client(client, world):
    client.force_login(world.instructor)
    return client


def test_release_page_says_how_many_it_mails_and_who_lacks_grades(instructor_client, world):
    response = instructor_client.get(release_url(world.seminar))

    text = page_text(response)
    assert "Release the grades of Seminar B" in text
    assert "This mails 2 students that their grades are released (the e-mail names no grade)." in text
    assert "1 student has no grade yet and gets no e-mail: Nina Nograde." in text
    assert "1 final grade is incomplete: Otto Other (no Presentation)." in text
    content = response.content.decode()
    assert '<input type="hidden" name="confirmed" value="yes">' in content
    assert "Release the grades</button>" in content
    assert f'href="{reverse("grading:sheet", args=[world.seminar.slug])}"' in content


def test_the_sheets_release_button_lands_on_the_page_and_releases_nothing(
    instructor_client, world, mailoutbox
):
    before = snapshot()

    response = instructor_client.post(release_url(world.seminar), {})

    assert response.status_code == 200
    assert "This mails 2 students" in page_text(response)
    assert snapshot() == before
    assert mailoutbox == []


def test_confirmed_release_mails_the_graded_students(
    instructor_client, world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = instructor_client.post(release_url(world.seminar), {"confirmed": "yes"}, follow=True)

    assert response.redirect_chain == [(reverse("grading:sheet", args=[world.seminar.slug]), 302)]
    assert GradingSettings.objects.get(seminar=world.seminar).released_by == world.instructor
    assert sorted(mail.to[0] for mail in mailoutbox) == ["mia@uni.example", "otto@uni.example"]


def test_release_page_after_release_offers_no_button(instructor_client, world):
    release(world.seminar, world.instructor)

    response = instructor_client.get(release_url(world.seminar))

    assert "This cannot be done yet The grades are already released." in page_text(response)
    assert 'name="confirmed"' not in response.content.decode()


def test_release_page_of_a_complete_seminar_warns_of_nothing(instructor_client, world):
    set_grade(world.seminar, world.other, PRESENTATION, "1,0", grader=world.instructor)
    Membership.objects.filter(user__email="nina@uni.example").delete()

    text = page_text(instructor_client.get(release_url(world.seminar)))

    assert "Please check first" not in text
    assert "This mails 2 students" in text


@pytest.mark.parametrize("who", ["me", "supervisor", "foreign_instructor"])
def test_only_instructors_may_see_or_confirm_the_release(client, world, who):
    client.force_login(getattr(world, who))

    answers = [
        client.get(release_url(world.seminar)),
        client.post(release_url(world.seminar), {"confirmed": "yes"}),
    ]

    assert [answer.status_code for answer in answers] == [403, 403]
    assert not GradingSettings.objects.exists()


def test_release_page_costs_the_same_queries_for_3_and_60_students(client):
    counts = []
    for size in (3, 60):
        seminar = SeminarFactory()
        instructor = instructor_of(seminar)
        for student in add_students(seminar, size, prefix=f"release{size}")[::2]:
            set_grade(seminar, student, PRESENTATION, "2,0", grader=instructor)
        client.force_login(instructor)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(release_url(seminar))
        assert response.status_code == 200
        assert "final grades are incomplete" in page_text(response) or size == 3
        counts.append(len(captured))

    assert counts[0] == counts[1]


def test_a_student_who_withdrew_is_neither_counted_nor_mailed(
    instructor_client, world, mailoutbox, django_capture_on_commit_callbacks
):
    Membership.objects.filter(seminar=world.seminar, user=world.other).update(
        withdrawn_at=world.seminar.created_at
    )

    text = page_text(instructor_client.get(release_url(world.seminar)))
    with django_capture_on_commit_callbacks(execute=True):
        instructor_client.post(release_url(world.seminar), {"confirmed": "yes"})

    assert "This mails 1 student that their grades are released" in text
    assert [mail.to for mail in mailoutbox] == [[world.me.email]]
