from core.tasks import mail_task


@mail_task("papers.allotment_notify")
def task_allotment_notify(seminar_id: int, student_id: int, change_id: int | None = None) -> None:
    from accounts.models import User
    from seminars.models import Seminar

    from .models import AllotmentChange
    from .services import allotment_notify

    seminar = Seminar.objects.filter(pk=seminar_id).first()
    student = User.objects.filter(pk=student_id).first()
    change = (
        AllotmentChange.objects.filter(pk=change_id).select_related("old_paper", "new_paper").first()
        if change_id
        else None
    )
    if seminar is not None and student is not None:
        allotment_notify(seminar=seminar, student=student, change=change)
