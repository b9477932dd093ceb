"""The registry of reminder kinds. The built-in kinds are registered and Reminder.kind takes its choices
from the registry; a kind registered in a test (a throwaway one: every student, the day before each day of
a published block seminar) is claimed by the beat's scan and mailed by the send task like a built-in one,
and a claimed row whose kind is no longer registered is skipped. And each kind's bulk query and single
check cost the same number of queries for 3 students as for 30."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.mail import portal_link
from reminders.kinds import (
    DeadlineSummary,
    DeliverableDue,
    Obligation,
    OffsetKind,
    RankingCloses,
    ReviewDue,
    TalkTomorrow,
    Verdict,
    students_of,
)
from reminders.models import Reminder
from reminders.registry import kind_of, register, registered_kinds, unregister
from reminders.schedule import DAY as DAY_MINUTES
from reminders.schedule import fire_at
from reminders.services import Outcome, reminder_send, reminders_scan
from reminders.tasks import task_reminders_scan
from schedule.models import BlockDay, BlockSeminar, Slot
from seminars.models import Seminar
from submissions.models import Deliverable, Extension, Submission
from tests.factories import SeminarFactory, instructor_of, student_of, supervisor_of
from tests.papers.helpers import PaperFactory, PreferenceWindowFactory, rank
from tests.submissions.helpers import DUE, DeliverableFactory

from .helpers import rolled_back

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
TALK = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)


class BlockDayTomorrow(OffsetKind):
    """Every student of the seminar, the day before each day of its published block seminar."""

    key = "blockday"
    label = "Block seminar tomorrow"
    subject = "Reminder: the block seminar of “%(title)s” is tomorrow"
    template = "reminders/email/blockday"

    def objects(self):
        return (
            BlockDay.objects.filter(seminar__block_seminar__published_at__isnull=False)
            .exclude(seminar__state=Seminar.State.ARCHIVED)
            .select_related("seminar")
        )

    def around(self, objects, now):
        return objects.filter(starts_at__gt=now, starts_at__lte=now + 2 * DAY)

    def obligations(self, items, now, user_id=None):
        students = students_of({day.seminar_id for day in items}, user_id)
        for day in items:
            for student_id in students.get(day.seminar_id, []):
                yield Obligation(
                    seminar=day.seminar,
                    user_id=student_id,
                    item=day,
                    title=day.seminar.title,
                    due=day.starts_at,
                    offsets=(DAY_MINUTES,),
                )

    def link(self, obligation):
        return portal_link("schedule:program", obligation.seminar.slug)

    def context(self, obligation, user):
        return {"day": obligation.item}


@pytest.fixture
def block_day_kind(settings, tmp_path):
    """BlockDayTomorrow registered, with its two mail templates in a template folder of the test; it is
    unregistered afterwards (unless the test did that itself)."""
    folder = tmp_path / "reminders" / "email"
    folder.mkdir(parents=True)
    (folder / "blockday.txt").write_text(
        "{% load zoned %}Tomorrow in {{ day.room }}: {% zoned_text due seminar.time_zone %}\n{{ url }}\n"
    )
    (folder / "blockday.html").write_text(
        "{% load zoned %}<p>Tomorrow in {{ day.room }}: {% zoned due seminar.time_zone %}</p>"
        '<a href="{{ url }}">{{ url }}</a>'
    )
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], tmp_path]}]
    register(BlockDayTomorrow)
    yield kind_of(BlockDayTomorrow.key)
    if kind_of(BlockDayTomorrow.key) is not None:
        unregister(BlockDayTomorrow.key)


def block_seminar_tomorrow(starts_at: datetime) -> dict:
    seminar = SeminarFactory(title="Theoretical advances in deep learning")
    instructor = instructor_of(seminar)
    BlockSeminar.objects.create(seminar=seminar, published_at=starts_at - 30 * DAY, published_by=instructor)
    day = BlockDay.objects.create(
        seminar=seminar, starts_at=starts_at, ends_at=starts_at + 4 * HOUR, room="MI 02.13.010"
    )
    return {
        "seminar": seminar,
        "instructor": instructor,
        "ada": student_of(seminar, user__email="ada@uni.example"),
        "bob": student_of(seminar, user__email="bob@uni.example"),
        "day": day,
    }


# --- the registry -----------------------------------------------------------------------------------------


def test_registry_holds_the_built_in_kinds_as_the_choices_of_reminder_kind():
    assert [kind.key for kind in registered_kinds()] == list(Reminder.Kind)
    assert [type(kind) for kind in registered_kinds()] == [
        DeliverableDue,
        RankingCloses,
        DeadlineSummary,
        TalkTomorrow,
        ReviewDue,
    ]
    assert [(value, str(label)) for value, label in Reminder._meta.get_field("kind").choices] == [
        ("deliverable", "Deliverable due"),
        ("ranking", "Ranking papers closes"),
        ("summary", "Summary after a deadline"),
        ("talk", "Your talk tomorrow"),
        ("review", "Peer review due"),
    ]


def test_register_refuses_a_key_longer_than_the_column_or_already_taken():
    class TooLong(BlockDayTomorrow):
        key = "x" * (Reminder._meta.get_field("kind").max_length + 1)

    class Taken(BlockDayTomorrow):
        key = Reminder.Kind.DELIVERABLE

    with pytest.raises(ValueError, match="1 to 12 characters"):
        register(TooLong)
    with pytest.raises(ValueError, match="registered already"):
        register(Taken)
    assert kind_of(TooLong.key) is None
    assert isinstance(kind_of(Reminder.Kind.DELIVERABLE), DeliverableDue)


def test_registered_kind_is_a_choice_while_registered(block_day_kind):
    choices = dict(Reminder._meta.get_field("kind").choices)
    assert choices["blockday"] == "Block seminar tomorrow"
    unregister(BlockDayTomorrow.key)
    assert "blockday" not in dict(Reminder._meta.get_field("kind").choices)


# --- a new kind is one class ------------------------------------------------------------------------------


def test_registered_kind_is_claimed_by_the_beat_scan_and_mailed_by_the_send_task(block_day_kind):
    # The tasks read the real clock (and run eagerly under the test settings): the day starts in 23 hours.
    world = block_seminar_tomorrow(timezone.now().replace(microsecond=0) + 23 * HOUR)
    day, seminar = world["day"], world["seminar"]
    supervisor_of(seminar)

    task_reminders_scan.delay()

    rows = Reminder.objects.filter(kind="blockday").order_by("user__email")
    assert [row.user for row in rows] == [world["ada"], world["bob"]]
    for row in rows:
        assert (row.object_id, row.offset_minutes, row.due_at) == (day.pk, DAY_MINUTES, day.starts_at)
        assert row.fire_at == fire_at(day.starts_at, DAY_MINUTES, seminar.zone)
        assert row.state == Reminder.State.SENT
        assert row.get_kind_display() == "Block seminar tomorrow"
    assert sorted(message.to[0] for message in mail.outbox) == ["ada@uni.example", "bob@uni.example"]
    message = mail.outbox[0]
    assert message.subject == (
        "[Seminar portal] Reminder: the block seminar of “Theoretical advances in deep learning” is tomorrow"
    )
    url = django_settings.PORTAL_URL + reverse("schedule:program", args=[seminar.slug])
    assert message.body.startswith("Tomorrow in MI 02.13.010: ")
    assert url in message.body
    assert f'<a href="{url}">' in message.alternatives[0][0]
    assert message.extra_headers["X-Portal-Reminder"] == f"blockday:{day.pk}:{DAY_MINUTES}"

    task_reminders_scan.delay()
    assert len(mail.outbox) == 2


def test_registered_kind_not_owed_any_more_is_skipped(block_day_kind):
    world = block_seminar_tomorrow(TALK)
    handed: list[int] = []
    reminders_scan(now=TALK - DAY, enqueue=handed.append)
    row = Reminder.objects.get(kind="blockday", user=world["ada"])
    Seminar.objects.filter(pk=world["seminar"].pk).update(state=Seminar.State.ARCHIVED)
    assert reminder_send(reminder_id=row.pk, now=TALK - DAY) == Outcome.SKIPPED
    assert mail.outbox == []


def test_reminder_send_row_of_a_kind_no_longer_registered_is_skipped(block_day_kind):
    world = block_seminar_tomorrow(TALK)
    handed: list[int] = []
    reminders_scan(now=TALK - DAY, enqueue=handed.append)
    assert len(handed) == 2
    unregister(BlockDayTomorrow.key)
    row = Reminder.objects.get(kind="blockday", user=world["ada"])
    assert reminder_send(reminder_id=row.pk, now=TALK - DAY) == Outcome.SKIPPED
    row.refresh_from_db()
    assert row.state == Reminder.State.SKIPPED
    assert mail.outbox == []


# --- a fixed number of queries however many students ------------------------------------------------------


def deliverable_world(students: int) -> datetime:
    """A fixed deliverable and one due 7 days before each student's talk, some extensions and uploads."""
    seminar = SeminarFactory(capacity=students)
    instructor = instructor_of(seminar)
    people = [student_of(seminar) for _ in range(students)]
    report = DeliverableFactory(seminar=seminar, due_at=DUE)
    slides = DeliverableFactory(
        seminar=seminar,
        title="Slides",
        due_mode=Deliverable.DueMode.BEFORE_TALK,
        due_at=None,
        days_before_talk=7,
    )
    BlockSeminar.objects.create(seminar=seminar, published_at=DUE - 30 * DAY, published_by=instructor)
    talk_day = BlockDay.objects.create(
        seminar=seminar, starts_at=DUE + 7 * DAY, ends_at=DUE + 7 * DAY + 8 * HOUR
    )
    for index, person in enumerate(people):
        Slot.objects.create(
            seminar=seminar,
            day=talk_day,
            starts_at=talk_day.starts_at,
            ends_at=talk_day.starts_at + HOUR,
            presenter=person,
        )
        if index % 3 == 0:
            Extension.objects.create(
                deliverable=report,
                student=person,
                extra_minutes=30,
                reason="Ill",
                granted_by=instructor,
                granted_at=DUE - 9 * DAY,
            )
        if index % 4 == 1:
            Submission.objects.create(
                deliverable=slides,
                student=person,
                version=1,
                file="slides.pdf",
                original_name="slides.pdf",
                file_type="pdf",
                size=1,
                sha256="0" * 64,
                received_at=DUE - 2 * DAY,
            )
    return DUE - DAY


