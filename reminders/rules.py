"""Who sees which reminders and sets a seminar's reminder times."""

import rules

from seminars.rules import is_instructor_of, is_member_of

# Every member sees the reminders sent to them; the instructors see all of the seminar's.
rules.add_perm("reminders.view_own", is_member_of)
rules.add_perm("reminders.manage", is_instructor_of)
