"""A page costs the same number of SQL queries for 3 rows as for 300 (no query per row)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from seminars.models import Membership, Seminar
from tests.factories import SeminarFactory, TopicFactory, UserFactory, instructor_of

from .helpers import add_students, roster_url

LIST_URL = reverse("seminars:list")

pytestmark = pytest.mark.django_db


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def add_seminars(count: int, member) -> None:
    """Seminars of every kind the list shows: open, closed, a draft of the user's, with students."""
    for n in range(count):
        state = [Seminar.State.OPEN, Seminar.State.CLOSED, Seminar.State.DRAFT][n % 3]
        seminar = SeminarFactory(state=state)
        add_students(seminar, 2, prefix=f"s{n}")
        if member is not None:
            role = [Membership.Role.INSTRUCTOR, Membership.Role.STUDENT, Membership.Role.SUPERVISOR][n % 3]
            Membership.objects.create(user=member, seminar=seminar, role=role)


@pytest.mark.parametrize("logged_in", [True, False])
def test_seminar_list_costs_the_same_queries_for_3_and_30_seminars(
    client, logged_in, django_assert_max_num_queries
):
    user = UserFactory() if logged_in else None
    if user is not None:
        client.force_login(user)
    add_seminars(3, user)
    client.get(LIST_URL)
    few = queries_for(client, LIST_URL)

    add_seminars(27, user)
    with django_assert_max_num_queries(3 if logged_in else 1):
        response = client.get(LIST_URL)

    assert len(response.context["seminars"]) == (30 if logged_in else 20)
    assert queries_for(client, LIST_URL) == few


def test_roster_costs_the_same_queries_for_3_and_300_students(client, django_assert_max_num_queries):
    seminar = SeminarFactory(capacity=400)
    client.force_login(instructor_of(seminar))
    add_students(seminar, 3, prefix="few")
    few = queries_for(client, roster_url(seminar))

    add_students(seminar, 297, prefix="many")
    # Session, user, seminar, its topics, the roles, the students (withdrawn ones too), their allotted
    # papers, their talk slots.
    with django_assert_max_num_queries(8):
        response = client.get(roster_url(seminar))

    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == 301
    assert queries_for(client, roster_url(seminar)) == few


def test_seminar_page_costs_the_same_queries_for_3_and_300_students_and_30_topics(
    client, django_assert_max_num_queries
):
    seminar = SeminarFactory(capacity=400)
    client.force_login(UserFactory())
    add_students(seminar, 3, prefix="few")
    TopicFactory(seminar=seminar)
    few = queries_for(client, seminar.get_absolute_url())

    add_students(seminar, 297, prefix="many")
    for _ in range(29):
        TopicFactory(seminar=seminar)
    with django_assert_max_num_queries(6):
        response = client.get(seminar.get_absolute_url())

    assert response.content.decode().count("<li>Topic ") == 30
    assert queries_for(client, seminar.get_absolute_url()) == few
