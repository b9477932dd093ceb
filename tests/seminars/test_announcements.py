"""Announcements: an instructor writes (seminars:announce), sees how many people it mails, sends; the mail
(one per recipient, Reply-To the author, the recipient's language); the archive (seminars:announcements and
the seminar page)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from papers.models import Allotment
from seminars import people
from seminars.models import Announcement, Membership
from tests.factories import (
    SeminarFactory,
    TopicFactory,
    UserFactory,
    instructor_of,
    student_of,
    supervisor_of,
)
from tests.papers.helpers import PaperFactory

pytestmark = pytest.mark.django_db
BODY = "Dear all,\n\nthe block seminar moves to room 2.\n\nIda"


@pytest.fixture
def world():
    """Two students of topic Kernels, one of Graphs, one who withdrew; a supervisor, two instructors."""
    seminar = SeminarFactory(title="Learning theory", slug="learning-theory")
    kernels, graphs = (
        TopicFactory(seminar=seminar, title="Kernels"),
        TopicFactory(seminar=seminar, title="Graphs"),
    )
    instructor = instructor_of(seminar, user__full_name="Ida Instructor", user__email="ida@uni.example")
    co_instructor = instructor_of(seminar, user__full_name="Carl Co")
    supervisor = supervisor_of(seminar, user__full_name="Sue Supervisor")
    ada = student_of(seminar, user__full_name="Ada", user__email="ada@uni.example")
    bob = student_of(seminar, user__full_name="Bob", user__email="bob@uni.example", user__language="de")
    cy = student_of(seminar, user__full_name="Cy", user__email="cy@uni.example")
    gone = student_of(seminar, user__full_name="Gone", user__email="gone@uni.example")
    for student, topic in ((ada, kernels), (bob, kernels), (cy, graphs), (gone, kernels)):
        paper = PaperFactory(seminar=seminar, topic=topic, supervisor=supervisor)
        Allotment.objects.create(seminar=seminar, student=student, paper=paper, source="manual")
    people.student_withdraw(
        membership=Membership.objects.get(seminar=seminar, user=gone), by=instructor, now=timezone.now()
    )
    return {
        "seminar": seminar,
        "kernels": kernels,
        "graphs": graphs,
        "instructor": instructor,
        "co_instructor": co_instructor,
        "supervisor": supervisor,
        "ada": ada,
        "bob": bob,
        "cy": cy,
        "gone": gone,
    }


@pytest.fixture
def instructor_client(client, world):
    client.force_login(world["instructor"])
    return client


def announce_url(seminar) -> str:
    return reverse("seminars:announce", kwargs={"slug": seminar.slug})


def archive_url(seminar) -> str:
    return reverse("seminars:announcements", kwargs={"slug": seminar.slug})


def message(audience="students", topic=None, **extra) -> dict:
    data = {"audience": audience, "subject": "Room change", "body": BODY, **extra}
    if topic is not None:
        data["topic"] = str(topic.pk)
    return data


def send(client, seminar, data, expected_count, capture):
    with capture(execute=True):
        return client.post(
            announce_url(seminar),
            {**data, "step": "send", "expected_count": str(expected_count)},
            follow=True,
        )


def test_form_offers_the_three_audiences_and_the_topics(instructor_client, world):
    page = instructor_client.get(announce_url(world["seminar"])).content.decode()

    assert "All participants (students, supervisors and instructors)" in page
    assert "All students" in page
    assert "The students of one topic (by their allotted paper)" in page
    assert ">Kernels</option>" in page
    assert "Replies go to your own e-mail address" in page


def test_continue_shows_how_many_students_it_mails_and_sends_nothing(instructor_client, world, mailoutbox):
    response = instructor_client.post(announce_url(world["seminar"]), message())

    page = response.content.decode()
    assert response.status_code == 200
    assert "This mails 3 students." in page
    assert "Send to 3 people" in page
    assert 'name="expected_count" value="3"' in page
    assert "Room change" in page
    assert "Replies go to you only: ida@uni.example" in page
    assert not Announcement.objects.exists()
    assert mailoutbox == []


def test_everyone_means_students_and_staff_without_the_author_or_the_withdrawn(instructor_client, world):
    page = instructor_client.post(announce_url(world["seminar"]), message("everyone")).content.decode()

    assert "This mails 5 people (students, supervisors and instructors)." in page


def test_a_topic_means_the_students_whose_allotted_paper_is_in_it(instructor_client, world):
    page = instructor_client.post(
        announce_url(world["seminar"]), message("topic", world["kernels"])
    ).content.decode()

    assert "This mails 2 students of the topic “Kernels”." in page


def test_send_mails_each_recipient_alone_with_replies_to_the_author(
    instructor_client, world, mailoutbox, django_capture_on_commit_callbacks
):
    response = send(
        instructor_client,
        world["seminar"],
        message("topic", world["kernels"]),
        2,
        django_capture_on_commit_callbacks,
    )

    assert response.redirect_chain[-1][0] == archive_url(world["seminar"])
    assert "The message is on its way to 2 people." in response.content.decode()
    announcement = Announcement.objects.get()
    assert announcement.recipient_count == 2
    assert announcement.topic_title == "Kernels"
    assert announcement.author == world["instructor"]
    assert sorted(mail.to[0] for mail in mailoutbox) == ["ada@uni.example", "bob@uni.example"]
    for mail in mailoutbox:
        assert len(mail.to) == 1
        assert mail.cc == []
        assert mail.bcc == []
        assert mail.reply_to == ["ida@uni.example"]
        assert mail.subject == "[Seminar portal] Learning theory: Room change"
        assert "the block seminar moves to room 2." in mail.body
        assert "<p>Dear all,</p>" in mail.alternatives[0][0]


def test_each_recipient_gets_the_frame_in_their_own_language(
    instructor_client, world, mailoutbox, django_capture_on_commit_callbacks
):
    send(instructor_client, world["seminar"], message(), 3, django_capture_on_commit_callbacks)

    by_address = {mail.to[0]: mail for mail in mailoutbox}
    assert "A message from Ida Instructor to the participants of" in by_address["ada@uni.example"].body
    assert "Eine Nachricht von Ida Instructor an die Teilnehmenden von" in by_address["bob@uni.example"].body
    assert "the block seminar moves to room 2." in by_address["bob@uni.example"].body


def test_a_changed_audience_asks_again_with_the_new_number_and_sends_nothing(
    instructor_client, world, mailoutbox, django_capture_on_commit_callbacks
):
    student_of(world["seminar"])

    response = send(instructor_client, world["seminar"], message(), 3, django_capture_on_commit_callbacks)

    page = response.content.decode()
    assert "The group changed since you looked: it now has 4 people." in page
    assert "This mails 4 students." in page
    assert 'name="expected_count" value="4"' in page
    assert not Announcement.objects.exists()
    assert mailoutbox == []


def test_change_the_message_goes_back_to_the_form_with_everything_typed(instructor_client, world):
    data = message("topic", world["graphs"], step="edit")

    page = instructor_client.post(announce_url(world["seminar"]), data).content.decode()

    assert 'value="Room change"' in page
    assert "the block seminar moves to room 2." in page
    assert f'<option value="{world["graphs"].pk}" selected>' in page
    assert not Announcement.objects.exists()


def test_a_topic_audience_without_a_topic_or_with_nobody_is_refused_on_the_form(instructor_client, world):
    empty = TopicFactory(seminar=world["seminar"], title="Empty")

    without = instructor_client.post(announce_url(world["seminar"]), message("topic")).content.decode()
    nobody = instructor_client.post(announce_url(world["seminar"]), message("topic", empty)).content.decode()

    assert "Please choose the topic whose students get the message." in without
    assert "Nobody would receive this message" in nobody
    assert 'value="Room change"' in nobody


def test_an_empty_subject_or_message_is_refused_with_the_rest_kept(instructor_client, world):
    page = instructor_client.post(announce_url(world["seminar"]), message(subject=" ")).content.decode()

    assert "This field is required." in page
    assert "the block seminar moves to room 2." in page


def test_archive_shows_the_newest_first_and_the_audience_only_to_staff(client, world):
    seminar = world["seminar"]
    for days, subject in ((2, "Older"), (1, "Newer")):
        Announcement.objects.create(
            seminar=seminar,
            author=world["instructor"],
            author_name="Ida Instructor",
            reply_to="ida@uni.example",
            audience="students",
            subject=subject,
            body="Text",
            recipient_count=3,
            sent_at=timezone.now() - timedelta(days=days),
        )
    client.force_login(world["ada"])
    student_page = client.get(archive_url(seminar)).content.decode()
    client.force_login(world["supervisor"])
    staff_page = client.get(archive_url(seminar)).content.decode()

    assert student_page.index("Newer") < student_page.index("Older")
    assert "To:" not in student_page
    assert "To: All students (3 people)" in staff_page


def test_archive_is_for_members_only(client, world):
    client.force_login(world["gone"])
    assert client.get(archive_url(world["seminar"])).status_code == 403
    client.force_login(UserFactory())
    assert client.get(archive_url(world["seminar"])).status_code == 403


def test_seminar_page_shows_the_latest_three_and_links_the_archive(client, world):
    seminar = world["seminar"]
    for n in range(4):
        Announcement.objects.create(
            seminar=seminar,
            author_name="Ida Instructor",
            reply_to="ida@uni.example",
            audience="everyone",
            subject=f"Notice {n}",
            body="Text",
            recipient_count=5,
            sent_at=timezone.now() - timedelta(hours=10 - n),
        )
    client.force_login(world["cy"])

    page = client.get(seminar.get_absolute_url()).content.decode()

    assert [f"Notice {n}" in page for n in range(4)] == [False, True, True, True]
    assert archive_url(seminar) in page
    client.force_login(UserFactory())
    assert "Notice 3" not in client.get(seminar.get_absolute_url()).content.decode()


def test_writing_is_for_instructors_only(client, world, mailoutbox):
    client.force_login(world["supervisor"])

    assert client.get(announce_url(world["seminar"])).status_code == 403
    response = client.post(
        announce_url(world["seminar"]), {**message(), "step": "send", "expected_count": "3"}
    )

    assert response.status_code == 403
    assert not Announcement.objects.exists()


@pytest.mark.parametrize("count", [3, 30])
def test_archive_costs_the_same_queries_for_3_and_30_announcements(client, world, count):
    Announcement.objects.bulk_create(
        Announcement(
            seminar=world["seminar"],
            author_name="Ida",
            reply_to="ida@uni.example",
            audience="topic",
            topic=world["kernels"],
            topic_title="Kernels",
            subject=f"Notice {n}",
            body="Text",
            recipient_count=2,
            sent_at=timezone.now(),
        )
        for n in range(count)
    )
    client.force_login(world["instructor"])

    with CaptureQueriesContext(connection) as queries:
        response = client.get(archive_url(world["seminar"]))

    assert response.content.decode().count('class="announcement card"') == count
    # Session, user, seminar, its topics, the roles, the announcements.
    assert len(queries) == 6
