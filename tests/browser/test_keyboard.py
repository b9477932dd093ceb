"""Keyboard and screen-reader details of issue 19: on the login form Tab goes from the e-mail to the
password; the header's links can be skipped; the admin's breadcrumbs pass axe; the login page carries the
institution's branding."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from demo.seminar import DEMO_LOGINS, demo_load
from submissions.models import Submission
from tests.factories import PASSWORD, SeminarFactory, UserFactory, student_of
from tests.submissions.helpers import DeliverableFactory

pytestmark = pytest.mark.browser

ADMIN = next(login for login in DEMO_LOGINS if login.role == "admin")


def test_login_form_tab_goes_from_email_to_password_to_sign_in(page):
    page.goto("/accounts/login/")
    email = page.get_by_label(re.compile(r"^Email:?$"))
    email.focus()

    page.keyboard.press("Tab")
    expect(page.get_by_label(re.compile(r"^Password:?$"))).to_be_focused()


def test_the_skip_link_jumps_over_the_header_of_a_logged_in_person(page, log_in):
    user = UserFactory()
    log_in(page, user.email, PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()


def test_login_page_shows_the_institution_from_the_settings(page, settings):
    settings.PORTAL_INSTITUTION = "Chair of Mathematical Foundations of AI"
    settings.PORTAL_ACCENT = "#7a1f5c"

    page.goto("/accounts/login/")

    expect(page.locator(".site-header")).to_contain_text("Chair of Mathematical Foundations of AI")
    colour = page.evaluate("() => getComputedStyle(document.querySelector('.site-header')).backgroundColor")
    assert colour == "rgb(122, 31, 92)"


def test_admin_pages_with_breadcrumbs_pass_axe(page, log_in):
    """The admin's breadcrumb links were told apart by colour alone (axe link-in-text-block, serious)."""
    demo_load()
    log_in(page, ADMIN.email, ADMIN.password)
    page.goto("/admin/seminars/")
    expect(page.locator("div.breadcrumbs")).to_contain_text("Seminars")
    underline = page.evaluate(
        "() => getComputedStyle(document.querySelector('div.breadcrumbs a')).textDecorationLine"
    )
    assert underline == "underline"
    page.goto("/admin/seminars/seminar/")
    expect(page.locator("div.breadcrumbs")).to_contain_text("Seminars")


def test_receipt_page_takes_focus_on_its_heading_and_announces_the_upload(page, log_in):
    seminar = SeminarFactory()
    student = student_of(seminar)
    deliverable = DeliverableFactory(seminar=seminar, title="Written report")
    submission = Submission.objects.create(
        deliverable=deliverable,
        student=student,
        version=2,
        file="x.pdf",
        original_name="report.pdf",
        file_type="pdf",
        size=1000,
        sha256="0" * 64,
        received_at=deliverable.due_at,
        is_late=False,
    )
    log_in(page, student.email, PASSWORD)

    page.goto(reverse("submissions:receipt", args=[seminar.slug, deliverable.pk, submission.pk]))

    expect(page.get_by_role("heading", level=1)).to_be_focused()
    expect(page.locator("[aria-live=polite]")).to_have_text("Version 2 received on time.")
