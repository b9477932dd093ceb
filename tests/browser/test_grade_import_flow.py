"""The grade import (a bad file first, then a good one) and releasing grades through the confirmation
page, without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from grading.models import Grade, GradingSettings
from seminars.models import Seminar
from tests.factories import PASSWORD, SeminarFactory, instructor_of, student_of

pytestmark = pytest.mark.browser


def _seminar():
    seminar = SeminarFactory(title="Deep Learning Seminar", state=Seminar.State.OPEN)
    instructor = instructor_of(seminar, user__full_name="Ida Instructor", user__email="ida@uni.example")
    student_of(
        seminar,
        user__full_name="Mia Student",
        user__email="mia@uni.example",
        user__matriculation_number="03700001",
    )
    student_of(seminar, user__full_name="Otto Other", user__email="otto@uni.example")
    return seminar, instructor


def test_instructor_imports_grades_after_fixing_a_bad_line(page, log_in, tmp_path):
    seminar, instructor = _seminar()
    bad = tmp_path / "grades.csv"
    bad.write_text(
        "matriculation number;e-mail;component;grade\n03700001;;Vortrag;1,3\n;otto@uni.example;Report;2,4\n"
    )
    good = tmp_path / "grades-fixed.csv"
    good.write_text(
        "matriculation number;e-mail;component;grade\n03700001;;Vortrag;1,3\n;otto@uni.example;Report;2,3\n",
        encoding="cp1252",
    )
    log_in(page, instructor.email, PASSWORD)

    page.goto(f"/seminars/{seminar.slug}/manage/grades/")
    page.get_by_role("link", name="Import grades from a CSV file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Import grades of {seminar.title}")
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Show what changes").click()
    expect(page.get_by_role("alert")).to_contain_text("Line 3: Report: 2,4 is not a step of the grade scale.")
    expect(page.get_by_role("button", name="Import 1 grade")).to_have_count(0)
    expect(page.get_by_label("Or paste the lines")).to_have_value(bad.read_text())
    assert not Grade.objects.exists()

    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Show what changes").click()
    table = page.get_by_role("table", name="Grades that change")
    expect(table.get_by_role("row")).to_have_count(3)
    expect(table.get_by_role("row").filter(has_text="Otto Other")).to_contain_text("Report — 2.3")
    assert not Grade.objects.exists()
    page.get_by_role("button", name="Import 2 grades").click()

    expect(page.get_by_role("status").first).to_contain_text("2 grades imported.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Grades of {seminar.title}")
    expect(page.get_by_role("textbox", name=re.compile(r"^Presentation Mia Student"))).to_have_value("1.3")
    expect(page.get_by_role("textbox", name="Report Otto Other", exact=True)).to_have_value("2.3")


def test_instructor_releases_grades_through_the_confirmation_page_without_javascript(
    new_page, log_in, mailoutbox
):
    seminar, instructor = _seminar()
    page = new_page(java_script_enabled=False)
    log_in(page, instructor.email, PASSWORD)
    page.goto(f"/seminars/{seminar.slug}/manage/grades/")
    page.get_by_role("textbox", name=re.compile(r"^Presentation Mia Student")).fill("1,3")
    page.get_by_role("button", name="Save all grades").first.click()
    expect(page.get_by_role("status").first).to_contain_text("Saved 1 grade.")

    page.get_by_role("button", name="Release the grades to the students").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Release the grades of {seminar.title}")
    expect(page.get_by_role("main")).to_contain_text(
        "This mails 1 student that their grades are released (the e-mail names no grade)."
    )
    expect(page.get_by_role("main")).to_contain_text(
        "1 student has no grade yet and gets no e-mail: Otto Other."
    )
    expect(page.get_by_role("main")).to_contain_text("1 final grade is incomplete: Mia Student (no Report).")
    assert not GradingSettings.objects.filter(released_at__isnull=False).exists()
    page.get_by_role("button", name="Release the grades", exact=True).click()

    expect(page.get_by_role("status").first).to_contain_text("The grades are released")
    expect(page.get_by_role("button", name="Release the grades to the students")).to_have_count(0)
    assert GradingSettings.objects.get(seminar=seminar).released_by == instructor
    assert [mail.to for mail in mailoutbox] == [["mia@uni.example"]]
