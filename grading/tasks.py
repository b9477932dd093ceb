from celery import shared_task

from seminars.tasks import MAIL_TASK_OPTIONS


@shared_task(name="grading.grade_notify", **MAIL_TASK_OPTIONS)
def task_grade_notify(seminar_id: int, student_id: int, language: str) -> None:
    from accounts.models import User
    from seminars.models import Seminar

    from .services import grade_notify

    seminar = Seminar.objects.filter(pk=seminar_id).first()
    student = User.objects.filter(pk=student_id).first()
    if seminar is not None and student is not None:
        grade_notify(seminar=seminar, student=student, language=language)
