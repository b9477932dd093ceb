"""The write services of submissions: uploads judged against the student's own due time (grace, late window,
extensions, a moved deadline), versions that are never overwritten, the receipt mail, extensions granted and
revoked, and two uploads of one student at the same moment. Time is pinned by passing `received_at` / `now`.
"""

import hashlib
import re
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.db import connection

from accounts.models import User
from core.models import OutboxTask
from submissions import selectors, services
from submissions.exceptions import (
    DeadlinePassedError,
    ExtensionError,
    FileRejectedError,
    NotAStudentError,
)
from submissions.models import Deliverable, Extension, Submission
from tests.factories import SeminarFactory, UserFactory, instructor_of, student_of, supervisor_of

from .helpers import (
    DAY,
    DUE,
    DeliverableFactory,
    assert_nothing_stored,
    pdf_bytes,
    pptx_bytes,
    stored_files,
    submission_storage,  # noqa: F401 - the fixture, found by pytest in this module's namespace
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("submission_storage")]

MICROSECOND = timedelta(microseconds=1)
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
GRANTED = DUE - 3 * DAY

DEADLINE_PASSED = (
    "The deadline has passed: this upload arrived too late and was not accepted. "
    "If you have a good reason, ask the instructors for an extension."
)
NOT_A_STUDENT = "Only enrolled students of this seminar can upload to it."


@pytest.fixture
def deliverable() -> Deliverable:
    return DeliverableFactory()


@pytest.fixture
def student(deliverable) -> User:
    return student_of(deliverable.seminar, user__full_name="Mia Student")


@pytest.fixture
def instructor(deliverable) -> User:
    return instructor_of(deliverable.seminar)


def submit(
    deliverable: Deliverable,
    student: User,
    received_at: datetime,
    *,
    name: str = "report.pdf",
    data: bytes | None = None,
) -> Submission:
    return services.submission_create(
        deliverable=deliverable,
        student=student,
        upload=SimpleUploadedFile(name, pdf_bytes() if data is None else data),
        received_at=received_at,
    )


def grant(
    deliverable: Deliverable, student: User, by: User, *, now: datetime = GRANTED, **kwargs
) -> Extension:
    return services.extension_grant(
        deliverable=deliverable,
        student=student,
        reason="Ill, certificate seen",
        granted_by=by,
        now=now,
        **kwargs,
    )


def move_due(deliverable: Deliverable, due_at: datetime) -> Deliverable:
    deliverable.due_at = due_at
    return services.deliverable_save(seminar=deliverable.seminar, deliverable=deliverable)


def refused_deadline(deliverable: Deliverable, student: User, received_at: datetime, root) -> None:
    with pytest.raises(DeadlinePassedError) as caught:
        submit(deliverable, student, received_at)
    assert str(caught.value) == DEADLINE_PASSED
    assert_nothing_stored(root)


# ------------------------------------------------------------------------------------ the due time itself


def test_submission_create_one_microsecond_before_due_is_on_time(deliverable, student):
    submission = submit(deliverable, student, DUE - MICROSECOND)

    assert (submission.is_late, submission.received_at, submission.due_at) == (False, DUE - MICROSECOND, DUE)


def test_submission_create_exactly_at_due_is_on_time(deliverable, student):
    submission = submit(deliverable, student, DUE)

    assert (submission.is_late, submission.received_at, submission.due_at) == (False, DUE, DUE)


def test_submission_create_one_microsecond_after_due_is_refused_under_refuse(
    deliverable,
    student,
    submission_storage,  # noqa: F811
):
    refused_deadline(deliverable, student, DUE + MICROSECOND, submission_storage)


def test_submission_create_one_microsecond_after_due_is_late_under_accept_late(deliverable, student):
    deliverable.late_policy = Deliverable.Policy.ACCEPT_LATE
    deliverable.save()

    submission = submit(deliverable, student, DUE + MICROSECOND)

    assert (submission.is_late, submission.due_at) == (True, DUE)


def test_submission_create_at_the_end_of_the_grace_is_on_time(deliverable, student):
    deliverable.grace_minutes = 15
    deliverable.save()

    submission = submit(deliverable, student, DUE + 15 * MINUTE)

    # The due time on record stays the deliverable's; the grace only widens what counts as on time.
    assert (submission.is_late, submission.due_at) == (False, DUE)


