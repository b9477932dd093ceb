"""Every write of submissions: deliverables, extensions, and uploads (the one path every upload takes)."""

from datetime import datetime

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.file_checks import check_upload
from core.file_storage import upload_storage
from core.file_types import FileRefused
from core.languages import in_reader_language
from core.mail import mail_send, portal_link
from core.outbox import enqueue_on_commit
from seminars.models import Seminar
from seminars.services import membership_lock

from . import selectors
from .deadlines import Verdict, judge
from .exceptions import DeadlinePassedError, ExtensionError, FileRejectedError, NotAStudentError
from .models import Deliverable, Extension, ExtraUnit, Submission
from .tasks import task_submission_receipt_notify

# A file whose extension the deliverable does not take (placeholders as core.file_checks.TYPE_REFUSED).
FILE_TYPE_REFUSED = gettext_lazy(
    "This deliverable accepts %(types)s; the file name ends in “.%(extension)s”."
)


def deliverable_save(*, seminar: Seminar, deliverable: Deliverable) -> Deliverable:
    """Creates or changes a deliverable of `seminar` (the form has validated its fields). Changing the due
    time moves every student's due time; extensions given as extra time move with it."""
    deliverable.seminar = seminar
    if deliverable.due_mode == Deliverable.DueMode.FIXED:
        deliverable.days_before_talk = None
    else:
        deliverable.due_at = None
    if deliverable.late_policy == Deliverable.Policy.REFUSE:
        deliverable.late_window_hours = None
        deliverable.late_replaces_on_time = False
    deliverable.save()
    return deliverable


@transaction.atomic
def extension_grant(
    *,
    deliverable: Deliverable,
    student: User,
    new_due_at: datetime | None = None,
    extra_minutes: int | None = None,
    extra_unit: str = ExtraUnit.HOURS,
    reason: str,
    granted_by: User,
    now: datetime,
) -> Extension:
    """Gives one student either a new due time (later than the deliverable's) or extra time on top of the
    deliverable's due time. An active extension of the same student is revoked first; both are recorded."""
    if membership_lock(seminar=deliverable.seminar_id, user=student, students_only=True) is None:
        raise ExtensionError(_("Extensions are for students of this seminar."))
    if (new_due_at is None) == (extra_minutes is None) or (extra_minutes is not None and extra_minutes <= 0):
        raise ExtensionError(_("Give either a new due time or extra time."))
    # The student's own due time without an extension: the deliverable's, or counted from their talk.
    base_due = selectors.deadline_of(deliverable, None, selectors.talk_start_for(deliverable, student)).due
    if new_due_at is not None and base_due is not None and new_due_at <= base_due:
        raise ExtensionError(_("The new due time must be later than the deliverable's due time."))
    if not reason.strip():
        raise ExtensionError(_("Please give a reason; it is kept with the extension."))
    for active in Extension.objects.select_for_update().filter(
        deliverable=deliverable, student=student, revoked_at__isnull=True
    ):
        active.revoked_at, active.revoked_by = now, granted_by
        active.save(update_fields=["revoked_at", "revoked_by"])
    return Extension.objects.create(
        deliverable=deliverable,
        student=student,
        new_due_at=new_due_at,
        extra_minutes=extra_minutes,
        extra_unit=extra_unit,
        reason=reason.strip(),
        granted_by=granted_by,
        granted_at=now,
    )


@transaction.atomic
def extension_revoke(*, extension: Extension, revoked_by: User, now: datetime) -> Extension:
    """Ends an extension; the record stays, with who revoked it and when. Revoking twice changes nothing."""
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    if extension.revoked_at is None:
        extension.revoked_at, extension.revoked_by = now, revoked_by
        extension.save(update_fields=["revoked_at", "revoked_by"])
    return extension


