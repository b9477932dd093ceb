"""Which reminders go out, when, to whom, and what they say: reminders_scan and reminder_send with time
pinned by `now`, sending inline (as the worker would) or collecting what the scan hands out. Also how a
failing SMTP server is told apart (try again or give up) and the outbox that hands tasks over on commit.

Only what is outside the portal is replaced: the SMTP server (a mail backend defined here that raises what
a real server or network raises) and the broker (an `enqueue` that collects or fails)."""

import smtplib
import socket
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.models import OutboxTask
from core.outbox import enqueue_on_commit, outbox_flush
from reminders.models import Reminder
from reminders.schedule import DAY as DAY_MINUTES
from reminders.services import Outcome, reminder_send, reminder_settings_set, reminders_scan
from reminders.smtp import is_temporary
from reminders.tasks import task_reminder_send
from schedule.models import BlockDay, BlockSeminar, Slot
from seminars.models import Membership, Seminar
from submissions.models import Deliverable
from submissions.services import deliverable_save, extension_grant, submission_create
from tests.factories import SeminarFactory, instructor_of, student_of, supervisor_of
from tests.papers.helpers import PaperFactory, PreferenceWindowFactory, rank
from tests.submissions.helpers import (
    DUE,
    DeliverableFactory,
    pdf_bytes,
    submission_storage,  # noqa: F401 - the fixture, used through usefixtures below
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("submission_storage")]

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
WEEK = timedelta(days=7)
US = timedelta(microseconds=1)
EVERY_5_MINUTES = 5 * MINUTE
ZONE = "Europe/Berlin"
SPRING_FORWARD_DUE = datetime(2027, 3, 28, 10, 0, tzinfo=UTC)  # 12:00 CEST, the day the clocks go forward


# --- helpers ----------------------------------------------------------------------------------------------


def send_inline(now: datetime):
    return lambda pk: reminder_send(reminder_id=pk, now=now)


def scan(now: datetime) -> int:
    """One beat: claims what is due and sends each reminder at once, as an idle worker would."""
    return reminders_scan(now=now, enqueue=send_inline(now))


def scan_every(start: datetime, end: datetime, step: timedelta = EVERY_5_MINUTES) -> int:
    scans, now = 0, start
    while now <= end:
        scan(now)
        scans += 1
        now += step
    return scans


def collect(now: datetime) -> list[int]:
    """One beat whose tasks go to a broker nobody reads yet: returns the ids handed out."""
    handed: list[int] = []
    reminders_scan(now=now, enqueue=handed.append)
    return handed


def reminder_mails() -> list:
    return [message for message in mail.outbox if "X-Portal-Reminder" in message.extra_headers]


def mails_to(user) -> list:
    return [message for message in reminder_mails() if message.to == [user.email]]


def offsets_mailed_to(user) -> list[int]:
    """The offsets (minutes) of the reminders mailed to `user`, in the order they went out."""
    return [int(message.extra_headers["X-Portal-Reminder"].rsplit(":", 1)[1]) for message in mails_to(user)]


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def upload(deliverable: Deliverable, student, at: datetime):
    return submission_create(
        deliverable=deliverable,
        student=student,
        upload=SimpleUploadedFile("report.pdf", pdf_bytes()),
        received_at=at,
    )


def row_of(user, kind=Reminder.Kind.DELIVERABLE, offset=DAY_MINUTES) -> Reminder:
    return Reminder.objects.get(user=user, kind=kind, offset_minutes=offset)


@pytest.fixture
def course():
    """A seminar in Europe/Berlin with an instructor, a supervisor, two students and a report due at DUE."""
    seminar = SeminarFactory(title="Theoretical advances in deep learning")
    return {
        "seminar": seminar,
        "instructor": instructor_of(seminar, user__full_name="Ina Instructor"),
        "supervisor": supervisor_of(seminar, user__full_name="Sam Supervisor"),
        "ada": student_of(seminar, user__full_name="Ada Lovelace", user__email="ada@uni.example"),
        "bob": student_of(seminar, user__full_name="Bob Builder", user__email="bob@uni.example"),
        "report": DeliverableFactory(seminar=seminar, title="Written report", due_at=DUE),
    }


# --- each offset once, at its time ------------------------------------------------------------------------


def test_scan_every_15_minutes_for_a_week_sends_each_default_reminder_once_at_its_time(course):
    # Every 15 minutes rather than the beat's 5: the same fire times lie on the grid (DUE is at :59), and
    # 2,000 scans take 20 s on PostgreSQL.
    ada, bob = course["ada"], course["bob"]
    scans = scan_every(DUE - WEEK - HOUR, DUE - EVERY_5_MINUTES, step=15 * MINUTE)
    assert scans == 7 * 24 * 4 + 4
    for student in (ada, bob):
        assert offsets_mailed_to(student) == [7 * DAY_MINUTES, DAY_MINUTES, 180]
    assert len(reminder_mails()) == 6
    sent = {
        (row.user_id, row.offset_minutes): row
        for row in Reminder.objects.filter(kind=Reminder.Kind.DELIVERABLE)
    }
    assert len(sent) == 6
    for (_user, offset), row in sent.items():
        assert row.state == Reminder.State.SENT
        assert row.due_at == DUE
        assert row.fire_at == DUE - timedelta(minutes=offset)  # December: no clock change that week
        assert row.sent_at == row.fire_at
        assert row.attempts == 1


