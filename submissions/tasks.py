from celery import shared_task

from seminars.tasks import MAIL_TASK_OPTIONS


@shared_task(name="submissions.submission_receipt_notify", **MAIL_TASK_OPTIONS)
def task_submission_receipt_notify(submission_id: int, language: str = "en") -> None:
    from .models import Submission
    from .services import submission_receipt_notify

    submission = (
        Submission.objects.select_related("student", "deliverable__seminar").filter(pk=submission_id).first()
    )
    if submission is not None:
        submission_receipt_notify(submission=submission, language=language)