def submission_create(
    *, deliverable: Deliverable, student: User, upload: UploadedFile, received_at: datetime
) -> Submission:
    """Stores one uploaded file as the student's next version.

    The time of record is `received_at`: when the complete request reached the server (the view takes it
    after the request body has been read), never a time the client sends. The upload is accepted on time
    iff received_at <= the student's due time + grace (a submission exactly at the due time is on time);
    late iff the deliverable accepts late work and it is within the late window; refused otherwise. The
    student's due time is the deliverable's, moved by their active extension.

    Nothing is stored unless every check passes: the student is enrolled, the deadline allows it, and the
    file's name and content are sound (see core/file_checks.py). Versions are never overwritten.

    Versions follow the time of record. The student's membership row is locked first, before the checks
    and the file write (which take longer for a larger file), so one student's uploads are checked,
    stored and numbered one at a time in the order they were received: a large file received first is
    version n even when a small one received after it passes its checks sooner. Should two arrive in the
    same instant, between reading the clock and taking the lock, the one numbered second takes the
    first one's receipt time: a version's receipt time is never earlier than the version before it.
    (On PostgreSQL the lock is one row, so other students upload in parallel; SQLite, the default
    without DATABASE_URL, serialises every write transaction of the database instead, which gives the
    same order, one upload at a time.)

    A receipt goes out by mail after commit. If anything fails after the file was written, the file is
    removed; a crash between writing the file and the commit leaves an orphan file, which
    `manage.py verify_submissions` lists and `manage.py remove_orphan_uploads` removes."""
    stored_name = None
    try:
        with transaction.atomic():
            if membership_lock(seminar=deliverable.seminar_id, user=student, students_only=True) is None:
                raise NotAStudentError
            last = (
                Submission.objects.filter(deliverable=deliverable, student=student)
                .order_by("-version")
                .values_list("version", "received_at")
                .first()
            )
            version, received_at = (last[0] + 1, max(received_at, last[1])) if last else (1, received_at)
            deadline = selectors.deadline_for(deliverable, student)
            verdict = judge(received_at, deadline.due, deliverable.rule)
            if verdict == Verdict.REFUSED:
                raise DeadlinePassedError
            try:
                checked = check_upload(
                    upload,
                    name=upload.name,
                    allowed_types=deliverable.allowed_types,
                    max_bytes=min(deliverable.max_bytes, settings.SUBMISSION_MAX_MB * 1024 * 1024),
                    max_pages=deliverable.max_pages,
                    allow_active=deliverable.allow_active_content,
                    type_refused=FILE_TYPE_REFUSED,
                )
            except FileRefused as refused:
                raise FileRejectedError(refused.message) from None
            submission = Submission(
                deliverable=deliverable,
                student=student,
                version=version,
                original_name=checked.display_name,
                file_type=checked.file_type,
                size=checked.size,
                sha256=checked.sha256,
                page_count=checked.page_count,
                pdf_features=sorted(checked.pdf_features),
                received_at=received_at,
                due_at=deadline.due,
                is_late=verdict == Verdict.LATE,
            )
            upload.seek(0)
            submission.file.save(checked.display_name, upload, save=False)
            stored_name = submission.file.name
            submission.save()
            enqueue_on_commit(task_submission_receipt_notify, submission_id=submission.pk)
    except BaseException:
        if stored_name is not None:
            upload_storage.delete(stored_name)
        raise
    return submission


def submission_receipt_notify(*, submission: Submission) -> None:
    """Mails the student the receipt of one upload: name, size, SHA-256, receipt time, on time or late."""
    deliverable = submission.deliverable
    mail_send(
        to=submission.student,
        subject=gettext_lazy("Receipt: %(deliverable)s, version %(version)d"),
        subject_params={
            "deliverable": in_reader_language(deliverable, "title"),
            "version": submission.version,
        },
        template="submissions/email/receipt",
        context={
            "submission": submission,
            "deliverable": deliverable,
            "seminar": deliverable.seminar,
            "student": submission.student,
            "url": portal_link(
                "submissions:receipt", deliverable.seminar.slug, deliverable.pk, submission.pk
            ),
        },
        zone=deliverable.seminar.time_zone,
    )
