"""The demo (`manage.py load_demo`): seminar, papers, students and logins; loading twice changes nothing."""

from collections import Counter
from datetime import UTC, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import User
from demo.papers import DEMO_STUDENTS
from demo.seminar import DEMO_LOGINS, DEMO_SLUG, TOPICS
from grading.models import GradeComponent
from papers.models import Paper, Preference, PreferenceWindow
from schedule.models import BlockDay
from seminars.models import Membership, Seminar, Topic
from submissions.models import Deliverable

pytestmark = pytest.mark.django_db

LOADED_AT = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
DEMO_PAPERS = 26
STUDENT_EMAILS = [f"student{n}@example.org" for n in range(1, DEMO_STUDENTS + 1)]
PAPERS_PER_TOPIC = {TOPICS[0]: 7, TOPICS[1]: 4, TOPICS[2]: 4, TOPICS[3]: 6, TOPICS[4]: 5}


@pytest.fixture
def pinned(time_machine):
    time_machine.move_to(LOADED_AT, tick=False)


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
        "papers": list(Paper.objects.order_by("pk").values()),
        "windows": list(PreferenceWindow.objects.values()),
        "preferences": list(Preference.objects.order_by("pk").values()),
        "deliverables": list(Deliverable.objects.order_by("pk").values()),
        "block_days": list(BlockDay.objects.order_by("pk").values()),
        "grade_components": list(GradeComponent.objects.order_by("pk").values()),
    }


def test_load_demo_twice_changes_nothing():
    load_demo()
    first = database_state()

    load_demo()

    assert database_state() == first
    assert len(first["users"]) == len(DEMO_LOGINS) + DEMO_STUDENTS
    assert len(first["seminars"]) == 1
    assert len(first["topics"]) == len(TOPICS)
    assert len(first["memberships"]) == 2 + DEMO_STUDENTS
    assert len(first["papers"]) == DEMO_PAPERS
    assert len(first["windows"]) == 1
    assert len(first["preferences"]) == DEMO_STUDENTS * 5


def test_load_demo_again_after_the_window_closed_changes_nothing(time_machine):
    time_machine.move_to(LOADED_AT, tick=False)
    load_demo()
    first = database_state()

    time_machine.move_to(LOADED_AT + timedelta(days=60), tick=False)
    load_demo()

    assert database_state() == first


def test_load_demo_creates_the_seminar_with_its_instructor_supervisor_and_students():
    load_demo()

    seminar = Seminar.objects.get(slug=DEMO_SLUG)
    assert seminar.title == "Theoretical advances in deep learning"
    assert list(seminar.topics.values_list("title", flat=True)) == TOPICS
    assert sorted(seminar.memberships.values_list("user__email", "role")) == sorted(
        [
            ("instructor@example.org", "instructor"),
            ("supervisor@example.org", "supervisor"),
            *((email, "student") for email in STUDENT_EMAILS),
        ]
    )


def test_load_demo_adds_the_26_papers_under_the_5_topics_with_the_demo_supervisor():
    load_demo()

    papers = Paper.objects.filter(seminar__slug=DEMO_SLUG)
    assert papers.count() == DEMO_PAPERS
    assert Counter(papers.values_list("topic__title", flat=True)) == PAPERS_PER_TOPIC
    assert set(papers.values_list("supervisor__email", flat=True)) == {"supervisor@example.org"}
    assert all(link.startswith("https://") for link in papers.values_list("link", flat=True))
    assert papers.filter(source_key="").count() == 0


def test_load_demo_opens_a_preference_window_around_now(pinned):
    load_demo()

    window = PreferenceWindow.objects.get(seminar__slug=DEMO_SLUG)
    assert (window.opens_at, window.closes_at, window.max_choices) == (
        LOADED_AT - timedelta(days=1),
        LOADED_AT + timedelta(days=14),
        5,
    )
    assert window.is_open(LOADED_AT)


def test_load_demo_students_have_no_password_and_rank_five_papers_each(pinned):
    load_demo()

    for email in STUDENT_EMAILS:
        student = User.objects.get(email=email)
        ranking = list(
            Preference.objects.filter(student=student)
            .order_by("rank")
            .values_list("rank", "paper__seminar__slug")
        )
        assert not student.has_usable_password()
        assert EmailAddress.objects.filter(user=student, email=email, verified=True, primary=True).exists()
        assert ranking == [(rank, DEMO_SLUG) for rank in range(1, 6)]
    rankings = {
        email: list(
            Preference.objects.filter(student__email=email).order_by("rank").values_list("paper", flat=True)
        )
        for email in STUDENT_EMAILS
    }
    assert len({tuple(ranking) for ranking in rankings.values()}) > 1  # not all the same ranking