def test_submission_create_one_microsecond_after_the_grace_is_refused(
    deliverable,
    student,
    submission_storage,  # noqa: F811
):
    deliverable.grace_minutes = 15
    deliverable.save()

    refused_deadline(deliverable, student, DUE + 15 * MINUTE + MICROSECOND, submission_storage)


def test_submission_create_one_microsecond_after_the_grace_is_late_under_accept_late(deliverable, student):
    deliverable.grace_minutes = 15
    deliverable.late_policy = Deliverable.Policy.ACCEPT_LATE
    deliverable.save()

    submission = submit(deliverable, student, DUE + 15 * MINUTE + MICROSECOND)

    assert submission.is_late is True


def test_submission_create_at_the_late_cutoff_is_late(deliverable, student):
    deliverable.grace_minutes = 10
    deliverable.late_policy = Deliverable.Policy.ACCEPT_LATE
    deliverable.late_window_hours = 24
    deliverable.save()

    submission = submit(deliverable, student, DUE + 10 * MINUTE + 24 * HOUR)

    assert (submission.is_late, submission.due_at) == (True, DUE)


def test_submission_create_one_microsecond_after_the_late_cutoff_is_refused(
    deliverable,
    student,
    submission_storage,  # noqa: F811
):
    deliverable.grace_minutes = 10
    deliverable.late_policy = Deliverable.Policy.ACCEPT_LATE
    deliverable.late_window_hours = 24
    deliverable.save()

    refused_deadline(deliverable, student, DUE + 10 * MINUTE + 24 * HOUR + MICROSECOND, submission_storage)


def test_submission_create_long_after_due_is_late_when_the_late_window_is_open_ended(deliverable, student):
    deliverable.late_policy = Deliverable.Policy.ACCEPT_LATE
    deliverable.late_window_hours = None
    deliverable.save()

    submission = submit(deliverable, student, DUE + 365 * DAY)

    assert submission.is_late is True


def test_submission_create_without_a_due_time_yet_is_on_time(student):
    deliverable = DeliverableFactory(
        seminar=student.memberships.get().seminar, due_mode="before_talk", due_at=None, days_before_talk=14
    )

    submission = submit(deliverable, student, DUE + 365 * DAY)

    assert (submission.is_late, submission.due_at) == (False, None)


# ------------------------------------------------------------------------------------------ extensions


def test_submission_create_within_extra_time_is_on_time(deliverable, student, instructor):
    grant(deliverable, student, instructor, extra_minutes=120)

    submission = submit(deliverable, student, DUE + 2 * HOUR)

    assert (submission.is_late, submission.due_at) == (False, DUE + 2 * HOUR)


def test_submission_create_after_extra_time_is_refused(
    deliverable,
    student,
    instructor,
    submission_storage,  # noqa: F811
):
    grant(deliverable, student, instructor, extra_minutes=120)

    refused_deadline(deliverable, student, DUE + 2 * HOUR + MICROSECOND, submission_storage)


def test_submission_create_extra_time_adds_to_the_grace(deliverable, student, instructor):
    deliverable.grace_minutes = 15
    deliverable.save()
    grant(deliverable, student, instructor, extra_minutes=60)

    on_time = submit(deliverable, student, DUE + HOUR + 15 * MINUTE)

    assert (on_time.is_late, on_time.due_at) == (False, DUE + HOUR)


def test_submission_create_up_to_a_new_due_time_is_on_time(deliverable, student, instructor):
    grant(deliverable, student, instructor, new_due_at=DUE + 3 * DAY)

    submission = submit(deliverable, student, DUE + 3 * DAY)

    assert (submission.is_late, submission.due_at) == (False, DUE + 3 * DAY)


def test_submission_create_after_a_new_due_time_is_refused(
    deliverable,
    student,
    instructor,
    submission_storage,  # noqa: F811
):
    grant(deliverable, student, instructor, new_due_at=DUE + 3 * DAY)

    refused_deadline(deliverable, student, DUE + 3 * DAY + MICROSECOND, submission_storage)


def test_submission_create_extension_of_another_student_does_not_help(
    deliverable,
    student,
    instructor,
    submission_storage,  # noqa: F811
):
    grant(deliverable, student_of(deliverable.seminar), instructor, extra_minutes=120)

    refused_deadline(deliverable, student, DUE + HOUR, submission_storage)


