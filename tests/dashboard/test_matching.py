"""The dashboard points to the department's matching: a round a person may rank in now or soon, and the
rounds they applied to until their result is out; nothing once nobody can rank and they did not apply."""

import pytest
from django.urls import reverse

from tests.factories import SeminarFactory, UserFactory
from tests.matching.helpers import AFTER, START, STUDENTS_RANK, open_round, rank

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
