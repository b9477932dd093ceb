"""Grade lists for the exam office: CSV (streamed) and XLSX, with decimal comma or point."""

import csv
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook

from .scoring import format_grade
from .selectors import COMPONENTS, SheetRow


def _number(value: Decimal | None, decimal_comma: bool) -> str:
    return "" if value is None else format_grade(value, decimal_comma=decimal_comma)


def header() -> list[str]:
    return [
        _("Matriculation number"),
        _("Name"),
        _("E-mail"),
        _("Presentation"),
        _("Report"),
        _("Final grade"),
        _("Band"),
    ]


def _text(value: str) -> str:
    """A text a person typed (a name): never read as a formula by a spreadsheet program (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def export_rows(rows: Iterable[SheetRow], *, decimal_comma: bool) -> Iterator[list[str]]:
    for row in rows:
        user = row.membership.user
        grades = [
            row.grades[component].value if component in row.grades else None for component in COMPONENTS
        ]
        yield [
            _text(user.matriculation_number),
            _text(user.full_name),
            _text(user.email),
            *(_number(grade, decimal_comma) for grade in grades),
            _number(row.final.value, decimal_comma) if not row.final.incomplete else _("incomplete"),
            row.final.band or "",
        ]


class _Line:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[SheetRow], *, decimal_comma: bool) -> Iterator[str]:
    """Line by line, for a streamed response; a semicolon separates fields when the decimal mark is a comma
    (as German spreadsheet programs expect)."""
    writer = csv.writer(_Line(), delimiter=";" if decimal_comma else ",")
    yield "\ufeff"  # the BOM makes spreadsheet programs read UTF-8 names correctly
    yield writer.writerow(header())
    for values in export_rows(rows, decimal_comma=decimal_comma):
        yield writer.writerow(values)


def xlsx_bytes(rows: Iterable[SheetRow], *, decimal_comma: bool) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Grades"))
    sheet.append(header())
    for values in export_rows(rows, decimal_comma=decimal_comma):
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
