"""Rights never carry over from one seminar to another: only seminar B's instructors manage seminar B."""

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import User
from seminars.models import Membership, Seminar
from tests.factories import SeminarFactory, TopicFactory, UserFactory, instructor_of, supervisor_of

from .helpers import edit_form_data

INSTRUCTOR_PAGES = ["seminars:edit", "seminars:roster", "seminars:import"]
METHODS = ["get", "post"]
# Every (page, method) an instructor page answers; the roster is read-only and refuses POST with 405.
PAGE_METHODS = [
    (url_name, method)
    for url_name in INSTRUCTOR_PAGES
    for method in METHODS
    if (url_name, method) != ("seminars:roster", "post")
]
SECRET_EMAIL = "secret.student@uni.example"
SECRET_NUMBER = "99887766"
INTRUDER_EMAIL = "intruder@elsewhere.example"

pytestmark = pytest.mark.django_db


@dataclass
class World:
    seminar_a: Seminar
    instructor_a: User
    seminar_b: Seminar
    instructor_b: User
    student_b: User
    supervisor_b: User


def make_world(state_b=Seminar.State.OPEN) -> World:
    seminar_a = SeminarFactory(title="Seminar A")
    seminar_b = SeminarFactory(title="Seminar B", state=state_b, capacity=10)
    TopicFactory(seminar=seminar_b, title="Topic of B")
    student_b = UserFactory(
        email=SECRET_EMAIL, matriculation_number=SECRET_NUMBER, full_name="Secret Student"
    )
    Membership.objects.create(user=student_b, seminar=seminar_b, role=Membership.Role.STUDENT)
    return World(
        seminar_a=seminar_a,
        instructor_a=instructor_of(seminar_a),
        seminar_b=seminar_b,
        instructor_b=instructor_of(seminar_b),
        student_b=student_b,
        supervisor_b=supervisor_of(seminar_b),
    )


def payload(url_name: str, world: World) -> dict:
    """What an attacker would post: a complete, valid form for seminar B."""
    if url_name == "seminars:edit":
        owner = Client()
        owner.force_login(world.instructor_b)
        return edit_form_data(owner, world.seminar_b, title="Hijacked", capacity=99, topics="Stolen topic")
    if url_name == "seminars:import":
        data = f"email,name\n{INTRUDER_EMAIL},Ivo Intruder\n".encode()
        return {"student_list": SimpleUploadedFile("list.csv", data, content_type="text/csv")}
    return {"title": "Hijacked"}


def snapshot(seminar: Seminar) -> dict:
    seminar = Seminar.objects.get(pk=seminar.pk)
    return {
        "seminar": (seminar.title, seminar.capacity, seminar.state, seminar.updated_at),
        "topics": list(seminar.topics.values_list("pk", "title", "order")),
        "members": sorted(seminar.memberships.values_list("user__email", "role")),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
    }


def request(client, method: str, url_name: str, world: World):
    url = reverse(url_name, kwargs={"slug": world.seminar_b.slug})
    if method == "get":
        return client.get(url)
    return client.post(url, payload(url_name, world))


def assert_refused(response, status, world, before, mailoutbox, callbacks):
    assert response.status_code == status
    content = response.content.decode()
    assert SECRET_EMAIL not in content
    assert SECRET_NUMBER not in content
    assert "Secret Student" not in content
    assert snapshot(world.seminar_b) == before
    assert callbacks == []
    assert mailoutbox == []


@pytest.mark.parametrize(("url_name", "method"), PAGE_METHODS)
def test_instructor_pages_refuse_the_instructor_of_another_seminar(
    client, url_name, method, mailoutbox, django_capture_on_commit_callbacks
):
    world = make_world()
    before = snapshot(world.seminar_b)
    client.force_login(world.instructor_a)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = request(client, method, url_name, world)

    assert_refused(response, 403, world, before, mailoutbox, callbacks)
    assert "Not allowed" in response.content.decode()


@pytest.mark.parametrize(("url_name", "method"), PAGE_METHODS)
def test_instructor_pages_of_a_draft_are_404_to_the_instructor_of_another_seminar(
    client, url_name, method, mailoutbox, django_capture_on_commit_callbacks
):
    world = make_world(state_b=Seminar.State.DRAFT)
    before = snapshot(world.seminar_b)
    client.force_login(world.instructor_a)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = request(client, method, url_name, world)

    assert_refused(response, 404, world, before, mailoutbox, callbacks)
    assert "Seminar B" not in response.content.decode()


