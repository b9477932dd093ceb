import re

import pytest
from playwright.sync_api import expect

from demo.seminar import DEMO_LOGINS, SEMINAR, demo_load
from seminars.models import Seminar

pytestmark = pytest.mark.browser

INSTRUCTOR = next(login for login in DEMO_LOGINS if login.role == "instructor")
NEW_FOCUS = "Generalisation bounds for overparameterised networks, read closely and presented in pairs."


def _open_edit_form(page, log_in, seminar):
    log_in(page, INSTRUCTOR.email, INSTRUCTOR.password)
    page.get_by_role("link", name=seminar.title).click()
    page.get_by_role("link", name="Edit page and settings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Edit {seminar.title}")


def test_instructor_edit_focus_shows_change(page, log_in):
    seminar = demo_load()
    _open_edit_form(page, log_in, seminar)

    page.get_by_label(re.compile(r"^Focus of the seminar:?$")).fill(NEW_FOCUS)
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_contain_text("The seminar page has been saved.")
    expect(page.get_by_text(NEW_FOCUS)).to_be_visible()
    expect(page.locator(".weights")).to_contain_text("Presentation (60 %), Report (40 %)")


def test_instructor_edit_without_a_title_shows_error(page, log_in):
    seminar = demo_load()
    _open_edit_form(page, log_in, seminar)

    page.get_by_label(re.compile(r"^Focus of the seminar:?$")).fill(NEW_FOCUS)
    page.get_by_label(re.compile(r"^Title:?$")).fill("")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved yet.")
    seminar = Seminar.objects.get(pk=seminar.pk)
    assert (seminar.title, seminar.focus) == (SEMINAR["title"], SEMINAR["focus"])

    page.get_by_role("link", name="Back to the seminar page").click()
    expect(page.get_by_text(NEW_FOCUS)).to_have_count(0)
