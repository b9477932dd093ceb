"""Reading a student list (CSV) as an instructor exports it from the campus system or a spreadsheet.

Pure: bytes in, rows or line-numbered errors out. Accepts UTF-8 (with or without BOM) and Windows-1252,
comma or semicolon as separator, and English or German column names. Given and family name may come in two
columns of their own (as campus systems export them); then the full name, if the list has none, is
"given family". A list with a given-name column beside a plain "Name" column (German "Name; Vorname")
means the family name by "Name".
"""

import csv
import io
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from core.imports import RowError, decode_upload

COLUMN_NAMES = {
    "email": {"email", "e-mail", "e-mail address", "email address", "mail", "e-mail-adresse"},
    "name": {"name", "full name", "full_name", "student", "vollständiger name"},
    "matriculation_number": {
        "matriculation number",
        "matriculation_number",
        "matriculation no",
        "matrikelnummer",
        "matr.-nr.",
        "matrikel-nr.",
        "student id",
    },
}
NAME_PART_COLUMNS = {
    "given_name": {
        "given name",
        "given names",
        "given_name",
        "first name",
        "first names",
        "vorname",
        "vornamen",
    },
    "family_name": {"family name", "family_name", "last name", "surname", "nachname", "familienname"},
}
NAME_PART_MAX = 150


@dataclass(frozen=True)
class StudentRow:
    line: int
    email: str
    name: str
    matriculation_number: str
    given_name: str = ""
    family_name: str = ""


def _column_map(header: list[str]) -> dict[str, int]:
    found = {}
    for index, raw in enumerate(header):
        label = raw.strip().lower()
        for key, names in (COLUMN_NAMES | NAME_PART_COLUMNS).items():
            if label in names and key not in found:
                found[key] = index
    if "given_name" in found and "family_name" not in found and "name" in found:
        found["family_name"] = found.pop("name")
    return found


def parse_student_list(data: bytes) -> tuple[list[StudentRow], list[RowError]]:
    text = decode_upload(data)
    if not text.strip():
        return [], [RowError(1, _("The file is empty."))]
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as error:
        return [], [RowError(1, _("This is not a readable CSV file (%(error)s).") % {"error": error})]
    columns = _column_map(header)
    has_name = "name" in columns or {"given_name", "family_name"} <= columns.keys()
    if "email" not in columns or not has_name:
        return [], [
            RowError(
                1,
                _(
                    "The first line must name the columns: e-mail, name and (optionally) matriculation "
                    "number. Found: %(header)s."
                )
                % {"header": ", ".join(header) or _("nothing")},
            )
        ]

    rows, errors, seen_emails, seen_numbers = [], [], {}, {}
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            row, problems = _parse_record(record, columns, line)
            if row and row.email in seen_emails:
                problems.append(
                    _("%(email)s is also on line %(line)d.")
                    % {"email": row.email, "line": seen_emails[row.email]}
                )
            if row and row.matriculation_number and row.matriculation_number in seen_numbers:
                problems.append(
                    _("Matriculation number %(number)s is also on line %(line)d.")
                    % {"number": row.matriculation_number, "line": seen_numbers[row.matriculation_number]}
                )
            errors.extend(RowError(line, problem) for problem in problems)
            if row and not problems:
                rows.append(row)
                seen_emails[row.email] = line
                if row.matriculation_number:
                    seen_numbers[row.matriculation_number] = line
    except csv.Error as error:
        errors.append(
            RowError(reader.line_num, _("This line cannot be read (%(error)s).") % {"error": error})
        )
    if not rows and not errors:
        errors.append(RowError(2, _("The list has no students.")))
    return rows, errors


def _cell(record: list[str], columns: dict[str, int], key: str) -> str:
    index = columns.get(key)
    if index is None or index >= len(record):
        return ""
    return " ".join(record[index].split())


def _is_control(character: str) -> bool:
    return unicodedata.category(character) == "Cc" and character not in "\t\r\n"


def _parse_record(record, columns, line) -> tuple[StudentRow | None, list[str]]:
    email = _cell(record, columns, "email").lower()
    given = _cell(record, columns, "given_name")
    family = _cell(record, columns, "family_name")
    name = _cell(record, columns, "name") or " ".join(part for part in (given, family) if part)
    number = _cell(record, columns, "matriculation_number")
    problems = []
    try:
        validate_email(email)
    except ValidationError:
        problems.append(
            _("“%(email)s” is not an e-mail address.") % {"email": email}
            if email
            else _("The e-mail address is missing.")
        )
    if not name:
        problems.append(_("The name is missing."))
    elif len(name) > 200:
        problems.append(_("The name is longer than 200 characters."))
    if len(given) > NAME_PART_MAX or len(family) > NAME_PART_MAX:
        problems.append(_("A given or family name is longer than 150 characters."))
    if any(_is_control(character) for cell in record for character in cell):
        problems.append(_("This line contains control characters; please save the list as plain text."))
    if number and (not (number.isascii() and number.isdigit()) or len(number) > 20):
        problems.append(
            _("“%(number)s” is not a matriculation number (digits only, at most 20).") % {"number": number}
        )
    return StudentRow(line, email, name, number, given, family), problems