def test_submission_create_after_the_extension_was_revoked_is_refused(
    deliverable,
    student,
    instructor,
    submission_storage,  # noqa: F811
):
    extension = grant(deliverable, student, instructor, extra_minutes=120)
    services.extension_revoke(extension=extension, revoked_by=instructor, now=GRANTED + DAY)

    refused_deadline(deliverable, student, DUE + HOUR, submission_storage)


def test_submission_create_extra_time_moves_with_a_later_due_time(deliverable, student, instructor):
    grant(deliverable, student, instructor, extra_minutes=60)
    moved = move_due(deliverable, DUE + 2 * DAY)

    on_time = submit(moved, student, DUE + 2 * DAY + HOUR)

    assert (on_time.is_late, on_time.due_at) == (False, DUE + 2 * DAY + HOUR)
    assert selectors.deadline_for(moved, student).due == DUE + 2 * DAY + HOUR


def test_submission_create_after_extra_time_on_a_later_due_time_is_refused(
    deliverable,
    student,
    instructor,
    submission_storage,  # noqa: F811
):
    grant(deliverable, student, instructor, extra_minutes=60)
    moved = move_due(deliverable, DUE + 2 * DAY)

    refused_deadline(moved, student, DUE + 2 * DAY + HOUR + MICROSECOND, submission_storage)


def test_submission_create_extra_time_moves_with_an_earlier_due_time(
    deliverable,
    student,
    instructor,
    submission_storage,  # noqa: F811
):
    grant(deliverable, student, instructor, extra_minutes=60)
    moved = move_due(deliverable, DUE - DAY)

    # On time under the old due time plus the hour, but the hour now counts from the earlier due time.
    refused_deadline(moved, student, DUE + 30 * MINUTE, submission_storage)
    on_time = submit(moved, student, DUE - DAY + HOUR)
    assert (on_time.is_late, on_time.due_at) == (False, DUE - DAY + HOUR)


def test_submission_create_new_due_time_gives_way_to_a_later_moved_due_time(deliverable, student, instructor):
    grant(deliverable, student, instructor, new_due_at=DUE + DAY)
    moved = move_due(deliverable, DUE + 2 * DAY)

    on_time = submit(moved, student, DUE + 2 * DAY)

    assert (on_time.is_late, on_time.due_at) == (False, DUE + 2 * DAY)


def test_extension_grant_records_who_and_when(deliverable, student, instructor):
    extension = grant(deliverable, student, instructor, extra_minutes=90)

    extension.refresh_from_db()
    assert (extension.granted_by, extension.granted_at, extension.extra, extension.new_due_at) == (
        instructor,
        GRANTED,
        90 * MINUTE,
        None,
    )
    assert (extension.reason, extension.is_active, extension.revoked_by) == (
        "Ill, certificate seen",
        True,
        None,
    )


@pytest.mark.parametrize(
    "new_due_at",
    [pytest.param(DUE - MINUTE, id="earlier"), pytest.param(DUE, id="equal")],
)
def test_extension_grant_new_due_time_not_later_than_the_deliverables_is_refused(
    deliverable, student, instructor, new_due_at
):
    with pytest.raises(ExtensionError) as caught:
        grant(deliverable, student, instructor, new_due_at=new_due_at)

    assert str(caught.value) == "The new due time must be later than the deliverable's due time."
    assert not Extension.objects.exists()


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({}, id="neither"),
        pytest.param({"new_due_at": DUE + DAY, "extra_minutes": 60}, id="both"),
        pytest.param({"extra_minutes": 0}, id="zero-minutes"),
    ],
)
def test_extension_grant_without_exactly_one_kind_of_time_is_refused(
    deliverable, student, instructor, kwargs
):
    with pytest.raises(ExtensionError) as caught:
        grant(deliverable, student, instructor, **kwargs)

    assert str(caught.value) == "Give either a new due time or extra time."
    assert not Extension.objects.exists()


def test_extension_grant_without_a_reason_is_refused(deliverable, student, instructor):
    with pytest.raises(ExtensionError) as caught:
        services.extension_grant(
            deliverable=deliverable,
            student=student,
            extra_minutes=60,
            reason="  \n ",
            granted_by=instructor,
            now=GRANTED,
        )

    assert str(caught.value) == "Please give a reason; it is kept with the extension."
    assert not Extension.objects.exists()


