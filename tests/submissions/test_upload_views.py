"""The upload as a student does it through the browser: the deliverable page, the upload POST and the message
shown after the redirect, the receipt page; every bad input refused with a message, with nothing stored and
no temporary file left behind; the deliverable form refusing local times that do not exist or happen twice.
"""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from accounts.models import User
from submissions.models import Deliverable, Submission
from tests.factories import SeminarFactory, instructor_of, student_of

from .helpers import (
    DUE,
    DeliverableFactory,
    assert_nothing_stored,
    pdf_bytes,
    pdf_with,
    pptx_bytes,
    stored_files,
    submission_storage,  # noqa: F401 - the fixture, found by pytest in this module's namespace
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("submission_storage", "upload_temp_dir")]

HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)
BEFORE_DUE = DUE - HOUR
NOTHING_STORED = " Nothing was stored."
RECEIVED = "Your file was received. This is your receipt; a copy is on its way by mail."
DEADLINE_PASSED = (
    "The deadline has passed: this upload arrived too late and was not accepted. "
    "If you have a good reason, ask the instructors for an extension."
)
PAGE_DEADLINE_PASSED = (
    "The deadline has passed: uploads are no longer accepted. Ask the instructors if you need an extension."
)
BOUNDARY = "portal-test-boundary-7d1c"


@pytest.fixture
def upload_temp_dir(settings, tmp_path):
    """Django streams every upload to a temporary file here; a refused upload must leave none behind."""
    folder = tmp_path / "upload-temp"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


@pytest.fixture
def deliverable() -> Deliverable:
    return DeliverableFactory(grace_minutes=10)


@pytest.fixture
def student(deliverable) -> User:
    return student_of(deliverable.seminar, user__full_name="Mia Student")


def page_url(deliverable: Deliverable) -> str:
    return reverse("submissions:deliverable", args=[deliverable.seminar.slug, deliverable.pk])


def upload_url(deliverable: Deliverable) -> str:
    return reverse("submissions:upload", args=[deliverable.seminar.slug, deliverable.pk])


def receipt_url(submission: Submission) -> str:
    deliverable = submission.deliverable
    return reverse("submissions:receipt", args=[deliverable.seminar.slug, deliverable.pk, submission.pk])


def post_file(client, deliverable: Deliverable, name: str, data: bytes, **fields):
    return client.post(
        upload_url(deliverable), {"file": SimpleUploadedFile(name, data), **fields}, follow=True
    )


def post_raw_name(client, deliverable: Deliverable, name: str, data: bytes, *, parameter: str | None = None):
    """The multipart body written by hand: SimpleUploadedFile and the test client would already shorten the
    name to its last part and to 255 characters, and a client that wants to can send any name.
    `parameter` replaces the `filename="..."` parameter as written (e.g. an RFC 2231 `filename*=`)."""
    parameter = parameter or f'filename="{name}"'
    body = b"\r\n".join(
        [
            f"--{BOUNDARY}".encode(),
            f'Content-Disposition: form-data; name="file"; {parameter}'.encode(),
            b"Content-Type: application/pdf",
            b"",
            data,
            f"--{BOUNDARY}--".encode(),
            b"",
        ]
    )
    return client.post(
        upload_url(deliverable),
        body,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        follow=True,
    )


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def assert_refused(response, deliverable: Deliverable, message: str, storage, temp_dir) -> None:
    """Back on the deliverable page with the reason shown, nothing stored, no temporary file left."""
    assert response.redirect_chain == [(page_url(deliverable), 302)]
    assert response.status_code == 200
    assert shown_messages(response) == [message]
    assert escape(message) in response.content.decode()
    assert_nothing_stored(storage)
    assert list(temp_dir.iterdir()) == []


def refused_upload(client, deliverable: Deliverable, student: User, name: str, data: bytes, **fields):
    with time_machine.travel(BEFORE_DUE, tick=False):
        client.force_login(student)
        return post_file(client, deliverable, name, data, **fields)


