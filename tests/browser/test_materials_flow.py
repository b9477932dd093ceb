"""Seminar materials in the browser: an instructor uploads a file (and a refused one keeps its title and
says why beside the field), a student downloads it from the seminar page with its original name, and the
instructor removes it after confirming."""

import re

import pytest
from playwright.sync_api import expect

from seminars.models import Material
from tests.factories import PASSWORD, SeminarFactory, instructor_of, student_of
from tests.submissions.helpers import (
    pdf_bytes,
    stored_files,
    submission_storage,  # noqa: F401 - the fixture, used through usefixtures below
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("submission_storage")]

SLIDES = pdf_bytes(3)


@pytest.fixture
def seminar_people():
    seminar = SeminarFactory(title="Deep Learning Seminar")
    instructor = instructor_of(seminar, user__full_name="Ida Instructor", user__email="ida@uni.example")
    student = student_of(seminar, user__full_name="Mia Student", user__email="mia@uni.example")
    return seminar, instructor, student


def test_instructor_uploads_slides_and_a_student_downloads_them(
    new_page,
    log_in,
    tmp_path,
    seminar_people,
    submission_storage,  # noqa: F811
):
    seminar, instructor, student = seminar_people
    slides = tmp_path / "Vorbesprechung Folien.pdf"
    slides.write_bytes(SLIDES)
    program = tmp_path / "setup.exe"
    program.write_bytes(b"MZ\x90\x00")

    page = new_page()
    log_in(page, instructor.email, PASSWORD)
    page.goto(seminar.get_absolute_url())
    expect(page.get_by_text("No materials yet.")).to_be_visible()
    page.get_by_role("link", name="Manage materials").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Materials of Deep Learning Seminar")

    page.get_by_label(re.compile(r"^Title:?$")).fill("Slides of the pre-course meeting")
    page.get_by_label("File").set_input_files(str(program))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_label(re.compile(r"^Title:?$"))).to_have_value("Slides of the pre-course meeting")
    expect(page.locator("#id_file_error")).to_contain_text(
        "the file name ends in “.exe”. Nothing was stored."
    )
    assert Material.objects.count() == 0

    page.get_by_label("File").set_input_files(str(slides))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status")).to_contain_text(
        "The material “Slides of the pre-course meeting” is uploaded."
    )
    expect(page.get_by_role("rowheader", name="Slides of the pre-course meeting")).to_be_visible()

    reader = new_page()
    log_in(reader, student.email, PASSWORD)
    reader.goto(seminar.get_absolute_url())
    materials = reader.get_by_role("region", name="Materials")
    expect(materials).to_contain_text("(PDF, ")
    with reader.expect_download() as info:
        materials.get_by_role("link", name="Slides of the pre-course meeting").click()
    assert info.value.suggested_filename == "Vorbesprechung Folien.pdf"
    assert info.value.path().read_bytes() == SLIDES

    page.get_by_role("link", name="Remove Slides of the pre-course meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Remove the material “Slides of the pre-course meeting”"
    )
    page.get_by_role("button", name="Remove the material").click()
    expect(page.get_by_role("status")).to_contain_text("is removed.")
    expect(page.get_by_text("No materials yet.")).to_be_visible()
    assert Material.objects.count() == 0
    assert stored_files(submission_storage) == []
