"""Creating a seminar in the portal (seminars:create, seminars.creation): the site permission "run_seminars"
given in the admin, the essentials, the creator as its instructor, a draft, a free address."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from core.permissions import may
from seminars.creation import seminar_create, slug_suggest
from seminars.exceptions import SlugTakenError
from seminars.models import Membership, Seminar
from tests.factories import SeminarFactory, UserFactory, instructor_of, may_run_seminars, student_of

pytestmark = pytest.mark.django_db
CREATE_URL = reverse("seminars:create")
LIST_URL = reverse("seminars:list")


def essentials(**changes) -> dict:
    return {
        "title": "Kernel methods",
        "slug": "kernels-ws26",
        "term": "Winter term 2026/27",
        "time_zone": "Europe/Berlin",
        "capacity": "12",
    } | changes


@pytest.fixture
def runner():
    return may_run_seminars(UserFactory(full_name="Ria Runner"))


@pytest.fixture
def runner_client(client, runner):
    client.force_login(runner)
    return client


def test_the_permission_may_come_from_a_group_given_in_the_admin():
    chair_staff = Group.objects.create(name="Chair staff")
    chair_staff.permissions.add(Permission.objects.get(codename="run_seminars"))
    member, outsider = UserFactory(), UserFactory()
    member.groups.add(chair_staff)

    assert may(member, "seminars.create")
    assert not may(outsider, "seminars.create")


def test_a_superuser_is_not_given_the_permission_by_being_one():
    assert not may(UserFactory(is_staff=True, is_superuser=True), "seminars.create")


@pytest.mark.parametrize(
    ("who", "status"),
    [("student", 403), ("instructor without the permission", 403), ("runner", 200)],
)
def test_the_new_seminar_page_is_for_people_who_may_run_seminars(client, runner, who, status):
    seminar = SeminarFactory()
    person = {
        "student": student_of(seminar),
        "instructor without the permission": instructor_of(seminar),
        "runner": runner,
    }[who]
    client.force_login(person)

    response = client.get(CREATE_URL)
    posted = client.post(CREATE_URL, essentials())

    assert response.status_code == status
    assert posted.status_code == (302 if status == 200 else 403)
    assert Seminar.objects.filter(slug="kernels-ws26").exists() == (status == 200)


def test_anonymous_visitors_are_sent_to_the_login(client):
    assert client.get(CREATE_URL)["Location"].startswith(reverse("account_login"))


def test_the_seminar_list_links_the_new_seminar_page_only_for_those_who_may(client, runner):
    client.force_login(UserFactory())
    assert "New seminar" not in client.get(LIST_URL).content.decode()

    client.force_login(runner)
    page = client.get(LIST_URL).content.decode()

    assert f'href="{CREATE_URL}"' in page
    assert "New seminar" in page


def test_creating_makes_a_draft_with_the_creator_as_its_instructor(runner_client, runner):
    response = runner_client.post(CREATE_URL, essentials(), follow=True)

    seminar = Seminar.objects.get(slug="kernels-ws26")
    assert response.redirect_chain[-1][0] == reverse("seminars:edit", kwargs={"slug": "kernels-ws26"})
    assert "Kernel methods has been created as a draft" in response.content.decode()
    assert (seminar.title, seminar.term, seminar.capacity, seminar.time_zone) == (
        "Kernel methods",
        "Winter term 2026/27",
        12,
        "Europe/Berlin",
    )
    assert seminar.state == Seminar.State.DRAFT
    assert list(seminar.memberships.values_list("user", "role", "source")) == [
        (runner.pk, Membership.Role.INSTRUCTOR, Membership.Source.CREATED)
    ]


def test_the_draft_is_seen_by_its_staff_only(runner_client, client):
    runner_client.post(CREATE_URL, essentials())
    detail = reverse("seminars:detail", kwargs={"slug": "kernels-ws26"})

    assert runner_client.get(detail).status_code == 200
    client.force_login(UserFactory())
    assert client.get(detail).status_code == 404
    assert "Kernel methods" not in client.get(LIST_URL).content.decode()


def test_an_empty_address_is_made_from_the_title(runner_client):
    SeminarFactory(slug="kernel-methods")

    runner_client.post(CREATE_URL, essentials(slug="", title="Kernel méthods"))

    assert Seminar.objects.filter(slug="kernel-methods-2", title="Kernel méthods").exists()


def test_a_taken_address_is_refused_with_a_free_one_and_the_form_kept(runner_client):
    SeminarFactory(slug="kernels-ws26", title="Someone else's")

    response = runner_client.post(CREATE_URL, essentials())

    page = response.content.decode()
    assert response.status_code == 200
    assert "The address “kernels-ws26” is taken by another seminar" in page
    assert "“kernels-ws26-2”" in page
    assert 'value="Kernel methods"' in page
    assert Seminar.objects.filter(slug="kernels-ws26").count() == 1


def test_the_address_new_is_reserved_for_the_portal(runner_client):
    response = runner_client.post(CREATE_URL, essentials(slug="new"))

    assert response.status_code == 200
    assert "“new” is a word the portal&#x27;s addresses use" in response.content.decode()
    assert not Seminar.objects.filter(slug="new").exists()


def test_the_service_refuses_a_taken_address_that_the_form_did_not_see(runner):
    SeminarFactory(slug="kernels-ws26")

    with pytest.raises(SlugTakenError) as refused:
        seminar_create(
            by=runner, title="Kernels", slug="kernels-ws26", term="WS", time_zone="Europe/Berlin", capacity=5
        )

    assert refused.value.suggestion == "kernels-ws26-2"
    assert not Membership.objects.filter(user=runner).exists()


def test_slug_suggestions_count_up_past_taken_addresses():
    SeminarFactory(slug="kernels")
    SeminarFactory(slug="kernels-2")

    assert slug_suggest("Kernels") == "kernels-3"
    assert slug_suggest("???") == "seminar"
    assert slug_suggest("new") == "new-2"
