"""Nothing derived from an unpublished allotment reaches anyone but the seminar's staff: not the program
page, not program.ics, not a calendar feed, not the talk mail. Publishing a schedule waits for the
allotment; a schedule published before (data from before the rule) still shows no titles."""

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils.html import escape
from icalendar import Calendar

from calendars.services import calendar_feed_get
from papers.models import Allotment
from schedule.exceptions import AllotmentNotPublishedError
from schedule.models import BlockDay, BlockSeminar, Slot
from schedule.selectors import paper_changes_of_presenters, papers_of_presenters
from schedule.services import schedule_publish, talk_notify
from tests.factories import SeminarFactory, UserFactory, instructor_of, student_of, supervisor_of
from tests.papers.helpers import PaperFactory, publish_allotment

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2027, 4, 1, 8, 0, tzinfo=UTC)
TITLES = {"Anna Adler": "Kernel regimes", "Ben Brandt": "Lazy training"}


def berlin(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, month, day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


def make_course():
    """An open seminar: two students with allotted papers (allotment run, not published), each with a
    slot on 3 May 2027."""
    seminar = SeminarFactory(title="Theoretical advances in deep learning", slug="deep")
    instructor = instructor_of(seminar, user__full_name="Ina Instructor")
    supervisor = supervisor_of(seminar, user__full_name="Sam Supervisor")
    day = BlockDay.objects.create(seminar=seminar, starts_at=berlin(5, 3, 9), ends_at=berlin(5, 3, 17))
    students = {}
    for index, (name, title) in enumerate(TITLES.items()):
        student = student_of(seminar, user__full_name=name)
        Allotment.objects.create(
            seminar=seminar,
            student=student,
            paper=PaperFactory(seminar=seminar, title=title, supervisor=supervisor),
            source=Allotment.Source.AUTOMATIC,
        )
        start = day.starts_at + timedelta(minutes=45 * index)
        Slot.objects.create(
            seminar=seminar,
            day=day,
            starts_at=start,
            ends_at=start + timedelta(minutes=30),
            presenter=student,
        )
        students[name] = student
    return {"seminar": seminar, "instructor": instructor, "supervisor": supervisor, "students": students}


@pytest.fixture
def course():
    return make_course()


@pytest.fixture
def published_schedule(course):
    """The state the defect was found in: the schedule published, the allotment not."""
    BlockSeminar.objects.create(
        seminar=course["seminar"], published_at=NOW, published_by=course["instructor"]
    )
    return course


def titles_in(text: str) -> list[str]:
    return [title for title in TITLES.values() if title in text]


def feed_text(client, user) -> str:
    response = client.get(reverse("calendars:feed", args=[calendar_feed_get(user=user).token]))
    assert response.status_code == 200
    return response.content.decode()


def summaries(body: bytes | str) -> list[str]:
    calendar = Calendar.from_ical(body)
    return sorted(str(event["summary"]) for event in calendar.walk("VEVENT"))


@pytest.mark.parametrize("who", ["anna", "ben", "instructor", "supervisor", "outsider", "anonymous"])
def test_program_page_shows_no_paper_titles_before_the_allotment_is_published(
    client, published_schedule, who
):
    course = published_schedule
    user = {
        "anna": course["students"]["Anna Adler"],
        "ben": course["students"]["Ben Brandt"],
        "instructor": course["instructor"],
        "supervisor": course["supervisor"],
        "outsider": UserFactory(),
        "anonymous": None,
    }[who]
    if user is not None:
        client.force_login(user)

    response = client.get(reverse("schedule:program", args=["deep"]))

    assert response.status_code == 200
    assert titles_in(response.content.decode()) == []
    # The program itself is published: the talks are there, only without titles.
    assert response.context["published"] is True
    assert [len(day.slots) for day in response.context["days"]] == [2]


def test_program_page_shows_the_titles_once_the_allotment_is_published(client, published_schedule):
    publish_allotment(published_schedule["seminar"], at=NOW + timedelta(hours=1))

    response = client.get(reverse("schedule:program", args=["deep"]))

    assert titles_in(response.content.decode()) == list(TITLES.values())


@pytest.mark.parametrize("member", [True, False])
def test_program_ics_has_no_paper_titles_before_the_allotment_is_published(
    client, published_schedule, member
):
    if member:
        client.force_login(published_schedule["students"]["Ben Brandt"])

    response = client.get(reverse("schedule:program_ics", args=["deep"]))

    assert response.status_code == 200
    assert titles_in(response.content.decode()) == []
    assert len([item for item in summaries(response.content) if not item.startswith("Block seminar")]) == 2


@pytest.mark.parametrize("who", ["Anna Adler", "instructor", "supervisor"])
def test_calendar_feed_has_no_paper_titles_before_the_allotment_is_published(client, published_schedule, who):
    course = published_schedule
    user = course["students"].get(who) or course[who]

    text = feed_text(client, user)

    assert titles_in(text) == []
    assert "Talk" in text


def test_calendar_feed_shows_the_own_title_once_the_allotment_is_published(client, published_schedule):
    publish_allotment(published_schedule["seminar"], at=NOW + timedelta(hours=1))

    text = feed_text(client, published_schedule["students"]["Anna Adler"])

    assert titles_in(text) == ["Kernel regimes"]


def test_talk_mail_names_no_paper_before_the_allotment_is_published(published_schedule):
    course = published_schedule

    talk_notify(seminar=course["seminar"], student=course["students"]["Anna Adler"], change=None)

    (message,) = mail.outbox
    assert titles_in(message.body) == []
    assert titles_in(message.alternatives[0][0]) == []
    assert "Paper:" not in message.body


def test_papers_of_presenters_and_their_changes_are_empty_before_the_allotment_is_published(course):
    assert papers_of_presenters(course["seminar"]) == {}
    assert paper_changes_of_presenters(course["seminar"]) == {}


def test_paper_changes_of_presenters_count_from_the_publication(course):
    published_at = NOW + timedelta(days=3)
    publish_allotment(course["seminar"], at=published_at)

    changes = paper_changes_of_presenters(course["seminar"])

    assert set(changes.values()) == {published_at}


def test_manage_page_shows_the_titles_to_the_instructors_before_publishing(client, course):
    client.force_login(course["instructor"])

    response = client.get(reverse("schedule:manage", args=["deep"]))

    assert titles_in(response.content.decode()) == list(TITLES.values())


def test_schedule_publish_refused_while_the_allotment_is_not_published(
    course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(AllotmentNotPublishedError):
        schedule_publish(seminar=course["seminar"], published_by=course["instructor"], now=NOW)

    assert not BlockSeminar.objects.filter(published_at__isnull=False).exists()
    assert mail.outbox == []


def test_schedule_publish_view_says_to_publish_the_allotment_first(client, course):
    client.force_login(course["instructor"])

    page = client.get(reverse("schedule:publish", args=["deep"]))
    response = client.post(reverse("schedule:publish", args=["deep"]), {"confirmed": "yes"}, follow=True)

    assert escape(str(AllotmentNotPublishedError.message)) in page.content.decode()
    assert 'name="confirmed"' not in page.content.decode()
    assert [str(message) for message in response.context["messages"]] == [
        str(AllotmentNotPublishedError.message)
    ]
    assert not BlockSeminar.objects.filter(published_at__isnull=False).exists()


def test_schedule_publish_after_the_allotment_is_published_mails_each_presenter_their_paper(
    course, django_capture_on_commit_callbacks
):
    publish_allotment(course["seminar"])

    with django_capture_on_commit_callbacks(execute=True):
        schedule_publish(seminar=course["seminar"], published_by=course["instructor"], now=NOW)

    assert sorted(titles_in(message.body)[0] for message in mail.outbox) == sorted(TITLES.values())


def test_schedule_publish_of_a_seminar_without_any_allotment_is_allowed(django_capture_on_commit_callbacks):
    seminar = SeminarFactory()
    instructor = instructor_of(seminar)

    block = schedule_publish(seminar=seminar, published_by=instructor, now=NOW)

    assert block.published_at == NOW


@pytest.mark.django_db(transaction=True)
def test_schedule_publish_by_two_instructors_at_once_mails_every_presenter_once(
    django_capture_on_commit_callbacks,
):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers on the whole file; the row lock is tested on PostgreSQL")
    course = make_course()
    publish_allotment(course["seminar"])
    BlockSeminar.objects.create(seminar=course["seminar"])  # the timing was saved before
    second = instructor_of(course["seminar"])
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def publish(instructor) -> None:
        try:
            start.wait(timeout=10)
            schedule_publish(seminar=course["seminar"], published_by=instructor, now=NOW)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(user,)) for user in (course["instructor"], second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        student.email for student in course["students"].values()
    )
