"""Grading in the browser: an instructor grades, changes the rules, releases; the student sees the grades."""

import re

import pytest
from playwright.sync_api import expect

from grading.models import Grade, GradeComponent, GradingSettings
from grading.services import grade_components_ensure
from seminars.models import Seminar
from tests.factories import PASSWORD, SeminarFactory, instructor_of, student_of

pytestmark = pytest.mark.browser


def _seminar_with_a_student():
    seminar = SeminarFactory(title="Deep Learning Seminar", state=Seminar.State.OPEN)
    instructor = instructor_of(seminar, user__full_name="Ida Instructor", user__email="ida@uni.example")
    student = student_of(seminar, user__full_name="Mia Student", user__email="mia@uni.example")
    student_of(seminar, user__full_name="Otto Other", user__email="otto@uni.example")
    return seminar, instructor, student


def _save_grade(page, label: str, value: str) -> None:
    page.get_by_role("textbox", name=label, exact=True).fill(value)
    page.get_by_role("button", name="Save all grades").first.click()
    expect(page.get_by_role("status").first).to_contain_text("Saved 1 grade.")


def test_instructor_grades_and_releases_student_sees_grades(new_page, log_in, mailoutbox):
    seminar, instructor, student = _seminar_with_a_student()
    page = new_page()
    log_in(page, instructor.email, PASSWORD)

    page.goto(seminar.get_absolute_url())
    page.get_by_role("link", name="Grades", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Grades of {seminar.title}")
    _save_grade(page, "Presentation Mia Student", "1,3")
    row = page.get_by_role("row").filter(has_text="Mia Student")
    expect(row).to_contain_text("incomplete")
    _save_grade(page, "Report Mia Student", "2.0")

    row = page.get_by_role("row").filter(has_text="Mia Student")
    expect(row.get_by_role("cell").last).to_have_text(re.compile(r"^\s*1\.5\s+sehr gut\s*$"))
    expect(page.get_by_role("textbox", name="Presentation Mia Student", exact=True)).to_have_value("1.3")
    expect(page.locator("svg.chart title")).to_have_text(re.compile(r"^1,0–1,5: 1; "))
    assert mailoutbox == []

    page.get_by_role("link", name="Change the rules").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grading rules")
    page.get_by_label("Nearest step of the grade scale").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("The grading rules are saved")
    row = page.get_by_role("row").filter(has_text="Mia Student")
    # 0.6 x 1.3 + 0.4 x 2.0 = 1.58: cut 1.5, nearest step 1.7
    expect(row.get_by_role("cell").last).to_have_text(re.compile(r"^\s*1\.7\s+gut\s*$"))

    page.get_by_role("button", name="Release the grades to the students").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Release the grades of {seminar.title}")
    page.get_by_role("button", name="Release the grades", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("The grades are released")
    expect(page.get_by_role("button", name="Release the grades to the students")).to_have_count(0)
    assert GradingSettings.objects.get(seminar=seminar).released_by == instructor
    assert [mail.to for mail in mailoutbox] == [[student.email]]
    assert "1,3" not in mailoutbox[0].body
    assert "1.3" not in mailoutbox[0].body

    student_page = new_page()
    log_in(student_page, student.email, PASSWORD)
    student_page.goto(seminar.get_absolute_url())
    student_page.get_by_role("link", name="Your grades").click()
    expect(student_page.get_by_role("heading", level=1)).to_have_text(f"Your grades in {seminar.title}")
    facts = student_page.locator("dl.facts")
    expect(facts.locator("dd")).to_have_text(["1.3", "2.0", "1.7 (gut)"])
    expect(student_page.get_by_role("main")).not_to_contain_text("Otto")


def test_student_sees_no_grade_before_release(new_page, log_in):
    seminar, instructor, student = _seminar_with_a_student()
    Grade.objects.create(
        seminar=seminar,
        student=student,
        component=grade_components_ensure(seminar=seminar)[0],
        value="1.0",
        grader=instructor,
        updated_at="2027-02-01T10:00Z",
    )
    page = new_page()
    log_in(page, student.email, PASSWORD)

    page.goto(seminar.get_absolute_url())
    page.get_by_role("link", name="Your grades").click()

    expect(page.get_by_role("main")).to_contain_text("Your grades have not been released yet.")
    expect(page.get_by_role("main")).not_to_contain_text("1.0")


def test_instructor_adds_a_third_component_and_the_sheet_and_seminar_page_follow(new_page, log_in):
    seminar, instructor, student = _seminar_with_a_student()
    page = new_page()
    log_in(page, instructor.email, PASSWORD)
    page.goto(seminar.get_absolute_url())
    page.get_by_role("link", name="Grades", exact=True).click()

    page.get_by_role("link", name="Change the components and weights").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Grade components of {seminar.title}")
    page.get_by_role("group", name="Presentation").get_by_label("Weight (%)").fill("50")
    page.get_by_role("group", name="Report").get_by_label("Weight (%)").fill("30")
    new = page.get_by_role("group", name="New component")
    new.get_by_label("Name in English").fill("Participation")
    new.get_by_label("Name in German").fill("Mitarbeit")
    new.get_by_label("Weight (%)").fill("30")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "The weights must add up to 100 %; they add up to 110 %."
    )
    assert not GradeComponent.objects.filter(seminar=seminar).exists()
    page.get_by_role("group", name="New component").get_by_label("Weight (%)").fill("20")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status").first).to_contain_text("The grade components are saved")
    expect(page.get_by_role("columnheader")).to_have_text(
        [
            "Student",
            "Paper, supervisor, files and talk",
            "Presentation",
            "Report",
            "Participation",
            "Final grade",
        ]
    )
    _save_grade(page, "Presentation Mia Student", "1,0")
    _save_grade(page, "Report Mia Student", "2,0")
    _save_grade(page, "Participation Mia Student", "3,0")
    row = page.get_by_role("row").filter(has_text="Mia Student")
    # 0.5 x 1.0 + 0.3 x 2.0 + 0.2 x 3.0 = 1.7
    expect(row.get_by_role("cell").last).to_have_text(re.compile(r"^\s*1\.7\s+gut\s*$"))

    page.goto(seminar.get_absolute_url())
    expect(page.locator(".weights")).to_have_text(
        "The final grade will depend on: Presentation (50 %), Report (30 %), Participation (20 %)."
    )