def test_scan_before_the_first_reminder_creates_nothing(course):
    assert scan(DUE - WEEK - US) == 0
    assert Reminder.objects.count() == 0
    assert mail.outbox == []


def test_scan_staff_get_no_deliverable_reminders(course):
    scan(DUE - DAY)
    assert mails_to(course["instructor"]) == []
    assert mails_to(course["supervisor"]) == []
    assert {message.to[0] for message in reminder_mails()} == {"ada@uni.example", "bob@uni.example"}


# --- uploads, extensions ----------------------------------------------------------------------------------


def test_scan_student_who_uploaded_gets_nothing(course):
    upload(course["report"], course["ada"], DUE - 8 * DAY)
    scan_every(DUE - WEEK, DUE, step=HOUR)
    assert mails_to(course["ada"]) == []
    assert not Reminder.objects.filter(user=course["ada"]).exists()
    assert offsets_mailed_to(course["bob"]) == [7 * DAY_MINUTES, DAY_MINUTES, 180]


def test_scan_student_who_uploads_after_the_week_reminder_gets_no_day_reminder(course):
    ada = course["ada"]
    scan(DUE - WEEK)
    upload(course["report"], ada, DUE - 5 * DAY)
    scan(DUE - DAY)
    scan(DUE - 3 * HOUR)
    assert offsets_mailed_to(ada) == [7 * DAY_MINUTES]
    assert list(Reminder.objects.filter(user=ada).values_list("offset_minutes", flat=True)) == [
        7 * DAY_MINUTES
    ]
    assert offsets_mailed_to(course["bob"]) == [7 * DAY_MINUTES, DAY_MINUTES, 180]


def test_reminder_send_upload_between_claim_and_send_skips_it(course):
    ada = course["ada"]
    collect(DUE - DAY)
    upload(course["report"], ada, DUE - DAY + MINUTE)
    outcome = reminder_send(reminder_id=row_of(ada).pk, now=DUE - DAY + 2 * MINUTE)
    assert outcome == Outcome.SKIPPED
    assert row_of(ada).state == Reminder.State.SKIPPED
    assert mail.outbox == []


def test_scan_extension_moves_the_students_reminders_to_their_own_due_time(course):
    ada, bob, report = course["ada"], course["bob"], course["report"]
    extension_grant(
        deliverable=report,
        student=ada,
        extra_minutes=2 * DAY_MINUTES,
        reason="Ill",
        granted_by=course["instructor"],
        now=DUE - 10 * DAY,
    )
    own_due = DUE + 2 * DAY
    scan_every(DUE - WEEK - HOUR, own_due, step=HOUR)
    assert offsets_mailed_to(ada) == [7 * DAY_MINUTES, DAY_MINUTES, 180]
    assert offsets_mailed_to(bob) == [7 * DAY_MINUTES, DAY_MINUTES, 180]
    for offset in (7 * DAY_MINUTES, DAY_MINUTES, 180):
        assert row_of(ada, offset=offset).due_at == own_due
        assert row_of(ada, offset=offset).sent_at == own_due - timedelta(minutes=offset)
        assert row_of(bob, offset=offset).due_at == DUE
        assert row_of(bob, offset=offset).sent_at == DUE - timedelta(minutes=offset)
    [day_reminder] = [
        message
        for message in mails_to(ada)
        if message.extra_headers["X-Portal-Reminder"].endswith(f":{DAY_MINUTES}")
    ]
    assert "17 December 2026, 23:59 CET (Europe/Berlin)" in day_reminder.body


# --- late scans: stale reminders, a beat that was down ----------------------------------------------------


def test_scan_first_two_days_before_never_creates_the_week_reminder(course):
    ada = course["ada"]
    scan_every(DUE - 2 * DAY, DUE, step=15 * MINUTE)
    assert not Reminder.objects.filter(offset_minutes=7 * DAY_MINUTES).exists()
    assert offsets_mailed_to(ada) == [DAY_MINUTES, 180]
    assert row_of(ada).sent_at == DUE - DAY


def test_scan_after_hours_of_downtime_catches_up_with_the_current_reminder(course):
    ada = course["ada"]
    scan(DUE - 26 * HOUR)
    assert mails_to(ada) == []
    scan(DUE - 20 * HOUR)
    assert offsets_mailed_to(ada) == [DAY_MINUTES]
    assert row_of(ada).fire_at == DUE - DAY
    assert row_of(ada).sent_at == DUE - 20 * HOUR


def test_scan_after_downtime_past_half_the_lead_time_sends_nothing_misleading(course):
    scan(DUE - 26 * HOUR)
    scan(DUE - 11 * HOUR)
    assert mail.outbox == []
    assert Reminder.objects.count() == 0


