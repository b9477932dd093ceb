from core.tasks import mail_task


@mail_task("submissions.submission_receipt_notify")
def task_submission_receipt_notify(submission_id: int) -> None:
    from .models import Submission
    from .services import submission_receipt_notify

    submission = (
        Submission.objects.select_related("student", "deliverable__seminar").filter(pk=submission_id).first()
    )
    if submission is not None:
        submission_receipt_notify(submission=submission)
