"""Enrolment: the service `enrolment_create` and the enrol page."""

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from seminars.exceptions import (
    AlreadyMemberError,
    EnrolmentClosedError,
    PrerequisitesNotConfirmedError,
    SeminarError,
    SeminarFullError,
)
from seminars.models import Membership, Seminar
from seminars.services import enrolment_create
from tests.factories import SeminarFactory, UserFactory, instructor_of, student_of, supervisor_of

from .helpers import add_students, enrol_url

NOW = datetime(2026, 4, 1, 9, 30, tzinfo=UTC)
CONFIRMED = {"confirm_prerequisites": "on"}

pytestmark = pytest.mark.django_db


def memberships(seminar: Seminar, user) -> list[Membership]:
    return list(Membership.objects.filter(seminar=seminar, user=user))


# The service -----------------------------------------------------------------------------------------------


def test_enrolment_create_adds_a_student_membership():
    seminar = SeminarFactory()
    user = UserFactory()

    membership = enrolment_create(seminar=seminar, user=user, prerequisites_confirmed=True, now=NOW)

    assert memberships(seminar, user) == [membership]
    membership.refresh_from_db()
    assert membership.role == Membership.Role.STUDENT
    assert membership.source == Membership.Source.ENROLMENT
    assert membership.prerequisites_confirmed_at == NOW


def test_enrolment_create_refuses_unconfirmed_prerequisites():
    seminar = SeminarFactory(mandatory_prerequisites="Machine Learning (IN2064)")
    user = UserFactory()

    with pytest.raises(PrerequisitesNotConfirmedError):
        enrolment_create(seminar=seminar, user=user, prerequisites_confirmed=False, now=NOW)

    assert memberships(seminar, user) == []


@pytest.mark.parametrize("prerequisites", ["", "  \n \n"])
def test_enrolment_create_needs_no_confirmation_without_mandatory_prerequisites(prerequisites):
    seminar = SeminarFactory(mandatory_prerequisites=prerequisites)
    user = UserFactory()

    enrolment_create(seminar=seminar, user=user, prerequisites_confirmed=False, now=NOW)

    assert len(memberships(seminar, user)) == 1


def test_enrolment_create_refuses_a_full_seminar():
    seminar = SeminarFactory(capacity=3)
    add_students(seminar, 3)
    user = UserFactory()

    with pytest.raises(SeminarFullError) as raised:
        enrolment_create(seminar=seminar, user=user, prerequisites_confirmed=True, now=NOW)

    assert "full" in str(raised.value.message)
    assert memberships(seminar, user) == []
    assert seminar.memberships.count() == 3


def test_enrolment_create_takes_the_last_place():
    seminar = SeminarFactory(capacity=3)
    add_students(seminar, 2)

    enrolment_create(seminar=seminar, user=UserFactory(), prerequisites_confirmed=True, now=NOW)

    with pytest.raises(SeminarFullError):
        enrolment_create(seminar=seminar, user=UserFactory(), prerequisites_confirmed=True, now=NOW)
    assert seminar.memberships.filter(role=Membership.Role.STUDENT).count() == 3


def test_enrolment_create_counts_only_students_towards_capacity():
    seminar = SeminarFactory(capacity=2)
    instructor_of(seminar)
    instructor_of(seminar)
    supervisor_of(seminar)
    student_of(seminar)
    user = UserFactory()

    enrolment_create(seminar=seminar, user=user, prerequisites_confirmed=True, now=NOW)

    assert len(memberships(seminar, user)) == 1


def test_enrolment_create_counts_only_students_of_this_seminar():
    seminar = SeminarFactory(capacity=1)
    add_students(SeminarFactory(), 5)
    user = UserFactory()

    enrolment_create(seminar=seminar, user=user, prerequisites_confirmed=True, now=NOW)

    assert len(memberships(seminar, user)) == 1


@pytest.mark.parametrize("state", [Seminar.State.DRAFT, Seminar.State.CLOSED, Seminar.State.ARCHIVED])
def test_enrolment_create_refuses_a_seminar_not_open(state):
    seminar = SeminarFactory(state=state)
    user = UserFactory()

    with pytest.raises(EnrolmentClosedError):
        enrolment_create(seminar=seminar, user=user, prerequisites_confirmed=True, now=NOW)

    assert memberships(seminar, user) == []


