"""Every mail the portal sends goes out the same way: in the recipient's mail language whoever clicked,
with one subject prefix naming the portal, a footer with the portal's address, and absolute links built
from PORTAL_URL. allauth's account mails included. Outbox rows are keyword arguments, and a row written
before a task's signature changed still runs."""

import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from core.models import OutboxTask
from core.outbox import enqueue_on_commit, outbox_flush
from papers.models import Allotment
from papers.services import allotment_publish
from reminders.models import Reminder
from reminders.services import reminder_send, reminders_scan
from schedule.models import BlockDay, Slot
from schedule.services import schedule_publish
from seminars.services import students_import
from seminars.tasks import task_membership_notify
from submissions.services import submission_create
from tests.factories import SeminarFactory, UserFactory, instructor_of, student_of
from tests.grading.helpers import REPORT, release, set_grade
from tests.papers.helpers import PaperFactory, publish_allotment
from tests.submissions.helpers import DeliverableFactory, pdf_bytes

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 2, 15, 10, 0, tzinfo=UTC)
PORTAL_URL = "https://seminare.example.org"


@pytest.fixture(autouse=True)
def _public_address(settings):
    settings.PORTAL_URL = PORTAL_URL


@pytest.fixture
def course():
    seminar = SeminarFactory(title="Deep learning theory", slug="deep")
    instructor = instructor_of(seminar, user__language="en")
    german = student_of(seminar, user__full_name="Greta Deutsch", user__language="de")
    english = student_of(seminar, user__full_name="Emma English", user__language="en")
    return {"seminar": seminar, "instructor": instructor, "german": german, "english": english}


def mail_to(user):
    (message,) = [message for message in mail.outbox if message.to == [user.email]]
    return message


def links_in(message) -> list[str]:
    html = message.alternatives[0][0] if message.alternatives else ""
    return re.findall(r"https?://[^\s\"<>]+", message.body + html)


def assert_the_portals_way(message, *, german: bool) -> None:
    assert message.subject.startswith("[Seminar portal] ")
    assert message.body.rstrip().endswith(f"Seminar portal · {PORTAL_URL}")
    html = message.alternatives[0][0]
    assert f'<html lang="{"de" if german else "en"}">' in html
    assert all(link.startswith(PORTAL_URL) for link in links_in(message)), links_in(message)


def test_allotment_mail_is_in_each_students_language_not_the_instructors(
    course, django_capture_on_commit_callbacks
):
    for student in (course["german"], course["english"]):
        Allotment.objects.create(
            seminar=course["seminar"],
            student=student,
            paper=PaperFactory(seminar=course["seminar"]),
            source="manual",
        )

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        allotment_publish(seminar=course["seminar"], published_by=course["instructor"], now=NOW)

    assert mail_to(course["german"]).subject == "[Seminar portal] Ihr Paper in Deep learning theory"
    assert mail_to(course["english"]).subject == "[Seminar portal] Your paper in Deep learning theory"
    assert_the_portals_way(mail_to(course["german"]), german=True)
    assert f"{PORTAL_URL}/seminars/deep/papers/" in mail_to(course["german"]).body


def test_grade_release_mail_is_in_each_students_language(course, django_capture_on_commit_callbacks):
    for student in (course["german"], course["english"]):
        set_grade(course["seminar"], student, REPORT, "1,3", grader=course["instructor"])

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        release(course["seminar"], course["instructor"])

    assert mail_to(course["german"]).subject == "[Seminar portal] Ihre Noten in Deep learning theory"
    assert mail_to(course["english"]).subject == "[Seminar portal] Your grades in Deep learning theory"
    assert_the_portals_way(mail_to(course["english"]), german=False)
    assert f"{PORTAL_URL}/seminars/deep/grades/" in mail_to(course["german"]).body


def test_invitation_to_an_existing_account_is_in_its_language_not_the_importing_instructors(
    django_capture_on_commit_callbacks,
):
    seminar = SeminarFactory(title="Kernels")
    UserFactory(email="greta@uni.example", full_name="Greta Deutsch", language="de")

    with django_capture_on_commit_callbacks(execute=True):
        students_import(seminar=seminar, data=b"email,name\ngreta@uni.example,Greta Deutsch\n", language="en")

    (message,) = mail.outbox
    assert message.subject == "[Seminar portal] Sie wurden in Kernels aufgenommen"
    assert_the_portals_way(message, german=True)


