"""Whom the reminders are for, asked of the access policy (seminars/rules.py) in bulk, one function per
meaning."""

from collections.abc import Iterable

from seminars.rules import instructors_by_seminar, students_by_seminar
from submissions.models import Deliverable
from submissions.selectors import overview


def students_of(seminar_ids: Iterable[int], user_id: int | None = None) -> dict[int, list[int]]:
    """Who is reminded of what a student owes (uploads, rankings, talks): the seminar's students."""
    return students_by_seminar(seminar_ids, user_id)


def instructors_of(seminar_ids: Iterable[int], user_id: int | None = None) -> dict[int, list[int]]:
    """Who gets the summary after a deadline: the seminar's instructors."""
    return instructors_by_seminar(seminar_ids, user_id)


def summary_rows(deliverable: Deliverable, instructor) -> list:
    """What the summary lists: every student, as the deliverable's overview shows them to an instructor."""
    return overview(deliverable, instructor)
