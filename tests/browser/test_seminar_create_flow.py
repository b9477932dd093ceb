"""Creating a seminar in the browser: the demo instructor, given the site permission to run seminars,
creates one from the seminar list and lands on its edit page. axe-core checks every page."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from demo.seminar import DEMO_LOGINS, demo_load
from seminars.models import Seminar
from tests.factories import may_run_seminars

pytestmark = pytest.mark.browser

INSTRUCTOR = next(login for login in DEMO_LOGINS if login.role == "instructor")


def test_a_person_who_may_run_seminars_creates_one_from_the_list(page, log_in):
    demo_load()
    may_run_seminars(User.objects.get(email=INSTRUCTOR.email))
    log_in(page, INSTRUCTOR.email, INSTRUCTOR.password)
    page.goto("/")

    page.get_by_role("link", name="New seminar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New seminar")
    page.get_by_label(re.compile(r"^Title")).fill("Kernel methods")
    page.get_by_label(re.compile(r"^Term")).fill("Winter term 2021/22")
    page.get_by_label(re.compile(r"^Places for students")).fill("12")
    page.get_by_role("button", name="Create the seminar").click()

    expect(page.get_by_role("status")).to_contain_text("Kernel methods has been created as a draft")
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit Kernel methods")
    assert Seminar.objects.get(slug="kernel-methods").capacity == 12