def pdf_of_size(size: int) -> bytes:
    """A sound PDF of exactly `size` bytes: padded inside, then with line breaks after its end marker."""
    data = pdf_bytes(padding=max(0, size - 2000))
    data = pdf_bytes(padding=max(0, size - 2000) + size - 1000 - len(data))
    assert len(data) <= size
    return data + b"\n" * (size - len(data))


# -------------------------------------------------------------------------------- uploads that work


def test_upload_on_time_shows_the_receipt(client, deliverable, student, submission_storage, upload_temp_dir):  # noqa: F811
    data = pdf_bytes(pages=2)

    with time_machine.travel(BEFORE_DUE, tick=False):
        client.force_login(student)
        response = post_file(client, deliverable, "Mia Report.pdf", data)

    submission = Submission.objects.get()
    assert response.redirect_chain == [(receipt_url(submission), 302)]
    assert shown_messages(response) == [RECEIVED]
    content = response.content.decode()
    assert "Receipt: Written report, version 1" in content
    assert "<dd>Mia Report.pdf</dd>" in content
    assert f"({len(data)} bytes)" in content
    assert f'<code class="hash">{hashlib.sha256(data).hexdigest()}</code>' in content
    # 21:59 UTC is 22:59 in Berlin in winter.
    assert (
        f'<time datetime="{BEFORE_DUE.isoformat()}">15 December 2026, 22:59 CET (Europe/Berlin)</time>'
        in (content)
    )
    assert '<dd class="receipt-status">On time</dd>' in content
    assert "<dt>Pages</dt><dd>2</dd>" in content
    assert (submission.student, submission.received_at, submission.is_late) == (student, BEFORE_DUE, False)
    assert (submission_storage / submission.file.name).read_bytes() == data
    assert list(upload_temp_dir.iterdir()) == []


def test_upload_late_under_accept_late_shows_the_receipt_with_late(client, student, deliverable):
    deliverable.late_policy = Deliverable.Policy.ACCEPT_LATE
    deliverable.save()
    received = DUE + 10 * MINUTE + timedelta(seconds=1)

    with time_machine.travel(received, tick=False):
        client.force_login(student)
        response = post_file(client, deliverable, "report.pdf", pdf_bytes())

    submission = Submission.objects.get()
    assert response.redirect_chain == [(receipt_url(submission), 302)]
    assert '<dd class="receipt-status">Late</dd>' in response.content.decode()
    assert (submission.is_late, submission.received_at, submission.due_at) == (True, received, DUE)


def test_upload_in_the_grace_is_on_time(client, student, deliverable):
    with time_machine.travel(DUE + 10 * MINUTE, tick=False):
        client.force_login(student)
        response = post_file(client, deliverable, "report.pdf", pdf_bytes())

    assert '<dd class="receipt-status">On time</dd>' in response.content.decode()
    assert Submission.objects.get().is_late is False


def test_upload_a_second_time_is_version_2_and_the_page_lists_both(client, student, deliverable):
    first, second = pdf_bytes(pages=1), pdf_bytes(pages=2)

    with time_machine.travel(BEFORE_DUE, tick=False):
        client.force_login(student)
        post_file(client, deliverable, "draft.pdf", first)
        response = post_file(client, deliverable, "final.pdf", second)
        page = client.get(page_url(deliverable)).content.decode()

    assert "Receipt: Written report, version 2" in response.content.decode()
    versions = Submission.objects.order_by("version")
    assert [(item.version, item.original_name) for item in versions] == [(1, "draft.pdf"), (2, "final.pdf")]
    section = page[page.index('id="versions-heading"') :]
    assert "draft.pdf" in section
    assert "final.pdf" in section
    assert hashlib.sha256(first).hexdigest() in section
    assert hashlib.sha256(second).hexdigest() in section
    # Newest first, and the newest on-time version is the one that counts.
    assert section.index("final.pdf") < section.index("draft.pdf")
    assert '2 <span class="badge">counts</span>' in section


