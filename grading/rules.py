"""Who may grade whom, see the grading sheet, set the rules and release grades, and read their own."""

import rules

from papers.rules import is_supervisor_of_student
from seminars.rules import is_instructor_of, is_student_of, is_teacher_of

# `membership` is the student's: the seminar's instructors grade everyone, a supervisor their students.
can_grade = is_instructor_of | is_supervisor_of_student

rules.add_perm("grading.view_sheet", is_teacher_of)
rules.add_perm("grading.set_grade", can_grade)
# The history of a student's grades: whoever may grade them.
rules.add_perm("grading.view_history", can_grade)
rules.add_perm("grading.manage", is_instructor_of)
rules.add_perm("grading.view_own", is_student_of)