@pytest.mark.parametrize("who", ["instructor", "supervisor", "outsider", "student_elsewhere"])
def test_extension_grant_to_someone_not_a_student_of_the_seminar_is_refused(deliverable, instructor, who):
    person = {
        "instructor": lambda: instructor,
        "supervisor": lambda: supervisor_of(deliverable.seminar),
        "outsider": UserFactory,
        "student_elsewhere": lambda: student_of(SeminarFactory()),
    }[who]()

    with pytest.raises(ExtensionError) as caught:
        grant(deliverable, person, instructor, extra_minutes=60)

    assert str(caught.value) == "Extensions are for students of this seminar."
    assert not Extension.objects.exists()


def test_extension_grant_a_second_time_revokes_the_first_and_keeps_both(deliverable, student, instructor):
    colleague = instructor_of(deliverable.seminar)
    first = grant(deliverable, student, instructor, extra_minutes=60)

    second = grant(deliverable, student, colleague, now=GRANTED + DAY, new_due_at=DUE + 2 * DAY)

    first.refresh_from_db()
    assert (first.revoked_by, first.revoked_at, first.granted_by, first.granted_at) == (
        colleague,
        GRANTED + DAY,
        instructor,
        GRANTED,
    )
    assert (second.revoked_at, second.granted_by, second.granted_at) == (None, colleague, GRANTED + DAY)
    assert list(Extension.objects.filter(student=student).order_by("pk")) == [first, second]
    assert selectors.active_extension(deliverable, student) == second
    assert selectors.deadline_for(deliverable, student).due == DUE + 2 * DAY


def test_extension_grant_a_second_time_judges_by_the_second_only(
    deliverable,
    student,
    instructor,
    submission_storage,  # noqa: F811
):
    grant(deliverable, student, instructor, extra_minutes=24 * 60)
    grant(deliverable, student, instructor, now=GRANTED + DAY, extra_minutes=60)

    refused_deadline(deliverable, student, DUE + 2 * HOUR, submission_storage)


def test_extension_revoke_records_who_and_when(deliverable, student, instructor):
    extension = grant(deliverable, student, instructor, extra_minutes=60)

    revoked = services.extension_revoke(extension=extension, revoked_by=instructor, now=GRANTED + HOUR)

    revoked.refresh_from_db()
    assert (revoked.revoked_by, revoked.revoked_at, revoked.is_active) == (instructor, GRANTED + HOUR, False)
    assert selectors.active_extension(deliverable, student) is None
    assert selectors.deadline_for(deliverable, student).due == DUE


def test_extension_revoke_twice_keeps_the_first_revocation(deliverable, student, instructor):
    colleague = instructor_of(deliverable.seminar)
    extension = grant(deliverable, student, instructor, extra_minutes=60)
    services.extension_revoke(extension=extension, revoked_by=instructor, now=GRANTED + HOUR)

    again = services.extension_revoke(extension=extension, revoked_by=colleague, now=GRANTED + DAY)

    again.refresh_from_db()
    assert (again.revoked_by, again.revoked_at) == (instructor, GRANTED + HOUR)
    assert Extension.objects.count() == 1


def test_extension_grant_after_a_revocation_is_the_active_one(deliverable, student, instructor):
    first = grant(deliverable, student, instructor, extra_minutes=60)
    services.extension_revoke(extension=first, revoked_by=instructor, now=GRANTED + HOUR)

    second = grant(deliverable, student, instructor, now=GRANTED + DAY, extra_minutes=30)

    first.refresh_from_db()
    assert (first.revoked_at, second.revoked_at) == (GRANTED + HOUR, None)
    assert selectors.deadline_for(deliverable, student).due == DUE + 30 * MINUTE


# ------------------------------------------------------------------------------------- the deliverable


def test_deliverable_save_fixed_clears_the_days_before_talk(student):
    seminar = student.memberships.get().seminar
    deliverable = Deliverable(
        title="Slides",
        kind="slides",
        due_mode="fixed",
        due_at=DUE,
        days_before_talk=14,
        allowed_types=["pdf"],
    )

    saved = services.deliverable_save(seminar=seminar, deliverable=deliverable)

    saved.refresh_from_db()
    assert (saved.seminar, saved.due_at, saved.days_before_talk) == (seminar, DUE, None)


