import re

import pytest
from playwright.sync_api import expect

from demo.seminar import DEMO_LOGINS, demo_load
from seminars.models import Membership

pytestmark = pytest.mark.browser

PASSWORD = "a-long-seminar-password-2026"
STUDENT = next(login for login in DEMO_LOGINS if login.role == "student")


def _verification_link(mail) -> str:
    return re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.body).group(0)


def _open_enrol_form(page, seminar):
    page.goto("/")
    page.get_by_role("link", name=seminar.title).click()
    page.get_by_role("link", name="Enrol in this seminar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Enrol in {seminar.title}")


def test_signup_verify_and_enrol_succeeds(page, mailoutbox, log_in):
    seminar = demo_load()
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Full name").fill("Vera Visitor")
    page.get_by_label(re.compile(r"^Email:?$")).fill("vera.visitor@uni.example")
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^Password \(again\):?$")).fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()

    assert [mail.to for mail in mailoutbox] == [["vera.visitor@uni.example"]]
    page.goto(_verification_link(mailoutbox[0]))
    page.get_by_role("button", name="Confirm").click()
    # ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION logs the visitor in; the new password must work on its own too.
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    log_in(page, "vera.visitor@uni.example", PASSWORD)

    _open_enrol_form(page, seminar)
    page.get_by_label("I meet the mandatory prerequisites listed above.").check()
    page.get_by_role("button", name="Enrol", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text(f"You are enrolled in {seminar.title}.")
    expect(page.get_by_text("You are enrolled in this seminar.")).to_be_visible()
    student = Membership.objects.get(seminar=seminar, role=Membership.Role.STUDENT).user
    assert (student.email, student.full_name) == ("vera.visitor@uni.example", "Vera Visitor")


def test_enrol_without_prerequisites_ticked_shows_error(page, log_in):
    seminar = demo_load()
    log_in(page, STUDENT.email, STUDENT.password)

    _open_enrol_form(page, seminar)
    page.get_by_role("button", name="Enrol", exact=True).click()

    expect(page.get_by_text("Please confirm that you meet the mandatory prerequisites.")).to_be_visible()
    expect(page.get_by_label("I meet the mandatory prerequisites listed above.")).not_to_be_checked()
    assert not Membership.objects.filter(seminar=seminar, user__email=STUDENT.email).exists()


def test_signup_password_field_describes_password_rules(page):
    page.goto("/accounts/signup/")
    # The default timeout: the axe check of the page runs first, and takes over a second on a busy machine.
    expect(page.get_by_label(re.compile(r"^Password:?$"))).to_have_accessible_description(
        re.compile("at least 8 characters")
    )
