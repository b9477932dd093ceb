"""Examiner feedback in the browser: the instructor gives the report a rubric; two examiners enter their
grades and the mean becomes the component grade; the supervisor writes feedback with an annotated PDF; the
instructor releases the grades; the student reads rubric, comment and file on their grade page."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from grading.models import Grade
from papers.models import Allotment
from tests.factories import PASSWORD, SeminarFactory, instructor_of, student_of, supervisor_of
from tests.papers.helpers import PaperFactory
from tests.submissions.helpers import (
    pdf_bytes,
    submission_storage,  # noqa: F401 - the fixture, used through usefixtures below
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("submission_storage")]


def test_feedback_is_written_released_and_read(new_page, log_in, tmp_path):
    seminar = SeminarFactory(title="Learning theory")
    instructor = instructor_of(seminar, user__full_name="Ida Instructor", user__email="ida@uni.example")
    supervisor = supervisor_of(seminar, user__full_name="Sue Supervisor", user__email="sue@uni.example")
    student = student_of(seminar, user__full_name="Mia Student", user__email="mia@uni.example")
    paper = PaperFactory(seminar=seminar, supervisor=supervisor)
    Allotment.objects.create(seminar=seminar, student=student, paper=paper, source="manual")
    annotated = tmp_path / "report-annotated.pdf"
    annotated.write_bytes(pdf_bytes(2))

    staff = new_page()
    log_in(staff, instructor.email, PASSWORD)
    staff.goto(f"/seminars/{seminar.slug}/manage/grades/components/")
    staff.get_by_role("link", name="Rubric of Report").click()
    staff.get_by_label("Rubric").fill(
        "Understanding | excellent / good / insufficient\nClarity | clear / unclear"
    )
    staff.get_by_role("button", name="Save the rubric").click()
    expect(staff.get_by_role("status").first).to_contain_text("The rubric of “Report” was saved.")
    staff.goto(f"/seminars/{seminar.slug}/manage/grades/history/{student.pk}/")
    staff.get_by_role("link", name="Examiners' grades for Report").click()
    staff.get_by_label("Your grade (empty: none)").fill("1,3")
    staff.get_by_role("button", name="Save your grade").click()
    expect(staff.get_by_role("status").first).to_contain_text("Your grade was saved.")

    examiner = new_page()
    log_in(examiner, supervisor.email, PASSWORD)
    examiner.goto(f"/seminars/{seminar.slug}/manage/grades/history/{student.pk}/")
    examiner.get_by_role("link", name="Examiners' grades for Report").click()
    examiner.get_by_label("Your grade (empty: none)").fill("2,0")
    examiner.get_by_role("button", name="Save your grade").click()
    expect(examiner.get_by_role("table", name="Examiners' grades")).to_contain_text("Ida Instructor")
    examiner.get_by_role("button", name="Use the mean: 1.7").click()
    expect(examiner.get_by_role("status").first).to_contain_text("The component grade was saved.")
    assert Grade.objects.get(student=student).value == Decimal("1.7")
    examiner.goto(f"/seminars/{seminar.slug}/manage/grades/history/{student.pk}/")
    examiner.get_by_role("link", name="Written feedback on Report").click()
    examiner.get_by_role("group", name="Understanding").get_by_label("good").check()
    examiner.get_by_role("group", name="Clarity").get_by_label("clear", exact=True).check()
    examiner.get_by_label("Comment").fill("A careful report; the proof in section 3 needs one more step.")
    examiner.get_by_label("Feedback file").set_input_files(str(annotated))
    examiner.get_by_role("button", name="Save the feedback").click()
    expect(examiner.get_by_role("status").first).to_contain_text("The feedback was saved.")

    reader = new_page()
    log_in(reader, student.email, PASSWORD)
    reader.goto(f"/seminars/{seminar.slug}/grades/")
    expect(reader.get_by_role("main")).to_contain_text("Your grades have not been released yet.")
    expect(reader.get_by_role("main")).not_to_contain_text("careful report")
    staff.goto(f"/seminars/{seminar.slug}/manage/grades/release/")
    staff.get_by_role("button", name="Release the grades").click()
    expect(staff.get_by_role("status").first).to_contain_text("The grades are released")

    reader.reload()
    feedback = reader.get_by_role("region", name="Written feedback")
    expect(feedback).to_contain_text("A careful report; the proof in section 3 needs one more step.")
    expect(feedback).to_contain_text("good")
    with reader.expect_download() as info:
        feedback.get_by_role("link", name="Feedback file: report-annotated.pdf").click()
    assert info.value.suggested_filename == "report-annotated.pdf"
    assert info.value.path().read_bytes() == pdf_bytes(2)