def test_deliverable_save_before_talk_clears_the_fixed_time():
    seminar = SeminarFactory()
    deliverable = Deliverable(title="Slides", due_mode="before_talk", due_at=DUE, days_before_talk=14)

    saved = services.deliverable_save(seminar=seminar, deliverable=deliverable)

    saved.refresh_from_db()
    assert (saved.due_at, saved.days_before_talk) == (None, 14)


def test_deliverable_save_refuse_drops_the_late_settings(deliverable):
    deliverable.late_policy = Deliverable.Policy.REFUSE
    deliverable.late_window_hours = 48
    deliverable.late_replaces_on_time = True

    saved = services.deliverable_save(seminar=deliverable.seminar, deliverable=deliverable)

    saved.refresh_from_db()
    assert (saved.late_window_hours, saved.late_replaces_on_time) == (None, False)


def test_deliverable_save_accept_late_keeps_the_late_settings(deliverable):
    deliverable.late_policy = Deliverable.Policy.ACCEPT_LATE
    deliverable.late_window_hours = 48
    deliverable.late_replaces_on_time = True

    saved = services.deliverable_save(seminar=deliverable.seminar, deliverable=deliverable)

    saved.refresh_from_db()
    assert (saved.late_window_hours, saved.late_replaces_on_time) == (48, True)


# ------------------------------------------------------------------------------------ what is stored


def test_submission_create_stores_the_file_under_a_random_name(
    deliverable,
    student,
    submission_storage,  # noqa: F811
):
    data = pdf_bytes(pages=3)

    submission = submit(deliverable, student, DUE - HOUR, name="Mia Müller – Report.PDF", data=data)

    assert re.fullmatch(rf"seminar-{deliverable.seminar_id}/[0-9a-f]{{32}}\.pdf", submission.file.name)
    assert "Report" not in submission.file.name
    assert (submission_storage / submission.file.name).read_bytes() == data
    assert stored_files(submission_storage) == [submission_storage / submission.file.name]
    submission.refresh_from_db()
    assert (submission.original_name, submission.file_type, submission.size, submission.page_count) == (
        "Mia Müller – Report.PDF",
        "pdf",
        len(data),
        3,
    )
    assert submission.sha256 == hashlib.sha256(data).hexdigest()
    assert (submission.received_at, submission.due_at, submission.is_late) == (DUE - HOUR, DUE, False)
    assert (submission.student, submission.deliverable, submission.version) == (student, deliverable, 1)


def test_submission_create_from_a_temporary_file_on_disk(
    deliverable,
    student,
    settings,
    tmp_path,
    submission_storage,  # noqa: F811
):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    data = pdf_bytes(pages=2, padding=200_000)
    upload = TemporaryUploadedFile("report.pdf", "application/pdf", len(data), None)
    upload.write(data)
    upload.seek(0)
    assert Path(upload.temporary_file_path()).parent == tmp_path

    submission = services.submission_create(
        deliverable=deliverable, student=student, upload=upload, received_at=DUE - HOUR
    )
    upload.close()

    assert (submission_storage / submission.file.name).read_bytes() == data
    assert (submission.size, submission.page_count) == (len(data), 2)
    assert submission.sha256 == hashlib.sha256(data).hexdigest()
    assert [path.name for path in tmp_path.iterdir() if path.is_file()] == []


def test_submission_create_pptx_has_no_page_count(student):
    deliverable = DeliverableFactory(seminar=student.memberships.get().seminar, allowed_types=["pdf", "pptx"])
    data = pptx_bytes()

    submission = submit(deliverable, student, DUE - HOUR, name="slides.pptx", data=data)

    assert (submission.file_type, submission.page_count, submission.size) == ("pptx", None, len(data))
    assert submission.file.name.endswith(".pptx")


def test_submission_create_each_upload_is_a_new_version(
    deliverable,
    student,
    submission_storage,  # noqa: F811
):
    contents = [pdf_bytes(pages=pages) for pages in (1, 2, 3)]

    submissions = [
        submit(deliverable, student, DUE - (3 - index) * HOUR, name="report.pdf", data=data)
        for index, data in enumerate(contents)
    ]

    assert [submission.version for submission in submissions] == [1, 2, 3]
    assert len({submission.file.name for submission in submissions}) == 3
    for submission, data in zip(submissions, contents, strict=True):
        submission.refresh_from_db()
        stored = (submission_storage / submission.file.name).read_bytes()
        assert stored == data
        assert hashlib.sha256(stored).hexdigest() == submission.sha256 == hashlib.sha256(data).hexdigest()
    assert len(stored_files(submission_storage)) == 3


