from core.tasks import mail_task


@mail_task("matching.result_notify")
def task_result_notify(result_id: int) -> None:
    from .models import Result
    from .running import result_notify

    result = Result.objects.filter(pk=result_id).select_related("round", "student").first()
    if result is not None:
        result_notify(result=result)
