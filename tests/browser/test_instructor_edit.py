import re

import pytest
from playwright.sync_api import expect

from seminars.demo import DEMO_LOGINS, SEMINAR, demo_load
from seminars.models import Seminar

pytestmark = pytest.mark.browser

INSTRUCTOR = next(login for login in DEMO_LOGINS if login.role == "instructor")
NEW_FOCUS = "Generalisation bounds for overparameterised networks, read closely and presented in pairs."


def _open_edit_form(page, log_in, seminar):
    log_in(page, INSTRUCTOR.email, INSTRUCTOR.password)
    page.get_by_role("link", name=seminar.title).click()
    page.get_by_role("link", name="Edit page and settings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Edit {seminar.title}")


def _set_weights(page, presentation: str, report: str) -> None:
    page.get_by_label(re.compile(r"^Weight of the presentation")).fill(presentation)
    page.get_by_label(re.compile(r"^Weight of the report")).fill(report)


def test_instructor_edit_focus_and_weights_shows_change(page, log_in):
    seminar = demo_load()
    _open_edit_form(page, log_in, seminar)

    page.get_by_label(re.compile(r"^Focus of the seminar")).fill(NEW_FOCUS)
    _set_weights(page, "50", "50")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_contain_text("The seminar page has been saved.")
    expect(page.get_by_text(NEW_FOCUS)).to_be_visible()
    expect(page.locator(".weights")).to_contain_text("presentation (50 %)")
    expect(page.locator(".weights")).to_contain_text("written report (50 %)")


def test_instructor_edit_weights_not_adding_up_shows_error(page, log_in):
    seminar = demo_load()
    _open_edit_form(page, log_in, seminar)

    page.get_by_label(re.compile(r"^Focus of the seminar")).fill(NEW_FOCUS)
    _set_weights(page, "70", "40")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved yet.")
    expect(page.get_by_text("The weights must add up to 100 %; they add up to 110 %.")).to_be_visible()
    seminar = Seminar.objects.get(pk=seminar.pk)
    assert (seminar.focus, seminar.weight_presentation, seminar.weight_report) == (SEMINAR["focus"], 60, 40)

    page.get_by_role("link", name="Back to the seminar page").click()
    expect(page.locator(".weights")).to_contain_text("presentation (60 %)")
    expect(page.get_by_text(NEW_FOCUS)).to_have_count(0)