def test_upload_ignores_fields_that_claim_another_student_time_or_status(client, student, deliverable):
    deliverable.late_policy = Deliverable.Policy.ACCEPT_LATE
    deliverable.save()
    other = student_of(deliverable.seminar)
    received = DUE + HOUR

    with time_machine.travel(received, tick=False):
        client.force_login(student)
        response = post_file(
            client,
            deliverable,
            "report.pdf",
            pdf_bytes(),
            student=str(other.pk),
            received_at="2000-01-01T00:00Z",
            is_late="false",
            version="99",
            due_at="2030-01-01T00:00Z",
        )

    submission = Submission.objects.get()
    assert response.redirect_chain == [(receipt_url(submission), 302)]
    assert (submission.student, submission.received_at, submission.is_late) == (student, received, True)
    assert (submission.version, submission.due_at) == (1, DUE)
    assert not Submission.objects.filter(student=other).exists()


def test_upload_exactly_at_the_size_limit_is_accepted(client, student, deliverable, upload_temp_dir):
    deliverable.max_size_mb = 1
    deliverable.save()
    data = pdf_of_size(1024 * 1024)

    with time_machine.travel(BEFORE_DUE, tick=False):
        client.force_login(student)
        response = post_file(client, deliverable, "report.pdf", data)

    assert shown_messages(response) == [RECEIVED]
    assert Submission.objects.get().size == 1024 * 1024
    assert list(upload_temp_dir.iterdir()) == []


def test_upload_with_folders_in_the_name_keeps_only_the_last_part(
    client,
    student,
    deliverable,
    submission_storage,  # noqa: F811
    upload_temp_dir,
):
    # Django's request parser drops every folder from an uploaded file's name before the portal sees it; the
    # file lands under a random name inside the storage, never next to it.
    with time_machine.travel(BEFORE_DUE, tick=False):
        client.force_login(student)
        response = post_raw_name(client, deliverable, "../../x.pdf", pdf_bytes())

    submission = Submission.objects.get()
    assert shown_messages(response) == [RECEIVED]
    assert submission.original_name == "x.pdf"
    assert stored_files(submission_storage) == [submission_storage / submission.file.name]
    assert not (submission_storage.parent.parent / "x.pdf").exists()
    assert list(upload_temp_dir.iterdir()) == []


# -------------------------------------------------------------------------------- refused uploads


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        pytest.param("report.pdf", b"", "The file is empty. Please choose the file again.", id="empty"),
        pytest.param(
            "report.pdf",
            b"<html><body>My report</body></html>",
            "This file is not a PDF (it does not start like one). Please export it as PDF.",
            id="not-a-pdf",
        ),
        pytest.param(
            "report.pdf",
            pdf_bytes(pages=2)[:-300],
            "This PDF is incomplete (it was cut off). Please export or download it again.",
            id="truncated-pdf",
        ),
        pytest.param(
            "report.pdf",
            pdf_bytes(password="secret"),
            "This PDF is encrypted or password-protected. Please upload a version without protection.",
            id="encrypted-pdf",
        ),
        pytest.param(
            "x.pdf.html",
            pdf_bytes(),
            "This deliverable accepts PDF; the file name ends in “.html”.",
            id="double-extension",
        ),
        pytest.param(
            "con.pdf",
            pdf_bytes(),
            "“con.pdf” is a reserved device name on Windows. Please rename the file.",
            id="reserved-device-name",
        ),
        pytest.param(
            # Shown as "reportexe.pdf": the invisible override reverses what follows it.
            "report\u202efdp.exe",
            pdf_bytes(),
            "The file name contains invisible characters that change the direction of the text, which can "
            "disguise its type. Please rename the file.",
            id="right-to-left-override",
        ),
    ],
)
def test_upload_bad_file_is_refused_with_the_reason(
    client,
    student,
    deliverable,
    name,
    data,
    message,
    submission_storage,  # noqa: F811
    upload_temp_dir,
):
    response = refused_upload(client, deliverable, student, name, data)

    assert_refused(response, deliverable, message + NOTHING_STORED, submission_storage, upload_temp_dir)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            pptx_bytes(extra_entries={"ppt/media/image1.png": b"\0" * 20_000_000}),
            "This PowerPoint file unpacks to far more data than a presentation holds.",
            id="zip-bomb",
        ),
        pytest.param(
            pptx_bytes(macro=True),
            "This PowerPoint file contains macros. Please save it as a plain presentation (.pptx).",
            id="macro-enabled",
        ),
    ],
)
def test_upload_bad_pptx_is_refused_with_the_reason(
    client,
    student,
    data,
    message,
    submission_storage,  # noqa: F811
    upload_temp_dir,
):
    slides = DeliverableFactory(
        seminar=student.memberships.get().seminar, kind="slides", allowed_types=["pdf", "pptx"]
    )

    response = refused_upload(client, slides, student, "slides.pptx", data)

    assert_refused(response, slides, message + NOTHING_STORED, submission_storage, upload_temp_dir)