def test_reminder_send_worker_backlog_past_half_the_lead_time_skips_it(course):
    ada = course["ada"]
    collect(DUE - DAY)
    assert reminder_send(reminder_id=row_of(ada).pk, now=DUE - 11 * HOUR) == Outcome.SKIPPED
    assert row_of(ada).state == Reminder.State.SKIPPED
    assert mail.outbox == []


def test_scan_spring_forward_due_time_fires_day_reminder_once_at_11_utc_the_day_before(course):
    ada = course["ada"]
    report = course["report"]
    report.due_at = SPRING_FORWARD_DUE
    deliverable_save(seminar=course["seminar"], deliverable=report)
    scan_every(SPRING_FORWARD_DUE - 2 * DAY, SPRING_FORWARD_DUE)
    day_before_11_utc = datetime(2027, 3, 27, 11, 0, tzinfo=UTC)
    assert offsets_mailed_to(ada) == [DAY_MINUTES, 180]
    assert row_of(ada).fire_at == day_before_11_utc
    assert row_of(ada).sent_at == day_before_11_utc
    assert SPRING_FORWARD_DUE - row_of(ada).fire_at == 23 * HOUR
    assert Reminder.objects.filter(user=ada, offset_minutes=DAY_MINUTES).count() == 1


def test_scan_fall_back_due_time_fires_day_reminder_25_hours_before(course):
    ada = course["ada"]
    report = course["report"]
    report.due_at = datetime(2026, 10, 25, 11, 0, tzinfo=UTC)  # 12:00 CET, the day the clocks go back
    deliverable_save(seminar=course["seminar"], deliverable=report)
    scan_every(report.due_at - 26 * HOUR, report.due_at - 20 * HOUR)
    assert offsets_mailed_to(ada) == [DAY_MINUTES]
    assert row_of(ada).sent_at == datetime(2026, 10, 24, 10, 0, tzinfo=UTC)


# --- ranking ----------------------------------------------------------------------------------------------


@pytest.fixture
def ranking(course):
    closes = datetime(2026, 11, 2, 22, 59, tzinfo=UTC)
    window = PreferenceWindowFactory(seminar=course["seminar"], opens_at=closes - 14 * DAY, closes_at=closes)
    rank(course["seminar"], course["bob"], [PaperFactory(seminar=course["seminar"])])
    return window


def test_scan_ranking_reminders_only_for_students_without_preferences(course, ranking):
    scan_every(ranking.closes_at - WEEK - HOUR, ranking.closes_at, step=HOUR)
    assert offsets_mailed_to(course["ada"]) == [7 * DAY_MINUTES, DAY_MINUTES, 180]
    assert mails_to(course["bob"]) == []
    assert mails_to(course["instructor"]) == []
    assert set(Reminder.objects.values_list("kind", flat=True)) == {Reminder.Kind.RANKING}
    assert set(Reminder.objects.values_list("object_id", flat=True)) == {ranking.pk}


def test_scan_ranking_reminder_none_after_the_window_closed(course, ranking):
    scan(ranking.closes_at)
    scan(ranking.closes_at + HOUR)
    assert mail.outbox == []


def test_scan_ranking_reminder_none_before_the_window_opens(course):
    closes = datetime(2026, 11, 2, 22, 59, tzinfo=UTC)
    PreferenceWindowFactory(seminar=course["seminar"], opens_at=closes - 12 * HOUR, closes_at=closes)
    scan(closes - DAY)
    assert mail.outbox == []


def test_reminder_send_ranking_done_between_claim_and_send_skips_it(course, ranking):
    ada = course["ada"]
    collect(ranking.closes_at - DAY)
    rank(course["seminar"], ada, [PaperFactory(seminar=course["seminar"])])
    row = row_of(ada, kind=Reminder.Kind.RANKING)
    assert reminder_send(reminder_id=row.pk, now=ranking.closes_at - DAY) == Outcome.SKIPPED
    assert mail.outbox == []


def test_reminder_send_ranking_window_moved_to_open_later_releases_the_row(course, ranking):
    ada = course["ada"]
    collect(ranking.closes_at - DAY)
    row = row_of(ada, kind=Reminder.Kind.RANKING)
    ranking.opens_at = ranking.closes_at - 12 * HOUR
    ranking.save(update_fields=["opens_at"])
    assert reminder_send(reminder_id=row.pk, now=ranking.closes_at - DAY) == Outcome.NOT_YET
    assert not Reminder.objects.filter(pk=row.pk).exists()
    assert mail.outbox == []


# --- talks ------------------------------------------------------------------------------------------------


def test_scan_talk_of_a_presenter_who_is_no_student_claims_nothing(course):
    talk = datetime(2027, 5, 3, 7, 0, tzinfo=UTC)
    seminar = course["seminar"]
    BlockSeminar.objects.create(seminar=seminar, published_at=talk - WEEK, published_by=course["instructor"])
    day = BlockDay.objects.create(seminar=seminar, starts_at=talk, ends_at=talk + 4 * HOUR)
    for presenter, room in ((course["ada"], "MI 1"), (course["supervisor"], "MI 2")):
        Slot.objects.create(
            seminar=seminar, day=day, starts_at=talk, ends_at=talk + HOUR, room=room, presenter=presenter
        )
    scan(talk - DAY)
    assert list(Reminder.objects.values_list("user", "kind", "state")) == [
        (course["ada"].pk, Reminder.Kind.TALK, Reminder.State.SENT)
    ]