def test_enrolment_create_reads_the_state_from_the_database_not_from_the_caller():
    seminar = SeminarFactory(state=Seminar.State.OPEN)
    Seminar.objects.filter(pk=seminar.pk).update(state=Seminar.State.CLOSED)
    user = UserFactory()

    with pytest.raises(EnrolmentClosedError):
        enrolment_create(seminar=seminar, user=user, prerequisites_confirmed=True, now=NOW)

    assert memberships(seminar, user) == []


@pytest.mark.parametrize("make_member", [student_of, supervisor_of, instructor_of])
def test_enrolment_create_refuses_an_existing_member(make_member):
    seminar = SeminarFactory()
    user = make_member(seminar)
    role = Membership.objects.get(seminar=seminar, user=user).role

    with pytest.raises(AlreadyMemberError):
        enrolment_create(seminar=seminar, user=user, prerequisites_confirmed=True, now=NOW)

    assert [membership.role for membership in memberships(seminar, user)] == [role]


def test_enrolment_create_membership_elsewhere_does_not_count():
    seminar = SeminarFactory()
    user = instructor_of(SeminarFactory())

    enrolment_create(seminar=seminar, user=user, prerequisites_confirmed=True, now=NOW)

    assert memberships(seminar, user)[0].role == Membership.Role.STUDENT


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL; SQLite serialises all writes"
)
@pytest.mark.django_db(transaction=True)
def test_enrolment_create_gives_the_last_place_to_one_of_many_at_the_same_moment():
    seminar = SeminarFactory(capacity=1)
    users = [UserFactory() for _ in range(8)]
    start = threading.Barrier(len(users))
    outcomes = []

    def enrol(user):
        try:
            start.wait()
            enrolment_create(seminar=seminar, user=user, prerequisites_confirmed=True, now=NOW)
            outcomes.append("enrolled")
        except SeminarError as error:
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=enrol, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["SeminarFullError"] * 7 + ["enrolled"]
    assert seminar.memberships.count() == 1


# The enrol page --------------------------------------------------------------------------------------------


def test_enrol_page_shows_places_left_and_the_prerequisites(client):
    seminar = SeminarFactory(capacity=5, mandatory_prerequisites="Machine Learning (IN2064)\nLinear algebra")
    add_students(seminar, 2)
    client.force_login(UserFactory())

    response = client.get(enrol_url(seminar))

    assert response.status_code == 200
    content = response.content.decode()
    assert "3 places are left." in content
    assert "<li>Machine Learning (IN2064)</li>" in content
    assert "<li>Linear algebra</li>" in content
    assert 'name="confirm_prerequisites"' in content


def test_enrol_succeeds_and_says_so(client):
    seminar = SeminarFactory(title="Kernels")
    user = UserFactory()
    client.force_login(user)

    response = client.post(enrol_url(seminar), CONFIRMED, follow=True)

    assert response.redirect_chain == [(seminar.get_absolute_url(), 302)]
    assert "You are enrolled in Kernels." in response.content.decode()
    assert "You are enrolled in this seminar." in response.content.decode()
    (membership,) = memberships(seminar, user)
    assert membership.role == Membership.Role.STUDENT
    assert membership.source == Membership.Source.ENROLMENT
    assert membership.prerequisites_confirmed_at is not None


def test_enrol_records_the_servers_time_of_confirmation(client):
    seminar = SeminarFactory()
    user = UserFactory()
    client.force_login(user)
    before = datetime.now(UTC)

    client.post(enrol_url(seminar), {**CONFIRMED, "prerequisites_confirmed_at": "2000-01-01T00:00"})

    confirmed_at = memberships(seminar, user)[0].prerequisites_confirmed_at
    assert before <= confirmed_at <= datetime.now(UTC)


def test_enrol_without_confirming_prerequisites_shows_a_form_error(client):
    seminar = SeminarFactory(mandatory_prerequisites="Machine Learning (IN2064)")
    user = UserFactory()
    client.force_login(user)

    response = client.post(enrol_url(seminar), {"confirm_prerequisites": ""})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "confirm_prerequisites": ["Please confirm that you meet the mandatory prerequisites."]
    }
    assert "Please confirm that you meet the mandatory prerequisites." in response.content.decode()
    assert memberships(seminar, user) == []


def test_enrol_in_a_full_seminar_says_it_is_full(client):
    seminar = SeminarFactory(capacity=2)
    add_students(seminar, 2)
    user = UserFactory()
    client.force_login(user)

    response = client.post(enrol_url(seminar), CONFIRMED)

    assert response.status_code == 200
    assert "This seminar is full: all places are taken." in response.content.decode()
    assert memberships(seminar, user) == []
    assert seminar.memberships.count() == 2