def ranking_world(students: int) -> datetime:
    seminar = SeminarFactory(capacity=students)
    window = PreferenceWindowFactory(seminar=seminar, opens_at=DUE - 14 * DAY, closes_at=DUE)
    paper = PaperFactory(seminar=seminar)
    for index in range(students):
        student = student_of(seminar)
        if index % 2:
            rank(seminar, student, [paper])
    return window.closes_at - DAY


def summary_world(students: int) -> datetime:
    seminar = SeminarFactory(capacity=students)
    instructor_of(seminar)
    instructor_of(seminar)
    report = DeliverableFactory(seminar=seminar, due_at=DUE, grace_minutes=15)
    for index in range(students):
        student = student_of(seminar)
        if index % 2:
            Submission.objects.create(
                deliverable=report,
                student=student,
                version=1,
                file="report.pdf",
                original_name="report.pdf",
                file_type="pdf",
                size=1,
                sha256="0" * 64,
                received_at=DUE - HOUR,
            )
    return DUE + HOUR


def talk_world(students: int) -> datetime:
    seminar = SeminarFactory(capacity=students)
    instructor = instructor_of(seminar)
    BlockSeminar.objects.create(seminar=seminar, published_at=TALK - 30 * DAY, published_by=instructor)
    day = BlockDay.objects.create(seminar=seminar, starts_at=TALK, ends_at=TALK + 10 * HOUR)
    for index in range(students):
        start = TALK + index * timedelta(minutes=15)
        Slot.objects.create(
            seminar=seminar, day=day, starts_at=start, ends_at=start + HOUR, presenter=student_of(seminar)
        )
    return TALK - DAY + HOUR


WORLDS = {
    DeliverableDue: deliverable_world,
    RankingCloses: ranking_world,
    DeadlineSummary: summary_world,
    TalkTomorrow: talk_world,
}


def measured(kind_class, students: int) -> tuple[int, int]:
    """(queries of the bulk query, queries of the single check of the last reminder it yields)."""
    kind = kind_of(kind_class.key)
    with rolled_back():
        now = WORLDS[kind_class](students)
        with CaptureQueriesContext(connection) as bulk:
            found = list(kind.candidates(now))
        candidate = found[-1]
        reminder = Reminder(
            seminar=Seminar.objects.get(pk=candidate.seminar_id),
            user=User.objects.get(pk=candidate.user_id),
            kind=candidate.kind,
            object_id=candidate.object_id,
            offset_minutes=candidate.offset_minutes,
        )
        with CaptureQueriesContext(connection) as single:
            assert kind.check(reminder, now).verdict is Verdict.OWED
    return len(bulk), len(single)


@pytest.mark.parametrize("kind_class", WORLDS, ids=lambda kind_class: kind_class.key)
def test_kind_bulk_query_and_single_check_same_number_of_queries_for_3_and_30_students(kind_class):
    assert measured(kind_class, 3) == measured(kind_class, 30)
