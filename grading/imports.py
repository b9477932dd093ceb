"""Importing grades from a CSV file: parse it (pure), preview what it changes, and apply it once confirmed.

Two layouts are read, with comma or semicolon as separator and English or German column names:
- one line per grade: matriculation number or e-mail, component (its name in either language or its key),
  grade (2,3 or 2.3) and, optionally, a comment;
- the portal's own export (grading/exports.py): one line per student, one column per component titled with
  its name; an empty cell changes nothing, and the export's other columns (names, module number, exam date,
  final grade, band, status) are ignored. So an export imported again changes nothing.

The file is imported only when every line can be: a bad line is reported with its number and what is
wrong, and nothing is written until the instructor has seen the preview and confirmed it.
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.imports import RowError
from core.spreadsheets import unguarded_text
from seminars.models import Seminar
from seminars.rules import roster_memberships
from seminars.student_list import COLUMN_NAMES, NAME_PART_COLUMNS

from .exceptions import GradeConflictError
from .models import Grade, GradeComponent, name_in_language
from .scoring import GradeInputError, parse_grade
from .selectors import components_of
from .services import CellInput, grades_set

NUMBER_COLUMNS = COLUMN_NAMES["matriculation_number"]
EMAIL_COLUMNS = COLUMN_NAMES["email"]
COMPONENT_COLUMNS = {
    "component",
    "grade component",
    "bestandteil",
    "notenbestandteil",
    "komponente",
    "teil",
    "teilleistung",
}
GRADE_COLUMNS = {"grade", "note", "value", "wert"}
COMMENT_COLUMNS = {"comment", "kommentar", "bemerkung"}
# The export's other columns (English and German) and a student list's name columns: read by people, not
# by the import. In the export's layout any other column would be a component this seminar does not have.
IGNORED_COLUMNS = (
    {
        "family name",
        "familienname",
        "given name",
        "vorname",
        "module number",
        "modulnummer",
        "exam date",
        "prüfungsdatum",
        "final grade",
        "endnote",
        "band",
        "notenstufe",
        "status",
    }
    | COLUMN_NAMES["name"]
    | set().union(*NAME_PART_COLUMNS.values())
)


@dataclass(frozen=True)
class ImportStudent:
    """A student membership as the parser needs it; `withdrawn` ones are named in errors, never graded."""

    id: int
    name: str
    email: str
    matriculation_number: str = ""
    withdrawn: bool = False


@dataclass(frozen=True)
class ImportComponent:
    key: str
    name_en: str
    name_de: str = ""

    @property
    def label(self) -> str:
        return name_in_language(self.name_en, self.name_de) or self.key


@dataclass(frozen=True)
class GradeLine:
    """One grade the file sets. `comment` None: the file has no comment column, a saved comment stays."""

    line: int
    student_id: int
    component: str  # the component's key
    value: Decimal
    comment: str | None = None


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()


def _cell(record: list[str], index: int | None) -> str:
    if index is None or index >= len(record):
        return ""
    value = " ".join(record[index].split())
    # The export puts an apostrophe before a text that a spreadsheet would run as a formula.
    return unguarded_text(value)


@dataclass
class _Columns:
    number: int | None = None
    email: int | None = None
    component: int | None = None
    grade: int | None = None
    comment: int | None = None
    by_component: dict[int, str] | None = None  # the export's layout: column -> component key


class _Seminar:
    """Finds students and components as a file names them."""

    def __init__(self, students: Iterable[ImportStudent], components: Iterable[ImportComponent]):
        self.components = list(components)
        self.by_number: dict[str, ImportStudent] = {}
        self.by_short_number: dict[str, list[ImportStudent]] = {}
        self.by_email: dict[str, ImportStudent] = {}
        for student in students:
            if student.matriculation_number:
                self.by_number[student.matriculation_number] = student
                short = student.matriculation_number.lstrip("0")
                self.by_short_number.setdefault(short, []).append(student)
            self.by_email[student.email.casefold()] = student
        self.by_label: dict[str, ImportComponent] = {}
        for component in self.components:
            for name in (component.name_en, component.name_de):
                if name:
                    self.by_label.setdefault(_label(name), component)
        for component in self.components:
            self.by_label[_label(component.key)] = component

    def component(self, text: str) -> ImportComponent | None:
        return self.by_label.get(_label(text))

    def component_names(self) -> str:
        return ", ".join(component.label for component in self.components)

    def _by_number(self, number: str) -> ImportStudent | None:
        if number in self.by_number:
            return self.by_number[number]
        # A spreadsheet that read the column as numbers dropped the leading zeros.
        found = self.by_short_number.get(number.lstrip("0"), [])
        return found[0] if len(found) == 1 else None

    def student(self, number: str, email: str) -> tuple[ImportStudent | None, str | None]:
        """The student a line names by matriculation number or e-mail (both: they must agree), or why not."""
        if not number and not email:
            return None, _("The line names no student (matriculation number or e-mail).")
        by_number = self._by_number(number) if number else None
        by_email = self.by_email.get(email.casefold()) if email else None
        if by_number and by_email and by_number != by_email:
            return None, _("Matriculation number %(number)s is %(name)s's, but %(email)s is %(other)s's.") % {
                "number": number,
                "name": by_number.name,
                "email": email,
                "other": by_email.name,
            }
        student = by_number or by_email
        if student is None:
            if number and email:
                return None, _(
                    "No student of this seminar has the matriculation number %(number)s or the e-mail "
                    "address %(email)s."
                ) % {"number": number, "email": email}
            if number:
                return None, _("No student of this seminar has the matriculation number %(number)s.") % {
                    "number": number
                }
            return None, _("No student of this seminar has the e-mail address %(email)s.") % {"email": email}
        if student.withdrawn:
            return None, _("%(name)s withdrew from this seminar; their grades are not changed.") % {
                "name": student.name
            }
        return student, None


def _columns(header: list[str], seminar: _Seminar) -> tuple[_Columns, list[str]]:
    columns = _Columns()
    rest = []
    for index, raw in enumerate(header):
        label = _label(raw)
        for attribute, names in (
            ("number", NUMBER_COLUMNS),
            ("email", EMAIL_COLUMNS),
            ("component", COMPONENT_COLUMNS),
            ("grade", GRADE_COLUMNS),
            ("comment", COMMENT_COLUMNS),
        ):
            if label in names and getattr(columns, attribute) is None:
                setattr(columns, attribute, index)
                break
        else:
            rest.append((index, raw))
    expected = _(
        "The first line must name the columns: matriculation number or e-mail, component, grade and "
        "(optionally) comment; or be the first line of the portal's grade export. Found: %(header)s."
    ) % {"header": ", ".join(header) or _("nothing")}
    if columns.number is None and columns.email is None:
        return columns, [expected]
    if columns.component is not None:
        return columns, [] if columns.grade is not None else [expected]
    columns.by_component = {}
    problems = []
    for index, raw in rest:
        label = _label(raw)
        component = seminar.component(raw)
        if component is None and label and label not in IGNORED_COLUMNS:
            problems.append(
                _("Column “%(column)s” is not a grade component of this seminar (they are: %(components)s).")
                % {"column": raw.strip(), "components": seminar.component_names()}
            )
        elif component is not None and component.key in columns.by_component.values():
            problems.append(
                _("Two columns are for the component “%(component)s”.") % {"component": component.label}
            )
        elif component is not None:
            columns.by_component[index] = component.key
    if not columns.by_component and not problems:
        return columns, [expected]
    return columns, problems


def _entries(record, columns: _Columns, seminar: _Seminar) -> tuple[list[tuple[str, str, str | None]], list]:
    """(component key, grade text, comment) of one line, or its problems."""
    if columns.by_component is not None:
        return [
            (key, text, None) for index, key in columns.by_component.items() if (text := _cell(record, index))
        ], []
    named = _cell(record, columns.component)
    component = seminar.component(named)
    if component is None:
        if not named:
            return [], [_("The component is missing.")]
        return [], [
            _("“%(component)s” is not a grade component of this seminar (they are: %(components)s).")
            % {"component": named, "components": seminar.component_names()}
        ]
    comment = _cell(record, columns.comment) if columns.comment is not None else None
    return [(component.key, _cell(record, columns.grade), comment)], []


def parse_grade_import(
    text: str, *, students: Iterable[ImportStudent], components: Iterable[ImportComponent]
) -> tuple[list[GradeLine], list[RowError]]:
    """The grades a CSV text sets, or its bad lines (numbered as in the file, the first line is 1). Pure."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return [], [RowError(1, _("The file is empty."))]
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    seminar = _Seminar(students, components)
    try:
        header = next(reader)
    except csv.Error as error:
        return [], [RowError(1, _("This is not a readable CSV file (%(error)s).") % {"error": error})]
    columns, problems = _columns(header, seminar)
    if problems:
        return [], [RowError(1, problem) for problem in problems]
    lines: list[GradeLine] = []
    errors: list[RowError] = []
    first_seen: dict[tuple[int, str], int] = {}
    filled = 0
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            filled += 1
            found, problems = _line(record, line, columns, seminar, first_seen)
            if problems:
                errors.extend(RowError(line, problem) for problem in problems)
                continue
            for grade in found:
                first_seen[(grade.student_id, grade.component)] = line
            lines.extend(found)
    except csv.Error as error:
        errors.append(
            RowError(reader.line_num, _("This line cannot be read (%(error)s).") % {"error": error})
        )
    if not filled and not errors:
        errors.append(RowError(2, _("The file has no lines below its first one.")))
    return lines, errors


