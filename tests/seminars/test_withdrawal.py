"""Withdrawing a student: by an instructor (seminars:student_withdraw, at any time) or by the student
themselves before the seminar's withdrawal deadline (seminars:withdraw), the undo (seminars:withdrawal_undo),
and that from then on every app treats them as no student of the seminar while their records stay."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from calendars.events import events_for
from core.permissions import may
from grading.models import Grade
from grading.services import grade_components_ensure
from papers.models import Allotment
from papers.selectors import allotment_table
from reminders.registry import registered_kinds
from schedule.selectors import students_in_topic_order
from seminars import people, rules
from seminars.exceptions import NotAStudentError, NotWithdrawnError, SeminarFullError, WithdrawalClosedError
from seminars.models import Membership
from seminars.selectors import student_count
from submissions.models import Submission
from tests.factories import SeminarFactory, UserFactory, instructor_of, student_of
from tests.papers.helpers import PaperFactory
from tests.submissions.helpers import DUE, DeliverableFactory

from .helpers import edit_form_data, edit_url, enrol_url, roster_url

pytestmark = pytest.mark.django_db
STUDENT_PERMISSIONS = ["papers.rank", "papers.see_own_allotment", "submissions.upload", "grading.view_own"]


@pytest.fixture
def seminar():
    return SeminarFactory(title="Kernels", capacity=2)


@pytest.fixture
def instructor(seminar):
    return instructor_of(seminar, user__full_name="Ida Instructor")


@pytest.fixture
def student(seminar):
    return student_of(seminar, user__full_name="Stu Student", user__email="stu@uni.example")


def membership_of(seminar, user) -> Membership:
    return Membership.objects.get(seminar=seminar, user=user)


def withdraw_url(membership):
    return reverse("seminars:student_withdraw", kwargs={"slug": membership.seminar.slug, "pk": membership.pk})


def undo_url(membership):
    return reverse("seminars:withdrawal_undo", kwargs={"slug": membership.seminar.slug, "pk": membership.pk})


def own_withdraw_url(seminar):
    return reverse("seminars:withdraw", kwargs={"slug": seminar.slug})


def fresh(user):
    """The same person as a new request sees them (roles read again)."""
    return type(user).objects.get(pk=user.pk)


def candidates(now):
    """What the reminder scan would claim at `now`, of every registered kind."""
    return [candidate for kind in registered_kinds() for candidate in kind.candidates(now)]


def test_instructor_confirmation_page_says_what_happens_and_names_the_paper(
    client, seminar, instructor, student
):
    Allotment.objects.create(
        seminar=seminar,
        student=student,
        paper=PaperFactory(seminar=seminar, title="Deep nets"),
        source="manual",
    )
    client.force_login(instructor)

    response = client.get(withdraw_url(membership_of(seminar, student)))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Stu Student (stu@uni.example) will no longer be a student" in page
    assert "Their uploads and grades are kept for the exam office" in page
    assert "the paper “Deep nets” stays allotted to them" in page
    assert membership_of(seminar, student).withdrawn_at is None


def test_instructor_withdraws_a_student_who_keeps_their_records_and_is_told(
    client, seminar, instructor, student, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(DUE - timedelta(days=3), tick=False)
    deliverable = DeliverableFactory(seminar=seminar)
    Submission.objects.create(
        deliverable=deliverable,
        student=student,
        version=1,
        file="x.pdf",
        original_name="x.pdf",
        file_type="pdf",
        size=1,
        sha256="0" * 64,
        received_at=timezone.now(),
    )
    Grade.objects.create(
        seminar=seminar,
        student=student,
        component=grade_components_ensure(seminar=seminar)[1],
        value=Decimal("1.3"),
        grader=instructor,
        version=1,
        updated_at=timezone.now(),
    )
    client.force_login(instructor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(withdraw_url(membership_of(seminar, student)), follow=True)

    membership = membership_of(seminar, student)
    assert membership.withdrawn_at == timezone.now()
    assert membership.withdrawn_by == instructor
    assert "Stu Student has been withdrawn from the seminar." in response.content.decode()
    assert Submission.objects.filter(student=student).count() == 1
    assert Grade.objects.filter(student=student).count() == 1
    [message] = mailoutbox
    assert message.to == ["stu@uni.example"]
    assert "an instructor has withdrawn you from the seminar “Kernels”" in message.body


def test_roster_shows_withdrawn_students_apart_with_the_date_and_who(client, seminar, instructor, student):
    student_of(seminar, user__full_name="Stay Student")
    people.student_withdraw(membership=membership_of(seminar, student), by=instructor, now=timezone.now())
    client.force_login(instructor)

    page = client.get(roster_url(seminar)).content.decode()

    enrolled, withdrawn = page.split('id="withdrawn-heading"')
    assert "1 student enrolled." in enrolled
    assert "Stay Student" in enrolled
    assert "Stu Student" not in enrolled
    assert "Stu Student" in withdrawn
    assert "Ida Instructor" in withdrawn
    assert undo_url(membership_of(seminar, student)) in withdrawn


def test_a_withdrawn_student_is_no_student_for_any_app(seminar, instructor, student, time_machine):
    time_machine.move_to(DUE - timedelta(days=1), tick=False)
    other = student_of(seminar)
    DeliverableFactory(seminar=seminar, due_at=DUE)
    Allotment.objects.create(
        seminar=seminar, student=student, paper=PaperFactory(seminar=seminar), source="manual"
    )
    before = {candidate.user_id for candidate in candidates(timezone.now())}
    assert {student.pk, other.pk} <= before
    assert events_for(fresh(student))

    people.student_withdraw(membership=membership_of(seminar, student), by=instructor, now=timezone.now())

    student = fresh(student)
    assert [may(student, permission, seminar) for permission in STUDENT_PERMISSIONS] == [False] * 4
    assert not may(student, "seminars.view_announcements", seminar)
    assert not rules.is_member_of(student, seminar)
    assert not rules.is_enrolled(seminar, student)
    assert student not in rules.student_users(seminar)
    assert [m.user for m in rules.student_memberships(seminar)] == [other]
    assert student_count(seminar) == 1
    assert [row.membership.user for row in allotment_table(seminar)] == [other]
    assert students_in_topic_order(seminar) == [other.pk]
    assert student.pk not in {candidate.user_id for candidate in candidates(timezone.now())}
    assert other.pk in {candidate.user_id for candidate in candidates(timezone.now())}
    assert events_for(student) == []


def test_the_seminar_page_tells_a_withdrawn_student_when_they_withdrew(client, seminar, instructor, student):
    people.student_withdraw(membership=membership_of(seminar, student), by=instructor, now=timezone.now())
    client.force_login(student)

    page = client.get(seminar.get_absolute_url()).content.decode()

    assert "You withdrew from this seminar on" in page
    assert "Rank papers" not in page
    assert "Enrol in this seminar" not in page


def test_a_withdrawn_student_cannot_enrol_again_and_is_told_whom_to_ask(client, seminar, instructor, student):
    seminar.mandatory_prerequisites = ""
    seminar.save()
    people.student_withdraw(membership=membership_of(seminar, student), by=instructor, now=timezone.now())
    client.force_login(student)

    response = client.post(enrol_url(seminar), follow=True)

    assert (
        "You withdrew from this seminar. To take part again, please ask an instructor"
        in response.content.decode()
    )
    assert membership_of(seminar, student).withdrawn_at is not None


def test_undo_takes_the_student_back_and_tells_them(
    client, seminar, instructor, student, mailoutbox, django_capture_on_commit_callbacks
):
    people.student_withdraw(membership=membership_of(seminar, student), by=instructor, now=timezone.now())
    client.force_login(instructor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(undo_url(membership_of(seminar, student)), follow=True)

    membership = membership_of(seminar, student)
    assert membership.withdrawn_at is None
    assert membership.withdrawn_by is None
    assert may(fresh(student), "papers.rank", seminar)
    assert "Stu Student is a student of the seminar again." in response.content.decode()
    assert [message.to for message in mailoutbox] == [["stu@uni.example"]]
    assert "taken you back" in mailoutbox[0].body


def test_undo_is_refused_while_the_seminar_is_full(seminar, instructor, student):
    people.student_withdraw(membership=membership_of(seminar, student), by=instructor, now=timezone.now())
    student_of(seminar)
    student_of(seminar)

    with pytest.raises(SeminarFullError):
        people.withdrawal_undo(membership=membership_of(seminar, student))

    assert membership_of(seminar, student).withdrawn_at is not None


def test_undo_of_a_student_who_did_not_withdraw_is_refused(seminar, student):
    with pytest.raises(NotWithdrawnError):
        people.withdrawal_undo(membership=membership_of(seminar, student))


def test_withdrawing_twice_or_withdrawing_staff_is_refused(seminar, instructor, student):
    people.student_withdraw(membership=membership_of(seminar, student), by=instructor, now=timezone.now())

    with pytest.raises(NotAStudentError):
        people.student_withdraw(membership=membership_of(seminar, student), by=instructor, now=timezone.now())
    with pytest.raises(NotAStudentError):
        people.student_withdraw(
            membership=membership_of(seminar, instructor), by=instructor, now=timezone.now()
        )


def test_instructor_withdraw_page_of_a_withdrawn_student_sends_back_with_a_message(
    client, seminar, instructor, student
):
    people.student_withdraw(membership=membership_of(seminar, student), by=instructor, now=timezone.now())
    client.force_login(instructor)

    response = client.get(withdraw_url(membership_of(seminar, student)), follow=True)

    assert response.redirect_chain[-1][0] == roster_url(seminar)
    assert "This person is not a student of the seminar (any more)." in response.content.decode()


# ------------------------------------------------------------------------------- the student's own withdrawal


def test_student_withdraws_themselves_before_the_deadline_after_a_page_that_says_what_happens(
    client, seminar, student, mailoutbox, django_capture_on_commit_callbacks
):
    seminar.withdrawal_deadline = timezone.now() + timedelta(days=3)
    seminar.save()
    client.force_login(student)

    assert "Withdraw from this seminar" in client.get(seminar.get_absolute_url()).content.decode()
    page = client.get(own_withdraw_url(seminar)).content.decode()
    assert "What you have uploaded and any grades stay on record for the exam office." in page
    assert "only an instructor can take you back" in page
    assert membership_of(seminar, student).withdrawn_at is None

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(own_withdraw_url(seminar), follow=True)

    membership = membership_of(seminar, student)
    assert membership.withdrawn_by == student
    assert "You have withdrawn from Kernels." in response.content.decode()
    assert "you have withdrawn from the seminar “Kernels”" in mailoutbox[0].body


def test_after_the_deadline_the_student_is_told_and_the_post_is_refused(client, seminar, student):
    seminar.withdrawal_deadline = timezone.now() - timedelta(minutes=1)
    seminar.save()
    client.force_login(student)

    page = client.get(own_withdraw_url(seminar)).content.decode()
    response = client.post(own_withdraw_url(seminar))

    assert "The withdrawal deadline has passed:" in page
    assert response.status_code == 403
    assert "Only an instructor can withdraw you now." in response.content.decode()
    assert membership_of(seminar, student).withdrawn_at is None
    assert "Withdraw from this seminar" not in client.get(seminar.get_absolute_url()).content.decode()


def test_without_a_deadline_only_an_instructor_can_withdraw_a_student(client, seminar, instructor, student):
    client.force_login(student)

    page = client.get(own_withdraw_url(seminar)).content.decode()

    assert "This seminar has no withdrawal period" in page
    assert client.post(own_withdraw_url(seminar)).status_code == 403
    with pytest.raises(WithdrawalClosedError):
        people.student_withdraw(membership=membership_of(seminar, student), by=student, now=timezone.now())
    people.student_withdraw(membership=membership_of(seminar, student), by=instructor, now=timezone.now())
    assert membership_of(seminar, student).withdrawn_by == instructor


def test_the_deadline_is_compared_with_the_time_of_the_request(seminar, student):
    deadline = timezone.now() + timedelta(hours=1)
    seminar.withdrawal_deadline = deadline
    seminar.save()

    with pytest.raises(WithdrawalClosedError):
        people.student_withdraw(membership=membership_of(seminar, student), by=student, now=deadline)


def test_the_own_withdrawal_page_is_for_students_only(client, seminar, instructor):
    client.force_login(UserFactory())
    assert client.get(own_withdraw_url(seminar)).status_code == 403
    client.force_login(instructor)
    assert client.get(own_withdraw_url(seminar)).status_code == 403


def test_the_withdrawal_deadline_is_set_on_the_edit_page_in_the_seminars_zone(client, seminar, instructor):
    client.force_login(instructor)
    data = edit_form_data(client, seminar, withdrawal_deadline="2027-01-15T23:59")

    response = client.post(edit_url(seminar), data)

    assert response.status_code == 302
    seminar.refresh_from_db()
    assert seminar.withdrawal_deadline.isoformat() == "2027-01-15T22:59:00+00:00"
