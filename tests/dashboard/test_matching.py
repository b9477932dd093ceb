"""The dashboard points to the department's matching: a round a person may rank in now or soon, and the
rounds they applied to, and a chair's round until it is published; nothing once nobody can rank and they
did not apply."""

from datetime import timedelta

import pytest
from django.urls import reverse

from matching.models import Round
from tests.factories import SeminarFactory, UserFactory, instructor_of
from tests.matching.helpers import AFTER, CHAIRS_RANK, START, STUDENTS_RANK, coordinator, open_round, rank

pytestmark = pytest.mark.django_db
URL = reverse("dashboard:home")
LINK = "Seminar matching: rank seminars and read your result"


def test_an_open_round_is_on_every_dashboard_with_its_window(client, time_machine):
    time_machine.move_to(STUDENTS_RANK, tick=False)
    open_round([(SeminarFactory(title="Deep learning theory"), 2)], title="Master seminars")
    client.force_login(UserFactory())

    page = client.get(URL).content.decode()

    assert "Master seminars" in page
    assert "Students rank from" in page
    assert LINK in page
    assert reverse("matching:open") in page


def test_a_closed_round_stays_only_for_those_who_applied(client, time_machine):
    deep = SeminarFactory(title="Deep learning theory")
    matching_round = open_round([(deep, 2)], title="Master seminars", start=START)
    applicant, latecomer = UserFactory(), UserFactory()
    rank(matching_round, applicant, [deep])
    time_machine.move_to(AFTER, tick=False)

    client.force_login(latecomer)
    assert LINK not in client.get(URL).content.decode()
    client.force_login(applicant)
    assert LINK in client.get(URL).content.decode()


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_chair_finds_the_round_of_their_seminar_until_it_is_published(client, time_machine):
    deep = SeminarFactory(title="Deep learning theory")
    matching_round = open_round([(deep, 2)], title="Master seminars")
    chair, other_instructor = instructor_of(deep), instructor_of(SeminarFactory())
    time_machine.move_to(CHAIRS_RANK, tick=False)

    client.force_login(other_instructor)
    assert LINK not in client.get(URL).content.decode()
    client.force_login(chair)
    assert LINK in client.get(URL).content.decode()

    Round.objects.filter(pk=matching_round.pk).update(published_at=AFTER, run_at=AFTER)
    time_machine.move_to(AFTER + timedelta(days=1), tick=False)
    assert LINK not in client.get(URL).content.decode()


def test_a_coordinator_finds_every_round_until_it_is_published(client, time_machine):
    matching_round = open_round([(SeminarFactory(), 2)], title="Master seminars", by=coordinator())
    time_machine.move_to(CHAIRS_RANK, tick=False)  # nobody can rank as a student any more
    client.force_login(matching_round.created_by)
    assert "Master seminars" in client.get(URL).content.decode()

    Round.objects.filter(pk=matching_round.pk).update(published_at=AFTER, run_at=AFTER)
    assert "Master seminars" not in client.get(URL).content.decode()