def _line(
    record, line: int, columns: _Columns, seminar: _Seminar, first_seen
) -> tuple[list[GradeLine], list]:
    student, problem = seminar.student(_cell(record, columns.number), _cell(record, columns.email))
    if student is None:
        return [], [problem]
    entries, problems = _entries(record, columns, seminar)
    found = []
    for key, grade_text, comment in entries:
        component = next(component for component in seminar.components if component.key == key)
        try:
            value = parse_grade(grade_text)
        except GradeInputError as error:
            problems.append(f"{component.label}: {error}")
            continue
        if (student.id, key) in first_seen:
            problems.append(
                _("%(name)s's grade for %(component)s is also on line %(line)d.")
                % {"name": student.name, "component": component.label, "line": first_seen[(student.id, key)]}
            )
            continue
        found.append(GradeLine(line, student.id, key, value, comment))
    return found, problems


# ------------------------------------------------------------------------------ preview and import


@dataclass(frozen=True)
class GradeImportChange:
    line: int
    student: User
    component: GradeComponent
    old_value: Decimal | None
    new_value: Decimal
    old_comment: str
    new_comment: str


@dataclass(frozen=True)
class GradeImportPreview:
    changes: list[GradeImportChange]
    unchanged: int
    errors: list[RowError]
    # "student id:component key" -> the version of the grade as previewed (0: none), for every line.
    seen: dict[str, int]


