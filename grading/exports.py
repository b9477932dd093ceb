"""Grade lists for the exam office: CSV (streamed) and XLSX, German style (2,3; 15.02.2027) or international.

One line per student with what an exam office's grade import (TUMonline, HISinOne and the like) reads:
matriculation number, family name, given name, e-mail, the seminar's module number and exam date, one column
per grade component of the seminar (in its order, titled with its name), the final grade, its band and a
status.

An incomplete final grade is an empty cell, never a word in the grade column, so that an import books
nothing for it and a spreadsheet's AVERAGE or COUNT over the column sees only grades; the status column
says "incomplete" and which component is missing.

CSV: a text is written as it is, except that a text a person typed which starts with = + - @ tab or CR gets
an apostrophe in front (OWASP's advice against CSV injection), so no spreadsheet program runs it as a
formula; the apostrophe stays part of the text (LibreOffice shows it). Matriculation numbers are plain
digits: a spreadsheet program that guesses column types drops their leading zeros unless the column is
imported as text (the README says how).

XLSX: grades are numeric cells with the number format 0.0, so the program shows them with the decimal mark
of its own language; the exam date is a date cell; every text (matriculation number, names, e-mail) is a
string cell with the text format "@", so leading zeros stay and a name such as "=HYPERLINK(...)" is shown
as typed and never becomes a formula, without an apostrophe.
"""

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from core.spreadsheets import csv_line_writer, guarded_text, string_cell
from seminars.models import Seminar

from .models import GradeComponent
from .scoring import format_grade
from .selectors import GradingSheet, SheetRow

GRADE_FORMAT = "0.0"


@dataclass(frozen=True)
class ExportRow:
    matriculation_number: str
    family_name: str
    given_name: str
    email: str
    module_number: str
    exam_date: date | None
    grades: tuple[Decimal | None, ...]  # in the order of the seminar's components
    final: Decimal | None  # None while incomplete
    band: str
    status: str


def header(components: list[GradeComponent]) -> list[str]:
    return [
        _("Matriculation number"),
        _("Family name"),
        _("Given name"),
        _("E-mail"),
        _("Module number"),
        _("Exam date"),
        *(component.name for component in components),
        _("Final grade"),
        _("Band"),
        _("Status"),
    ]


def _status(components: list[GradeComponent], row: SheetRow) -> str:
    if not row.final.incomplete:
        return _("complete")
    missing = [component.name for component in components if component.key not in row.grades]
    return _("incomplete: no grade for %(components)s") % {"components": ", ".join(missing)}


def export_rows(seminar: Seminar, grading: GradingSheet) -> Iterator[ExportRow]:
    """The values of the list, typed; the CSV and the XLSX writer only format them."""
    for row in grading.rows:
        user = row.membership.user
        family_name, given_name = user.family_and_given_name
        yield ExportRow(
            matriculation_number=user.matriculation_number,
            family_name=family_name,
            given_name=given_name,
            email=user.email,
            module_number=seminar.module_number,
            exam_date=seminar.exam_date,
            grades=tuple(
                row.grades[component.key].value if component.key in row.grades else None
                for component in grading.components
            ),
            final=row.final.value,
            band=row.final.band or "",
            status=_status(grading.components, row),
        )


def _number(value: Decimal | None, decimal_comma: bool) -> str:
    return "" if value is None else format_grade(value, decimal_comma=decimal_comma)


def _date(value: date | None, decimal_comma: bool) -> str:
    if value is None:
        return ""
    return value.strftime("%d.%m.%Y") if decimal_comma else value.isoformat()


def csv_values(row: ExportRow, *, decimal_comma: bool) -> list[str]:
    return [
        guarded_text(row.matriculation_number),
        guarded_text(row.family_name),
        guarded_text(row.given_name),
        guarded_text(row.email),
        guarded_text(row.module_number),
        _date(row.exam_date, decimal_comma),
        *(_number(grade, decimal_comma) for grade in row.grades),
        _number(row.final, decimal_comma),
        row.band,
        row.status,
    ]


def csv_lines(seminar: Seminar, grading: GradingSheet, *, decimal_comma: bool) -> Iterator[str]:
    """Line by line, for a streamed response; a semicolon separates fields when the decimal mark is a comma
    (as German spreadsheet programs and exam-office imports expect)."""
    writer = csv_line_writer(";" if decimal_comma else ",")
    yield "\ufeff"  # the BOM makes spreadsheet programs read UTF-8 names correctly
    yield writer.writerow(header(grading.components))
    for row in export_rows(seminar, grading):
        yield writer.writerow(csv_values(row, decimal_comma=decimal_comma))


def _grade_cell(sheet, value: Decimal | None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = GRADE_FORMAT
    return cell


def _date_cell(sheet, value: date | None, decimal_comma: bool) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = "DD.MM.YYYY" if decimal_comma else "YYYY-MM-DD"
    return cell


COLUMN_WIDTHS = {"A": 20, "B": 24, "C": 24, "D": 30, "E": 16, "F": 12}


def xlsx_bytes(seminar: Seminar, grading: GradingSheet, *, decimal_comma: bool) -> bytes:
    """The same list as the CSV with typed cells; `decimal_comma` only chooses the date format, as a grade's
    decimal mark is the reading program's."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Grades"))
    for column, width in COLUMN_WIDTHS.items():
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    sheet.append([string_cell(sheet, title, bold=True) for title in header(grading.components)])
    for row in export_rows(seminar, grading):
        sheet.append(
            [
                string_cell(sheet, row.matriculation_number),
                string_cell(sheet, row.family_name),
                string_cell(sheet, row.given_name),
                string_cell(sheet, row.email),
                string_cell(sheet, row.module_number),
                _date_cell(sheet, row.exam_date, decimal_comma),
                *(_grade_cell(sheet, grade) for grade in row.grades),
                _grade_cell(sheet, row.final),
                string_cell(sheet, row.band),
                string_cell(sheet, row.status),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
