"""Submissions in the browser: a student uploads versions with a progress bar and gets receipts; the
instructor sees the overview and downloads every version; the form works without JavaScript; a refused
file leaves a message and no version."""

import hashlib
import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from playwright.sync_api import expect

from core.templatetags.zoned import zoned_plain
from submissions import services
from submissions.models import Submission
from tests.factories import PASSWORD, SeminarFactory, instructor_of, student_of
from tests.submissions.helpers import (
    DeliverableFactory,
    pdf_bytes,
    stored_files,
    submission_storage,  # noqa: F401 - the fixture, used through usefixtures below
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("submission_storage")]

# Large enough that a throttled upload shows the bar moving; well under the deliverable's 5 MB limit.
LARGE_PDF = pdf_bytes(padding=3_000_000)
SMALL_PDF = pdf_bytes(2)
# Bytes per second: the large file takes about three seconds to send.
UPLOAD_THROUGHPUT = 1_000_000
# Added to every response, so that the bar stays at 100 % while the receipt is on its way.
LATENCY_MS = 1_000
# True while the bar shows part of the file sent: neither empty nor full.
PART_SENT = (
    "() => { const sent = document.getElementById('upload-progress').value; return sent > 0 && sent < 100; }"
)


def _seminar_with_a_report():
    seminar = SeminarFactory(title="Deep Learning Seminar")
    instructor = instructor_of(seminar, user__full_name="Ida Instructor", user__email="ida@uni.example")
    student = student_of(seminar, user__full_name="Mia Student", user__email="mia@uni.example")
    due = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    deliverable = DeliverableFactory(seminar=seminar, title="Written report", due_at=due)
    return seminar, deliverable, instructor, student


def _write(tmp_path, name: str, content: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def _fact(page, term: str):
    """The <dd> that follows the <dt> named `term` in the page's facts list."""
    return page.locator(f"dl.facts dt:text-is('{term}') + dd")


def _throttle_uploads(page) -> None:
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": LATENCY_MS,
            "downloadThroughput": -1,
            "uploadThroughput": UPLOAD_THROUGHPUT,
        },
    )


def _expect_receipt(page, *, name: str, content: bytes, version: int) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Receipt: Written report, version {version}")
    expect(page.get_by_role("status")).to_contain_text("Your file was received. This is your receipt")
    expect(_fact(page, "File")).to_have_text(name)
    expect(_fact(page, "Size")).to_contain_text(f"({len(content)} bytes)")
    expect(_fact(page, "SHA-256")).to_have_text(hashlib.sha256(content).hexdigest())
    expect(_fact(page, "Status")).to_have_text("On time")
    expect(_fact(page, "Counts")).to_have_text("Yes: this is the version that counts.")


def _versions(page):
    return page.get_by_role("region", name="Your versions").locator("tbody tr")


