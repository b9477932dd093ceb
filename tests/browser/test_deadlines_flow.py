"""Deadlines in the browser: an instructor creates a deliverable, grants an extension and sets reminder
times; the student sees their own due time and, once the scan ran, the reminder sent to them."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reminders.services import reminder_send, reminders_scan
from seminars.models import Seminar
from submissions.models import Deliverable, Extension
from tests.factories import PASSWORD, SeminarFactory, instructor_of, student_of

pytestmark = pytest.mark.browser


def test_instructor_sets_deadline_extension_and_reminders_student_sees_them(new_page, log_in, mailoutbox):
    seminar = SeminarFactory(title="Deep Learning Seminar", state=Seminar.State.OPEN)
    instructor = instructor_of(seminar, user__full_name="Ida Instructor", user__email="ida@uni.example")
    student = student_of(seminar, user__full_name="Mia Student", user__email="mia@uni.example")
    due = timezone.localtime(timezone.now() + timedelta(days=1, hours=6), seminar.zone).replace(
        second=0, microsecond=0
    )

    page = new_page()
    log_in(page, instructor.email, PASSWORD)
    page.goto(seminar.get_absolute_url())
    page.get_by_role("link", name="Deliverables", exact=True).click()
    page.get_by_role("link", name="New written report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New deliverable")
    expect(page.get_by_label("PDF", exact=True)).to_be_checked()
    page.get_by_label(re.compile(r"^Due:?$")).fill(due.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("The deliverable “Written report” is saved.")
    deliverable = Deliverable.objects.get(seminar=seminar)
    assert deliverable.due_at == due

    page.get_by_label(re.compile(r"^Student:?$")).select_option(label="Mia Student (mia@uni.example)")
    page.get_by_label("How much extra time").fill("2")
    page.get_by_label("Reason").fill("Doctor's note")
    page.get_by_role("button", name="Grant the extension").click()
    expect(page.get_by_role("status")).to_contain_text("Mia Student has an extension now.")
    expect(page.get_by_role("row").filter(has_text="Doctor's note")).to_contain_text("2 hours extra")
    assert Extension.objects.get().extra_minutes == 120

    page.goto(seminar.get_absolute_url())
    page.get_by_role("link", name="Reminders", exact=True).click()
    expect(page.get_by_label("Remind students this long before each deadline")).to_have_value("7d, 1d, 3h")
    page.get_by_label("Remind students this long before each deadline").fill("3 weeks")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("“3 weeks” is not a reminder time.")).to_be_visible()
    page.get_by_label("Remind students this long before each deadline").fill("2d, 1d")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("The reminder times are saved")

    now = timezone.now()
    reminders_scan(now=now, enqueue=lambda pk: reminder_send(reminder_id=pk, now=now))
    assert [message.to for message in mailoutbox] == [[student.email]]

    student_page = new_page()
    log_in(student_page, student.email, PASSWORD)
    student_page.goto(seminar.get_absolute_url())
    student_page.get_by_role("link", name="Reports and slides").click()
    expect(student_page.get_by_role("listitem").filter(has_text="Written report")).to_contain_text(
        "extension"
    )
    student_page.goto(seminar.get_absolute_url())
    student_page.get_by_role("link", name="Your reminders").click()
    row = student_page.get_by_role("row").filter(has_text="Written report")
    expect(row).to_contain_text("sent")
    expect(student_page.get_by_role("main")).to_contain_text("Times in Europe/Berlin (CET/CEST)")