# --- instructor summary -----------------------------------------------------------------------------------


@pytest.fixture
def graced(course):
    """The report with 15 minutes' grace and late uploads accepted; Ada uploads on time, Bob late, Cy not."""
    report = course["report"]
    report.grace_minutes = 15
    report.late_policy = Deliverable.Policy.ACCEPT_LATE
    deliverable_save(seminar=course["seminar"], deliverable=report)
    course["cy"] = student_of(course["seminar"], user__full_name="Cy Missing", user__email="cy@uni.example")
    upload(report, course["ada"], DUE + 10 * MINUTE)  # within the grace period: on time
    return report


def summaries() -> list:
    return [m for m in reminder_mails() if m.extra_headers["X-Portal-Reminder"].startswith("summary:")]


def test_scan_instructor_summary_once_after_due_and_grace_listing_on_time_late_missing(course, graced):
    scan(DUE + 10 * MINUTE)
    assert summaries() == []
    upload(graced, course["bob"], DUE + 16 * MINUTE)
    scan_every(DUE + 15 * MINUTE, DUE + DAY, step=HOUR)
    [summary] = summaries()
    assert summary.to == [course["instructor"].email]
    row = Reminder.objects.get(kind=Reminder.Kind.SUMMARY)
    assert (row.user, row.object_id, row.sent_at) == (course["instructor"], graced.pk, DUE + 15 * MINUTE)
    on_time, rest = summary.body.split("Late (1):")
    late, missing = rest.split("Missing (1):")
    assert "Submitted on time (1):" in on_time
    assert "ada@uni.example" in on_time
    assert "bob@uni.example" in late
    assert "cy@uni.example" in missing
    for student in ("ada", "bob", "cy"):
        assert summary.body.count(f"{student}@uni.example") == 1
    assert "15 December 2026, 23:59 CET (Europe/Berlin)" in summary.body
    expected_url = django_settings.PORTAL_URL + reverse(
        "submissions:overview", args=[course["seminar"].slug, graced.pk]
    )
    assert expected_url in summary.body
    assert f'href="{expected_url}"' in html_of(summary)


def test_scan_instructor_summary_not_when_switched_off(course, graced):
    reminder_settings_set(seminar=course["seminar"], offsets=[DAY_MINUTES], instructor_summary=False)
    scan(DUE + 20 * MINUTE)
    assert summaries() == []


def test_scan_instructor_summary_not_after_two_days(course, graced):
    scan(DUE + 15 * MINUTE + 2 * DAY)
    assert summaries() == []


def test_reminder_send_summary_to_someone_no_longer_instructor_is_skipped(course, graced):
    collect(DUE + 15 * MINUTE)
    row = Reminder.objects.get(kind=Reminder.Kind.SUMMARY)
    Membership.objects.filter(user=course["instructor"]).update(role=Membership.Role.SUPERVISOR)
    assert reminder_send(reminder_id=row.pk, now=DUE + 16 * MINUTE) == Outcome.SKIPPED
    assert summaries() == []


def test_reminder_send_summary_switched_off_after_the_claim_is_skipped(course, graced):
    collect(DUE + 15 * MINUTE)
    row = Reminder.objects.get(kind=Reminder.Kind.SUMMARY)
    reminder_settings_set(seminar=course["seminar"], offsets=[DAY_MINUTES], instructor_summary=False)
    assert reminder_send(reminder_id=row.pk, now=DUE + 16 * MINUTE) == Outcome.SKIPPED
    assert summaries() == []


def test_reminder_send_summary_deadline_moved_later_releases_the_row_until_the_new_deadline(course, graced):
    collect(DUE + 15 * MINUTE)
    row = Reminder.objects.get(kind=Reminder.Kind.SUMMARY)
    graced.due_at = DUE + DAY
    deliverable_save(seminar=course["seminar"], deliverable=graced)
    assert reminder_send(reminder_id=row.pk, now=DUE + 16 * MINUTE) == Outcome.NOT_YET
    assert not Reminder.objects.filter(pk=row.pk).exists()
    scan(DUE + DAY + 15 * MINUTE)
    [summary] = summaries()
    assert "16 December 2026, 23:59 CET (Europe/Berlin)" in summary.body


def test_reminder_send_summary_still_pending_two_days_after_the_deadline_is_skipped(course, graced):
    collect(DUE + 15 * MINUTE)
    row = Reminder.objects.get(kind=Reminder.Kind.SUMMARY)
    assert reminder_send(reminder_id=row.pk, now=DUE + 15 * MINUTE + 2 * DAY) == Outcome.SKIPPED
    assert summaries() == []