def test_upload_name_of_300_characters_is_refused(
    client,
    student,
    deliverable,
    submission_storage,  # noqa: F811
    upload_temp_dir,
):
    with time_machine.travel(BEFORE_DUE, tick=False):
        client.force_login(student)
        response = post_raw_name(client, deliverable, "r" * 296 + ".pdf", pdf_bytes())

    assert response.redirect_chain == [(page_url(deliverable), 302)]
    [message] = shown_messages(response)
    assert message.startswith("The file name is ")
    assert message.endswith(
        "The file name is longer than 200 characters. Please shorten it." + NOTHING_STORED
    )
    assert_nothing_stored(submission_storage)
    assert list(upload_temp_dir.iterdir()) == []


def test_upload_over_the_size_limit_is_stopped_while_streaming(
    client,
    student,
    deliverable,
    submission_storage,  # noqa: F811
    upload_temp_dir,
):
    deliverable.max_size_mb = 1
    deliverable.save()

    response = refused_upload(client, deliverable, student, "report.pdf", pdf_of_size(1_500_000))

    message = "The file is larger than the limit of 1.0\xa0MB. Please make it smaller." + NOTHING_STORED
    assert_refused(response, deliverable, message, submission_storage, upload_temp_dir)


def test_upload_one_byte_over_the_size_limit_is_refused(
    client,
    student,
    deliverable,
    submission_storage,  # noqa: F811
    upload_temp_dir,
):
    deliverable.max_size_mb = 1
    deliverable.save()

    response = refused_upload(client, deliverable, student, "report.pdf", pdf_of_size(1024 * 1024 + 1))

    message = "The file is larger than the limit of 1.0\xa0MB. Please make it smaller." + NOTHING_STORED
    assert_refused(response, deliverable, message, submission_storage, upload_temp_dir)


def test_upload_over_the_size_limit_is_refused_before_the_name_and_the_deadline_are_checked(
    client,
    student,
    deliverable,
    submission_storage,  # noqa: F811
    upload_temp_dir,
):
    # Late and with a wrong name as well: only the upload handler, stopping while the body streams in,
    # answers with the size before the service could answer with the deadline or the name.
    deliverable.max_size_mb = 1
    deliverable.save()
    with time_machine.travel(BEFORE_DUE, tick=False):
        client.force_login(student)
    with time_machine.travel(DUE + HOUR, tick=False):
        response = post_file(client, deliverable, "report.exe", b"MZ" + b"\0" * 1_500_000)

    message = "The file is larger than the limit of 1.0\xa0MB. Please make it smaller." + NOTHING_STORED
    assert_refused(response, deliverable, message, submission_storage, upload_temp_dir)


