"""Reminders end to end: real Celery workers and beats, a private Redis, and an SMTP server on loopback
that counts what it accepts. Each (user, obligation, offset) must arrive exactly once."""

import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from core.models import OutboxTask
from reminders.models import Reminder
from submissions.models import Deliverable
from tests.factories import SeminarFactory, instructor_of, student_of

from .integration import ROOT, CountingSMTP, Stack, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("workers in other processes need a shared database: run with DATABASE_URL=postgres://...")


def due_in_23_hours(students: int) -> tuple[Deliverable, list]:
    """A deliverable whose 1-day reminder is due now (and no other): one mail per student."""
    seminar = SeminarFactory(capacity=students + 5)
    instructor_of(seminar)
    people = [student_of(seminar) for _ in range(students)]
    deliverable = Deliverable.objects.create(
        seminar=seminar,
        title="Written report",
        due_at=timezone.now() + timedelta(hours=23),
        allowed_types=["pdf"],
    )
    return deliverable, people


def expected_keys(deliverable: Deliverable, people) -> set[str]:
    return {f"deliverable:{deliverable.pk}:1440|{person.email}" for person in people}


def total(smtp: CountingSMTP) -> int:
    return sum(smtp.counts().values())


def test_two_beats_at_once_send_each_reminder_exactly_once(postgres, tmp_path):
    smtp = CountingSMTP()
    stack = Stack(tmp_path, smtp)
    try:
        deliverable, people = due_in_23_hours(10)
        stack.start_redis()
        stack.start_worker("worker")
        stack.start_beat("beat-a")
        stack.start_beat("beat-b")
        wait_until(lambda: total(smtp) >= 10, timeout=90, message=f"mails did not arrive\n{stack.logs()}")
        time.sleep(5)  # both beats keep scanning; nothing more may arrive
        counts = smtp.counts()
        assert set(counts) == expected_keys(deliverable, people)
        assert set(counts.values()) == {1}
        assert Reminder.objects.filter(state=Reminder.State.SENT).count() == 10
    finally:
        stack.close()


def test_worker_killed_mid_batch_another_takes_over_and_nothing_is_sent_twice(postgres, tmp_path):
    smtp = CountingSMTP(stall_seconds=0.4)
    stack = Stack(tmp_path, smtp)
    try:
        deliverable, people = due_in_23_hours(12)
        stack.start_redis()
        first = stack.start_worker("first")
        stack.start_beat("beat")
        wait_until(lambda: total(smtp) >= 4, timeout=90, message=f"first worker sent nothing\n{stack.logs()}")
        # Kill it while it waits for the SMTP server to answer MAIL FROM: that message is not accepted yet.
        smtp.mail_started.clear()
        smtp.mail_started.wait(timeout=10)
        stack.kill(first)
        sent_by_first = total(smtp)
        assert sent_by_first < 12
        stack.start_worker("second")
        wait_until(
            lambda: total(smtp) >= 12, timeout=120, message=f"second worker did not finish\n{stack.logs()}"
        )
        time.sleep(6)  # longer than the re-enqueue delay and the visibility timeout: late duplicates show
        counts = smtp.counts()
        assert set(counts) == expected_keys(deliverable, people)
        assert set(counts.values()) == {1}
        assert Reminder.objects.filter(state=Reminder.State.SENT).count() == 12
    finally:
        stack.close()


def test_smtp_421_a_few_times_then_accepted_exactly_once(postgres, tmp_path):
    smtp = CountingSMTP(refuse_first=5)
    stack = Stack(tmp_path, smtp)
    try:
        deliverable, people = due_in_23_hours(3)
        stack.start_redis()
        stack.start_worker("worker")
        stack.start_beat("beat")
        wait_until(lambda: total(smtp) >= 3, timeout=90, message=f"mails did not arrive\n{stack.logs()}")
        time.sleep(4)
        counts = smtp.counts()
        assert set(counts) == expected_keys(deliverable, people)
        assert set(counts.values()) == {1}
        assert smtp.refused == 5
        rows = list(Reminder.objects.values_list("state", "attempts"))
        assert {state for state, _ in rows} == {Reminder.State.SENT}
        assert sum(attempts for _, attempts in rows) == 3 + 5
    finally:
        stack.close()


SAVE_WITH_REDIS_DOWN = """
import time
from datetime import timedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from accounts.models import User
from seminars.models import Seminar
from submissions.models import Deliverable
from submissions.services import deliverable_save, submission_create
from tests.submissions.helpers import pdf_bytes

seminar = Seminar.objects.get(slug="{slug}")
started = time.monotonic()
due = timezone.now() + timedelta(hours=23)
deliverable = deliverable_save(
    seminar=seminar, deliverable=Deliverable(title="Slides", due_at=due, allowed_types=["pdf"])
)
submission_create(
    deliverable=deliverable,
    student=User.objects.get(email="{uploader}"),
    upload=SimpleUploadedFile("slides.pdf", pdf_bytes()),
    received_at=timezone.now(),
)
print("SAVED", deliverable.pk, round(time.monotonic() - started, 3))
"""


def test_deadline_saved_while_redis_is_down_then_reminders_and_receipt_arrive(postgres, tmp_path):
    smtp = CountingSMTP()
    stack = Stack(tmp_path, smtp)
    try:
        seminar = SeminarFactory()
        instructor_of(seminar)
        uploader, *others = [student_of(seminar) for _ in range(3)]
        script = SAVE_WITH_REDIS_DOWN.format(slug=seminar.slug, uploader=uploader.email)
        started = time.monotonic()
        saved = subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", "shell", "-c", script],
            cwd=ROOT,
            env=stack.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        elapsed = time.monotonic() - started
        assert saved.returncode == 0, saved.stderr
        assert "SAVED" in saved.stdout
        save_seconds = float(saved.stdout.split()[-1])
        assert save_seconds < 5, (
            f"saving took {save_seconds} s with Redis down (whole process {elapsed:.1f} s)"
        )
        deliverable = Deliverable.objects.get(title="Slides")
        assert OutboxTask.objects.filter(name="submissions.submission_receipt_notify").count() == 1

        stack.start_redis()
        stack.start_worker("worker")
        stack.start_beat("beat")
        wait_until(lambda: total(smtp) >= 3, timeout=90, message=f"mails did not arrive\n{stack.logs()}")
        time.sleep(3)
        counts = smtp.counts()
        assert set(counts) == expected_keys(deliverable, others) | {
            f"[Seminar portal] Receipt: Slides, version 1|{uploader.email}"
        }
        assert set(counts.values()) == {1}
        assert OutboxTask.objects.count() == 0
    finally:
        stack.close()
