"""The demo seminar's block seminar: two days about ten weeks after loading, not yet laid out, so that
an instructor can try generating, filling and publishing."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from core.zoned_time import localize_strict
from schedule.models import BlockDay
from schedule.services import block_day_save, block_seminar_set
from seminars.models import Seminar


def demo_block_seminar_load(*, seminar: Seminar, now: datetime) -> None:
    """Only into a seminar without block seminar days: a later run keeps what the instructor changed."""
    if BlockDay.objects.filter(seminar=seminar).exists():
        return
    block_seminar_set(seminar=seminar, talk_minutes=30, gap_minutes=15, break_after=3, break_minutes=30)
    first = timezone.localtime(now, seminar.zone).date() + timedelta(weeks=11)
    for offset in (0, 1):
        day = first + timedelta(days=offset)
        block_day_save(
            seminar=seminar,
            day=BlockDay(
                starts_at=localize_strict(datetime.combine(day, time(9, 0)), seminar.zone),
                ends_at=localize_strict(datetime.combine(day, time(17, 0)), seminar.zone),
                room="Seminar room 02.09.023",
            ),
        )