# --- settings, archived seminars --------------------------------------------------------------------------


def test_scan_uses_the_seminars_own_offsets(course):
    reminder_settings_set(seminar=course["seminar"], offsets=[2 * DAY_MINUTES, 90], instructor_summary=True)
    scan_every(DUE - WEEK - HOUR, DUE, step=30 * MINUTE)
    assert offsets_mailed_to(course["ada"]) == [2 * DAY_MINUTES, 90]
    students_rows = Reminder.objects.filter(kind=Reminder.Kind.DELIVERABLE)
    assert set(students_rows.values_list("offset_minutes", flat=True)) == {2 * DAY_MINUTES, 90}
    assert row_of(course["ada"], offset=90).sent_at == DUE - 90 * MINUTE


def test_reminder_send_offset_removed_after_the_claim_is_skipped(course):
    collect(DUE - DAY)
    reminder_settings_set(seminar=course["seminar"], offsets=[3 * 60], instructor_summary=True)
    assert reminder_send(reminder_id=row_of(course["ada"]).pk, now=DUE - DAY) == Outcome.SKIPPED
    assert mail.outbox == []
    scan(DUE - 3 * HOUR)
    assert offsets_mailed_to(course["ada"]) == [180]


def test_scan_no_offsets_sends_no_student_reminders(course):
    reminder_settings_set(seminar=course["seminar"], offsets=[], instructor_summary=True)
    scan_every(DUE - WEEK, DUE, step=HOUR)
    assert mails_to(course["ada"]) == []
    assert mails_to(course["bob"]) == []
    assert not Reminder.objects.filter(kind=Reminder.Kind.DELIVERABLE).exists()
    [summary] = reminder_mails()
    assert summary.to == [course["instructor"].email]


def test_scan_other_seminars_keep_the_defaults(course):
    other = SeminarFactory()
    carol = student_of(other)
    DeliverableFactory(seminar=other, due_at=DUE)
    reminder_settings_set(seminar=course["seminar"], offsets=[2 * DAY_MINUTES], instructor_summary=True)
    scan(DUE - 2 * DAY)
    scan(DUE - DAY)
    assert offsets_mailed_to(course["ada"]) == [2 * DAY_MINUTES]
    assert offsets_mailed_to(carol) == [DAY_MINUTES]


def test_scan_archived_seminar_sends_nothing(course, ranking):
    Seminar.objects.filter(pk=course["seminar"].pk).update(state=Seminar.State.ARCHIVED)
    scan(ranking.closes_at - DAY)
    scan(DUE - DAY)
    scan(DUE + DAY)
    assert Reminder.objects.count() == 0
    assert mail.outbox == []


def test_reminder_send_seminar_archived_after_the_claim_sends_nothing(course):
    collect(DUE - DAY)
    Seminar.objects.filter(pk=course["seminar"].pk).update(state=Seminar.State.ARCHIVED)
    assert reminder_send(reminder_id=row_of(course["ada"]).pk, now=DUE - DAY + MINUTE) == Outcome.SKIPPED
    assert mail.outbox == []


# --- at most once -----------------------------------------------------------------------------------------


def test_scan_twice_at_the_same_instant_creates_no_duplicate_rows(course, ranking):
    now = DUE - DAY
    first = collect(now)
    second = collect(now)
    assert len(first) == 2
    assert second == []
    keys = Counter(Reminder.objects.values_list("user_id", "kind", "object_id", "offset_minutes"))
    assert len(keys) == 2
    assert set(keys.values()) == {1}


def test_scan_twice_sending_inline_mails_once(course):
    scan(DUE - DAY)
    scan(DUE - DAY)
    scan(DUE - DAY + 5 * MINUTE)
    assert len(reminder_mails()) == 2


def test_reminder_send_already_sent_does_nothing(course):
    scan(DUE - DAY)
    row = row_of(course["ada"])
    assert row.state == Reminder.State.SENT
    mail.outbox.clear()
    assert reminder_send(reminder_id=row.pk, now=DUE - DAY + MINUTE) == Outcome.NOTHING
    assert mail.outbox == []
    row.refresh_from_db()
    assert (row.state, row.attempts, row.sent_at) == (Reminder.State.SENT, 1, DUE - DAY)


def test_reminder_send_unknown_id_does_nothing(course):
    assert reminder_send(reminder_id=987654, now=DUE) == Outcome.NOTHING


def test_reminder_send_twice_for_the_same_row_mails_once(course):
    [first, _second] = collect(DUE - DAY)
    assert reminder_send(reminder_id=first, now=DUE - DAY) == Outcome.SENT
    assert reminder_send(reminder_id=first, now=DUE - DAY) == Outcome.NOTHING
    assert len(mail.outbox) == 1


def test_reminder_send_student_who_left_is_skipped(course):
    ada = course["ada"]
    collect(DUE - DAY)
    Membership.objects.filter(user=ada, seminar=course["seminar"]).delete()
    assert reminder_send(reminder_id=row_of(ada).pk, now=DUE - DAY) == Outcome.SKIPPED
    assert mail.outbox == []


