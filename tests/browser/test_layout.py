import re

import pytest
from playwright.sync_api import expect

from demo.seminar import DEMO_LOGINS, demo_load
from seminars.models import Membership

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
STUDENT = next(login for login in DEMO_LOGINS if login.role == "student")
INSTRUCTOR = next(login for login in DEMO_LOGINS if login.role == "instructor")


def _has_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "() => document.scrollingElement.scrollWidth > document.scrollingElement.clientWidth"
    )


@pytest.mark.parametrize(
    "path", ["/", "/seminars/deep-learning-theory/", "/accounts/login/", "/accounts/signup/"]
)
def test_page_on_phone_has_no_horizontal_scroll(new_page, path):
    demo_load()
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert not _has_horizontal_scroll(page)


def test_instructor_pages_on_phone_have_no_horizontal_scroll(new_page, log_in):
    seminar = demo_load()
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(page, INSTRUCTOR.email, INSTRUCTOR.password)
    page.goto(seminar.get_absolute_url())
    expect(page.get_by_role("link", name="Edit page and settings")).to_be_visible()
    assert not _has_horizontal_scroll(page)
    page.get_by_role("link", name="Edit page and settings").click()
    expect(page.get_by_role("button", name="Save")).to_be_visible()
    assert not _has_horizontal_scroll(page)


def test_skip_link_is_first_focusable_and_moves_focus_to_main(page):
    seminar = demo_load()
    page.goto(seminar.get_absolute_url())
    skip_link = page.get_by_role("link", name="Skip to main content")

    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")

    expect(page.get_by_role("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Program of the block seminar")).to_be_focused()


def test_language_switcher_shows_page_in_german(page):
    seminar = demo_load()
    page.goto(seminar.get_absolute_url())
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_label("Language").select_option("de")
    page.get_by_role("button", name="Switch").click()

    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page).to_have_url(re.compile(re.escape(seminar.get_absolute_url()) + "$"))
    expect(page.get_by_role("heading", name="Teilnahme")).to_be_visible()
    expect(page.get_by_role("link", name="Zu diesem Seminar anmelden")).to_be_visible()


def test_login_and_enrol_work_without_javascript(new_page, log_in):
    seminar = demo_load()
    page = new_page(java_script_enabled=False)
    log_in(page, STUDENT.email, STUDENT.password)

    # The login lands on the dashboard, which points a student in no seminar to the list.
    page.get_by_role("link", name="See the seminars").click()
    page.get_by_role("link", name=seminar.title).click()
    page.get_by_role("link", name="Enrol in this seminar").click()
    page.get_by_label("I meet the mandatory prerequisites listed above.").check()
    page.get_by_role("button", name="Enrol", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text(f"You are enrolled in {seminar.title}.")
    assert Membership.objects.filter(
        seminar=seminar, user__email=STUDENT.email, role=Membership.Role.STUDENT
    ).exists()
