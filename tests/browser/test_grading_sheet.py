"""The grading sheet as one form in the browser: grading with the keyboard only and one save, a stale cell
refused while the others save, the history page, the sheet as cards on a phone, two examiners' grades beside
a cell, and the reviews a student wrote, read from the sheet."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grading.models import ExaminerGrade, Grade
from grading.services import grade_components_ensure, grade_set
from seminars.models import Seminar
from tests.factories import PASSWORD, SeminarFactory, instructor_of, student_of
from tests.reviews.helpers import assign_and_publish, write
from tests.reviews.helpers import make_world as review_world
from tests.submissions.helpers import submission_storage  # noqa: F401 - the fixture, used through usefixtures

pytestmark = pytest.mark.browser

GRADES = ["1,0", "1,3", "1,7", "2,0", "2,3", "2,7", "3,0", "3,3", "3,7", "4,0", "5,0", "1.3"]


def _seminar(students: int):
    seminar = SeminarFactory(title="Deep Learning Seminar", state=Seminar.State.OPEN)
    instructor = instructor_of(seminar, user__full_name="Ida Instructor", user__email="ida@uni.example")
    people = [
        student_of(seminar, user__full_name=f"Student {n:02d}", user__email=f"s{n}@uni.example")
        for n in range(students)
    ]
    return seminar, instructor, people


def _sheet_url(seminar) -> str:
    return f"/seminars/{seminar.slug}/manage/grades/"


def test_instructor_grades_12_students_with_the_keyboard_and_one_save(new_page, log_in):
    seminar, instructor, students = _seminar(12)
    page = new_page()
    log_in(page, instructor.email, PASSWORD)
    page.goto(_sheet_url(seminar))
    expect(page.get_by_role("status").last).to_be_empty()

    page.get_by_role("textbox", name="Presentation Student 00", exact=True).focus()
    for text in GRADES:  # down the presentation column, one student after the other
        page.keyboard.type(text)
        page.keyboard.press("ArrowDown")
    expect(page.get_by_role("textbox", name="Presentation Student 11", exact=True)).to_be_focused()
    page.keyboard.press("Tab")  # the comment of the last student
    page.keyboard.type("Very clear")
    page.keyboard.press("Tab")  # the last student's report
    page.keyboard.type("2,0")
    for _ in range(11):
        page.keyboard.press("ArrowUp")
    expect(page.get_by_role("textbox", name="Report Student 00", exact=True)).to_be_focused()
    page.keyboard.type("1,7")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status").first).to_have_text("Saved 14 grades.")
    expect(page).to_have_url(re.compile(rf"{_sheet_url(seminar)}#row-{students[11].pk}$"))
    # Focus is back in the row edited last (Student 11's: the report saved after Student 00's report).
    expect(page.get_by_role("textbox", name="Presentation Student 11", exact=True)).to_be_focused()
    values = {
        (grade.student_id, grade.component.key): grade.value
        for grade in Grade.objects.filter(seminar=seminar).select_related("component")
    }
    assert len(values) == 14
    assert values[(students[0].pk, "presentation")] == Decimal("1.0")
    assert values[(students[11].pk, "presentation")] == Decimal("1.3")
    assert values[(students[11].pk, "report")] == Decimal("2.0")
    assert values[(students[0].pk, "report")] == Decimal("1.7")
    assert Grade.objects.get(student=students[11], component__key="presentation").comment == "Very clear"
    row = page.get_by_role("row").filter(has_text="Student 00")
    expect(row.get_by_role("cell").last).to_contain_text("1.2")  # 0.6 x 1.0 + 0.4 x 1.7 = 1.28, cut
    expect(page.get_by_role("textbox", name="Presentation Student 00", exact=True)).to_have_value("1.0")


def test_a_column_pasted_from_a_spreadsheet_fills_the_rows_below_and_saves_once(new_page, log_in):
    seminar, instructor, students = _seminar(4)
    page = new_page()
    log_in(page, instructor.email, PASSWORD)
    page.goto(_sheet_url(seminar))
    first = page.get_by_role("textbox", name="Report Student 01", exact=True)
    first.focus()
    # What a spreadsheet puts on the clipboard for three cells of a column (Windows line ends, a last one).
    first.evaluate(
        """(field, text) => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            const options = {clipboardData: data, bubbles: true, cancelable: true};
            field.dispatchEvent(new ClipboardEvent("paste", options));
        }""",
        "1,7\r\n2,3\r\n3,0\r\n",
    )

    for n, value in ((0, ""), (1, "1,7"), (2, "2,3"), (3, "3,0")):
        expect(page.get_by_role("textbox", name=f"Report Student {n:02d}", exact=True)).to_have_value(value)
    expect(page.get_by_role("textbox", name="Presentation Student 02", exact=True)).to_have_value("")
    page.get_by_role("button", name="Save all grades").first.click()

    expect(page.get_by_role("status").first).to_contain_text("Saved 3 grades.")
    assert {
        grade.student_id: grade.value
        for grade in Grade.objects.filter(seminar=seminar, component__key="report")
    } == {students[1].pk: Decimal("1.7"), students[2].pk: Decimal("2.3"), students[3].pk: Decimal("3.0")}


def test_a_stale_cell_is_refused_with_the_other_value_while_the_others_save(new_page, log_in):
    seminar, instructor, (mia, otto) = _seminar(2)
    colleague = instructor_of(seminar, user__full_name="Ivo Instructor")
    page = new_page()
    log_in(page, instructor.email, PASSWORD)
    page.goto(_sheet_url(seminar))
    page.get_by_role("textbox", name="Presentation Student 00", exact=True).fill("1,3")
    page.get_by_role("textbox", name="Presentation Student 01", exact=True).fill("2,7")
    # Meanwhile a colleague grades Student 00's presentation.
    grade_set(
        seminar=seminar,
        student=mia,
        component="presentation",
        text="3,0",
        comment="",
        grader=colleague,
        expected_version=0,
        now=timezone.now(),
    )

    page.get_by_role("button", name="Save all grades").last.click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("1 grade was not saved")
    expect(alert).to_contain_text(
        "Student 00, Presentation: Not saved: Ivo Instructor changed this grade to 3.0 since you opened the "
        "page."
    )
    expect(page.get_by_role("status").last).to_have_text("Saved 1 grade.")
    field = page.get_by_role("textbox", name="Presentation Student 00", exact=True)
    expect(field).to_have_value("1,3")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(
        "Not saved: Ivo Instructor changed this grade to 3.0 since you opened the page. "
        "Check it and save again if yours should replace it. Yours is in the field."
    )
    expect(field).to_be_focused()
    expect(page.get_by_role("textbox", name="Presentation Student 01", exact=True)).to_have_value("2.7")
    assert Grade.objects.get(student=mia).value == Decimal("3.0")
    assert Grade.objects.get(student=otto).value == Decimal("2.7")

    # Saving again on purpose replaces the colleague's grade, and the history shows both.
    page.get_by_role("button", name="Save all grades").first.click()
    expect(page.get_by_role("status").first).to_have_text("Saved 1 grade.")
    assert Grade.objects.get(student=mia).value == Decimal("1.3")
    page.get_by_role("link", name="History Presentation Student 00").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("History of the grades of Student 00")
    expect(page.locator("ul.history li")).to_have_count(2)


def test_sheet_on_a_phone_is_one_card_per_student_without_sideways_scrolling(new_page, log_in):
    seminar, instructor, students = _seminar(3)
    page = new_page(viewport={"width": 390, "height": 844})
    log_in(page, instructor.email, PASSWORD)
    page.goto(_sheet_url(seminar))

    field = page.get_by_role("textbox", name="Report Student 01", exact=True)
    expect(field).to_be_visible()
    fits = page.evaluate(
        "() => document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth"
    )
    assert fits
    label = page.evaluate(
        "(cell) => getComputedStyle(cell, '::before').content", field.locator("xpath=..").element_handle()
    )
    assert label not in ("none", "normal", "")


def test_sheet_without_javascript_saves_and_returns_to_the_row(new_page, log_in):
    seminar, instructor, (first, second) = _seminar(2)
    page = new_page(java_script_enabled=False)
    log_in(page, instructor.email, PASSWORD)
    page.goto(_sheet_url(seminar))

    page.get_by_role("textbox", name="Report Student 01", exact=True).fill("2,3")
    page.get_by_role("textbox", name="Comment Report Student 01", exact=True).fill("Solid")
    page.get_by_role("button", name="Save all grades").first.click()

    expect(page.get_by_role("status").first).to_have_text("Saved 1 grade.")
    expect(page).to_have_url(re.compile(rf"#row-{second.pk}$"))
    expect(page.get_by_role("textbox", name="Comment Report Student 01", exact=True)).to_have_value("Solid")
    assert Grade.objects.get(student=second).value == Decimal("2.3")


def test_two_examiners_grades_stand_beside_the_cell_and_a_grade_set_by_hand_links_to_its_reason(
    new_page, log_in
):
    seminar, instructor, (mia, otto) = _seminar(2)
    colleague = instructor_of(seminar, user__full_name="Ivo Instructor")
    presentation = grade_components_ensure(seminar=seminar)[0]
    for student, grades in ((mia, ("1.3", "2.0")), (otto, ("2.7", "3.0"))):
        for examiner, value in zip((instructor, colleague), grades, strict=True):
            ExaminerGrade.objects.create(
                seminar=seminar,
                student=student,
                component=presentation,
                examiner=examiner,
                value=Decimal(value),
                updated_at=timezone.now(),
            )
    page = new_page()
    log_in(page, instructor.email, PASSWORD)
    page.goto(_sheet_url(seminar))

    # Student 00: the mean is saved from the sheet; Student 01's grade is typed by hand.
    page.get_by_role("textbox", name="Presentation Student 00", exact=True).fill("1,7")
    page.get_by_role("textbox", name="Presentation Student 01", exact=True).fill("2,3")
    page.get_by_role("textbox", name="Comment Presentation Student 01", exact=True).fill("Best questions")
    page.get_by_role("button", name="Save all grades").first.click()

    expect(page.get_by_role("status").first).to_have_text("Saved 2 grades.")
    first = page.get_by_role("row").filter(has_text="Student 00").get_by_role("cell").nth(1)
    expect(first).to_contain_text("Examiners: Ida Instructor 1.3 · Ivo Instructor 2.0; mean 1.7")
    expect(first).not_to_contain_text("set by hand")
    second = page.get_by_role("row").filter(has_text="Student 01").get_by_role("cell").nth(1)
    expect(second).to_contain_text("Examiners: Ida Instructor 2.7 · Ivo Instructor 3.0; mean 2.7")
    second.get_by_role("link", name="set by hand Presentation Student 01").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Examiners' grades for Student 01: Presentation"
    )
    expect(page.locator("dl.facts")).to_contain_text("2.3 (Best questions)")


@pytest.mark.usefixtures("submission_storage")
def test_instructor_grading_peer_review_quality_reads_a_students_reviews_from_the_sheet(new_page, log_in):
    world = review_world(3, slug="peer-quality")
    assign_and_publish(world)
    alma = world.students[0]
    review = world.review_round.reviews.get(reviewer=alma)
    write(review, text="Section 3 needs an example.")
    page = new_page()
    log_in(page, world.instructor.email, PASSWORD)
    page.goto(_sheet_url(world.seminar))

    row = page.get_by_role("row").filter(has_text=alma.full_name)
    row.get_by_role(
        "link", name=f"Written report: {review.author.full_name} (reviewed by {alma.full_name})"
    ).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Review")
    expect(page.get_by_role("main")).to_contain_text("Section 3 needs an example.")
    expect(page.get_by_role("main")).to_contain_text(alma.full_name)