def test_invitation_to_a_new_account_is_in_the_importing_instructors_language(
    django_capture_on_commit_callbacks,
):
    seminar = SeminarFactory(title="Kernels")

    with django_capture_on_commit_callbacks(execute=True):
        students_import(seminar=seminar, data=b"email,name\nnew@uni.example,Neu Person\n", language="de")

    (message,) = mail.outbox
    assert message.subject == "[Seminar portal] Sie wurden in Kernels aufgenommen"
    set_password = [link for link in links_in(message) if "/password/reset/key/" in link]
    assert set_password
    assert all(
        link.startswith(PORTAL_URL) and link.endswith("?next=%2Fseminars%2F" + seminar.slug + "%2F")
        for link in set_password
    )


def test_receipt_talk_and_reminder_mails_carry_the_prefix_and_footer(
    course, django_capture_on_commit_callbacks
):
    seminar, student = course["seminar"], course["german"]
    publish_allotment(seminar, at=NOW - timedelta(days=5))
    deliverable = DeliverableFactory(seminar=seminar, due_at=NOW + timedelta(hours=23))
    day = BlockDay.objects.create(
        seminar=seminar, starts_at=NOW + timedelta(days=30), ends_at=NOW + timedelta(days=30, hours=4)
    )
    Slot.objects.create(
        seminar=seminar,
        day=day,
        starts_at=day.starts_at,
        ends_at=day.starts_at + timedelta(minutes=30),
        presenter=student,
    )
    Slot.objects.create(
        seminar=seminar,
        day=day,
        starts_at=day.starts_at + timedelta(hours=1),
        ends_at=day.starts_at + timedelta(hours=1, minutes=30),
        presenter=course["english"],
    )

    with django_capture_on_commit_callbacks(execute=True):
        schedule_publish(seminar=seminar, published_by=course["instructor"], now=NOW)
    talk = mail_to(student)
    mail.outbox.clear()
    reminders_scan(now=NOW, enqueue=lambda pk: None)
    reminder = Reminder.objects.get(user=student)
    reminder_send(reminder_id=reminder.pk, now=NOW)
    reminded = mail_to(student)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submission_create(
            deliverable=deliverable,
            student=student,
            upload=SimpleUploadedFile("bericht.pdf", pdf_bytes()),
            received_at=NOW,
        )
    receipt = mail_to(student)

    for message in (talk, reminded, receipt):
        assert_the_portals_way(message, german=True)
    assert talk.subject == "[Seminar portal] Ihr Vortrag in Deep learning theory"
    assert receipt.subject.startswith("[Seminar portal] Eingangsbestätigung")
    submission = deliverable.submissions.get()
    assert PORTAL_URL + reverse(
        "submissions:receipt", args=[seminar.slug, deliverable.pk, submission.pk]
    ) in links_in(receipt)


@pytest.mark.django_db(transaction=True)
@override_settings(PORTAL_NAME="Lehrstuhl-Portal")
def test_account_mails_name_the_portal_in_the_recipients_language(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "neu@uni.example",
            "full_name": "Neu Person",
            "password1": "lattice-orbit-7-meadow",
            "password2": "lattice-orbit-7-meadow",
        },
        HTTP_ACCEPT_LANGUAGE="de",
    )

    (message,) = mail.outbox
    assert message.subject.startswith("[Lehrstuhl-Portal] ")
    assert message.body.startswith("Hallo von Lehrstuhl-Portal,")
    assert "testserver" not in message.subject
    assert "Hello from" not in message.body
    assert "Thank you for using" not in message.body
    assert message.body.rstrip().endswith(f"Lehrstuhl-Portal · {PORTAL_URL}")


@pytest.mark.django_db(transaction=True)
def test_password_reset_mail_is_in_the_accounts_language_and_links_the_portal_whatever_page_asked(client):
    UserFactory(email="greta@uni.example", language="de")

    client.post(
        reverse("account_reset_password"),
        {"email": "greta@uni.example"},
        HTTP_ACCEPT_LANGUAGE="en",
        HTTP_HOST="127.0.0.1",
    )

    (message,) = mail.outbox
    assert message.body.startswith("Hallo von Seminar portal,")
    assert message.subject.startswith("[Seminar portal] ")
    (link,) = [link for link in links_in(message) if "/password/reset/key/" in link]
    assert link.startswith(PORTAL_URL + "/accounts/password/reset/key/")
    assert "127.0.0.1" not in message.body


