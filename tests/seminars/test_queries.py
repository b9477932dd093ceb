"""A page costs the same number of SQL queries for 3 rows as for 300 (no query per row)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from papers.models import Allotment
from schedule.models import BlockDay, Slot
from seminars.models import Membership, Seminar
from tests.factories import SeminarFactory, TopicFactory, UserFactory, instructor_of, supervisor_of
from tests.papers.helpers import PaperFactory

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
    # Logged in: the session, the user, whether they may create seminars (the "New seminar" link), the list.
    with django_assert_max_num_queries(4 if logged_in else 1):
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
    # 7th: the grade components the page names with their weights; 8th: the instructors it names.
    with django_assert_max_num_queries(8):
        response = client.get(seminar.get_absolute_url())

    assert response.content.decode().count("<li>Topic ") == 30
    assert queries_for(client, seminar.get_absolute_url()) == few


def _allot_and_schedule(seminar, users, withdraw_every: int) -> None:
    """Each of `users` gets a paper and a talk slot; every `withdraw_every`-th of them withdraws."""
    start = datetime(2027, 1, 20, 8, 0, tzinfo=UTC)
    day = BlockDay.objects.create(seminar=seminar, starts_at=start, ends_at=start + timedelta(hours=23))
    supervisor = supervisor_of(seminar)
    for n, user in enumerate(users):
        paper = PaperFactory(seminar=seminar, supervisor=supervisor)
        Allotment.objects.create(seminar=seminar, student=user, paper=paper, source="manual")
        begins = start + timedelta(minutes=2 * n)
        Slot.objects.create(
            seminar=seminar, day=day, starts_at=begins, ends_at=begins + timedelta(minutes=1), presenter=user
        )
    Membership.objects.filter(seminar=seminar, user__in=users[::withdraw_every]).update(
        withdrawn_at=start, withdrawn_by=supervisor
    )


def test_roster_with_papers_talks_and_withdrawn_students_costs_the_same_for_3_and_30(client):
    few_seminar, many_seminar = SeminarFactory(capacity=400), SeminarFactory(capacity=400)
    _allot_and_schedule(few_seminar, add_students(few_seminar, 3, prefix="few"), withdraw_every=2)
    _allot_and_schedule(many_seminar, add_students(many_seminar, 30, prefix="many"), withdraw_every=2)
    client.force_login(instructor_of(few_seminar))
    few = queries_for(client, roster_url(few_seminar))
    client.force_login(instructor_of(many_seminar))

    with CaptureQueriesContext(connection) as captured:
        response = client.get(roster_url(many_seminar))

    assert response.content.decode().count("<tr>") == 32
    assert len(captured) == few


def test_people_page_costs_the_same_queries_for_3_and_30_staff(client):
    seminar = SeminarFactory()
    client.force_login(instructor_of(seminar))
    for _ in range(2):
        supervisor_of(seminar)
    few = queries_for(client, reverse("seminars:people", kwargs={"slug": seminar.slug}))

    for _ in range(27):
        supervisor_of(seminar)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("seminars:people", kwargs={"slug": seminar.slug}))

    assert response.content.decode().count('<th scope="row">') == 30
    assert len(captured) == few
