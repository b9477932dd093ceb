"""Every kind of feed read by ical.js, the parser of Thunderbird and Nextcloud Calendar: a student's, an
instructor's, a supervisor's and the program (program.ics), with events on both sides of both changes of
summer time (January; a talk in April whose slides are due seven days before, in March's winter time;
June; the end of October in summer time; November): each event at its UTC instant, in the seminar's zone,
with the SEQUENCE that icalendar reads too."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from calendars.services import calendar_feed_get
from papers.models import Allotment
from schedule.models import BlockDay, BlockSeminar, Slot
from submissions.models import Deliverable
from tests.calendars.icaljs import icaljs_events
from tests.factories import SeminarFactory, instructor_of, student_of, supervisor_of
from tests.papers.helpers import PaperFactory
from tests.submissions.helpers import DeliverableFactory

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
T0 = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)


def berlin(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, month, day, hour, minute, tzinfo=BERLIN)


@pytest.fixture
def course(time_machine):
    """A published schedule: pre-course meeting 20 January 14:00-15:30 (CET), the block seminar on 2 April
    09:00-17:00 (CEST) with Anna's talk at 09:00 (her paper supervised by Sam) and Ben's at 09:45 (another
    supervisor's); an abstract due 18 January 12:00, slides 7 days before the talk (26 March, still CET),
    the report 15 June 23:59, a peer review 29 October 23:59 (CEST, two days before the change) and the
    final version 2 November 23:59 (CET)."""
    time_machine.move_to(T0, tick=False)
    seminar = SeminarFactory(
        title="Theoretical advances in deep learning",
        slug="deep",
        premeeting_start=berlin(1, 20, 14),
        premeeting_end=berlin(1, 20, 15, 30),
        premeeting_location="MI 00.08.038",
    )
    instructor = instructor_of(seminar, user__full_name="Ina Instructor")
    sam = supervisor_of(seminar, user__full_name="Sam Supervisor")
    olga = supervisor_of(seminar, user__full_name="Olga Other")
    day = BlockDay.objects.create(
        seminar=seminar, starts_at=berlin(4, 2, 9), ends_at=berlin(4, 2, 17), room="MI HS 1"
    )
    students = {}
    for index, (name, title, supervisor) in enumerate(
        (("Anna Adler", "Kernel regimes", sam), ("Ben Brandt", "Lazy training", olga))
    ):
        student = student_of(seminar, user__full_name=name)
        Allotment.objects.create(
            seminar=seminar,
            student=student,
            paper=PaperFactory(seminar=seminar, title=title, supervisor=supervisor),
            source=Allotment.Source.MANUAL,
        )
        start = berlin(4, 2, 9) + timedelta(minutes=45 * index)
        slot = Slot.objects.create(
            seminar=seminar,
            day=day,
            starts_at=start,
            ends_at=start + timedelta(minutes=45),
            room="MI HS 1",
            presenter=student,
        )
        students[name.split()[0].lower()] = (student, slot)
    deliverables = {
        "abstract": DeliverableFactory(seminar=seminar, title="Abstract", due_at=berlin(1, 18, 12)),
        "slides": DeliverableFactory(
            seminar=seminar,
            kind=Deliverable.Kind.SLIDES,
            title="Slides",
            due_mode=Deliverable.DueMode.BEFORE_TALK,
            days_before_talk=7,
            due_at=None,
        ),
        "report": DeliverableFactory(seminar=seminar, title="Written report", due_at=berlin(6, 15, 23, 59)),
        "review": DeliverableFactory(seminar=seminar, title="Peer review", due_at=berlin(10, 29, 23, 59)),
        "final": DeliverableFactory(seminar=seminar, title="Final version", due_at=berlin(11, 2, 23, 59)),
    }
    BlockSeminar.objects.create(seminar=seminar, published_at=T0, published_by=instructor)
    return {
        "seminar": seminar,
        "instructor": instructor,
        "sam": sam,
        "day": day,
        "students": students,
        "deliverables": deliverables,
    }


def feed_of(client, user) -> bytes:
    response = client.get(reverse("calendars:feed", args=[calendar_feed_get(user=user).token]))
    assert response.status_code == 200
    return response.content


def read(body: bytes) -> dict[str, tuple[str, str | None]]:
    """UID -> (start, end) as ical.js reads them, after checking each is in the seminar's zone and has
    the SEQUENCE icalendar reads."""
    found = icaljs_events(body)
    sequences = {
        str(event["UID"]).removesuffix("@seminar-portal"): int(event["SEQUENCE"])
        for event in Calendar.from_ical(body).walk("VEVENT")
    }
    assert {uid: event["sequence"] for uid, event in found.items()} == sequences
    assert {event["start_zone"] for event in found.values()} == {"Europe/Berlin"}
    assert {event["end_zone"] for event in found.values()} <= {"Europe/Berlin", None}
    return {uid: (event["start"], event["end"]) for uid, event in found.items()}


def shared(course) -> dict[str, tuple[str, str | None]]:
    """The block seminar day and both talks, as everybody's calendar has them."""
    anna_slot, ben_slot = course["students"]["anna"][1], course["students"]["ben"][1]
    return {
        f"block-day-{course['day'].pk}": ("2027-04-02T07:00:00.000Z", "2027-04-02T15:00:00.000Z"),
        f"talk-{anna_slot.uid}": ("2027-04-02T07:00:00.000Z", "2027-04-02T07:45:00.000Z"),
        f"talk-{ben_slot.uid}": ("2027-04-02T07:45:00.000Z", "2027-04-02T08:30:00.000Z"),
    }


def seminar_deadlines(course) -> dict[str, tuple[str, None]]:
    pk = {name: item.pk for name, item in course["deliverables"].items()}
    return {
        f"deliverable-{pk['abstract']}": ("2027-01-18T11:00:00.000Z", None),
        f"deliverable-{pk['report']}": ("2027-06-15T21:59:00.000Z", None),
        f"deliverable-{pk['review']}": ("2027-10-29T21:59:00.000Z", None),
        f"deliverable-{pk['final']}": ("2027-11-02T22:59:00.000Z", None),
    }


def premeeting(course) -> dict[str, tuple[str, str]]:
    return {
        f"premeeting-{course['seminar'].pk}": ("2027-01-20T13:00:00.000Z", "2027-01-20T14:30:00.000Z"),
    }


def test_student_feed_read_by_icaljs_has_each_event_at_its_instant(client, course):
    anna, anna_slot = course["students"]["anna"]
    own = {name: f"deliverable-{item.pk}-student-{anna.pk}" for name, item in course["deliverables"].items()}

    found = read(feed_of(client, anna))

    assert found == {
        **premeeting(course),
        f"block-day-{course['day'].pk}": ("2027-04-02T07:00:00.000Z", "2027-04-02T15:00:00.000Z"),
        f"talk-{anna_slot.uid}": ("2027-04-02T07:00:00.000Z", "2027-04-02T07:45:00.000Z"),
        own["abstract"]: ("2027-01-18T11:00:00.000Z", None),
        # 09:00 like the talk, seven calendar days before it: still winter time.
        own["slides"]: ("2027-03-26T08:00:00.000Z", None),
        own["report"]: ("2027-06-15T21:59:00.000Z", None),
        own["review"]: ("2027-10-29T21:59:00.000Z", None),
        own["final"]: ("2027-11-02T22:59:00.000Z", None),
    }


def slides_of(course, name: str) -> str:
    return f"deliverable-{course['deliverables']['slides'].pk}-student-{course['students'][name][0].pk}"


def test_instructor_feed_read_by_icaljs_has_each_event_at_its_instant(client, course):
    found = read(feed_of(client, course["instructor"]))

    assert found == {
        **premeeting(course),
        **shared(course),
        **seminar_deadlines(course),
        slides_of(course, "anna"): ("2027-03-26T08:00:00.000Z", None),
        slides_of(course, "ben"): ("2027-03-26T08:45:00.000Z", None),
    }


def test_supervisor_feed_read_by_icaljs_has_each_event_at_its_instant(client, course):
    """Sam supervises Anna's paper, not Ben's: Anna's slides only."""
    found = read(feed_of(client, course["sam"]))

    assert found == {
        **premeeting(course),
        **shared(course),
        **seminar_deadlines(course),
        slides_of(course, "anna"): ("2027-03-26T08:00:00.000Z", None),
    }


def test_program_ics_read_by_icaljs_has_each_event_at_its_instant(client, course):
    response = client.get(reverse("schedule:program_ics", args=[course["seminar"].slug]))

    assert response.status_code == 200
    assert read(response.content) == shared(course)