@pytest.mark.parametrize("second_field", ["file", "attachment"])
def test_upload_two_files_in_one_request_is_refused(
    client,
    student,
    deliverable,
    second_field,
    submission_storage,  # noqa: F811
    upload_temp_dir,
):
    files = {"file": SimpleUploadedFile("one.pdf", pdf_bytes())}
    second = SimpleUploadedFile("two.pdf", pdf_bytes(pages=2))
    if second_field == "file":
        files["file"] = [files["file"], second]
    else:
        files[second_field] = second

    with time_machine.travel(BEFORE_DUE, tick=False):
        client.force_login(student)
        response = client.post(upload_url(deliverable), files, follow=True)

    message = "Please upload one file at a time." + NOTHING_STORED
    assert_refused(response, deliverable, message, submission_storage, upload_temp_dir)


def test_upload_without_a_file_is_refused(
    client,
    student,
    deliverable,
    submission_storage,  # noqa: F811
    upload_temp_dir,
):
    with time_machine.travel(BEFORE_DUE, tick=False):
        client.force_login(student)
        response = client.post(upload_url(deliverable), {"comment": "forgot the file"}, follow=True)

    message = "Please choose a file to upload." + NOTHING_STORED
    assert_refused(response, deliverable, message, submission_storage, upload_temp_dir)


def test_upload_after_due_and_grace_is_refused_although_the_page_showed_the_form(
    client,
    student,
    deliverable,
    submission_storage,  # noqa: F811
    upload_temp_dir,
):
    with time_machine.travel(DUE - MINUTE, tick=False):
        client.force_login(student)
        form_page = client.get(page_url(deliverable)).content.decode()
    assert f'action="{upload_url(deliverable)}"' in form_page

    with time_machine.travel(DUE + 10 * MINUTE + timedelta(microseconds=1), tick=False):
        response = post_file(client, deliverable, "report.pdf", pdf_bytes())

    assert_refused(
        response, deliverable, DEADLINE_PASSED + NOTHING_STORED, submission_storage, upload_temp_dir
    )
    assert PAGE_DEADLINE_PASSED in response.content.decode()


def test_upload_by_an_instructor_is_forbidden_and_stores_nothing(
    client,
    deliverable,
    submission_storage,  # noqa: F811
    upload_temp_dir,
):
    with time_machine.travel(BEFORE_DUE, tick=False):
        client.force_login(instructor_of(deliverable.seminar))
        response = client.post(
            upload_url(deliverable), {"file": SimpleUploadedFile("report.pdf", pdf_bytes())}
        )

    assert response.status_code == 403
    assert_nothing_stored(submission_storage)
    assert list(upload_temp_dir.iterdir()) == []


# ------------------------------------------------------------------------------------ the deliverable page


def test_deliverable_page_before_due_shows_the_due_time_in_the_zone_and_the_countdown(
    client, student, deliverable
):
    with time_machine.travel(BEFORE_DUE, tick=False):
        client.force_login(student)
        response = client.get(page_url(deliverable))

    content = response.content.decode()
    assert f'<time datetime="{DUE.isoformat()}">15 December 2026, 23:59 CET (Europe/Berlin)</time>' in content
    assert f'class="countdown" data-countdown="{DUE.isoformat()}" data-grace="10"' in content
    assert "1\xa0hour left" in content
    assert f'action="{upload_url(deliverable)}"' in content
    assert PAGE_DEADLINE_PASSED not in content


def test_deliverable_page_after_due_and_grace_under_refuse_has_no_upload_form(client, student, deliverable):
    with time_machine.travel(DUE + 10 * MINUTE + timedelta(seconds=1), tick=False):
        client.force_login(student)
        response = client.get(page_url(deliverable))

    content = response.content.decode()
    assert PAGE_DEADLINE_PASSED in content
    assert upload_url(deliverable) not in content
    assert "data-upload" not in content
    assert "data-countdown" not in content
    assert "(Europe/Berlin)" in content


