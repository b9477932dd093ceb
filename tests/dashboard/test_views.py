"""The dashboard: a student's seminars sorted by what comes first, the staff's list of what needs action,
only what each seminar's permissions show, and a fixed number of queries however many seminars."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grading.models import Feedback, Grade, GradeComponent, GradingSettings
from papers.models import Allotment
from reminders.models import Reminder
from reviews.models import PeerReview, ReviewRound
from schedule.models import BlockDay, BlockSeminar, Slot
from seminars.models import Announcement, Seminar
from submissions.models import Deliverable, Extension
from tests.factories import SeminarFactory, UserFactory, instructor_of, student_of, supervisor_of
from tests.papers.helpers import PaperFactory, PreferenceWindowFactory, publish_allotment, rank
from tests.submissions.helpers import DeliverableFactory, SubmissionFactory

pytestmark = pytest.mark.django_db
URL = reverse("dashboard:home")


def soon(**delta):
    return timezone.now() + timedelta(**delta)


def hand_in(deliverable, student, *, late=False):
    return SubmissionFactory(
        deliverable=deliverable, student=student, received_at=timezone.now(), is_late=late
    )


def announce(seminar, subject, *, at=None):
    return Announcement.objects.create(
        seminar=seminar,
        author_name="Ida Instructor",
        reply_to="ida@uni.example",
        audience=Announcement.Audience.EVERYONE,
        subject=subject,
        body="Please bring your laptop.",
        recipient_count=3,
        sent_at=at or timezone.now(),
    )


def talk(seminar, presenter, start, *, published=True):
    BlockSeminar.objects.update_or_create(
        seminar=seminar, defaults={"published_at": timezone.now() if published else None}
    )
    day = BlockDay.objects.create(
        seminar=seminar,
        starts_at=start - timedelta(hours=1),
        ends_at=start + timedelta(hours=6),
        room="MI 02.13.010",
    )
    return Slot.objects.create(
        seminar=seminar, day=day, starts_at=start, ends_at=start + timedelta(minutes=30), presenter=presenter
    )


def test_dashboard_is_where_a_login_lands(client):
    user = UserFactory()
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "correct-horse-battery-staple"}
    )
    assert response.status_code == 302
    assert response.url == URL


def test_dashboard_asks_a_visitor_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_dashboard_without_seminars_points_to_the_seminar_list(client):
    client.force_login(UserFactory())
    response = client.get(URL)
    assert "You are not in any seminar yet." in response.content.decode()


def test_student_sees_next_due_with_state_paper_supervisor_talk_and_grades(client):
    seminar = SeminarFactory(title="Deep learning theory", time_zone="Europe/Berlin")
    me = student_of(seminar)
    report = DeliverableFactory(seminar=seminar, title="Written report", due_at=soon(days=3), order=1)
    proposal = DeliverableFactory(seminar=seminar, title="Proposal", due_at=soon(days=-2), order=0)
    DeliverableFactory(seminar=seminar, title="Outline", due_at=soon(days=-5), order=2)
    hand_in(proposal, me)
    Extension.objects.create(
        deliverable=report,
        student=me,
        extra_minutes=60 * 24,
        reason="ill",
        granted_by=instructor_of(seminar),
        granted_at=timezone.now(),
    )
    supervisor = supervisor_of(seminar, user__full_name="Sue Supervisor")
    paper = PaperFactory(seminar=seminar, title="Neural tangent kernels", supervisor=supervisor)
    Allotment.objects.create(seminar=seminar, student=me, paper=paper, source=Allotment.Source.MANUAL)
    publish_allotment(seminar)
    talk(seminar, me, soon(days=20))
    component = GradeComponent.objects.create(seminar=seminar, key="report", name_en="Report", weight=100)
    Grade.objects.create(
        seminar=seminar, student=me, component=component, value=Decimal("1.3"), updated_at=timezone.now()
    )
    GradingSettings.objects.create(seminar=seminar, released_at=timezone.now())
    announce(seminar, "Room change for the block seminar")
    client.force_login(me)

    response = client.get(URL)

    page = response.content.decode()
    studying = response.context["board"].studying
    assert [item.deliverable.title for item in studying[0].due] == ["Outline", "Proposal", "Written report"]
    assert [item.state for item in studying[0].due] == ["missing", "on_time", "open"]
    assert studying[0].next_due.deliverable == report
    assert studying[0].next_due.deadline.due == report.due_at + timedelta(days=1)
    assert "Next due" in page
    assert "extension" in page
    assert "left" in page
    assert "data-countdown" in page
    assert "Times in Europe/Berlin (CET/CEST)" in page
    assert "Neural tangent kernels" in page
    assert "Sue Supervisor" in page
    assert "MI 02.13.010" in page
    assert "1,3" in page or "1.3" in page
    assert "Room change for the block seminar" in page


def test_student_sees_nothing_unpublished(client):
    seminar = SeminarFactory()
    me = student_of(seminar)
    paper = PaperFactory(seminar=seminar, title="Secret allotted paper")
    Allotment.objects.create(seminar=seminar, student=me, paper=paper, source=Allotment.Source.MANUAL)
    talk(seminar, me, soon(days=20), published=False)
    component = GradeComponent.objects.create(seminar=seminar, key="report", name_en="Report", weight=100)
    Grade.objects.create(
        seminar=seminar, student=me, component=component, value=Decimal("5.0"), updated_at=timezone.now()
    )
    client.force_login(me)

    response = client.get(URL)

    row = response.context["board"].studying[0]
    assert row.allotment is None
    assert row.talk is None
    assert row.grades is None
    assert "Secret allotted paper" not in response.content.decode()
    assert "Final grade" not in response.content.decode()


def test_seminars_come_in_the_order_of_what_is_due_first(client):
    me = UserFactory()
    later = SeminarFactory(title="A later seminar")
    sooner = SeminarFactory(title="B sooner seminar")
    idle = SeminarFactory(title="0 nothing due")
    for seminar in (later, sooner, idle):
        student_of(seminar, user=me)
    DeliverableFactory(seminar=later, due_at=soon(days=10))
    DeliverableFactory(seminar=sooner, due_at=soon(days=2))
    window = PreferenceWindowFactory(seminar=later, opens_at=soon(days=-1), closes_at=soon(days=5))
    client.force_login(me)

    response = client.get(URL)

    assert [row.seminar for row in response.context["board"].studying] == [sooner, later, idle]
    assert response.context["board"].studying[1].window == window
    assert "Rank papers" in response.content.decode()


def test_withdrawn_and_archived_seminars_are_left_out(client):
    me = UserFactory()
    archived = SeminarFactory(state=Seminar.State.ARCHIVED, title="Archived seminar")
    left = SeminarFactory(title="Left seminar")
    student_of(archived, user=me)
    student_of(left, user=me, withdrawn_at=timezone.now())
    client.force_login(me)

    response = client.get(URL)

    assert response.context["board"].studying == []
    assert "Archived seminar" not in response.content.decode()


def test_instructor_sees_ungraded_students_conflicts_closing_window_and_failed_mails(client):
    seminar = SeminarFactory(title="Seminar to run")
    instructor = instructor_of(seminar)
    anna, ben, cleo = (student_of(seminar) for _ in range(3))
    report = DeliverableFactory(seminar=seminar, kind=Deliverable.Kind.REPORT, due_at=soon(days=-1))
    DeliverableFactory(seminar=seminar, kind=Deliverable.Kind.SLIDES, due_at=soon(days=5))
    component = GradeComponent.objects.create(
        seminar=seminar, key="report", name_en="Report", weight=40, deliverable=report
    )
    Grade.objects.create(
        seminar=seminar, student=anna, component=component, value=Decimal("2.0"), updated_at=timezone.now()
    )
    Extension.objects.create(
        deliverable=report,
        student=cleo,
        extra_minutes=60 * 72,
        reason="ill",
        granted_by=instructor,
        granted_at=timezone.now(),
    )
    first = talk(seminar, anna, soon(days=30), published=False)
    Slot.objects.create(
        seminar=seminar, day=first.day, starts_at=first.starts_at, ends_at=first.ends_at, presenter=anna
    )
    PreferenceWindowFactory(seminar=seminar, opens_at=soon(days=-5), closes_at=soon(days=1))
    rank(seminar, ben, [PaperFactory(seminar=seminar)])
    Reminder.objects.create(
        seminar=seminar,
        user=ben,
        kind="deliverable",
        object_id=report.pk,
        offset_minutes=60,
        title="Report",
        due_at=report.due_at,
        fire_at=report.due_at,
        state=Reminder.State.FAILED,
        created_at=timezone.now(),
    )
    client.force_login(instructor)

    response = client.get(URL)

    row = response.context["board"].teaching[0]
    assert [(item.component.key, item.count) for item in row.ungraded] == [
        ("report", 1)
    ]  # ben (cleo has time)
    assert {conflict.kind for conflict in row.conflicts} >= {"two_slots", "no_slot"}
    assert row.unranked == 2
    assert row.failed_mails == 1
    page = response.content.decode()
    assert "1 student without a grade for Report" in page
    assert "conflicts in the schedule" in page
    assert "2 students have not ranked yet" in page
    assert "1 reminder mail failed" in page


def test_supervisor_counts_only_their_own_students(client):
    seminar = SeminarFactory()
    supervisor = supervisor_of(seminar)
    mine, other = student_of(seminar), student_of(seminar)
    DeliverableFactory(seminar=seminar, kind=Deliverable.Kind.REPORT, due_at=soon(days=-1))
    Allotment.objects.create(
        seminar=seminar,
        student=mine,
        paper=PaperFactory(seminar=seminar, supervisor=supervisor),
        source=Allotment.Source.MANUAL,
    )
    Allotment.objects.create(
        seminar=seminar, student=other, paper=PaperFactory(seminar=seminar), source=Allotment.Source.MANUAL
    )
    Reminder.objects.create(
        seminar=seminar,
        user=other,
        kind="deliverable",
        object_id=1,
        offset_minutes=60,
        title="Report",
        due_at=soon(days=-1),
        fire_at=soon(days=-1),
        state=Reminder.State.FAILED,
        created_at=timezone.now(),
    )
    client.force_login(supervisor)

    row = client.get(URL).context["board"].teaching[0]

    assert [(item.component.key, item.count) for item in row.ungraded] == [("report", 1)]  # default component
    assert row.failed_mails == 0  # the reminders are the instructors'
    assert not row.is_instructor


def test_staff_with_nothing_to_do_are_told_so(client):
    seminar = SeminarFactory()
    client.force_login(instructor_of(seminar))
    assert "Nothing needs your action." in client.get(URL).content.decode()


def _world(count: int):
    """One person who is a student in `count` seminars and an instructor in `count` others, each with
    deliverables, an upload, an extension, a paper, a talk, released grades and an announcement."""
    me = UserFactory()
    for number in range(count):
        seminar = SeminarFactory()
        student_of(seminar, user=me)
        deliverables = [
            DeliverableFactory(seminar=seminar, due_at=soon(days=number - 1 + index)) for index in range(3)
        ]
        hand_in(deliverables[0], me)
        Extension.objects.create(
            deliverable=deliverables[1],
            student=me,
            extra_minutes=60,
            reason="-",
            granted_by=UserFactory(),
            granted_at=timezone.now(),
        )
        paper = PaperFactory(seminar=seminar, supervisor=supervisor_of(seminar))
        Allotment.objects.create(seminar=seminar, student=me, paper=paper, source=Allotment.Source.MANUAL)
        publish_allotment(seminar)
        talk(seminar, me, soon(days=30 + number))
        classmate = student_of(seminar)
        # A talk I discuss, a report of a classmate I review, a review of my report, written feedback.
        discussed = talk(seminar, classmate, soon(days=31 + number))
        discussed.discussant = me
        discussed.save()
        _peer_review(deliverables[0], reviewer=me, author=classmate)
        _peer_review(deliverables[0], reviewer=classmate, author=me, written=True)
        component = GradeComponent.objects.create(
            seminar=seminar, key="report", name_en="Report", weight=100, order=1
        )
        Feedback.objects.create(
            seminar=seminar, student=me, component=component, comment="-", updated_at=timezone.now()
        )
        GradingSettings.objects.create(seminar=seminar, released_at=timezone.now())
        PreferenceWindowFactory(seminar=seminar, opens_at=soon(days=-1), closes_at=soon(days=1))
        announce(seminar, f"News {number}")

        taught = SeminarFactory()
        instructor_of(taught, user=me)
        students = [student_of(taught) for _ in range(3)]
        report = DeliverableFactory(seminar=taught, kind=Deliverable.Kind.REPORT, due_at=soon(days=-1))
        DeliverableFactory(seminar=taught, kind=Deliverable.Kind.SLIDES, due_at=soon(days=-2))
        talk(taught, students[0], soon(days=10), published=False)
        PreferenceWindowFactory(seminar=taught, opens_at=soon(days=-1), closes_at=soon(days=1))
        Reminder.objects.create(
            seminar=taught,
            user=students[1],
            kind="deliverable",
            object_id=report.pk,
            offset_minutes=60,
            title="Report",
            due_at=report.due_at,
            fire_at=report.due_at,
            state=Reminder.State.FAILED,
            created_at=timezone.now(),
        )
    return me


def _peer_review(deliverable, *, reviewer, author, written=False) -> PeerReview:
    review_round, _ = ReviewRound.objects.get_or_create(
        deliverable=deliverable,
        defaults={
            "due_at": soon(days=5),
            "criteria": [{"name": "Clarity", "description": "", "levels": ["clear", "unclear"]}],
            "published_at": timezone.now(),
            "released_at": timezone.now(),
        },
    )
    return PeerReview.objects.create(
        round=review_round,
        reviewer=reviewer,
        author=author,
        submission=hand_in(deliverable, author),
        text="-" if written else "",
        submitted_at=timezone.now() if written else None,
    )


def _queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries), response


def test_dashboard_costs_the_same_queries_for_one_seminar_as_for_five(client):
    one, one_response = _queries(client, _world(1))
    five, five_response = _queries(client, _world(5))

    assert len(five_response.context["board"].studying) == 5
    assert len(five_response.context["board"].teaching) == 5
    assert all(
        row.ungraded and row.conflicts and row.window and row.failed_mails
        for row in five_response.context["board"].teaching
    )
    assert all(
        row.allotment and row.talk and row.grades and row.has_feedback
        for row in five_response.context["board"].studying
    )
    assert all(
        row.discussing and row.reviews_to_write and row.reviews_received == 1
        for row in five_response.context["board"].studying
    )
    assert one == five
    assert five <= 31


def test_a_talk_still_to_come_orders_a_seminar_without_deliverables_and_a_past_one_does_not(client):
    me = UserFactory()
    past = SeminarFactory(title="A talk given")
    coming = SeminarFactory(title="B talk to come")
    due = SeminarFactory(title="C report due")
    for seminar in (past, coming, due):
        student_of(seminar, user=me)
    talk(past, me, soon(days=-3))
    talk(coming, me, soon(days=4))
    DeliverableFactory(seminar=due, due_at=soon(days=6))
    client.force_login(me)

    rows = client.get(URL).context["board"].studying

    assert [row.seminar for row in rows] == [coming, due, past]
