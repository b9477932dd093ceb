"""The grading sheet as one form: the cells read from a post, and the cells to show, where a refused cell or
one with a problem keeps what the grader typed. Field names per cell (student id, component key): g- the
grade, c- the comment, v- the version of the grade the page showed."""

import re
from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext as _

from .exceptions import GradeConflictError
from .models import Grade, GradeComponent
from .selectors import CellExaminers, GradingSheet, SheetRow
from .services import CellInput, GradesSetResult

_GRADE_FIELD = re.compile(r"g-([0-9]{1,9})-([-a-zA-Z0-9_]{1,50})")
_VERSION = re.compile(r"[0-9]{1,9}")


def posted_cells(data: QueryDict) -> tuple[list[CellInput], int]:
    """The posted cells in the page's order, and how many could not be read: a cell without a readable
    version is not saved at all, as nothing would protect it from overwriting a newer grade."""
    cells, unreadable = [], 0
    for name in data:
        match = _GRADE_FIELD.fullmatch(name)
        if match is None:
            continue
        suffix = f"{match[1]}-{match[2]}"
        version = data.get(f"v-{suffix}", "")
        if not _VERSION.fullmatch(version):
            unreadable += 1
            continue
        cells.append(
            CellInput(
                student_id=int(match[1]),
                component=match[2],
                text=data.get(name, ""),
                comment=data.get(f"c-{suffix}", "").strip(),
                expected_version=int(version),
            )
        )
    return cells, unreadable


@dataclass(frozen=True)
class SheetCell:
    row: SheetRow
    component: GradeComponent
    grade: Grade | None  # the current one
    posted: CellInput | None = None  # what the grader typed, kept when the cell was not saved
    error: str = ""
    refused: bool = False

    @property
    def suffix(self) -> str:
        return f"{self.row.membership.user_id}-{self.component.key}"

    @property
    def version(self) -> int:
        """The version the next save is checked against: a refused cell's is the current grade's, so that
        saving it again replaces that grade on purpose."""
        if self.posted is not None and not self.refused:
            return self.posted.expected_version
        return self.grade.version if self.grade else 0

    @property
    def examiners(self) -> CellExaminers | None:
        """The examiners' own grades of the cell, shown beside it (None: no examiner entered one)."""
        return self.row.examiners.get(self.component.key)

    @property
    def set_by_hand(self) -> bool:
        """The saved grade is not the examiners' mean: set by hand with a reason (kept in the history), or
        an examiner changed their grade since the mean was used."""
        examiners = self.examiners
        return examiners is not None and self.grade is not None and self.grade.value != examiners.mean

    @property
    def problem(self) -> str:
        if self.refused:
            return str(GradeConflictError(self.grade).args[0])
        return self.error


@dataclass(frozen=True)
class SheetLine:
    row: SheetRow
    cells: list[SheetCell]


@dataclass(frozen=True)
class Problem:
    text: str
    field: str = ""  # the id of the cell's grade field, when the sheet shows it


def sheet_lines(
    sheet: GradingSheet, cells: list[CellInput], result: GradesSetResult | None
) -> tuple[list[SheetLine], list[Problem]]:
    """One line per row with its cells; after a save that was not complete, the cells not saved keep what
    was typed, and the problems name the student and the component of each."""
    posted = {cell.key: cell for cell in cells}
    errors, refused = (result.errors, result.refused) if result else ({}, {})
    lines, problems, shown = [], [], set()
    for row in sheet.rows:
        line = SheetLine(row, [])
        for component in sheet.components:
            key = (row.membership.user_id, component.key)
            shown.add(key)
            cell = SheetCell(row, component, row.grades.get(component.key))
            if key in errors or key in refused:
                cell = SheetCell(
                    row, component, cell.grade, posted[key], errors.get(key, ""), refused=key in refused
                )
                problems.append(
                    Problem(
                        _("%(student)s, %(component)s: %(problem)s")
                        % {
                            "student": row.membership.user.get_full_name(),
                            "component": component.name,
                            "problem": cell.problem,
                        },
                        f"g-{cell.suffix}",
                    )
                )
            line.cells.append(cell)
        lines.append(line)
    # Cells the sheet does not show (a student not the grader's, a component removed since): by student.
    names = {row.membership.user_id: row.membership.user.get_full_name() for row in sheet.rows}
    hidden = {}
    for key, message in errors.items():
        if key not in shown:
            student = names.get(key[0])
            text = (
                _("%(student)s: %(problem)s") % {"student": student, "problem": message}
                if student
                else message
            )
            hidden.setdefault(text, Problem(text))
    return lines, problems + list(hidden.values())
