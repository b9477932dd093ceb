"""schedule.services with time passed in: laying out slots, filling them in topic order, publishing (a mail
to each presenter), changes after publishing (recorded and mailed to the students they touch), removing
slots and days; and due times relative to a talk, in deadlines, the overview and reminders."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from papers.models import Allotment, AllotmentPublication
from reminders.models import Reminder
from reminders.schedule import DAY as DAY_MINUTES
from reminders.services import reminder_send, reminders_scan
from schedule.exceptions import ConflictsError, ScheduleError, SlotsTakenError
from schedule.models import BlockDay, BlockSeminar, ScheduleChange, Slot
from schedule.selectors import slots_of, students_in_topic_order
from schedule.services import (
    block_day_delete,
    block_seminar_set,
    schedule_publish,
    slot_delete,
    slot_save,
    slots_fill,
    slots_generate,
)
from submissions.models import Deliverable
from submissions.selectors import deadline_for, overview, progress_of
from tests.factories import SeminarFactory, TopicFactory, instructor_of, student_of
from tests.papers.helpers import PaperFactory, publish_allotment
from tests.submissions.helpers import DeliverableFactory

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2027, 4, 1, 8, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
DAYS_14 = timedelta(days=14)


def berlin(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Europe/Berlin in 2027, as the UTC datetime the database stores."""
    return datetime(2027, month, day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


def local(value: datetime) -> str:
    return f"{value.astimezone(BERLIN):%d.%m. %H:%M}"


@pytest.fixture
def course():
    """A seminar in Europe/Berlin with an instructor and three students, each with a paper, and two block
    days (3 and 4 May 2027, 09:00-13:00) in room MI 02.13.010."""
    seminar = SeminarFactory(title="Theoretical advances in deep learning")
    instructor = instructor_of(seminar, user__full_name="Ina Instructor")
    students = [
        student_of(seminar, user__full_name=name, user__email=f"{name.split()[0].lower()}@uni.example")
        for name in ("Anna Adler", "Ben Brandt", "Cleo Conrad")
    ]
    for student, title in zip(
        students, ("Kernel regimes", "Lazy training", "Mean-field limits"), strict=True
    ):
        Allotment.objects.create(
            seminar=seminar,
            student=student,
            paper=PaperFactory(seminar=seminar, title=title),
            source=Allotment.Source.MANUAL,
        )
    publish_allotment(seminar)
    days = [
        BlockDay.objects.create(
            seminar=seminar, starts_at=berlin(5, date, 9), ends_at=berlin(5, date, 13), room="MI 02.13.010"
        )
        for date in (3, 4)
    ]
    return {"seminar": seminar, "instructor": instructor, "students": students, "days": days}


def slot_at(course, start: datetime, presenter=None, *, minutes: int = 30, day=None) -> Slot:
    return Slot.objects.create(
        seminar=course["seminar"],
        day=day or course["days"][0],
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        room="MI 02.13.010",
        presenter=presenter,
    )


def planned(course) -> list[Slot]:
    """Anna 3 May 09:00, Ben 3 May 10:00, Cleo 4 May 09:00: a plan without conflicts."""
    anna, ben, cleo = course["students"]
    first, second = course["days"]
    return [
        slot_at(course, berlin(5, 3, 9), anna),
        slot_at(course, berlin(5, 3, 10), ben),
        slot_at(course, berlin(5, 4, 9), cleo, day=second),
    ]


def publish(course, capture, now: datetime = NOW) -> BlockSeminar:
    with capture(execute=True):
        return schedule_publish(seminar=course["seminar"], published_by=course["instructor"], now=now)


def move(course, slot: Slot, start: datetime, *, presenter="same", capture=None, day=None) -> Slot:
    """slot_save as the slot form calls it: everything given again, one thing changed."""
    slot = Slot.objects.get(pk=slot.pk)
    arguments = {
        "seminar": course["seminar"],
        "slot": slot,
        "starts_at": start,
        "ends_at": start + (slot.ends_at - slot.starts_at),
        "day": day or slot.day,
        "room": slot.room,
        "presenter": slot.presenter if presenter == "same" else presenter,
        "changed_by": course["instructor"],
        "now": NOW + HOUR,
    }
    if capture is None:
        return slot_save(**arguments)
    with capture(execute=True):
        return slot_save(**arguments)


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


# --- generating slots -------------------------------------------------------------------------------------


def test_slots_generate_lays_out_talks_from_the_block_seminar_timing(course):
    seminar = course["seminar"]
    block_seminar_set(seminar=seminar, talk_minutes=30, gap_minutes=15, break_after=3, break_minutes=30)
    BlockDay.objects.filter(pk=course["days"][1].pk).update(ends_at=berlin(5, 4, 10, 30), room="")

    created = slots_generate(seminar=seminar)

    assert len(created) == 7
    assert [(local(slot.starts_at), local(slot.ends_at), slot.room) for slot in slots_of(seminar)] == [
        ("03.05. 09:00", "03.05. 09:30", "MI 02.13.010"),
        ("03.05. 09:45", "03.05. 10:15", "MI 02.13.010"),
        ("03.05. 10:30", "03.05. 11:00", "MI 02.13.010"),
        ("03.05. 11:45", "03.05. 12:15", "MI 02.13.010"),
        ("03.05. 12:30", "03.05. 13:00", "MI 02.13.010"),
        ("04.05. 09:00", "04.05. 09:30", ""),
        ("04.05. 09:45", "04.05. 10:15", ""),
    ]
    assert {slot.day_id for slot in slots_of(seminar)[:5]} == {course["days"][0].pk}


def test_slots_generate_without_saved_timing_uses_the_defaults(course):
    """30-minute talks, 15 minutes after each, 30 minutes break after every third: 5 talks in 4 hours."""
    slots = slots_generate(seminar=course["seminar"])

    assert [local(slot.starts_at) for slot in slots if slot.day_id == course["days"][0].pk] == [
        "03.05. 09:00",
        "03.05. 09:45",
        "03.05. 10:30",
        "03.05. 11:45",
        "03.05. 12:30",
    ]


def test_slots_generate_again_replaces_the_free_slots(course):
    seminar = course["seminar"]
    first = {slot.pk for slot in slots_generate(seminar=seminar)}
    block_seminar_set(seminar=seminar, talk_minutes=60, gap_minutes=0, break_after=0, break_minutes=0)

    second = slots_generate(seminar=seminar)

    assert not first & {slot.pk for slot in second}
    assert Slot.objects.filter(seminar=seminar).count() == 8
    assert {slot.ends_at - slot.starts_at for slot in second} == {HOUR}


def test_slots_generate_refused_when_a_slot_has_a_presenter(course):
    seminar = course["seminar"]
    slots_generate(seminar=seminar)
    taken = slots_of(seminar).first()
    Slot.objects.filter(pk=taken.pk).update(presenter=course["students"][0])
    before = list(slots_of(seminar).values_list("pk", "starts_at", "presenter_id"))

    with pytest.raises(SlotsTakenError) as error:
        slots_generate(seminar=seminar)

    assert str(error.value) == str(SlotsTakenError.message)
    assert "Some slots already have presenters" in str(error.value)
    assert list(slots_of(seminar).values_list("pk", "starts_at", "presenter_id")) == before


def test_slots_generate_leaves_other_seminars_alone(course):
    other = SeminarFactory()
    other_day = BlockDay.objects.create(seminar=other, starts_at=berlin(5, 3, 9), ends_at=berlin(5, 3, 10))
    kept = Slot.objects.create(
        seminar=other, day=other_day, starts_at=berlin(5, 3, 9), ends_at=berlin(5, 3, 10), presenter=None
    )

    slots_generate(seminar=course["seminar"])

    assert Slot.objects.filter(pk=kept.pk).exists()


# --- filling in topic order -------------------------------------------------------------------------------


@pytest.fixture
def topics_course():
    """Topics "Optimisation" (order 2) and "Kernels" (order 1); papers with and without a topic; Aaron has
    no paper (and would come first by name)."""
    seminar = SeminarFactory()
    instructor = instructor_of(seminar)
    optimisation = TopicFactory(seminar=seminar, title="Optimisation", order=2)
    kernels = TopicFactory(seminar=seminar, title="Kernels", order=1)
    papers = {
        "adam": PaperFactory(seminar=seminar, topic=optimisation, title="Adam revisited"),
        "ntk": PaperFactory(seminar=seminar, topic=kernels, title="Neural tangent kernel"),
        "infinite": PaperFactory(seminar=seminar, topic=kernels, title="infinite width nets"),
        "zeta": PaperFactory(seminar=seminar, topic=None, title="Zeta functions"),
    }
    students = {
        key: student_of(seminar, user__full_name=name)
        for key, name in (
            ("adam", "Zoe Zimmer"),
            ("ntk", "Yann Yildiz"),
            ("infinite", "Xaver Xu"),
            ("zeta", "Wanda Wolf"),
            ("none", "Aaron Abel"),
        )
    }
    for key, paper in papers.items():
        Allotment.objects.create(
            seminar=seminar, student=students[key], paper=paper, source=Allotment.Source.AUTOMATIC
        )
    publish_allotment(seminar)
    day = BlockDay.objects.create(seminar=seminar, starts_at=berlin(5, 3, 9), ends_at=berlin(5, 3, 17))
    return {"seminar": seminar, "instructor": instructor, "students": students, "day": day}


TOPIC_ORDER = ["infinite", "ntk", "adam", "zeta", "none"]


def test_students_in_topic_order_by_topic_then_paper_title_then_without_paper(topics_course):
    students = topics_course["students"]

    assert students_in_topic_order(topics_course["seminar"]) == [students[key].pk for key in TOPIC_ORDER]


def test_slots_fill_places_students_in_topic_order(topics_course, django_capture_on_commit_callbacks):
    seminar, students = topics_course["seminar"], topics_course["students"]
    block_seminar_set(seminar=seminar, talk_minutes=45, gap_minutes=15, break_after=0, break_minutes=0)
    slots_generate(seminar=seminar)

    with django_capture_on_commit_callbacks(execute=True):
        placed = slots_fill(seminar=seminar, changed_by=topics_course["instructor"], now=NOW)

    assert placed == 5
    presenters = [slot.presenter_id for slot in slots_of(seminar) if slot.presenter_id]
    assert presenters == [students[key].pk for key in TOPIC_ORDER]
    assert [local(slot.starts_at) for slot in slots_of(seminar)][:5] == [
        "03.05. 09:00",
        "03.05. 10:00",
        "03.05. 11:00",
        "03.05. 12:00",
        "03.05. 13:00",
    ]
    assert ScheduleChange.objects.count() == 0
    assert mail.outbox == []


def test_slots_fill_skips_placed_students_and_taken_slots(topics_course):
    seminar, students, day = topics_course["seminar"], topics_course["students"], topics_course["day"]
    late = Slot.objects.create(
        seminar=seminar,
        day=day,
        starts_at=berlin(5, 3, 9),
        ends_at=berlin(5, 3, 10),
        presenter=students["ntk"],
    )
    free = [
        Slot.objects.create(
            seminar=seminar, day=day, starts_at=berlin(5, 3, hour), ends_at=berlin(5, 3, hour + 1)
        )
        for hour in (12, 10)
    ]

    placed = slots_fill(seminar=seminar, changed_by=topics_course["instructor"], now=NOW)

    assert placed == 2
    assert Slot.objects.get(pk=late.pk).presenter == students["ntk"]
    assert Slot.objects.get(pk=free[1].pk).presenter == students["infinite"]
    assert Slot.objects.get(pk=free[0].pk).presenter == students["adam"]
    assert Slot.objects.filter(presenter=students["ntk"]).count() == 1


def test_slots_fill_after_publishing_records_and_mails_each_placed_student(
    course, django_capture_on_commit_callbacks
):
    anna, ben, cleo = course["students"]
    slots = planned(course)
    publish(course, django_capture_on_commit_callbacks)
    dora = student_of(course["seminar"], user__full_name="Dora Diehl", user__email="dora@uni.example")
    Slot.objects.filter(pk=slots[2].pk).update(presenter=None)
    free = slot_at(course, berlin(5, 3, 11))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        placed = slots_fill(seminar=course["seminar"], changed_by=course["instructor"], now=NOW + HOUR)

    assert placed == 2
    assert Slot.objects.get(pk=free.pk).presenter == cleo
    assert Slot.objects.get(pk=slots[2].pk).presenter == dora
    assert sorted(change.student.email for change in ScheduleChange.objects.all()) == [
        "cleo@uni.example",
        "dora@uni.example",
    ]
    assert recipients() == ["cleo@uni.example", "dora@uni.example"]


# --- publishing -------------------------------------------------------------------------------------------


def test_schedule_publish_refused_while_a_student_has_no_slot(course, django_capture_on_commit_callbacks):
    anna, ben, _cleo = course["students"]
    slot_at(course, berlin(5, 3, 9), anna)
    slot_at(course, berlin(5, 3, 10), ben)

    with pytest.raises(ConflictsError) as error:
        publish(course, django_capture_on_commit_callbacks)

    assert "Resolve them before publishing" in str(error.value)
    assert not BlockSeminar.objects.filter(seminar=course["seminar"], published_at__isnull=False).exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    "trouble",
    [
        pytest.param("overlap", id="overlap"),
        pytest.param("two_slots", id="two-slots"),
        pytest.param("outside_day", id="outside-day"),
    ],
)
def test_schedule_publish_refused_while_conflicts_exist(course, django_capture_on_commit_callbacks, trouble):
    anna, ben, cleo = course["students"]
    slots = planned(course)
    if trouble == "overlap":
        slot_at(course, berlin(5, 3, 9, 15))
    elif trouble == "two_slots":
        slot_at(course, berlin(5, 3, 11), anna)
    else:
        Slot.objects.filter(pk=slots[2].pk).update(
            starts_at=berlin(5, 4, 12, 45), ends_at=berlin(5, 4, 13, 15)
        )

    with pytest.raises(ConflictsError):
        publish(course, django_capture_on_commit_callbacks)

    assert BlockSeminar.objects.filter(seminar=course["seminar"], published_at__isnull=False).count() == 0
    assert mail.outbox == []