def test_deliverable_page_in_the_grace_still_has_the_upload_form(client, student, deliverable):
    with time_machine.travel(DUE + 5 * MINUTE, tick=False):
        client.force_login(student)
        content = client.get(page_url(deliverable)).content.decode()

    assert f'action="{upload_url(deliverable)}"' in content
    assert PAGE_DEADLINE_PASSED not in content


def test_deliverable_page_relative_to_the_talk_says_not_set_yet(client, student):
    relative = DeliverableFactory(
        seminar=student.memberships.get().seminar,
        title="Slides",
        kind="slides",
        due_mode="before_talk",
        days_before_talk=14,
        due_at=None,
    )

    with time_machine.travel(BEFORE_DUE, tick=False):
        client.force_login(student)
        response = client.get(page_url(relative))

    content = response.content.decode()
    assert "14 days before your talk — not set yet: your talk is not scheduled." in content
    assert "data-countdown" not in content


# ---------------------------------------------------------------------------------- the deliverable form


def deliverable_data(**changes) -> dict:
    data = {
        "kind": "report",
        "title": "Written report",
        "instructions": "",
        "order": "1",
        "due_mode": "fixed",
        "due_at": "2026-12-15T23:59",
        "days_before_talk": "",
        "grace_minutes": "0",
        "late_policy": "refuse",
        "late_window_hours": "",
        "allowed_types": ["pdf"],
        "max_size_mb": "20",
        "max_pages": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        pytest.param(
            "2027-03-28T02:30",
            "does not exist in Europe/Berlin: the clocks are put forward that night. "
            "Please choose another time.",
            id="gap",
        ),
        pytest.param(
            "2026-10-25T02:30",
            "happens twice in Europe/Berlin: the clocks are put back that night. "
            "Please choose a time outside the repeated hour.",
            id="overlap",
        ),
    ],
)
def test_deliverable_form_refuses_a_local_time_that_does_not_exist_or_happens_twice(client, typed, message):
    seminar = SeminarFactory()
    client.force_login(instructor_of(seminar))

    response = client.post(reverse("submissions:create", args=[seminar.slug]), deliverable_data(due_at=typed))

    assert response.status_code == 200
    [error] = response.context["form"].errors["due_at"]
    assert error.endswith(message)
    assert escape(message) in response.content.decode()
    assert not Deliverable.objects.exists()


@pytest.mark.parametrize(
    ("typed", "utc"),
    [
        pytest.param("2026-12-15T23:59", DUE, id="winter"),
        pytest.param("2027-06-30T12:00", datetime(2027, 6, 30, 10, 0, tzinfo=UTC), id="summer"),
        pytest.param("2027-03-28T03:30", datetime(2027, 3, 28, 1, 30, tzinfo=UTC), id="after-the-gap"),
        pytest.param("2027-03-28T01:59", datetime(2027, 3, 28, 0, 59, tzinfo=UTC), id="before-the-gap"),
        pytest.param("2026-10-25T03:00", datetime(2026, 10, 25, 2, 0, tzinfo=UTC), id="after-the-overlap"),
        pytest.param("2026-10-25T01:59", datetime(2026, 10, 24, 23, 59, tzinfo=UTC), id="before-the-overlap"),
    ],
)
def test_deliverable_form_stores_the_due_time_in_utc(client, typed, utc):
    seminar = SeminarFactory()
    client.force_login(instructor_of(seminar))

    response = client.post(reverse("submissions:create", args=[seminar.slug]), deliverable_data(due_at=typed))

    deliverable = Deliverable.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("submissions:overview", args=[seminar.slug, deliverable.pk])
    assert deliverable.due_at == utc
    assert deliverable.due_at.utcoffset() == timedelta(0)
    assert deliverable.seminar == seminar