@pytest.mark.parametrize("member", ["student_b", "supervisor_b"])
@pytest.mark.parametrize(("url_name", "method"), PAGE_METHODS)
def test_instructor_pages_refuse_students_and_supervisors_of_the_seminar(
    client, url_name, method, member, mailoutbox, django_capture_on_commit_callbacks
):
    world = make_world()
    before = snapshot(world.seminar_b)
    client.force_login(getattr(world, member))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = request(client, method, url_name, world)

    assert response.status_code == 403
    content = response.content.decode()
    if member == "supervisor_b":
        assert SECRET_EMAIL not in content
    assert INTRUDER_EMAIL not in content
    assert snapshot(world.seminar_b) == before
    assert callbacks == []
    assert mailoutbox == []


@pytest.mark.parametrize("member", ["student_b", "supervisor_b"])
@pytest.mark.parametrize(("url_name", "method"), PAGE_METHODS)
def test_instructor_pages_refuse_members_of_a_draft_who_are_not_instructors(
    client, url_name, method, member, mailoutbox, django_capture_on_commit_callbacks
):
    world = make_world(state_b=Seminar.State.DRAFT)
    before = snapshot(world.seminar_b)
    client.force_login(getattr(world, member))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = request(client, method, url_name, world)

    assert response.status_code == 403
    assert snapshot(world.seminar_b) == before
    assert callbacks == []


@pytest.mark.parametrize(("url_name", "method"), PAGE_METHODS)
def test_instructor_pages_send_anonymous_to_login(
    client, url_name, method, mailoutbox, django_capture_on_commit_callbacks
):
    world = make_world()
    before = snapshot(world.seminar_b)
    url = reverse(url_name, kwargs={"slug": world.seminar_b.slug})

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = request(client, method, url_name, world)

    assert_refused(response, 302, world, before, mailoutbox, callbacks)
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


def test_instructor_pages_refuse_a_staff_user_who_is_not_an_instructor(client):
    """Staff use the Django admin; the instructor pages go by the seminar role alone."""
    world = make_world()
    client.force_login(UserFactory(is_staff=True))

    for url_name in INSTRUCTOR_PAGES:
        assert client.get(reverse(url_name, kwargs={"slug": world.seminar_b.slug})).status_code == 403


@pytest.mark.parametrize("url_name", INSTRUCTOR_PAGES)
def test_instructor_pages_open_to_the_seminars_instructor(client, url_name):
    world = make_world()
    client.force_login(world.instructor_b)

    response = request(client, "get", url_name, world)

    assert response.status_code == 200
    assert "Seminar B" in response.content.decode()


def test_roster_shows_the_seminars_students_to_its_instructor(client):
    world = make_world()
    client.force_login(world.instructor_b)

    content = request(client, "get", "seminars:roster", world).content.decode()

    assert SECRET_EMAIL in content
    assert SECRET_NUMBER in content
    assert "Secret Student" in content


def test_roster_shows_only_students_of_its_own_seminar(client):
    world = make_world()
    other_student = UserFactory(email="other.student@uni.example")
    Membership.objects.create(user=other_student, seminar=world.seminar_a, role=Membership.Role.STUDENT)
    client.force_login(world.instructor_a)

    content = client.get(reverse("seminars:roster", kwargs={"slug": world.seminar_a.slug})).content.decode()

    assert "other.student@uni.example" in content
    assert SECRET_EMAIL not in content
    assert world.instructor_a.email not in content


def test_edit_post_by_the_seminars_instructor_changes_the_seminar(client):
    world = make_world()
    client.force_login(world.instructor_b)

    response = request(client, "post", "seminars:edit", world)

    assert response.status_code == 302
    world.seminar_b.refresh_from_db()
    assert world.seminar_b.title == "Hijacked"
    assert list(world.seminar_b.topics.values_list("title", flat=True)) == ["Stolen topic"]


def test_import_post_by_the_seminars_instructor_adds_the_student(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    world = make_world()
    client.force_login(world.instructor_b)

    with django_capture_on_commit_callbacks(execute=True):
        response = request(client, "post", "seminars:import", world)

    assert response.status_code == 302
    assert world.seminar_b.memberships.filter(user__email=INTRUDER_EMAIL).exists()
    assert [mail.to for mail in mailoutbox] == [[INTRUDER_EMAIL]]


def test_instructor_of_one_seminar_can_still_manage_their_own(client):
    world = make_world()
    client.force_login(world.instructor_a)

    for url_name in INSTRUCTOR_PAGES:
        assert client.get(reverse(url_name, kwargs={"slug": world.seminar_a.slug})).status_code == 200


def test_roster_refuses_post(client):
    world = make_world()
    client.force_login(world.instructor_b)

    assert request(client, "post", "seminars:roster", world).status_code == 405