def test_reminder_send_deadline_moved_later_releases_the_row_to_be_claimed_again(course):
    ada, report = course["ada"], course["report"]
    collect(DUE - DAY)
    claimed = row_of(ada)
    report.due_at = DUE + 3 * DAY
    deliverable_save(seminar=course["seminar"], deliverable=report)
    assert reminder_send(reminder_id=claimed.pk, now=DUE - DAY) == Outcome.NOT_YET
    assert not Reminder.objects.filter(pk=claimed.pk).exists()
    assert mail.outbox == []
    scan(DUE + 2 * DAY - 5 * MINUTE)
    assert DAY_MINUTES not in offsets_mailed_to(ada)
    scan(DUE + 2 * DAY)
    again = row_of(ada)
    assert again.pk != claimed.pk
    assert (again.due_at, again.fire_at, again.sent_at) == (DUE + 3 * DAY, DUE + 2 * DAY, DUE + 2 * DAY)
    assert again.state == Reminder.State.SENT
    assert offsets_mailed_to(ada).count(DAY_MINUTES) == 1


# --- the broker: stuck rows and failures ------------------------------------------------------------------


def test_scan_hands_out_again_a_row_pending_since_the_reenqueue_time(course, settings):
    settings.REMINDER_REENQUEUE_SECONDS = 900
    first = collect(DUE - DAY)
    assert collect(DUE - DAY + 14 * MINUTE) == []
    assert sorted(collect(DUE - DAY + 15 * MINUTE + US)) == sorted(first)


def test_scan_broker_down_leaves_the_rest_for_the_next_scan(course):
    handed: list[int] = []

    def broker_that_fails_after_one(pk):
        if handed:
            raise ConnectionRefusedError(111, "Connection refused")
        handed.append(pk)

    assert reminders_scan(now=DUE - DAY, enqueue=broker_that_fails_after_one) == 1
    waiting = Reminder.objects.exclude(pk__in=handed)
    assert [row.enqueued_at for row in waiting] == [None]
    assert collect(DUE - DAY + MINUTE) == [waiting.get().pk]


# --- SMTP failures ----------------------------------------------------------------------------------------


class FailingSMTPBackend(BaseEmailBackend):
    """Stands in for an SMTP server (or the network to it) that fails every delivery with `error`."""

    error: BaseException = OSError()

    def send_messages(self, email_messages):
        raise self.error


class TryLaterBackend(FailingSMTPBackend):
    error = smtplib.SMTPResponseException(421, b"try later")


class MailboxUnavailableBackend(FailingSMTPBackend):
    error = smtplib.SMTPResponseException(550, b"5.1.1 mailbox unavailable")


class ConnectionRefusedBackend(FailingSMTPBackend):
    error = ConnectionRefusedError(111, "Connection refused")


def backend(cls) -> str:
    return f"{__name__}.{cls.__name__}"


def test_reminder_send_smtp_421_is_retried_and_the_row_stays_pending(course, settings):
    settings.EMAIL_BACKEND = backend(TryLaterBackend)
    [first, _second] = collect(DUE - DAY)
    assert reminder_send(reminder_id=first, now=DUE - DAY) == Outcome.RETRY
    row = Reminder.objects.get(pk=first)
    assert row.state == Reminder.State.PENDING
    assert row.attempts == 1
    assert "421" in row.last_error
    assert "try later" in row.last_error
    assert row.sent_at is None


def test_reminder_send_after_421_a_retry_that_gets_through_sends_once(course, settings):
    settings.EMAIL_BACKEND = backend(TryLaterBackend)
    [first, _second] = collect(DUE - DAY)
    reminder_send(reminder_id=first, now=DUE - DAY)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert reminder_send(reminder_id=first, now=DUE - DAY + MINUTE) == Outcome.SENT
    row = Reminder.objects.get(pk=first)
    assert (row.state, row.attempts, row.sent_at) == (Reminder.State.SENT, 2, DUE - DAY + MINUTE)
    assert len(mail.outbox) == 1


def test_reminder_send_smtp_550_fails_for_good(course, settings):
    settings.EMAIL_BACKEND = backend(MailboxUnavailableBackend)
    [first, _second] = collect(DUE - DAY)
    assert reminder_send(reminder_id=first, now=DUE - DAY) == Outcome.FAILED
    row = Reminder.objects.get(pk=first)
    assert (row.state, row.attempts) == (Reminder.State.FAILED, 1)
    assert "550" in row.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert reminder_send(reminder_id=first, now=DUE - DAY + MINUTE) == Outcome.NOTHING
    assert first not in collect(DUE - DAY + HOUR)
    assert mail.outbox == []


def test_reminder_send_connection_refused_is_retried(course, settings):
    settings.EMAIL_BACKEND = backend(ConnectionRefusedBackend)
    [first, _second] = collect(DUE - DAY)
    assert reminder_send(reminder_id=first, now=DUE - DAY) == Outcome.RETRY
    row = Reminder.objects.get(pk=first)
    assert (row.state, row.attempts) == (Reminder.State.PENDING, 1)
    assert row.last_error.startswith("ConnectionRefusedError")