def test_student_uploads_two_versions_with_progress_and_receipts(
    page, log_in, check_a11y, tmp_path, mailoutbox
):
    seminar, deliverable, _, student = _seminar_with_a_report()
    log_in(page, student.email, PASSWORD)

    page.goto(seminar.get_absolute_url())
    page.get_by_role("link", name="Reports and slides").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Reports and slides: {seminar.title}")
    expect(page.get_by_role("main")).to_contain_text("Not handed in yet")
    page.get_by_role("link", name="Written report", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Written report")
    with translation.override("en"):
        due_text = zoned_plain(deliverable.due_at, "Europe/Berlin")
    due = _fact(page, "Due")
    expect(due).to_contain_text(due_text)
    expect(due).to_contain_text("(Europe/Berlin)")
    # The script replaces the server's "2 days, 23 hours left" with a ticking "2 d 23 h 59 min left".
    expect(due.locator(".countdown")).to_have_text(re.compile(r"^[23] d \d{1,2} h \d{1,2} min left$"))
    expect(page.get_by_role("region", name="Your versions")).to_contain_text("No upload yet.")

    progress = page.get_by_label("Upload progress")
    expect(progress).to_be_hidden()
    page.get_by_label("File").set_input_files(_write(tmp_path, "report.pdf", LARGE_PDF))
    _throttle_uploads(page)
    page.get_by_role("button", name="Upload", exact=True).click()

    expect(progress).to_be_visible()
    expect(page.get_by_role("button", name="Upload", exact=True)).to_be_disabled()
    page.wait_for_function(PART_SENT)
    expect(page.locator(".upload-percent")).to_have_text(re.compile(r"^\d{1,2} %$"))
    check_a11y(page)
    expect(progress).to_have_js_property("value", 100, timeout=20_000)
    expect(page.locator(".upload-percent")).to_have_text("100 %")

    _expect_receipt(page, name="report.pdf", content=LARGE_PDF, version=1)

    page.get_by_role("link", name="Back to the deliverable").click()
    expect(_versions(page)).to_have_count(1)
    page.get_by_label("File").set_input_files(_write(tmp_path, "report-final.pdf", SMALL_PDF))
    page.get_by_role("button", name="Upload", exact=True).click()

    _expect_receipt(page, name="report-final.pdf", content=SMALL_PDF, version=2)

    page.get_by_role("link", name="Back to the deliverable").click()
    rows = _versions(page)
    expect(rows).to_have_count(2)
    expect(rows.nth(0).get_by_role("rowheader")).to_have_text("2 counts")
    expect(rows.nth(0)).to_contain_text("report-final.pdf")
    expect(rows.nth(0)).to_contain_text("on time")
    expect(rows.nth(1).get_by_role("rowheader")).to_have_text("1")
    expect(rows.nth(1)).to_contain_text("report.pdf")
    expect(rows.nth(1)).to_contain_text("on time")

    versions = list(Submission.objects.filter(deliverable=deliverable, student=student).order_by("version"))
    assert [(item.version, item.original_name, item.is_late) for item in versions] == [
        (1, "report.pdf", False),
        (2, "report-final.pdf", False),
    ]
    assert [item.file.read() for item in versions] == [LARGE_PDF, SMALL_PDF]
    assert [mail.to for mail in mailoutbox] == [[student.email], [student.email]]


def test_instructor_sees_overview_and_downloads_every_version(page, log_in, submission_storage):  # noqa: F811
    seminar, deliverable, instructor, student = _seminar_with_a_report()
    uploads = {"report-draft.pdf": SMALL_PDF, "report-final.pdf": LARGE_PDF}
    for name, content in uploads.items():
        services.submission_create(
            deliverable=deliverable,
            student=student,
            upload=SimpleUploadedFile(name, content, content_type="application/pdf"),
            received_at=timezone.now(),
        )
    assert len(stored_files(submission_storage)) == 2
    log_in(page, instructor.email, PASSWORD)

    page.goto(seminar.get_absolute_url())
    page.get_by_role("link", name="Deliverables", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Deliverables: {seminar.title}")
    page.get_by_role("link", name="Written report", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Written report")
    row = page.get_by_role("row").filter(has_text="Mia Student")
    cells = row.get_by_role("cell")
    expect(cells.nth(0)).to_have_text("on time")
    expect(cells.nth(2)).to_have_text("2")

    row.get_by_role("link", name="Mia Student", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Written report: Mia Student")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).get_by_role("rowheader")).to_have_text("2 counts")
    expect(rows.nth(1).get_by_role("rowheader")).to_have_text("1")
    for name, content in uploads.items():
        with page.expect_download() as info:
            page.get_by_role("link", name=name).click()
        download = info.value
        assert download.suggested_filename == name
        assert download.path().read_bytes() == content

    page.get_by_role("link", name="Back to the overview").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download every version (ZIP)").click()
    with zipfile.ZipFile(io.BytesIO(info.value.path().read_bytes())) as archive:
        entries = {entry: archive.read(entry) for entry in archive.namelist()}
    assert entries == {
        "Mia Student (mia@uni.example)/v1 report-draft.pdf": SMALL_PDF,
        "Mia Student (mia@uni.example)/v2 report-final.pdf": LARGE_PDF,
    }


def test_upload_works_without_javascript(new_page, log_in, tmp_path):
    seminar, deliverable, _, student = _seminar_with_a_report()
    page = new_page(java_script_enabled=False)
    log_in(page, student.email, PASSWORD)

    page.goto(f"/seminars/{seminar.slug}/deliverables/{deliverable.pk}/")
    expect(page.get_by_label("Upload progress")).to_be_hidden()
    page.get_by_label("File").set_input_files(_write(tmp_path, "report.pdf", SMALL_PDF))
    page.get_by_role("button", name="Upload", exact=True).click()

    _expect_receipt(page, name="report.pdf", content=SMALL_PDF, version=1)
    assert Submission.objects.filter(deliverable=deliverable, student=student).count() == 1


@pytest.mark.parametrize(
    "javascript",
    [True, False],
    ids=["with-js", "without-js"],
)
def test_refused_file_shows_the_reason_and_stores_nothing(
    new_page,
    log_in,
    tmp_path,
    javascript,
    submission_storage,  # noqa: F811
):
    seminar, deliverable, _, student = _seminar_with_a_report()
    page = new_page(java_script_enabled=javascript)
    log_in(page, student.email, PASSWORD)

    page.goto(f"/seminars/{seminar.slug}/deliverables/{deliverable.pk}/")
    page.get_by_label("File").set_input_files(_write(tmp_path, "notes.pdf", b"Just some notes, not a PDF.\n"))
    page.get_by_role("button", name="Upload", exact=True).click()

    expect(page.get_by_role("status")).to_have_text(
        "This file is not a PDF (it does not start like one). Please export it as PDF. Nothing was stored."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Written report")
    expect(page.get_by_role("region", name="Your versions")).to_contain_text("No upload yet.")
    expect(_versions(page)).to_have_count(0)
    assert not Submission.objects.filter(deliverable=deliverable).exists()
    assert stored_files(submission_storage) == []