def test_enrol_when_the_last_place_went_while_the_form_was_open_says_full(client):
    seminar = SeminarFactory(capacity=1)
    user = UserFactory()
    client.force_login(user)
    assert "1 place is left." in client.get(enrol_url(seminar)).content.decode()
    student_of(seminar)

    response = client.post(enrol_url(seminar), CONFIRMED)

    assert "full" in response.content.decode()
    assert memberships(seminar, user) == []


@pytest.mark.parametrize("state", [Seminar.State.CLOSED, Seminar.State.ARCHIVED])
def test_enrol_in_a_seminar_not_open_is_refused(client, state):
    seminar = SeminarFactory(state=state)
    user = UserFactory()
    client.force_login(user)

    response = client.post(enrol_url(seminar), CONFIRMED)

    assert response.status_code == 200
    assert "Enrolment for this seminar is not open." in response.content.decode()
    assert memberships(seminar, user) == []


def test_enrol_in_a_draft_is_404_for_a_non_member(client):
    seminar = SeminarFactory(state=Seminar.State.DRAFT)
    user = UserFactory()
    client.force_login(user)

    assert client.get(enrol_url(seminar)).status_code == 404
    assert client.post(enrol_url(seminar), CONFIRMED).status_code == 404
    assert memberships(seminar, user) == []


def test_enrol_when_already_a_student_adds_no_second_row(client):
    seminar = SeminarFactory()
    user = student_of(seminar)
    client.force_login(user)

    response = client.post(enrol_url(seminar), CONFIRMED, follow=True)

    assert response.redirect_chain == [(seminar.get_absolute_url(), 302)]
    assert "You are already a member of this seminar." in response.content.decode()
    assert len(memberships(seminar, user)) == 1


@pytest.mark.parametrize("make_member", [instructor_of, supervisor_of])
def test_enrol_as_instructor_or_supervisor_keeps_the_role(client, make_member):
    seminar = SeminarFactory()
    user = make_member(seminar)
    role = memberships(seminar, user)[0].role
    client.force_login(user)

    get = client.get(enrol_url(seminar))
    client.post(enrol_url(seminar), CONFIRMED)

    assert "You are already a member of this seminar." in get.content.decode()
    assert [membership.role for membership in memberships(seminar, user)] == [role]


def test_enrol_page_anonymous_is_sent_to_login(client):
    seminar = SeminarFactory()

    response = client.get(enrol_url(seminar))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={enrol_url(seminar)}"


def test_enrol_anonymous_post_is_sent_to_login_and_enrols_no_one(client):
    seminar = SeminarFactory()

    response = client.post(enrol_url(seminar), CONFIRMED)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={enrol_url(seminar)}"
    assert Membership.objects.count() == 0


def test_enrol_ignores_extra_fields(client):
    seminar = SeminarFactory()
    user = UserFactory()
    other = UserFactory()
    client.force_login(user)

    client.post(
        enrol_url(seminar),
        {
            **CONFIRMED,
            "role": Membership.Role.INSTRUCTOR,
            "user": other.pk,
            "user_id": other.pk,
            "seminar": SeminarFactory().pk,
            "source": Membership.Source.ADMIN,
        },
    )

    (membership,) = Membership.objects.all()
    assert membership.user == user
    assert membership.seminar == seminar
    assert membership.role == Membership.Role.STUDENT
    assert membership.source == Membership.Source.ENROLMENT


def test_enrol_refuses_other_methods(client):
    seminar = SeminarFactory()
    client.force_login(UserFactory())

    assert client.put(enrol_url(seminar)).status_code == 405
    assert client.delete(enrol_url(seminar)).status_code == 405
    assert Membership.objects.count() == 0


def test_enrol_without_prerequisites_as_a_browser_posts_it():
    """A browser posts the form with nothing but the CSRF token when there is nothing to confirm."""
    seminar = SeminarFactory(mandatory_prerequisites="")
    user = UserFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    page = browser.get(enrol_url(seminar))
    assert "confirm_prerequisites" not in page.content.decode()

    response = browser.post(
        enrol_url(seminar), {"csrfmiddlewaretoken": page.context["csrf_token"]}, follow=True
    )

    assert response.redirect_chain == [(seminar.get_absolute_url(), 302)]
    assert len(memberships(seminar, user)) == 1


def test_enrol_without_prerequisites_with_an_empty_post_enrols(client):
    seminar = SeminarFactory(mandatory_prerequisites="")
    user = UserFactory()
    client.force_login(user)

    response = client.post(enrol_url(seminar))

    assert response.status_code == 302
    assert len(memberships(seminar, user)) == 1
