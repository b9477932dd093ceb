"""The roster export read back by another program: LibreOffice Calc (headless) opens the XLSX and the CSV
as the portal serves them; the cells it holds are read from its flat ODF output."""

import pytest

from tests.grading.libreoffice import Cell, needs_libreoffice, read_with_libreoffice

from .test_roster_export import FORMULA_NAME, download, world  # noqa: F401 - the fixture

pytestmark = [pytest.mark.django_db, pytest.mark.integration, needs_libreoffice]
# LibreOffice's CSV filter options: separator (44 = comma), text delimiter, UTF-8, first line, column 5
# (the matriculation number) as text, English (US).
CSV_INTERNATIONAL = "44,34,76,1,5/2,1033"


def by_email(rows: list[list[Cell]]) -> dict[str, list[Cell]]:
    return {row[3].shown: row for row in rows[1:]}


def test_xlsx_in_libreoffice_keeps_leading_zeros_never_runs_a_name_and_has_times(client, world, tmp_path):  # noqa: F811
    rows = by_email(read_with_libreoffice(download(client, world, "xlsx"), "students.xlsx", tmp_path))

    mia = rows["mia@uni.example"]
    assert mia[1] == Cell("string", None, FORMULA_NAME)
    assert mia[1].formula is None
    assert mia[4] == Cell("string", None, "03612345")
    assert mia[7].type == "date"
    assert mia[7].value == "2027-01-20T09:00:00"
    assert mia[7].shown == "2027-01-20 09:00"
    assert rows["zoe@uni.example"][10].value == "2027-01-05T12:30:00"
    assert rows["zoe@uni.example"][11] == Cell("string", None, "withdrawn")


def test_csv_in_libreoffice_shows_the_guarded_name_as_text(client, world, tmp_path):  # noqa: F811
    data = download(client, world, "csv")

    rows = by_email(read_with_libreoffice(data, "students.csv", tmp_path, csv_options=CSV_INTERNATIONAL))

    mia = rows["mia@uni.example"]
    assert mia[1].type == "string"
    assert mia[1].shown == "'" + FORMULA_NAME
    assert mia[1].formula is None
    assert mia[4] == Cell("string", None, "03612345")