def test_submission_create_versions_count_per_student_and_deliverable(deliverable, student):
    other_student = student_of(deliverable.seminar)
    slides = DeliverableFactory(seminar=deliverable.seminar, title="Slides")

    first = submit(deliverable, student, DUE - 2 * HOUR)
    others = submit(deliverable, other_student, DUE - 2 * HOUR)
    on_slides = submit(slides, student, DUE - 2 * HOUR)
    second = submit(deliverable, student, DUE - HOUR)

    assert [first.version, others.version, on_slides.version, second.version] == [1, 1, 1, 2]


def test_versions_of_counts_the_latest_on_time_version(deliverable, student):
    deliverable.late_policy = Deliverable.Policy.ACCEPT_LATE
    deliverable.save()
    first = submit(deliverable, student, DUE - 2 * HOUR)
    second = submit(deliverable, student, DUE)
    late = submit(deliverable, student, DUE + HOUR)

    versions = selectors.versions_of(deliverable, student)

    assert versions.items == [first, second, late]
    assert (versions.counted, versions.last) == (second, late)
    assert [item.is_late for item in versions.items] == [False, False, True]


def test_versions_of_counts_a_late_version_when_late_replaces_on_time(deliverable, student):
    deliverable.late_policy = Deliverable.Policy.ACCEPT_LATE
    deliverable.late_replaces_on_time = True
    deliverable.save()
    submit(deliverable, student, DUE - HOUR)
    late = submit(deliverable, student, DUE + HOUR)

    assert selectors.versions_of(deliverable, student).counted == late


def test_versions_of_counts_the_latest_late_version_when_none_is_on_time(deliverable, student):
    deliverable.late_policy = Deliverable.Policy.ACCEPT_LATE
    deliverable.save()
    submit(deliverable, student, DUE + HOUR)
    latest = submit(deliverable, student, DUE + 2 * HOUR)

    assert selectors.versions_of(deliverable, student).counted == latest


def test_versions_of_without_uploads_counts_nothing(deliverable, student):
    versions = selectors.versions_of(deliverable, student)

    assert (versions.items, versions.counted, versions.last) == ([], None, None)


def test_submission_create_refused_after_versions_keeps_them(
    deliverable,
    student,
    submission_storage,  # noqa: F811
):
    kept = submit(deliverable, student, DUE - HOUR)
    before = {path: path.read_bytes() for path in stored_files(submission_storage)}

    with pytest.raises(DeadlinePassedError):
        submit(deliverable, student, DUE + HOUR, data=pdf_bytes(pages=2))

    assert list(Submission.objects.all()) == [kept]
    assert {path: path.read_bytes() for path in stored_files(submission_storage)} == before


# ---------------------------------------------------------------------------------------- refused files


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        pytest.param(
            "report.pdf",
            b"<html>hello</html>",
            "This file is not a PDF (it does not start like one). Please export it as PDF.",
            id="not-a-pdf",
        ),
        pytest.param("report.pdf", b"", "The file is empty. Please choose the file again.", id="empty"),
        pytest.param(
            "report\u202efdp.exe",
            b"%PDF-1.7",
            "The file name contains invisible characters that change the direction of the text, "
            "which can disguise its type. Please rename the file.",
            id="right-to-left-override",
        ),
        pytest.param(
            "..\\..\\report.pdf",
            b"%PDF-1.7",
            "The file name must not contain folders (“/” or “\\”). Please rename the file.",
            id="folders",
        ),
        pytest.param(
            "report.docx",
            b"PK",
            "This deliverable accepts PDF; the file name ends in “.docx”.",
            id="wrong-type",
        ),
    ],
)
def test_submission_create_refused_file_stores_nothing(
    deliverable,
    student,
    name,
    data,
    message,
    submission_storage,  # noqa: F811
):
    with pytest.raises(FileRejectedError) as caught:
        submit(deliverable, student, DUE - HOUR, name=name, data=data)

    assert str(caught.value) == message
    assert_nothing_stored(submission_storage)


