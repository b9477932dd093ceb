"""Role checks of the reminders, one small function per meaning; the access policy will answer them.
Nothing else in reminders/ compares a Membership role."""

from collections import defaultdict
from collections.abc import Iterable

from seminars.models import Membership
from submissions.models import Deliverable
from submissions.selectors import overview


def students_of(seminar_ids: Iterable[int], user_id: int | None = None) -> dict[int, list[int]]:
    """Who is reminded of what a student owes (uploads, rankings, talks): the seminar's students."""
    return _members_with_role(seminar_ids, Membership.Role.STUDENT, user_id)


def instructors_of(seminar_ids: Iterable[int], user_id: int | None = None) -> dict[int, list[int]]:
    """Who gets the summary after a deadline: the seminar's instructors."""
    return _members_with_role(seminar_ids, Membership.Role.INSTRUCTOR, user_id)


def summary_rows(deliverable: Deliverable, instructor) -> list:
    """What the summary lists: every student, as the deliverable's overview shows them to an instructor."""
    return overview(deliverable, instructor, Membership.Role.INSTRUCTOR)


def _members_with_role(seminar_ids, role: str, user_id: int | None) -> dict[int, list[int]]:
    members = Membership.objects.filter(seminar_id__in=seminar_ids, role=role)
    if user_id is not None:
        members = members.filter(user_id=user_id)
    found: dict[int, list[int]] = defaultdict(list)
    for seminar_id, member_id in members.values_list("seminar_id", "user_id"):
        found[seminar_id].append(member_id)
    return found
