"""Who may plan the block seminar and who sees the presenters' names on its program."""

import rules

from seminars.rules import is_instructor_of, is_member_of

rules.add_perm("schedule.manage", is_instructor_of)
# The program of a public seminar is public; who presents is for the seminar's members.
rules.add_perm("schedule.see_presenter_names", is_member_of)