def test_submission_create_over_the_page_limit_stores_nothing(
    deliverable,
    student,
    submission_storage,  # noqa: F811
):
    deliverable.max_pages = 2
    deliverable.save()

    with pytest.raises(FileRejectedError) as caught:
        submit(deliverable, student, DUE - HOUR, data=pdf_bytes(pages=3))

    assert str(caught.value) == "This PDF has 3 pages; at most 2 are allowed."
    assert_nothing_stored(submission_storage)


@pytest.mark.parametrize("who", ["instructor", "supervisor", "outsider", "student_elsewhere"])
def test_submission_create_by_someone_not_a_student_of_the_seminar_stores_nothing(
    deliverable,
    who,
    submission_storage,  # noqa: F811
):
    person = {
        "instructor": lambda: instructor_of(deliverable.seminar),
        "supervisor": lambda: supervisor_of(deliverable.seminar),
        "outsider": UserFactory,
        "student_elsewhere": lambda: student_of(SeminarFactory()),
    }[who]()

    with pytest.raises(NotAStudentError) as caught:
        submit(deliverable, person, DUE - HOUR)

    assert str(caught.value) == NOT_A_STUDENT
    assert_nothing_stored(submission_storage)
    assert mail.outbox == []


# ------------------------------------------------------------------------------------------ the receipt


def test_submission_create_mails_one_receipt_to_the_student(
    deliverable, student, django_capture_on_commit_callbacks
):
    data = pdf_bytes(pages=2)
    received_at = datetime(2026, 12, 15, 22, 58, 30, tzinfo=UTC)

    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(deliverable, student, received_at, name="Mia Report.pdf", data=data)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [student.email]
    assert message.subject == "[Seminar portal] Receipt: Written report, version 1"
    body = message.body
    assert "File: Mia Report.pdf" in body
    assert f"Size: {len(data)} bytes" in body
    assert f"SHA-256: {hashlib.sha256(data).hexdigest()}" in body
    assert "Status: On time" in body
    assert "Late" not in body
    # 22:58 UTC is 23:58 in Berlin in winter; the zone is named.
    assert "Received: 15 December 2026, 23:58 CET (Europe/Berlin)" in body
    html = message.alternatives[0][0]
    assert hashlib.sha256(data).hexdigest() in html
    assert "(Europe/Berlin)" in html
    assert submission.sha256 in html
    assert not OutboxTask.objects.exists()


def test_submission_create_late_receipt_says_late(deliverable, student, django_capture_on_commit_callbacks):
    deliverable.late_policy = Deliverable.Policy.ACCEPT_LATE
    deliverable.save()

    with django_capture_on_commit_callbacks(execute=True):
        submit(deliverable, student, DUE + HOUR)

    assert len(mail.outbox) == 1
    assert "Status: Late" in mail.outbox[0].body
    assert "On time" not in mail.outbox[0].body


def test_submission_create_receipt_names_the_version(
    deliverable, student, django_capture_on_commit_callbacks
):
    submit(deliverable, student, DUE - 2 * HOUR)

    with django_capture_on_commit_callbacks(execute=True):
        submit(deliverable, student, DUE - HOUR)

    assert [message.subject for message in mail.outbox] == (
        ["[Seminar portal] Receipt: Written report, version 2"]
    )
    assert "Version: 2" in mail.outbox[0].body


def test_submission_create_receipt_in_german(deliverable, student, django_capture_on_commit_callbacks):
    student.language = "de"
    student.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_create(
            deliverable=deliverable,
            student=student,
            upload=SimpleUploadedFile("bericht.pdf", pdf_bytes()),
            received_at=DUE - HOUR,
        )

    assert len(mail.outbox) == 1
    assert "bericht.pdf" in mail.outbox[0].body
    assert "(Europe/Berlin)" in mail.outbox[0].body
    assert "Receipt:" not in mail.outbox[0].subject


