"""The roster of a seminar as CSV and XLSX: one line per student, those who withdrew marked and last.

Written with the grade export's cells (core/spreadsheets.py), so that both files behave alike in a
spreadsheet program:
- CSV: UTF-8 with a byte-order mark; a text a person typed that starts with = + - @ tab or CR gets an
  apostrophe in front (OWASP's advice against CSV injection); the matriculation number is plain digits.
- XLSX: every text (names, e-mail, matriculation number, paper) is a string cell with the text format "@",
  so leading zeros stay and "=HYPERLINK(...)" is shown as typed, never run; times are date-time cells.
German (the page's language is German): ";" between fields and dates as 20.01.2027 09:00; otherwise ","
and 2027-01-20 09:00. Times are the seminar's wall-clock time (its zone is named in the header).
"""

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from core.spreadsheets import csv_line_writer, guarded_text, string_cell

from .models import Seminar
from .selectors import RosterRow


@dataclass(frozen=True)
class ExportLine:
    name: str
    family_name: str
    given_name: str
    email: str
    matriculation_number: str
    paper: str
    supervisor: str
    talk_starts_at: datetime | None  # naive, the seminar's wall-clock time
    talk_ends_at: datetime | None
    room: str
    withdrawn_at: datetime | None
    status: str


def header(seminar: Seminar) -> list[str]:
    zone = {"zone": seminar.time_zone}
    return [
        _("Name"),
        _("Family name"),
        _("Given name"),
        _("E-mail"),
        _("Matriculation number"),
        _("Paper"),
        _("Supervisor"),
        _("Talk starts (%(zone)s)") % zone,
        _("Talk ends (%(zone)s)") % zone,
        _("Room"),
        _("Withdrawn on (%(zone)s)") % zone,
        _("Status"),
    ]


def _local(value: datetime | None, seminar: Seminar) -> datetime | None:
    return value.astimezone(seminar.zone).replace(tzinfo=None) if value is not None else None


def export_lines(seminar: Seminar, rows: Iterable[RosterRow]) -> Iterator[ExportLine]:
    """The values of the list, typed; the CSV and the XLSX writer only format them."""
    for row in rows:
        user = row.membership.user
        family_name, given_name = user.family_and_given_name
        withdrawn_at = row.membership.withdrawn_at
        yield ExportLine(
            name=user.full_name,
            family_name=family_name,
            given_name=given_name,
            email=user.email,
            matriculation_number=user.matriculation_number,
            paper=row.paper_title,
            supervisor=row.supervisor_name,
            talk_starts_at=_local(row.talk_starts_at, seminar),
            talk_ends_at=_local(row.talk_ends_at, seminar),
            room=row.talk_room,
            withdrawn_at=_local(withdrawn_at, seminar),
            status=_("withdrawn") if withdrawn_at is not None else _("enrolled"),
        )


def _time(value: datetime | None, german: bool) -> str:
    if value is None:
        return ""
    return value.strftime("%d.%m.%Y %H:%M" if german else "%Y-%m-%d %H:%M")


def csv_values(line: ExportLine, *, german: bool) -> list[str]:
    return [
        guarded_text(line.name),
        guarded_text(line.family_name),
        guarded_text(line.given_name),
        guarded_text(line.email),
        guarded_text(line.matriculation_number),
        guarded_text(line.paper),
        guarded_text(line.supervisor),
        _time(line.talk_starts_at, german),
        _time(line.talk_ends_at, german),
        guarded_text(line.room),
        _time(line.withdrawn_at, german),
        line.status,
    ]


def csv_lines(seminar: Seminar, rows: Iterable[RosterRow], *, language: str) -> Iterator[str]:
    """Line by line, for a streamed response, in `language`: a stream is read after the view has returned,
    when the request's language may no longer be the active one."""
    german = language == "de"
    writer = csv_line_writer(";" if german else ",")
    yield "\ufeff"  # the BOM makes spreadsheet programs read UTF-8 names correctly
    with translation.override(language):
        yield writer.writerow(header(seminar))
        for line in export_lines(seminar, rows):
            yield writer.writerow(csv_values(line, german=german))


def _time_cell(sheet, value: datetime | None, german: bool) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = "DD.MM.YYYY HH:MM" if german else "YYYY-MM-DD HH:MM"
    return cell


COLUMN_WIDTHS = {"A": 26, "B": 20, "C": 20, "D": 30, "E": 20, "F": 40, "G": 24, "H": 18, "I": 18, "K": 18}


def xlsx_bytes(seminar: Seminar, rows: Iterable[RosterRow], *, german: bool) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Students"))
    for column, width in COLUMN_WIDTHS.items():
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    sheet.append([string_cell(sheet, title, bold=True) for title in header(seminar)])
    for line in export_lines(seminar, rows):
        sheet.append(
            [
                string_cell(sheet, line.name),
                string_cell(sheet, line.family_name),
                string_cell(sheet, line.given_name),
                string_cell(sheet, line.email),
                string_cell(sheet, line.matriculation_number),
                string_cell(sheet, line.paper),
                string_cell(sheet, line.supervisor),
                _time_cell(sheet, line.talk_starts_at, german),
                _time_cell(sheet, line.talk_ends_at, german),
                string_cell(sheet, line.room),
                _time_cell(sheet, line.withdrawn_at, german),
                string_cell(sheet, line.status),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
