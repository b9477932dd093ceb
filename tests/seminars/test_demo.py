"""The demo seminar and logins (`manage.py load_demo`): loading twice changes nothing."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import User
from seminars.demo import DEMO_LOGINS, DEMO_SLUG, TOPICS
from seminars.models import Membership, Seminar, Topic

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def database_state() -> dict:
    return {
        "users": sorted(
            User.objects.values_list("email", "password", "full_name", "is_staff", "is_superuser")
        ),
        "addresses": sorted(EmailAddress.objects.values_list("email", "verified", "primary")),
        "seminars": list(Seminar.objects.values()),
        "topics": list(Topic.objects.order_by("pk").values_list("pk", "seminar__slug", "title", "order")),
        "memberships": sorted(Membership.objects.values_list("pk", "user__email", "seminar__slug", "role")),
    }


def test_load_demo_twice_changes_nothing():
    load_demo()
    first = database_state()

    load_demo()

    assert database_state() == first
    assert len(first["users"]) == len(DEMO_LOGINS)
    assert len(first["seminars"]) == 1
    assert len(first["topics"]) == len(TOPICS)
    assert len(first["memberships"]) == 2


def test_load_demo_creates_the_seminar_with_its_instructor_and_supervisor():
    load_demo()

    seminar = Seminar.objects.get(slug=DEMO_SLUG)
    assert seminar.title == "Theoretical advances in deep learning"
    assert list(seminar.topics.values_list("title", flat=True)) == TOPICS
    assert sorted(seminar.memberships.values_list("user__email", "role")) == [
        ("instructor@example.org", "instructor"),
        ("supervisor@example.org", "supervisor"),
    ]


def test_load_demo_prints_the_demo_logins():
    output = load_demo()

    assert f"/seminars/{DEMO_SLUG}/" in output
    assert "Theoretical advances in deep learning" in output
    for login in DEMO_LOGINS:
        line = next(line for line in output.splitlines() if login.email in line)
        assert login.role in line
        assert login.password in line


def test_load_demo_prints_the_logins_again_the_second_time():
    load_demo()

    output = load_demo()

    assert all(login.email in output and login.password in output for login in DEMO_LOGINS)


@pytest.mark.parametrize("login", DEMO_LOGINS, ids=lambda login: login.role)
def test_load_demo_logins_work(client, login):
    load_demo()

    response = client.post(reverse("account_login"), {"login": login.email, "password": login.password})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email=login.email).pk)


def test_load_demo_makes_only_the_admin_staff():
    load_demo()

    assert list(User.objects.filter(is_staff=True).values_list("email", "is_superuser")) == [
        ("admin@example.org", True)
    ]


def test_load_demo_keeps_a_password_changed_since():
    load_demo()
    student = User.objects.get(email="student@example.org")
    student.set_password("changed-by-the-student-1")
    student.save()

    load_demo()

    student.refresh_from_db()
    assert student.check_password("changed-by-the-student-1")


def test_load_demo_keeps_what_an_instructor_changed_since():
    load_demo()
    seminar = Seminar.objects.get(slug=DEMO_SLUG)
    Seminar.objects.filter(pk=seminar.pk).update(title="Renamed by the instructor", capacity=30)
    Topic.objects.filter(seminar=seminar, title=TOPICS[0]).delete()

    load_demo()

    seminar.refresh_from_db()
    assert (seminar.title, seminar.capacity) == ("Renamed by the instructor", 30)
    assert seminar.topics.count() == len(TOPICS) - 1


def test_load_demo_refuses_to_run_in_production(settings):
    settings.DEMO_DATA_ALLOWED = False

    with pytest.raises(CommandError, match="never loaded in production"):
        load_demo()

    assert User.objects.count() == 0


def test_load_demo_runs_under_overridden_settings(settings):
    settings.SETTINGS_MODULE = None

    load_demo()

    assert Seminar.objects.filter(slug=DEMO_SLUG).exists()