@pytest.mark.parametrize(
    ("received_at", "error"),
    [
        pytest.param(DUE + HOUR, DeadlinePassedError, id="too-late"),
        pytest.param(DUE - HOUR, FileRejectedError, id="not-a-pdf"),
    ],
)
def test_submission_create_refused_sends_no_receipt(
    deliverable, student, django_capture_on_commit_callbacks, received_at, error
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(error):
        submit(deliverable, student, received_at, data=b"not a pdf")

    assert (callbacks, mail.outbox) == ([], [])
    assert not OutboxTask.objects.exists()


# ---------------------------------------------------------------------------------- at the same moment


@pytest.mark.django_db(transaction=True)
def test_submission_create_two_at_once_by_one_student_become_two_versions(
    submission_storage,  # noqa: F811
):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite locks the whole database file; the row lock is tested on PostgreSQL")
    deliverable = DeliverableFactory()
    student = student_of(deliverable.seminar)
    contents = [pdf_bytes(pages=1), pdf_bytes(pages=2)]
    start = threading.Barrier(len(contents))
    results: list[Submission] = []
    errors: list[BaseException] = []

    def upload(data: bytes) -> None:
        try:
            start.wait(timeout=10)
            results.append(submit(deliverable, student, DUE - MINUTE, data=data))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload, args=(data,)) for data in contents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(submission.version for submission in results) == [1, 2]
    stored = Submission.objects.filter(deliverable=deliverable, student=student).order_by("version")
    assert [submission.version for submission in stored] == [1, 2]
    assert sorted((submission_storage / item.file.name).read_bytes() for item in stored) == sorted(contents)
    assert len(stored_files(submission_storage)) == 2


@pytest.mark.django_db(transaction=True)
def test_submission_create_versions_follow_the_receipt_time_whatever_order_the_checks_finish_in(
    submission_storage,  # noqa: F811
):
    """A large PDF received first is still being checked when a small one received 0.6 s later arrives:
    the large one is version 1, the small one version 2, and the small one counts (the later on-time
    version), as its receipt says."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite locks the whole database file; the row lock is tested on PostgreSQL")
    deliverable = DeliverableFactory(max_size_mb=40)
    student = student_of(deliverable.seminar)
    large = pdf_bytes(pages=20_000, padding=30_000_000)  # about a second of checks
    small = pdf_bytes(pages=1)
    received = {large: DUE - timedelta(seconds=10), small: DUE - timedelta(seconds=9.4)}
    results: dict[bytes, Submission] = {}
    errors: list[BaseException] = []

    def upload(data: bytes, delay: float) -> None:
        try:
            threading.Event().wait(delay)
            results[data] = submit(deliverable, student, received[data], data=data)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload, args=item) for item in ((large, 0), (small, 0.3))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert (results[large].version, results[small].version) == (1, 2)
    stored = list(Submission.objects.filter(deliverable=deliverable, student=student).order_by("version"))
    assert [item.received_at for item in stored] == [received[large], received[small]]
    assert selectors.versions_of(deliverable, student).counted.pk == results[small].pk


@pytest.mark.django_db
def test_submission_create_never_gives_a_version_an_earlier_receipt_time_than_the_one_before(
    deliverable, student
):
    first = submit(deliverable, student, DUE - MINUTE)

    second = submit(deliverable, student, DUE - 2 * MINUTE)

    assert (first.version, second.version) == (1, 2)
    assert second.received_at == first.received_at


@pytest.mark.django_db(transaction=True)
def test_submission_create_of_one_student_does_not_hold_up_another_students_upload(
    submission_storage,  # noqa: F811
):
    """The lock that orders one student's versions is their membership row only (not the seminar's row,
    which the model's ordering would join into FOR UPDATE): while a large file of one student is checked,
    another student of the same seminar gets their lock and commits at once."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite locks the whole database file; the row lock is tested on PostgreSQL")
    deliverable = DeliverableFactory(max_size_mb=40)
    slow, quick = student_of(deliverable.seminar), student_of(deliverable.seminar)
    large = pdf_bytes(pages=20_000, padding=30_000_000)
    moments: dict[str, float] = {}
    errors: list[BaseException] = []

    def note_commit(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.startswith("INSERT INTO") and "outboxtask" in sql:
            moments.setdefault(threading.current_thread().name, time.monotonic())
        return result

    def upload(student, data: bytes, delay: float) -> None:
        try:
            threading.Event().wait(delay)
            with connection.execute_wrapper(note_commit):
                submit(deliverable, student, DUE - MINUTE, data=data)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=upload, args=(slow, large, 0), name="slow"),
        threading.Thread(target=upload, args=(quick, pdf_bytes(), 0.3), name="quick"),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    # The outbox row is the last write of the upload's transaction: the quick one got there first.
    assert moments["quick"] < moments["slow"]
