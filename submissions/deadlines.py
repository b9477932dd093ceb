"""The deadline rule, pure: no database, no clock. Every upload path asks `judge` (through the service).

A submission is judged by the time its complete request reached the server (`received_at`):
- on time  iff received_at <= due + grace (exactly at the due time, or at the end of the grace, is on time);
- late     iff the policy accepts late work and received_at <= due + grace + late window (no window: always);
- refused  otherwise.
The due time that counts is the student's own: an extension either names a new due time (never earlier
than the deliverable's) or adds extra time to whatever the deliverable's due time is when judged, so that
extra time keeps its meaning when the instructor moves the deadline.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Verdict(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    REFUSED = "refused"


class LatePolicy(StrEnum):
    REFUSE = "refuse"
    ACCEPT_LATE = "accept_late"


@dataclass(frozen=True)
class Rule:
    grace: timedelta = timedelta(0)
    policy: LatePolicy = LatePolicy.REFUSE
    late_window: timedelta | None = None

    @classmethod
    def from_settings(cls, *, grace_minutes: int, late_policy: str, late_window_hours: int | None) -> "Rule":
        """The rule as a deliverable or a review round stores it (minutes, a policy name, hours or none)."""
        return cls(
            grace=timedelta(minutes=grace_minutes),
            policy=LatePolicy(late_policy),
            late_window=timedelta(hours=late_window_hours) if late_window_hours else None,
        )


def effective_due(
    base_due: datetime | None, *, new_due: datetime | None = None, extra: timedelta | None = None
) -> datetime | None:
    """The student's due time: the deliverable's, moved by an extension. None while it is not set (a due
    time relative to a talk that is not scheduled yet), whatever the extension."""
    if base_due is None:
        return None
    due = base_due
    if new_due is not None:
        due = max(due, new_due)
    if extra is not None:
        due = due + extra
    return due


def judge(received_at: datetime, due: datetime | None, rule: Rule) -> Verdict:
    """On time, late or refused, by the rule in the module docstring. No due time yet means on time."""
    if due is None or received_at <= due + rule.grace:
        return Verdict.ON_TIME
    if rule.policy == LatePolicy.ACCEPT_LATE and (
        rule.late_window is None or received_at <= due + rule.grace + rule.late_window
    ):
        return Verdict.LATE
    return Verdict.REFUSED


def accepts_until(due: datetime | None, rule: Rule) -> datetime | None:
    """The last instant an upload is accepted at all; None when there is no limit."""
    if due is None:
        return None
    if rule.policy == LatePolicy.ACCEPT_LATE:
        return None if rule.late_window is None else due + rule.grace + rule.late_window
    return due + rule.grace


def counted_index(late_flags: list[bool], *, late_replaces_on_time: bool) -> int | None:
    """Which version counts, given each version's late flag, oldest first: the latest version when late
    work may replace on-time work; otherwise the latest on-time version, or the latest late one when there
    is no on-time version. None when there are no versions."""
    if not late_flags:
        return None
    if late_replaces_on_time:
        return len(late_flags) - 1
    on_time = [index for index, late in enumerate(late_flags) if not late]
    return on_time[-1] if on_time else len(late_flags) - 1
