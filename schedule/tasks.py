from core.tasks import mail_task


@mail_task("schedule.talk_notify")
def task_talk_notify(seminar_id: int, student_id: int, change_id: int | None = None) -> None:
    from accounts.models import User
    from seminars.models import Seminar

    from .models import ScheduleChange
    from .services import talk_notify

    seminar = Seminar.objects.filter(pk=seminar_id).first()
    student = User.objects.filter(pk=student_id).first()
    change = ScheduleChange.objects.filter(pk=change_id).first() if change_id else None
    if seminar is not None and student is not None:
        talk_notify(seminar=seminar, student=student, change=change)
