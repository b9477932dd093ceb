from core.tasks import mail_task


@mail_task("grading.grade_notify")
def task_grade_notify(seminar_id: int, student_id: int) -> None:
    from accounts.models import User
    from seminars.models import Seminar

    from .services import grade_notify

    seminar = Seminar.objects.filter(pk=seminar_id).first()
    student = User.objects.filter(pk=student_id).first()
    if seminar is not None and student is not None:
        grade_notify(seminar=seminar, student=student)


@mail_task("grading.feedback_notify")
def task_feedback_notify(seminar_id: int, student_id: int) -> None:
    from accounts.models import User
    from seminars.models import Seminar

    from .feedback import feedback_notify

    seminar = Seminar.objects.filter(pk=seminar_id).first()
    student = User.objects.filter(pk=student_id).first()
    if seminar is not None and student is not None:
        feedback_notify(seminar=seminar, student=student)
