"""What every CSV and XLSX the portal hands out shares (the grade export, the roster), so that they behave
alike in a spreadsheet program:
- CSV: a text a person typed that starts with = + - @ tab or CR gets an apostrophe in front (OWASP's advice
  against CSV injection); `csv_line_writer` lets csv.writer return each line for a streamed response.
- XLSX: every text is a string cell with the text format "@", so leading zeros stay and "=HYPERLINK(...)"
  is shown as typed, never run."""

import csv

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

TEXT_FORMAT = "@"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guarded_text(value: str) -> str:
    """A text a person typed: never read as a formula by a spreadsheet program (CSV injection)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def unguarded_text(value: str) -> str:
    """The text as typed, from a cell `guarded_text` wrote (a file of ours read back)."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value


class _Line:
    def write(self, value: str) -> str:
        return value


def csv_line_writer(delimiter: str):
    """A csv.writer whose writerow returns the line instead of writing it (for streamed responses)."""
    return csv.writer(_Line(), delimiter=delimiter)


def string_cell(sheet, value: str, *, bold: bool = False) -> WriteOnlyCell:
    # openpyxl reads a value starting with "=" as a formula; data type "s" keeps every text a string.
    cell = WriteOnlyCell(sheet, value=value or None)
    if value:
        cell.data_type = "s"
    cell.number_format = TEXT_FORMAT
    if bold:
        cell.font = Font(bold=True)
    return cell