CONTROL_CHARACTERS = (
    'The file name contains control characters or one of < > : " | ? *. Please rename the file.'
)


@pytest.mark.parametrize(
    ("name", "parameter"),
    [
        pytest.param("x.php%00.pdf", None, id="percent-encoded-nul"),
        pytest.param("x.php%00.pdf", "filename*=UTF-8''x.php%00.pdf", id="rfc2231-nul"),
        pytest.param("x.php\x00.pdf", None, id="nul-byte"),
        pytest.param("report\x07.pdf", None, id="bell"),
        pytest.param("x.pdf", "filename*=UTF-8''report%0A.pdf", id="rfc2231-line-break"),
    ],
)
def test_upload_with_a_nul_or_control_character_in_the_name_is_refused(
    client,
    student,
    deliverable,
    name,
    parameter,
    submission_storage,  # noqa: F811
    upload_temp_dir,
):
    with time_machine.travel(BEFORE_DUE, tick=False):
        client.force_login(student)
        response = post_raw_name(client, deliverable, name, pdf_bytes(), parameter=parameter)

    assert_refused(
        response, deliverable, CONTROL_CHARACTERS + NOTHING_STORED, submission_storage, upload_temp_dir
    )


# ------------------------------------------------------------------------------- active content in a PDF


def test_upload_of_a_pdf_with_javascript_is_refused_saying_what_was_found(
    client,
    student,
    deliverable,
    submission_storage,  # noqa: F811
    upload_temp_dir,
):
    response = refused_upload(
        client, deliverable, student, "report.pdf", pdf_with(javascript=True, launch=True)
    )

    assert_refused(
        response,
        deliverable,
        "This PDF contains JavaScript and a launch action (it starts a program), which can run when the file "
        "is opened. Please export it again as a plain PDF (for example with “Print to PDF”), or ask the "
        "instructors." + NOTHING_STORED,
        submission_storage,
        upload_temp_dir,
    )


@pytest.mark.parametrize(
    ("allow", "content", "mark"),
    [
        pytest.param(False, {"attachment": True}, "contains embedded files", id="embedded-file"),
        pytest.param(True, {"javascript": True}, "contains JavaScript", id="javascript-allowed"),
    ],
)
def test_upload_of_a_pdf_with_embedded_files_or_allowed_scripts_is_stored_and_marked_for_the_instructors(
    client, student, deliverable, allow, content, mark
):
    deliverable.allow_active_content = allow
    deliverable.save()
    instructor = instructor_of(deliverable.seminar)
    with time_machine.travel(BEFORE_DUE, tick=False):
        client.force_login(student)
        response = refused_upload(client, deliverable, student, "report.pdf", pdf_with(**content))
        client.force_login(instructor)
        overview = client.get(
            reverse("submissions:overview", args=[deliverable.seminar.slug, deliverable.pk])
        )
        versions = client.get(
            reverse("submissions:student", args=[deliverable.seminar.slug, deliverable.pk, student.pk])
        )

    assert shown_messages(response) == [RECEIVED]
    assert Submission.objects.get().pdf_features == sorted(content_feature(content))
    assert mark in overview.content.decode()
    assert mark in versions.content.decode()


def content_feature(content: dict) -> list[str]:
    return ["embedded_file" if name == "attachment" else name for name in content]


def test_upload_of_a_plain_pdf_is_not_marked(client, student, deliverable):
    instructor = instructor_of(deliverable.seminar)
    with time_machine.travel(BEFORE_DUE, tick=False):
        refused_upload(client, deliverable, student, "report.pdf", pdf_bytes())
        client.force_login(instructor)
        overview = client.get(
            reverse("submissions:overview", args=[deliverable.seminar.slug, deliverable.pk])
        )

    assert Submission.objects.get().pdf_features == []
    assert "contains" not in overview.content.decode()