def test_schedule_publish_mails_every_presenter_their_slot_in_the_seminar_zone(
    course, django_capture_on_commit_callbacks
):
    anna, ben, cleo = course["students"]
    planned(course)

    block = publish(course, django_capture_on_commit_callbacks)

    assert block.published_at == NOW
    assert block.published_by == course["instructor"]
    assert recipients() == ["anna@uni.example", "ben@uni.example", "cleo@uni.example"]
    [to_ben] = [message for message in mail.outbox if message.to == [ben.email]]
    assert to_ben.subject == "[Seminar portal] Your talk in Theoretical advances in deep learning"
    assert "3 May 2027, 10:00 CEST (Europe/Berlin)" in to_ben.body
    assert "Lazy training" in to_ben.body
    assert "MI 02.13.010" in to_ben.body
    assert "Kernel regimes" not in to_ben.body
    [(html, mimetype)] = to_ben.alternatives
    assert mimetype == "text/html"
    assert "(Europe/Berlin)" in html
    assert "Lazy training" in html


def test_schedule_publish_mails_in_the_students_language(course, django_capture_on_commit_callbacks):
    anna = course["students"][0]
    anna.language = "de"
    anna.save(update_fields=["language"])
    planned(course)

    publish(course, django_capture_on_commit_callbacks)

    [to_anna] = [message for message in mail.outbox if message.to == [anna.email]]
    assert "3. Mai 2027, 09:00 CEST (Europe/Berlin)" in to_anna.body
    assert "Kernel regimes" in to_anna.body