@pytest.mark.parametrize(
    ("error", "temporary"),
    [
        pytest.param(smtplib.SMTPResponseException(421, b"try later"), True, id="421"),
        pytest.param(smtplib.SMTPResponseException(451, b"local error"), True, id="451"),
        pytest.param(smtplib.SMTPResponseException(499, b""), True, id="499"),
        pytest.param(smtplib.SMTPResponseException(500, b""), False, id="500"),
        pytest.param(smtplib.SMTPResponseException(550, b"no such user"), False, id="550"),
        pytest.param(smtplib.SMTPResponseException(554, b"rejected"), False, id="554"),
        pytest.param(smtplib.SMTPSenderRefused(451, b"later", "noreply@localhost"), True, id="sender-451"),
        pytest.param(smtplib.SMTPSenderRefused(553, b"no", "noreply@localhost"), False, id="sender-553"),
        pytest.param(smtplib.SMTPDataError(452, b"full"), True, id="data-452"),
        pytest.param(smtplib.SMTPDataError(552, b"too big"), False, id="data-552"),
        pytest.param(smtplib.SMTPAuthenticationError(535, b"bad login"), False, id="auth-535"),
        pytest.param(smtplib.SMTPAuthenticationError(454, b"auth later"), True, id="auth-454"),
        pytest.param(smtplib.SMTPRecipientsRefused({"a@x": (450, b"busy")}), True, id="recipients-450"),
        pytest.param(smtplib.SMTPRecipientsRefused({"a@x": (550, b"no")}), False, id="recipients-550"),
        pytest.param(
            smtplib.SMTPRecipientsRefused({"a@x": (450, b"busy"), "b@x": (550, b"no")}),
            False,
            id="recipients-mixed",
        ),
        pytest.param(smtplib.SMTPRecipientsRefused({}), False, id="recipients-none"),
        pytest.param(smtplib.SMTPServerDisconnected("gone"), True, id="disconnected"),
        pytest.param(ConnectionRefusedError(111, "refused"), True, id="connection-refused"),
        pytest.param(ConnectionResetError(104, "reset"), True, id="connection-reset"),
        pytest.param(TimeoutError("timed out"), True, id="timeout"),
        pytest.param(socket.gaierror(-3, "Temporary failure in name resolution"), True, id="dns"),
        pytest.param(ValueError("bad header"), False, id="programming-error"),
        pytest.param(UnicodeEncodeError("ascii", "ü", 0, 1, "no"), False, id="encoding-error"),
    ],
)
def test_is_temporary(error, temporary):
    assert is_temporary(error) is temporary


# --- the mail itself --------------------------------------------------------------------------------------


def test_mail_reminder_names_the_deliverable_and_seminar_in_the_recipients_language(course):
    """The subject and body say the German titles to a German reader, the English ones to an English
    reader; the reminder's row keeps the portal's language (English), as the staff's list shows it."""
    german_title = "Theoretische Fortschritte im Deep Learning"
    Seminar.objects.filter(pk=course["seminar"].pk).update(title_de=german_title)
    Deliverable.objects.filter(pk=course["report"].pk).update(title_de="Schriftliche Ausarbeitung")
    User.objects.filter(pk=course["ada"].pk).update(language="de")
    User.objects.filter(pk=course["bob"].pk).update(language="en")

    scan(DUE - DAY)

    [german] = mails_to(course["ada"])
    [english] = mails_to(course["bob"])
    assert german.subject == "[Seminar portal] Erinnerung: „Schriftliche Ausarbeitung“ ist fällig"
    assert german_title in german.body
    assert "Written report" not in german.body
    assert english.subject == "[Seminar portal] Reminder: “Written report” is due"
    assert "Schriftliche" not in english.body
    assert set(Reminder.objects.filter(kind=Reminder.Kind.DELIVERABLE).values_list("title", flat=True)) == {
        "Written report"
    }


def test_mail_deliverable_reminder_text_and_html_with_zone_and_link(course):
    scan(DUE - DAY)
    [message] = mails_to(course["ada"])
    assert message.subject == "[Seminar portal] Reminder: “Written report” is due"
    assert message.extra_headers["X-Portal-Reminder"] == f"deliverable:{course['report'].pk}:{DAY_MINUTES}"
    deadline = "15 December 2026, 23:59 CET (Europe/Berlin)"
    url = django_settings.PORTAL_URL + reverse(
        "submissions:deliverable", args=[course["seminar"].slug, course["report"].pk]
    )
    assert "Dear Ada Lovelace," in message.body
    assert "Theoretical advances in deep learning" in message.body
    assert deadline in message.body
    assert "(1\xa0day from now)" in message.body
    assert url in message.body
    html = html_of(message)
    assert deadline in html
    assert f'<time datetime="{DUE.isoformat()}">' in html
    assert f'<a href="{url}">' in html
    assert "<" not in message.body.replace(f"<{course['ada'].email}>", "")


