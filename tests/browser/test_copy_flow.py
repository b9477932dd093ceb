"""Copying a seminar in the browser: the demo seminar's instructor, given the site permission to run
seminars, copies it to the next term (a taken address first, then a free one) and lands on the copy's edit
page. axe-core checks every page."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from demo.grading import demo_grade_components_load
from demo.papers import demo_papers_load
from demo.schedule import demo_block_seminar_load
from demo.seminar import DEMO_LOGINS, demo_load
from demo.submissions import demo_deliverables_load
from papers.models import Paper, Preference
from seminars.models import Membership, Seminar
from tests.factories import may_run_seminars

pytestmark = pytest.mark.browser

INSTRUCTOR = next(login for login in DEMO_LOGINS if login.role == "instructor")
NEXT_TERM = "Winter term 2021/22"


def demo_seminar_with_everything() -> Seminar:
    seminar = demo_load()
    now = timezone.now()
    demo_deliverables_load(seminar=seminar, now=now)
    demo_grade_components_load(seminar=seminar)
    demo_papers_load(seminar=seminar, now=now)
    demo_block_seminar_load(seminar=seminar, now=now)
    may_run_seminars(User.objects.get(email=INSTRUCTOR.email))
    return seminar


def test_instructor_copies_the_demo_seminar_to_the_next_term(page, log_in):
    seminar = demo_seminar_with_everything()
    log_in(page, INSTRUCTOR.email, INSTRUCTOR.password)
    page.goto(seminar.get_absolute_url())

    page.get_by_role("link", name="Copy to a new term").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Copy {seminar.title} to a new term")
    expect(page.get_by_label(re.compile(r"^Title:?$"))).to_have_value(seminar.title)
    page.get_by_label(re.compile(r"^Short name in the address")).fill(seminar.slug)
    page.get_by_label(re.compile(r"^Term")).fill(NEXT_TERM)
    # The demo's pre-course meeting is on 8 February 2021; the next one 182 days later.
    page.get_by_label(re.compile(r"^New date of the pre-course meeting")).fill("2021-08-09")
    page.get_by_label(re.compile(r"^Copy the papers too")).check()
    page.get_by_role("button", name="Copy the seminar").click()

    expect(page.get_by_role("alert")).to_contain_text("Nothing was copied yet.")
    expect(page.get_by_text(f"The address “{seminar.slug}” is taken by another seminar")).to_be_visible()
    expect(page.get_by_label(re.compile(r"^Term"))).to_have_value(NEXT_TERM)
    page.get_by_label(re.compile(r"^Short name in the address")).fill("deep-learning-theory-ws21")
    page.get_by_role("button", name="Copy the seminar").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{seminar.title} ({NEXT_TERM}) has been copied"
    )
    copied = page.locator(".copied")
    for line in ("5 topics", "2 deliverables", "2 grade components", "26 papers", "2 block seminar days"):
        expect(copied).to_contain_text(line)
    expect(page.get_by_text("Every date moved by 182 days, at the same time of day.")).to_be_visible()

    page.get_by_role("link", name="Edit the new seminar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Edit {seminar.title}")
    expect(page.get_by_label(re.compile(r"^Pre-course meeting starts"))).to_have_value("2021-08-09T18:00")
    expect(page.get_by_label(re.compile(r"^Term"))).to_have_value(NEXT_TERM)

    copy = Seminar.objects.get(slug="deep-learning-theory-ws21")
    assert copy.state == Seminar.State.DRAFT
    assert list(copy.memberships.values_list("user__email", "role")) == [
        (INSTRUCTOR.email, Membership.Role.INSTRUCTOR)
    ]
    assert Paper.objects.filter(seminar=copy).count() == 26
    assert not Preference.objects.filter(seminar=copy).exists()
