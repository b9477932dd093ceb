"""The kinds of reminder, one class each: who owes what at `now` in bulk (the beat's scan, a fixed number
of queries however many students) and whether one claimed reminder is still owed (the send task), plus
the kind's subject, mail template and the page its mail links to.

Both answers come from one method of the kind, `obligations`: the scan runs it over everything that may
be due around `now` (`around`, a superset that the timing narrows down), the send task over the one object
and person of its row. So the scan claims nothing that the send task would not send at the same moment,
and the send task sends nothing that the scan would not claim (tests/reminders/test_agreement.py).

roles.py holds the role checks (one function per meaning), base.py what every kind shares, builtin.py the
four built-in kinds, reviews.py peer review's. A new kind is one subclass of OffsetKind (reminded at the
seminar's offsets before a due time) or of ReminderKind, decorated with `@register` (README, Reminders).
"""

from .base import (
    EXTENSION_HORIZON,
    LOOKAHEAD,
    SUMMARY_WINDOW,
    Candidate,
    Check,
    Obligation,
    OffsetKind,
    ReminderKind,
    Timing,
    Verdict,
    offsets_of,
    summary_wanted,
)
from .builtin import DeadlineSummary, DeliverableDue, RankingCloses, TalkTomorrow
from .reviews import ReviewDue
from .roles import instructors_of, students_of, summary_rows

__all__ = [
    "EXTENSION_HORIZON",
    "LOOKAHEAD",
    "SUMMARY_WINDOW",
    "Candidate",
    "Check",
    "DeadlineSummary",
    "DeliverableDue",
    "Obligation",
    "OffsetKind",
    "RankingCloses",
    "ReminderKind",
    "ReviewDue",
    "TalkTomorrow",
    "Timing",
    "Verdict",
    "instructors_of",
    "offsets_of",
    "students_of",
    "summary_rows",
    "summary_wanted",
]