def test_account_mail_is_handed_to_a_worker_through_the_outbox_not_sent_in_the_request(client):
    """Inside a transaction that has not committed (the test's), the sign-up's mail waits in the outbox."""
    client.post(
        reverse("account_signup"),
        {
            "email": "neu@uni.example",
            "full_name": "Neu Person",
            "password1": "lattice-orbit-7-meadow",
            "password2": "lattice-orbit-7-meadow",
        },
    )

    assert mail.outbox == []
    (row,) = OutboxTask.objects.filter(name="core.message_send")
    assert row.kwargs["to"] == "neu@uni.example"
    assert row.kwargs["subject"] == "Please Confirm Your Email Address"  # the prefix is put on when sent


def test_outbox_rows_are_keyword_arguments_and_a_dropped_argument_is_ignored(course):
    membership = course["seminar"].memberships.get(user=course["german"])
    row = OutboxTask.objects.create(
        name=task_membership_notify.name,
        kwargs={"membership_id": membership.pk, "language": "en"},  # as saved before the signature changed
        created_at=NOW,
    )
    OutboxTask.objects.filter(pk=row.pk).update(created_at=NOW - timedelta(hours=1))

    handed = outbox_flush(now=NOW)

    assert handed == 1
    assert (
        mail_to(course["german"]).subject == "[Seminar portal] Sie wurden in Deep learning theory aufgenommen"
    )
    assert not OutboxTask.objects.exists()


def test_enqueue_on_commit_stores_keyword_arguments(course, django_capture_on_commit_callbacks):
    membership = course["seminar"].memberships.get(user=course["english"])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue_on_commit(task_membership_notify, membership_id=membership.pk)

    assert list(OutboxTask.objects.values_list("name", "kwargs")) == [
        ("seminars.membership_notify", {"membership_id": membership.pk})
    ]
    assert len(callbacks) == 1


@pytest.mark.django_db(transaction=True)
def test_outbox_migration_turns_positional_rows_into_keyword_arguments():
    executor = MigrationExecutor(connection)
    executor.migrate([("seminars", "0002_outbox_task")])
    old_apps = executor.loader.project_state([("seminars", "0002_outbox_task")]).apps
    OldOutboxTask = old_apps.get_model("seminars", "OutboxTask")
    OldOutboxTask.objects.create(name="papers.allotment_notify", args=[3, 4, "de", None])
    OldOutboxTask.objects.create(name="grading.grade_notify", args=[3, 4, "en"])
    OldOutboxTask.objects.create(name="reminders.send", args=[9])

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert sorted(OutboxTask.objects.values_list("name", "kwargs")) == [
        ("grading.grade_notify", {"seminar_id": 3, "student_id": 4, "language": "en"}),
        ("papers.allotment_notify", {"seminar_id": 3, "student_id": 4, "language": "de", "change_id": None}),
        ("reminders.send", {"reminder_id": 9}),
    ]


@pytest.mark.django_db(transaction=True)
def test_two_outbox_flushes_at_once_hand_each_task_over_once(django_capture_on_commit_callbacks):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the row locks are tested on PostgreSQL")
    seminar = SeminarFactory(title="Kernels")
    memberships = [seminar.memberships.get(user=student_of(seminar)) for _ in range(30)]
    OutboxTask.objects.bulk_create(
        OutboxTask(name=task_membership_notify.name, kwargs={"membership_id": membership.pk})
        for membership in memberships
    )
    OutboxTask.objects.update(created_at=NOW - timedelta(hours=1))
    start = threading.Barrier(2)
    handed: list[int] = []

    def flush() -> None:
        try:
            start.wait(timeout=10)
            handed.append(outbox_flush(now=NOW))
        finally:
            connection.close()

    threads = [threading.Thread(target=flush) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sum(handed) == 30
    assert sorted(message.to[0] for message in mail.outbox) == sorted(m.user.email for m in memberships)
    assert not OutboxTask.objects.exists()