def test_mail_ranking_reminder_links_the_ranking_page(course, ranking):
    scan(ranking.closes_at - DAY)
    [message] = mails_to(course["ada"])
    url = django_settings.PORTAL_URL + reverse("papers:preferences", args=[course["seminar"].slug])
    assert message.subject == (
        "[Seminar portal] Reminder: rank the papers of “Theoretical advances in deep learning”"
    )
    assert "2 November 2026, 23:59 CET (Europe/Berlin)" in message.body
    assert url in message.body
    assert f'<a href="{url}">' in html_of(message)


def test_mail_deadline_shown_in_the_seminars_own_zone(course):
    Seminar.objects.filter(pk=course["seminar"].pk).update(time_zone="America/New_York")
    scan(DUE - DAY)
    [message] = mails_to(course["ada"])
    assert "15 December 2026, 17:59 EST (America/New_York)" in message.body


def test_mail_german_user_gets_dates_in_german(course):
    course["ada"].language = "de"
    course["ada"].save(update_fields=["language"])
    scan(DUE - DAY)
    [message] = mails_to(course["ada"])
    assert "15. Dezember 2026" in message.body
    assert "(Europe/Berlin)" in message.body
    [english] = mails_to(course["bob"])
    assert "15 December 2026" in english.body


def test_mail_german_user_gets_german_text(course):
    course["ada"].language = "de"
    course["ada"].save(update_fields=["language"])
    scan(DUE - DAY)
    [message] = mails_to(course["ada"])
    assert message.subject == "[Seminar portal] Erinnerung: „Written report“ ist fällig"
    for part in (message.body, html_of(message)):
        assert "Guten Tag Ada Lovelace," in part
        assert "Dear" not in part
        assert "15. Dezember 2026" in part


def test_mail_html_declares_the_recipients_language(course):
    course["ada"].language = "de"
    course["ada"].save(update_fields=["language"])
    scan(DUE - DAY)
    [message] = mails_to(course["ada"])
    assert '<html lang="de">' in html_of(message)


def test_mail_language_of_the_recipient_does_not_leak_into_the_next_mail(course):
    course["ada"].language = "de"
    course["ada"].save(update_fields=["language"])
    scan(DUE - DAY)
    bob_mail = mails_to(course["bob"])[0]
    assert "15 December 2026" in bob_mail.body
    assert "Dear Bob Builder," in bob_mail.body


# --- the outbox -------------------------------------------------------------------------------------------


@pytest.fixture
def due_by_the_clock():
    """A pending reminder that the real clock says is due: tasks read the time themselves."""
    seminar = SeminarFactory()
    student = student_of(seminar)
    DeliverableFactory(seminar=seminar, due_at=timezone.now() + 23 * HOUR)
    [pk] = collect(timezone.now())
    return Reminder.objects.get(pk=pk), student


def change_that_fails_after_enqueueing(reminder_id: int) -> None:
    with transaction.atomic():
        enqueue_on_commit(task_reminder_send, reminder_id=reminder_id)
        assert OutboxTask.objects.count() == 1
        raise RuntimeError("the change fails after enqueueing")


def test_outbox_rolled_back_transaction_sends_nothing(due_by_the_clock, django_capture_on_commit_callbacks):
    reminder, _student = due_by_the_clock
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        change_that_fails_after_enqueueing(reminder.pk)
    assert callbacks == []
    assert OutboxTask.objects.count() == 0
    assert mail.outbox == []
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.PENDING


def test_outbox_committed_transaction_runs_the_task_once_and_deletes_its_row(
    due_by_the_clock, django_capture_on_commit_callbacks
):
    reminder, student = due_by_the_clock
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        enqueue_on_commit(task_reminder_send, reminder_id=reminder.pk)
        assert OutboxTask.objects.get().name == "reminders.send"
        assert mail.outbox == []
    assert len(callbacks) == 1
    assert OutboxTask.objects.count() == 0
    assert [message.to for message in mail.outbox] == [[student.email]]
    reminder.refresh_from_db()
    assert reminder.state == Reminder.State.SENT


def test_outbox_flush_hands_over_old_rows_and_leaves_fresh_ones(due_by_the_clock, settings):
    reminder, student = due_by_the_clock
    settings.OUTBOX_FLUSH_SECONDS = 60
    # Committed while the broker was down: the rows stayed (the test's transaction never commits).
    enqueue_on_commit(task_reminder_send, reminder_id=reminder.pk)
    enqueue_on_commit(task_reminder_send, reminder_id=reminder.pk)
    old, fresh = OutboxTask.objects.order_by("pk")
    now = timezone.now()
    OutboxTask.objects.filter(pk=old.pk).update(created_at=now - 2 * MINUTE)
    assert outbox_flush(now=now) == 1
    assert list(OutboxTask.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert [message.to for message in mail.outbox] == [[student.email]]
    # The task is idempotent: the second hand-over of the same reminder sends nothing more.
    assert outbox_flush(now=now + 2 * MINUTE) == 1
    assert OutboxTask.objects.count() == 0
    assert len(mail.outbox) == 1