def test_load_demo_students_cannot_log_in(client):
    load_demo()

    response = client.post(reverse("account_login"), {"login": STUDENT_EMAILS[0], "password": ""})

    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_load_demo_prints_the_demo_logins():
    output = load_demo()

    assert f"/seminars/{DEMO_SLUG}/" in output
    assert "Theoretical advances in deep learning" in output
    for login in DEMO_LOGINS:
        line = next(line for line in output.splitlines() if login.email in line)
        assert login.role in line
        assert login.password in line
    assert f"{DEMO_STUDENTS} more enrolled students, student1..{DEMO_STUDENTS}@example.org" in output


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


def test_load_demo_keeps_papers_rankings_and_window_an_instructor_or_student_changed_since():
    load_demo()
    seminar = Seminar.objects.get(slug=DEMO_SLUG)
    Paper.objects.filter(seminar=seminar, source_key="zhang2017rethinking").update(
        title="Retitled", capacity=3
    )
    PreferenceWindow.objects.filter(seminar=seminar).update(max_choices=3)
    student = User.objects.get(email=STUDENT_EMAILS[0])
    Preference.objects.filter(student=student, rank__gt=1).delete()
    changed = database_state()

    load_demo()

    assert database_state() == changed


@pytest.mark.parametrize("change", ["paper deleted", "supervisor removed"])
def test_load_demo_keeps_papers_an_instructor_deleted_or_unassigned(change):
    load_demo()
    seminar = Seminar.objects.get(slug=DEMO_SLUG)
    paper = Paper.objects.get(seminar=seminar, source_key="zhang2017rethinking")
    if change == "paper deleted":
        paper.delete()
    else:
        Paper.objects.filter(pk=paper.pk).update(supervisor=None)
    changed = database_state()

    load_demo()

    assert database_state() == changed


def test_load_demo_refuses_to_run_in_production(settings):
    settings.DEMO_DATA_ALLOWED = False

    with pytest.raises(CommandError, match="never loaded in production"):
        load_demo()

    assert User.objects.count() == 0


def test_load_demo_runs_under_overridden_settings(settings):
    settings.SETTINGS_MODULE = None

    load_demo()

    assert Seminar.objects.filter(slug=DEMO_SLUG).exists()


def test_load_demo_adds_the_report_and_the_slides_due_at_2359_in_berlin(pinned):
    load_demo()
    report, slides = Deliverable.objects.order_by("order")
    assert (report.kind, report.allowed_types, slides.kind, slides.allowed_types) == (
        "report",
        ["pdf"],
        "slides",
        ["pdf", "pptx"],
    )
    berlin = ZoneInfo("Europe/Berlin")
    assert report.due_at.astimezone(berlin).replace(tzinfo=None) == datetime(2026, 11, 12, 23, 59)
    assert slides.due_at.astimezone(berlin).replace(tzinfo=None) == datetime(2026, 12, 10, 23, 59)
    assert report.due_at < slides.due_at


def test_load_demo_keeps_deliverables_an_instructor_changed_since(pinned):
    load_demo()
    Deliverable.objects.filter(kind="report").update(title="Seminar paper", max_size_mb=7)
    load_demo()
    assert list(Deliverable.objects.order_by("order").values_list("title", "max_size_mb")) == [
        ("Seminar paper", 7),
        ("Slides", 50),
    ]


def test_load_demo_adds_two_block_seminar_days_eleven_weeks_later(pinned):
    load_demo()
    berlin = ZoneInfo("Europe/Berlin")
    days = [
        (
            day.starts_at.astimezone(berlin).replace(tzinfo=None),
            day.ends_at.astimezone(berlin).replace(tzinfo=None),
        )
        for day in BlockDay.objects.order_by("starts_at")
    ]
    assert days == [
        (datetime(2026, 12, 17, 9, 0), datetime(2026, 12, 17, 17, 0)),
        (datetime(2026, 12, 18, 9, 0), datetime(2026, 12, 18, 17, 0)),
    ]


def test_load_demo_saves_presentation_and_report_linked_to_slides_and_report():
    load_demo()

    components = GradeComponent.objects.order_by("order").select_related("deliverable")
    assert [
        (component.key, component.name_en, component.name_de, component.weight, component.deliverable.title)
        for component in components
    ] == [
        ("presentation", "Presentation", "Vortrag", 60, "Slides"),
        ("report", "Report", "Ausarbeitung", 40, "Written report"),
    ]


def test_load_demo_keeps_grade_components_an_instructor_changed_since():
    load_demo()
    GradeComponent.objects.filter(key="presentation").update(weight=50, name_en="Talk")
    GradeComponent.objects.filter(key="report").update(weight=50)
    changed = database_state()

    load_demo()

    assert database_state() == changed
    assert [(c.name_en, c.weight) for c in GradeComponent.objects.order_by("order")] == [
        ("Talk", 50),
        ("Report", 50),
    ]
