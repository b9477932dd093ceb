"""The seminar's people in the browser: an instructor invites a supervisor, withdraws a student and sends an
announcement through its confirmation page; a student withdraws themselves. axe-core checks every page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from demo.seminar import DEMO_LOGINS, demo_load
from seminars.models import Announcement, Membership
from tests.factories import student_of

pytestmark = pytest.mark.browser

INSTRUCTOR = next(login for login in DEMO_LOGINS if login.role == "instructor")
STUDENT = next(login for login in DEMO_LOGINS if login.role == "student")
BODY = "Dear all,\n\nthe block seminar moves to room MI 02.13.\n\nIna"


def seminar_with_students():
    """The demo seminar with the demo student and two more enrolled."""
    seminar = demo_load()
    Membership.objects.create(
        seminar=seminar, user=User.objects.get(email=STUDENT.email), role=Membership.Role.STUDENT
    )
    student_of(seminar, user__full_name="Ada Lovelace")
    student_of(seminar, user__full_name="Alan Turing")
    return seminar


def test_instructor_invites_a_supervisor_withdraws_a_student_and_announces(page, log_in, mailoutbox):
    seminar = seminar_with_students()
    students_before = Membership.objects.filter(seminar=seminar, role=Membership.Role.STUDENT).count()
    log_in(page, INSTRUCTOR.email, INSTRUCTOR.password)
    page.goto(seminar.get_absolute_url())

    page.get_by_role("link", name="Instructors and supervisors").click()
    page.get_by_label("E-mail address").fill("nora.new@uni.example")
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_role("alert").or_(page.locator(".errorlist"))).to_contain_text(
        "Please give the person's name as well"
    )
    expect(page.get_by_label("E-mail address")).to_have_value("nora.new@uni.example")
    page.get_by_label(re.compile(r"^Name:?$")).fill("Nora New")
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_role("status")).to_contain_text("Added Nora New as Supervisor.")
    expect(page.get_by_role("rowheader", name="Nora New")).to_be_visible()
    nora = User.objects.get(email="nora.new@uni.example")
    assert Membership.objects.get(seminar=seminar, user=nora).role == Membership.Role.SUPERVISOR
    assert [message.to for message in mailoutbox] == [["nora.new@uni.example"]]

    page.get_by_role("link", name="Students").click()
    page.get_by_role("link", name=f"Withdraw {STUDENT.full_name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Withdraw {STUDENT.full_name}")
    expect(page.get_by_text("Their uploads and grades are kept for the exam office")).to_be_visible()
    page.get_by_role("button", name=f"Withdraw {STUDENT.full_name}").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"{STUDENT.full_name} has been withdrawn from the seminar."
    )
    withdrawn = page.get_by_role("table", name="Students who withdrew")
    expect(withdrawn.get_by_role("rowheader", name=STUDENT.full_name)).to_be_visible()
    assert Membership.objects.get(seminar=seminar, user__email=STUDENT.email).withdrawn_at is not None

    page.get_by_role("link", name="Back to the seminar page").click()
    page.get_by_role("link", name="Write an announcement").click()
    page.get_by_label("All students", exact=True).check()
    page.get_by_label(re.compile(r"^Subject:?$")).fill("Room change")
    page.get_by_label(re.compile(r"^Message:?$")).fill(BODY)
    page.get_by_role("button", name="Continue").click()
    remaining = students_before - 1
    expect(page.get_by_text(f"This mails {remaining} students.")).to_be_visible()
    expect(page.get_by_text("the block seminar moves to room MI 02.13.")).to_be_visible()
    assert not Announcement.objects.exists()
    page.get_by_role("button", name=f"Send to {remaining} people").click()

    expect(page.get_by_role("status")).to_contain_text(f"The message is on its way to {remaining} people.")
    expect(page.get_by_role("heading", name="Room change")).to_be_visible()
    expect(page.get_by_text("To: All students")).to_be_visible()
    announcement = Announcement.objects.get()
    assert announcement.body.replace("\r\n", "\n") == BODY
    mails = [message for message in mailoutbox if message.subject.endswith(": Room change")]
    assert len(mails) == remaining
    assert STUDENT.email not in {message.to[0] for message in mails}
    assert {tuple(message.reply_to) for message in mails} == {(INSTRUCTOR.email,)}


def test_student_withdraws_themselves_before_the_deadline(page, log_in):
    seminar = seminar_with_students()
    seminar.withdrawal_deadline = timezone.now() + timedelta(days=7)
    seminar.save()
    log_in(page, STUDENT.email, STUDENT.password)
    page.goto(seminar.get_absolute_url())

    page.get_by_role("link", name="Withdraw from this seminar").click()
    expect(page.get_by_text("You cannot undo this yourself")).to_be_visible()
    page.get_by_role("button", name="Withdraw from this seminar").click()

    expect(page.get_by_role("status")).to_contain_text(f"You have withdrawn from {seminar.title}.")
    expect(page.get_by_text("You withdrew from this seminar on")).to_be_visible()
    expect(page.get_by_role("link", name="Rank papers")).to_have_count(0)
    assert (
        Membership.objects.get(seminar=seminar, user__email=STUDENT.email).withdrawn_by.email == STUDENT.email
    )
