"""Examiner feedback: the rubric of a component (set by the instructors) and each student's feedback per
component (the rubric filled in, a comment, optionally a file), shown to the student with their grades.

The models live in grading, not in reviews: feedback hangs on a grade component and is released with the
grades, and reviews sits below grading (it may not import grading). The rubric's text format is
reviews.rubric's, shared with peer review."""

from dataclasses import dataclass
from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.file_checks import check_upload
from core.file_storage import upload_storage
from core.file_types import FileRefused, FileType
from core.languages import in_reader_language
from core.mail import mail_send, portal_link
from core.outbox import enqueue_on_commit
from reviews.rubric import Criterion, from_data
from seminars.models import Membership, Seminar
from seminars.rules import is_enrolled

from .exceptions import GradingError
from .models import Feedback, GradeComponent, GradingSettings, feedback_path
from .services import grade_components_ensure

FEEDBACK_TYPES = [FileType.PDF]
FEEDBACK_MAX_MB = 50
FILE_TYPE_REFUSED = gettext_lazy("A feedback file is a PDF; the file name ends in “.%(extension)s”.")


def feedback_max_bytes() -> int:
    return FEEDBACK_MAX_MB * 1024 * 1024


def component_by_key(seminar: Seminar, key: str) -> GradeComponent | None:
    """The seminar's saved component with this key (the defaults are saved first: feedback and a rubric
    need a row to point to)."""
    return next(
        (component for component in grade_components_ensure(seminar=seminar) if component.key == key), None
    )


@transaction.atomic
def rubric_set(*, component: GradeComponent, criteria: list[Criterion]) -> GradeComponent:
    """Sets a component's rubric. Feedback already given keeps its ratings by position: a rubric changed
    later shows them against the new criteria, so the page warns before it is changed (see the view)."""
    component.criteria = [criterion.as_data() for criterion in criteria]
    component.save(update_fields=["criteria"])
    return component


def feedback_save(
    *,
    seminar: Seminar,
    student: User,
    component: GradeComponent,
    ratings: list[int | None],
    comment: str,
    upload: UploadedFile | None,
    remove_file: bool,
    examiner: User,
    now: datetime,
) -> Feedback:
    """Saves one student's feedback for one component: each rating must be a level of the component's
    rubric (or empty), the comment is kept as typed (trimmed), a file is checked as any upload is
    (core.file_checks: a PDF without scripts, at most FEEDBACK_MAX_MB) and replaces the one before. The file
    is checked and stored before the transaction that saves the row (no lock held while a large file is
    read), and removed again if the row cannot be saved. After the grades are released, the student is
    mailed that there is feedback (not what it says). The student's membership row is locked, so two
    examiners saving at once do not lose each other's file."""
    criteria = from_data(component.criteria)
    if len(ratings) != len(criteria) or any(
        level is not None and not 0 <= level < len(criterion.levels)
        for level, criterion in zip(ratings, criteria, strict=False)
    ):
        raise GradingError(_("Please choose one of the rubric's levels for each criterion."))
    stored = None
    checked = None
    if upload is not None:
        try:
            checked = check_upload(
                upload,
                name=upload.name,
                allowed_types=FEEDBACK_TYPES,
                max_bytes=feedback_max_bytes(),
                max_pages=None,
                type_refused=FILE_TYPE_REFUSED,
            )
        except FileRefused as refused:
            raise GradingError(refused.message) from None
        upload.seek(0)
        stored = upload_storage.save(feedback_path(Feedback(seminar=seminar), checked.display_name), upload)
    try:
        feedback, old_file = _feedback_row_save(
            seminar=seminar,
            student=student,
            component=component,
            ratings=ratings,
            comment=comment,
            stored=stored,
            checked=checked,
            remove_file=remove_file,
            examiner=examiner,
            now=now,
        )
    except BaseException:
        if stored:
            upload_storage.delete(stored)
        raise
    if old_file:
        transaction.on_commit(lambda: upload_storage.delete(old_file))
    return feedback


@transaction.atomic
def _feedback_row_save(
    *, seminar, student, component, ratings, comment, stored, checked, remove_file, examiner, now
) -> tuple[Feedback, str]:
    membership = (
        Membership.objects.filter(seminar=seminar, user=student)
        .select_for_update(of=("self",))
        .order_by("pk")
        .first()
    )
    if membership is None or not is_enrolled(seminar, student):
        raise GradingError(_("Feedback is for students of this seminar."))
    feedback = Feedback.objects.filter(component=component, student=student).first() or Feedback(
        seminar=seminar, student=student, component=component
    )
    old_file = ""
    if stored or remove_file:
        old_file = feedback.file.name or ""
        feedback.file = stored or ""
        feedback.original_name = checked.display_name if checked else ""
        feedback.file_type = checked.file_type if checked else ""
        feedback.size = checked.size if checked else None
        feedback.sha256 = checked.sha256 if checked else ""
    feedback.ratings, feedback.comment = ratings, comment.strip()
    feedback.examiner, feedback.updated_at = examiner, now
    feedback.save()
    if GradingSettings.objects.filter(seminar=seminar, released_at__isnull=False).exists():
        from .tasks import task_feedback_notify

        enqueue_on_commit(task_feedback_notify, seminar_id=seminar.pk, student_id=student.pk)
    return feedback, old_file


def feedback_notify(*, seminar: Seminar, student: User) -> None:
    """Mails a student that there is written feedback on their work (not what it says)."""
    mail_send(
        to=student,
        subject=gettext_lazy("Feedback on your work in %(seminar)s"),
        subject_params={"seminar": in_reader_language(seminar, "title")},
        template="grading/email/feedback",
        context={
            "student": student,
            "seminar": seminar,
            "grades_url": portal_link("grading:mine", seminar.slug),
        },
        zone=seminar.time_zone,
    )


# ------------------------------------------------------------------------------------------------ reads


def feedback_of(seminar: Seminar, student_id: int) -> dict[int, Feedback]:
    """component id -> the student's feedback, one query."""
    return {
        feedback.component_id: feedback
        for feedback in Feedback.objects.filter(seminar=seminar, student_id=student_id).select_related(
            "component"
        )
    }


@dataclass(frozen=True)
class ComponentFeedback:
    component: GradeComponent
    feedback: Feedback | None


def released_feedback_for(
    seminar: Seminar, student, components: list[GradeComponent]
) -> list[ComponentFeedback]:
    """The student's feedback per component, in the components' order (the caller checks the release)."""
    found = feedback_of(seminar, student.pk)
    return [
        ComponentFeedback(component, found.get(component.pk))
        for component in components
        if component.pk in found
    ]