def _seen_key(student_id: int, component: str) -> str:
    return f"{student_id}:{component}"


def grade_import_preview(*, seminar: Seminar, text: str) -> GradeImportPreview:
    """What importing `text` would change: old -> new per student and component, how many lines change
    nothing, and the bad lines. Reads only; three queries however long the file."""
    memberships = list(roster_memberships(seminar))
    students = {membership.user_id: membership.user for membership in memberships}
    components = components_of(seminar)
    lines, errors = parse_grade_import(
        text,
        students=[
            ImportStudent(
                id=membership.user_id,
                name=membership.user.get_full_name(),
                email=membership.user.email,
                matriculation_number=membership.user.matriculation_number,
                withdrawn=membership.withdrawn_at is not None,
            )
            for membership in memberships
        ],
        components=[ImportComponent(c.key, c.name_en, c.name_de) for c in components],
    )
    by_key = {component.key: component for component in components}
    saved = {
        (grade.student_id, grade.component.key): grade
        for grade in Grade.objects.filter(seminar=seminar).select_related("component")
    }
    changes, unchanged, seen = [], 0, {}
    for line in lines:
        grade = saved.get((line.student_id, line.component))
        seen[_seen_key(line.student_id, line.component)] = grade.version if grade else 0
        old_comment = grade.comment if grade else ""
        new_comment = old_comment if line.comment is None else line.comment
        if grade and grade.value == line.value and grade.comment == new_comment:
            unchanged += 1
            continue
        changes.append(
            GradeImportChange(
                line=line.line,
                student=students[line.student_id],
                component=by_key[line.component],
                old_value=grade.value if grade else None,
                new_value=line.value,
                old_comment=old_comment,
                new_comment=new_comment,
            )
        )
    return GradeImportPreview(changes, unchanged, errors, seen)


@dataclass(frozen=True)
class GradeImportResult:
    imported: int
    unchanged: int
    refused: list[RowError]  # lines that changed or went bad since the preview


@transaction.atomic
def grades_import(
    *, seminar: Seminar, text: str, seen: dict[str, int], grader: User, now
) -> GradeImportResult:
    """Imports a previewed file: every grade that changes is saved through grades_set (the sheet's bulk
    save: history, the grader's permission per student, a fixed number of queries), in one transaction.
    `seen` holds the version of each grade as the preview showed it: a grade that someone changed since is
    not overwritten, and its line is refused, as is a line that went bad since (a student withdrew, a
    component was removed). After release, each student whose grades changed is mailed once (grades_set
    does it). Locks the seminar row, so that two imports of a seminar run one after the other and the
    components do not change meanwhile (grade_components_set takes the same lock); grades_set then locks
    the students' memberships and grades."""
    Seminar.objects.select_for_update().filter(pk=seminar.pk).first()
    preview = grade_import_preview(seminar=seminar, text=text)
    refused = list(preview.errors)
    cells, line_of = [], {}
    for change in preview.changes:
        expected = seen.get(_seen_key(change.student.pk, change.component.key))
        if expected is None:
            label = f"{change.student.get_full_name()}, {change.component.name}"
            refused.append(
                RowError(change.line, _("%(label)s: this line was not in the preview.") % {"label": label})
            )
            continue
        cell = CellInput(
            student_id=change.student.pk,
            component=change.component.key,
            text=str(change.new_value),
            comment=change.new_comment,
            expected_version=expected,
        )
        cells.append(cell)
        line_of[cell.key] = change
    result = grades_set(seminar=seminar, grader=grader, cells=cells, now=now)
    for key, change in line_of.items():
        label = f"{change.student.get_full_name()}, {change.component.name}"
        if key in result.refused:
            refused.append(
                RowError(change.line, f"{label}: {GradeConflictError(result.refused[key]).message}")
            )
        elif key in result.errors:
            refused.append(RowError(change.line, f"{label}: {result.errors[key]}"))
    imported = len(result.saved)
    return GradeImportResult(imported, preview.unchanged, sorted(refused, key=lambda error: error.line))
