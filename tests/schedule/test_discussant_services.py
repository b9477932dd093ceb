"""Discussants: assigned when the schedule is published, changed by hand, shown on the program, in the
discussant's calendar and on their Reports and slides page, and given the presenter's counted slides."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from calendars.models import CalendarFeed
from core.permissions import may
from papers.models import Allotment
from schedule.exceptions import ScheduleError
from schedule.forms import SlotForm
from schedule.models import BlockDay, BlockSeminar, Slot
from schedule.services import schedule_publish, slot_save
from submissions import services as submission_services
from submissions.models import Deliverable
from tests.factories import SeminarFactory, TopicFactory, instructor_of, student_of
from tests.papers.helpers import PaperFactory, publish_allotment
from tests.submissions.helpers import DeliverableFactory, pdf_bytes, submission_storage  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("submission_storage")]

NOW = datetime(2027, 4, 1, 8, 0, tzinfo=UTC)
DAY_START = datetime(2027, 5, 3, 7, 0, tzinfo=UTC)
NAMES = ["Anna Adler", "Ben Brandt", "Cleo Conrad", "Dana Dorn", "Emil Eck", "Fritz Falk"]


@pytest.fixture
def course():
    seminar = SeminarFactory(title="Learning theory")
    instructor = instructor_of(seminar, user__full_name="Ina Instructor")
    topics = [TopicFactory(seminar=seminar), TopicFactory(seminar=seminar)]
    students = [
        student_of(seminar, user__full_name=name, user__email=f"{name.split()[0].lower()}@uni.example")
        for name in NAMES
    ]
    for index, student in enumerate(students):
        Allotment.objects.create(
            seminar=seminar,
            student=student,
            paper=PaperFactory(seminar=seminar, topic=topics[index % 2]),
            source=Allotment.Source.MANUAL,
        )
    publish_allotment(seminar)
    day = BlockDay.objects.create(
        seminar=seminar, starts_at=DAY_START, ends_at=DAY_START + timedelta(hours=6), room="MI HS 1"
    )
    slots = [
        Slot.objects.create(
            seminar=seminar,
            day=day,
            starts_at=DAY_START + timedelta(minutes=45 * index),
            ends_at=DAY_START + timedelta(minutes=45 * index + 30),
            presenter=student,
        )
        for index, student in enumerate(students)
    ]
    return {"seminar": seminar, "instructor": instructor, "students": students, "slots": slots, "day": day}


def publish(course):
    return schedule_publish(seminar=course["seminar"], published_by=course["instructor"], now=NOW)


def test_publishing_gives_every_talk_a_discussant_who_is_not_a_neighbour_and_discusses_once(course):
    publish(course)

    slots = list(Slot.objects.order_by("starts_at"))
    discussants = [slot.discussant_id for slot in slots]
    assert None not in discussants
    assert len(set(discussants)) == len(slots)  # six students, six talks: each discusses once
    for index, slot in enumerate(slots):
        around = {other.presenter_id for other in slots[max(index - 1, 0) : index + 2]}
        assert slot.discussant_id not in around  # not the presenter, not a neighbour
        assert slot.second_discussant_id is None


def test_two_discussants_per_talk_when_the_seminar_asks_for_them(course):
    BlockSeminar.objects.update_or_create(seminar=course["seminar"], defaults={"discussants_per_talk": 2})

    publish(course)

    for slot in Slot.objects.all():
        assert slot.discussant_id
        assert slot.second_discussant_id
        assert len({slot.presenter_id, slot.discussant_id, slot.second_discussant_id}) == 3


def test_no_discussants_when_the_seminar_wants_none(course):
    BlockSeminar.objects.update_or_create(seminar=course["seminar"], defaults={"discussants_per_talk": 0})

    publish(course)

    assert not Slot.objects.filter(discussant__isnull=False).exists()


def test_a_discussant_set_by_hand_before_publishing_stays(course):
    anna, ben, *_ = course["students"]
    slot = course["slots"][0]
    slot.discussant = ben
    slot.save()

    publish(course)

    slot.refresh_from_db()
    assert slot.discussant == ben


def test_the_presenter_is_never_their_own_discussant_by_hand(course):
    slot = course["slots"][0]
    anna, ben = course["students"][:2]
    form = SlotForm(
        {
            "day": course["day"].pk,
            "starts_at": "2027-05-03T09:00",
            "ends_at": "2027-05-03T09:30",
            "room": "",
            "presenter": anna.pk,
            "discussant": anna.pk,
            "second_discussant": "",
        },
        instance=slot,
        seminar=course["seminar"],
    )

    assert not form.is_valid()
    assert form.errors["discussant"] == ["The presenter does not discuss their own talk."]
    with pytest.raises(ScheduleError):
        slot_save(
            seminar=course["seminar"],
            slot=slot,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            day=course["day"],
            room="",
            presenter=anna,
            discussant=ben,
            second_discussant=ben,
            changed_by=course["instructor"],
            now=NOW,
        )


def test_a_slot_saved_without_naming_discussants_keeps_them(course):
    publish(course)
    slot = Slot.objects.get(pk=course["slots"][0].pk)
    before = slot.discussant_id

    slot_save(
        seminar=course["seminar"],
        slot=slot,
        starts_at=slot.starts_at + timedelta(minutes=5),
        ends_at=slot.ends_at + timedelta(minutes=5),
        day=course["day"],
        room="",
        presenter=slot.presenter,
        changed_by=course["instructor"],
        now=NOW,
    )

    slot.refresh_from_db()
    assert slot.discussant_id == before


def test_the_program_names_the_discussants_to_members_only(client, course):
    publish(course)
    slot = Slot.objects.select_related("discussant").get(pk=course["slots"][0].pk)
    url = reverse("schedule:program", args=[course["seminar"].slug])

    public = client.get(url).content.decode()
    client.force_login(course["students"][3])
    member = client.get(url).content.decode()

    assert slot.discussant.full_name not in public
    assert "Discussant" in member
    assert slot.discussant.full_name in member


def test_the_discussant_gets_the_presenters_counted_slides_and_nothing_else(client, course):
    seminar = course["seminar"]
    slides = DeliverableFactory(
        seminar=seminar, kind=Deliverable.Kind.SLIDES, title="Slides", due_at=NOW + timedelta(days=20)
    )
    report = DeliverableFactory(seminar=seminar, title="Report", due_at=NOW + timedelta(days=20))
    anna = course["students"][0]

    def upload(deliverable, name):
        return submission_services.submission_create(
            deliverable=deliverable,
            student=anna,
            upload=SimpleUploadedFile(name, pdf_bytes(1)),
            received_at=NOW - timedelta(days=1),
        )

    old, counted, anna_report = (
        upload(slides, "old.pdf"),
        upload(slides, "anna-slides.pdf"),
        upload(report, "r.pdf"),
    )
    publish(course)
    slot = Slot.objects.select_related("discussant").get(pk=course["slots"][0].pk)
    discussant = slot.discussant
    outsider = next(s for s in course["students"][1:] if s != discussant)

    assert may(discussant, "submissions.download", counted)
    assert not may(discussant, "submissions.download", old)
    assert not may(discussant, "submissions.download", anna_report)
    assert (
        not may(outsider, "submissions.download", counted)
        or Slot.objects.filter(presenter=anna, second_discussant=outsider).exists()
    )
    client.force_login(discussant)
    page = client.get(reverse("submissions:list", args=[seminar.slug])).content.decode()
    assert "Talks you discuss" in page
    assert "Anna Adler" in page
    assert reverse("submissions:download", args=[counted.pk]) in page
    assert client.get(reverse("submissions:download", args=[counted.pk])).status_code == 200
    assert client.get(reverse("submissions:download", args=[old.pk])).status_code == 404


def test_the_discussants_calendar_holds_the_talk_they_discuss(client, course):
    publish(course)
    slot = Slot.objects.select_related("discussant").get(pk=course["slots"][0].pk)
    feed = CalendarFeed.objects.create(user=slot.discussant)

    content = client.get(reverse("calendars:feed", args=[feed.token])).content.decode()

    own = Slot.objects.get(presenter=slot.discussant)
    assert f"UID:talk-{slot.uid}" in content.replace("\r\n ", "")  # the talk they discuss
    assert f"UID:talk-{own.uid}" in content.replace("\r\n ", "")  # and their own