def test_schedule_publish_twice_mails_once(course, django_capture_on_commit_callbacks):
    planned(course)
    publish(course, django_capture_on_commit_callbacks)

    again = publish(course, django_capture_on_commit_callbacks, now=NOW + HOUR)

    assert again.published_at == NOW
    assert len(mail.outbox) == 3


# --- changes after publishing -----------------------------------------------------------------------------


def test_slot_save_moving_a_slot_after_publishing_records_and_mails_only_the_moved_student(
    course, django_capture_on_commit_callbacks
):
    anna, ben, _cleo = course["students"]
    slots = planned(course)
    publish(course, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    move(course, slots[1], berlin(5, 3, 11, 30), capture=django_capture_on_commit_callbacks)

    [change] = ScheduleChange.objects.all()
    assert (change.student, change.old_starts_at, change.new_starts_at) == (
        ben,
        berlin(5, 3, 10),
        berlin(5, 3, 11, 30),
    )
    assert (change.changed_by, change.changed_at) == (course["instructor"], NOW + HOUR)
    assert recipients() == [ben.email]
    [message] = mail.outbox
    assert message.subject == (
        "[Seminar portal] Your talk in Theoretical advances in deep learning has changed"
    )
    assert "Was: 3 May 2027, 10:00 CEST (Europe/Berlin)" in message.body
    assert "3 May 2027, 11:30 CEST (Europe/Berlin)" in message.body
    assert "Lazy training" in message.body


def test_slot_save_giving_a_slot_to_another_student_mails_both(course, django_capture_on_commit_callbacks):
    anna, _ben, _cleo = course["students"]
    slots = planned(course)
    publish(course, django_capture_on_commit_callbacks)
    dora = student_of(course["seminar"], user__full_name="Dora Diehl", user__email="dora@uni.example")
    mail.outbox.clear()

    move(course, slots[0], slots[0].starts_at, presenter=dora, capture=django_capture_on_commit_callbacks)

    changes = {
        change.student: (change.old_starts_at, change.new_starts_at)
        for change in ScheduleChange.objects.all()
    }
    assert changes == {anna: (berlin(5, 3, 9), None), dora: (None, berlin(5, 3, 9))}
    assert recipients() == ["anna@uni.example", "dora@uni.example"]
    [to_anna] = [message for message in mail.outbox if message.to == [anna.email]]
    assert "You have no slot at the moment" in to_anna.body
    [to_dora] = [message for message in mail.outbox if message.to == [dora.email]]
    assert "3 May 2027, 09:00 CEST (Europe/Berlin)" in to_dora.body


def test_slot_save_changing_only_the_room_after_publishing_records_nothing(
    course, django_capture_on_commit_callbacks
):
    slots = planned(course)
    publish(course, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    slot = Slot.objects.get(pk=slots[0].pk)

    with django_capture_on_commit_callbacks(execute=True):
        slot_save(
            seminar=course["seminar"],
            slot=slot,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            day=slot.day,
            room="Interims I",
            presenter=slot.presenter,
            changed_by=course["instructor"],
            now=NOW + HOUR,
        )

    assert Slot.objects.get(pk=slot.pk).room == "Interims I"
    assert ScheduleChange.objects.count() == 0
    assert mail.outbox == []


def test_slot_save_before_publishing_records_and_mails_nothing(course, django_capture_on_commit_callbacks):
    anna, _ben, _cleo = course["students"]
    slots = planned(course)
    dora = student_of(course["seminar"], user__full_name="Dora Diehl")

    move(course, slots[1], berlin(5, 3, 11), capture=django_capture_on_commit_callbacks)
    move(course, slots[0], slots[0].starts_at, presenter=dora, capture=django_capture_on_commit_callbacks)

    assert Slot.objects.get(pk=slots[1].pk).starts_at == berlin(5, 3, 11)
    assert Slot.objects.get(pk=slots[0].pk).presenter == dora
    assert ScheduleChange.objects.count() == 0
    assert mail.outbox == []


def test_slot_save_creates_a_new_slot(course):
    slot = slot_save(
        seminar=course["seminar"],
        slot=Slot(),
        starts_at=berlin(5, 3, 12),
        ends_at=berlin(5, 3, 12, 30),
        day=course["days"][0],
        room="",
        presenter=None,
        changed_by=course["instructor"],
        now=NOW,
    )

    assert Slot.objects.get(pk=slot.pk).seminar == course["seminar"]


def test_slot_save_refused_when_the_talk_ends_before_it_starts(course):
    slots = planned(course)
    slot = Slot.objects.get(pk=slots[0].pk)

    with pytest.raises(ScheduleError) as error:
        slot_save(
            seminar=course["seminar"],
            slot=slot,
            starts_at=berlin(5, 3, 10),
            ends_at=berlin(5, 3, 10),
            day=slot.day,
            room="",
            presenter=slot.presenter,
            changed_by=course["instructor"],
            now=NOW,
        )

    assert str(error.value) == "A talk must end after it starts."
    assert Slot.objects.get(pk=slot.pk).starts_at == berlin(5, 3, 9)


def test_slot_delete_after_publishing_records_and_mails_the_student(
    course, django_capture_on_commit_callbacks
):
    anna, _ben, _cleo = course["students"]
    slots = planned(course)
    publish(course, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        slot_delete(seminar=course["seminar"], slot=slots[0], changed_by=course["instructor"], now=NOW + HOUR)

    assert not Slot.objects.filter(pk=slots[0].pk).exists()
    [change] = ScheduleChange.objects.all()
    assert (change.student, change.old_starts_at, change.new_starts_at) == (anna, berlin(5, 3, 9), None)
    assert recipients() == [anna.email]
    assert "You have no slot at the moment" in mail.outbox[0].body


def test_slot_delete_of_a_free_slot_or_before_publishing_records_nothing(
    course, django_capture_on_commit_callbacks
):
    slots = planned(course)
    free = slot_at(course, berlin(5, 3, 12))
    with django_capture_on_commit_callbacks(execute=True):
        slot_delete(seminar=course["seminar"], slot=slots[0], changed_by=course["instructor"], now=NOW)
    Slot.objects.filter(pk=free.pk).update(presenter=course["students"][0])
    publish(course, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    spare = slot_at(course, berlin(5, 3, 11))

    with django_capture_on_commit_callbacks(execute=True):
        slot_delete(seminar=course["seminar"], slot=spare, changed_by=course["instructor"], now=NOW + HOUR)

    assert ScheduleChange.objects.count() == 0
    assert mail.outbox == []


# --- block days -------------------------------------------------------------------------------------------


def test_block_day_delete_refused_while_a_slot_of_the_day_has_a_presenter(course):
    first = course["days"][0]
    planned(course)

    with pytest.raises(ScheduleError) as error:
        block_day_delete(day=first)

    assert str(error.value) == "Slots on this day have presenters. Move or remove them first."
    assert BlockDay.objects.filter(pk=first.pk).exists()
    assert Slot.objects.filter(day=first).count() == 2


def test_block_day_delete_removes_the_day_and_its_free_slots(course):
    first, second = course["days"]
    slot_at(course, berlin(5, 3, 9))
    slot_at(course, berlin(5, 3, 10))
    kept = slot_at(course, berlin(5, 4, 9), course["students"][0], day=second)

    block_day_delete(day=first)

    assert not BlockDay.objects.filter(pk=first.pk).exists()
    assert list(Slot.objects.filter(seminar=course["seminar"])) == [kept]


# --- due times relative to the talk -----------------------------------------------------------------------


@pytest.fixture
def slides(course):
    return DeliverableFactory(
        seminar=course["seminar"],
        kind=Deliverable.Kind.SLIDES,
        title="Slides",
        due_mode=Deliverable.DueMode.BEFORE_TALK,
        days_before_talk=14,
        due_at=None,
    )


def test_relative_due_is_not_set_before_publishing(course, slides):
    planned(course)

    assert [deadline_for(slides, student).due for student in course["students"]] == [None, None, None]


def test_relative_due_is_not_set_for_a_student_without_a_slot(
    course, slides, django_capture_on_commit_callbacks
):
    planned(course)
    publish(course, django_capture_on_commit_callbacks)
    dora = student_of(course["seminar"], user__full_name="Dora Diehl")

    assert deadline_for(slides, dora).due is None


def test_relative_due_after_publishing_is_14_days_before_the_talk(
    course, slides, django_capture_on_commit_callbacks
):
    anna, ben, cleo = course["students"]
    planned(course)

    publish(course, django_capture_on_commit_callbacks)

    assert deadline_for(slides, anna).due == berlin(5, 3, 9) - DAYS_14
    assert deadline_for(slides, ben).due == berlin(5, 3, 10) - DAYS_14
    assert deadline_for(slides, cleo).due == berlin(5, 4, 9) - DAYS_14
    assert local(deadline_for(slides, ben).due) == "19.04. 10:00"


def test_relative_due_moves_with_the_slot(course, slides, django_capture_on_commit_callbacks):
    _anna, ben, _cleo = course["students"]
    slots = planned(course)
    publish(course, django_capture_on_commit_callbacks)

    move(
        course, slots[1], berlin(5, 4, 11), day=course["days"][1], capture=django_capture_on_commit_callbacks
    )

    assert deadline_for(slides, ben).due == berlin(5, 4, 11) - DAYS_14


def test_relative_due_follows_the_slot_to_its_new_student(course, slides, django_capture_on_commit_callbacks):
    anna, _ben, _cleo = course["students"]
    slots = planned(course)
    publish(course, django_capture_on_commit_callbacks)
    dora = student_of(course["seminar"], user__full_name="Dora Diehl")

    move(course, slots[0], slots[0].starts_at, presenter=dora, capture=django_capture_on_commit_callbacks)

    assert deadline_for(slides, anna).due is None
    assert deadline_for(slides, dora).due == berlin(5, 3, 9) - DAYS_14


def test_relative_due_overview_shows_each_students_own_due(
    course, slides, django_capture_on_commit_callbacks
):
    anna, ben, cleo = course["students"]
    planned(course)
    before = overview(slides, course["instructor"])
    publish(course, django_capture_on_commit_callbacks)

    rows = overview(slides, course["instructor"])

    assert {row.membership.user: row.deadline.due for row in before} == {anna: None, ben: None, cleo: None}
    assert {row.membership.user: row.deadline.due for row in rows} == {
        anna: berlin(5, 3, 9) - DAYS_14,
        ben: berlin(5, 3, 10) - DAYS_14,
        cleo: berlin(5, 4, 9) - DAYS_14,
    }


def test_relative_due_progress_shows_the_students_own_due(course, slides, django_capture_on_commit_callbacks):
    cleo = course["students"][2]
    planned(course)
    publish(course, django_capture_on_commit_callbacks)

    [(deliverable, deadline, _versions)] = progress_of(course["seminar"], cleo)

    assert (deliverable, deadline.due) == (slides, berlin(5, 4, 9) - DAYS_14)


def test_relative_due_across_a_dst_change_keeps_the_wall_clock_time(
    course, slides, django_capture_on_commit_callbacks
):
    anna = course["students"][0]
    early = BlockDay.objects.create(
        seminar=course["seminar"], starts_at=berlin(4, 5, 9), ends_at=berlin(4, 5, 13), room="MI 02.13.010"
    )
    slots = planned(course)
    Slot.objects.filter(pk=slots[0].pk).update(
        day=early, starts_at=berlin(4, 5, 10), ends_at=berlin(4, 5, 10, 30)
    )
    publish(course, django_capture_on_commit_callbacks)

    assert local(deadline_for(slides, anna).due) == "22.03. 10:00"


# --- reminders of relative deadlines and of the talk ------------------------------------------------------


def scan(now: datetime) -> int:
    return reminders_scan(now=now, enqueue=lambda pk: reminder_send(reminder_id=pk, now=now))


def reminders_to(user, kind: str, offset: int = DAY_MINUTES) -> list:
    return [
        message
        for message in mail.outbox
        if message.to == [user.email]
        and message.extra_headers.get("X-Portal-Reminder", "").startswith(f"{kind}:")
        and message.extra_headers["X-Portal-Reminder"].endswith(f":{offset}")
    ]


def test_relative_deliverable_reminder_one_day_before_its_due(
    course, slides, django_capture_on_commit_callbacks
):
    anna = course["students"][0]
    planned(course)
    publish(course, django_capture_on_commit_callbacks)
    fire = berlin(5, 3, 9) - DAYS_14 - timedelta(days=1)
    mail.outbox.clear()

    scan(fire - timedelta(minutes=1))
    early = list(reminders_to(anna, "deliverable"))
    scan(fire)

    assert early == []
    [message] = reminders_to(anna, "deliverable")
    assert message.extra_headers["X-Portal-Reminder"] == f"deliverable:{slides.pk}:{DAY_MINUTES}"
    row = Reminder.objects.get(user=anna, kind=Reminder.Kind.DELIVERABLE, offset_minutes=DAY_MINUTES)
    assert (row.due_at, row.sent_at) == (berlin(5, 3, 9) - DAYS_14, fire)


def test_relative_deliverable_reminder_after_the_slot_moved_fires_at_the_new_time(
    course, slides, django_capture_on_commit_callbacks
):
    anna = course["students"][0]
    slots = planned(course)
    publish(course, django_capture_on_commit_callbacks)
    old_fire = berlin(5, 3, 9) - DAYS_14 - timedelta(days=1)
    move(
        course, slots[0], berlin(5, 4, 11), day=course["days"][1], capture=django_capture_on_commit_callbacks
    )
    new_fire = berlin(5, 4, 11) - DAYS_14 - timedelta(days=1)
    mail.outbox.clear()

    scan(old_fire)
    at_old_time = list(reminders_to(anna, "deliverable"))
    scan(new_fire - timedelta(minutes=1))
    just_before = list(reminders_to(anna, "deliverable"))
    scan(new_fire)

    assert (at_old_time, just_before) == ([], [])
    assert len(reminders_to(anna, "deliverable")) == 1
    row = Reminder.objects.get(user=anna, kind=Reminder.Kind.DELIVERABLE, offset_minutes=DAY_MINUTES)
    assert (row.due_at, row.sent_at) == (berlin(5, 4, 11) - DAYS_14, new_fire)


def test_relative_deliverable_reminder_claimed_before_the_move_waits_for_the_new_time(
    course, slides, django_capture_on_commit_callbacks
):
    """The 1-day reminder was claimed but not yet sent when the talk moved two days later: it is released,
    and sent once at the new time."""
    anna = course["students"][0]
    slots = planned(course)
    publish(course, django_capture_on_commit_callbacks)
    old_fire = berlin(5, 3, 9) - DAYS_14 - timedelta(days=1)
    handed: list[int] = []
    reminders_scan(now=old_fire, enqueue=handed.append)
    move(
        course, slots[0], berlin(5, 4, 11), day=course["days"][1], capture=django_capture_on_commit_callbacks
    )
    new_fire = berlin(5, 4, 11) - DAYS_14 - timedelta(days=1)
    mail.outbox.clear()

    for pk in handed:
        reminder_send(reminder_id=pk, now=old_fire + timedelta(minutes=1))
    released = list(reminders_to(anna, "deliverable"))
    scan(new_fire)

    assert released == []
    assert len(reminders_to(anna, "deliverable")) == 1


def test_talk_reminder_the_day_before_the_talk_exactly_once(course, django_capture_on_commit_callbacks):
    anna, ben, _cleo = course["students"]
    planned(course)
    publish(course, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    first_mail_at = None

    now = berlin(5, 1, 9)
    while now <= berlin(5, 3, 9):
        scan(now)
        if first_mail_at is None and reminders_to(anna, "talk"):
            first_mail_at = now
        now += timedelta(minutes=30)

    assert first_mail_at == berlin(5, 2, 9)
    [message] = reminders_to(anna, "talk")
    assert message.subject == (
        "[Seminar portal] Reminder: your talk in “Theoretical advances in deep learning” is tomorrow"
    )
    assert "3 May 2027, 09:00 CEST (Europe/Berlin)" in message.body
    assert len(reminders_to(ben, "talk")) == 1
    assert Reminder.objects.filter(kind=Reminder.Kind.TALK).count() == 3


def test_talk_reminder_not_sent_before_publishing(course):
    anna = course["students"][0]
    planned(course)

    scan(berlin(5, 2, 9))

    assert reminders_to(anna, "talk") == []


def test_slots_fill_after_publishing_with_an_unpublished_allotment_goes_by_name_not_by_topic(
    topics_course, django_capture_on_commit_callbacks
):
    """A schedule published while the seminar had no allotment: an allotment run afterwards (not published)
    must not order the talks by its topics, which the published program would show."""
    seminar = topics_course["seminar"]
    AllotmentPublication.objects.filter(seminar=seminar).delete()
    BlockSeminar.objects.create(seminar=seminar, published_at=NOW, published_by=topics_course["instructor"])
    day = topics_course["day"]
    for index in range(5):
        start = day.starts_at + timedelta(minutes=45 * index)
        Slot.objects.create(seminar=seminar, day=day, starts_at=start, ends_at=start + timedelta(minutes=30))

    with django_capture_on_commit_callbacks(execute=True):
        slots_fill(seminar=seminar, changed_by=topics_course["instructor"], now=NOW)

    order = [slot.presenter.full_name for slot in slots_of(seminar)]
    assert order == sorted(order)
