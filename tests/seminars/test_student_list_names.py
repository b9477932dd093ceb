"""Student lists with given and family name in columns of their own, as campus systems export them: the
parser (`parse_student_list`) and the accounts the import (`students_import`) creates from them."""

import pytest

from accounts.models import User
from seminars.services import students_import
from seminars.student_list import NAME_PART_COLUMNS, StudentRow, parse_student_list
from tests.factories import SeminarFactory


def parsed(data: bytes) -> list[StudentRow]:
    rows, errors = parse_student_list(data)
    assert errors == []
    return rows


def test_parse_student_list_with_given_and_family_name_columns_builds_the_full_name():
    data = "Nachname;Vorname;E-Mail;Matrikelnummer\nGroß-Müller;Jürgen;j@tum.de;03612345\n".encode()

    assert parsed(data) == [
        StudentRow(
            line=2,
            email="j@tum.de",
            name="Jürgen Groß-Müller",
            matriculation_number="03612345",
            given_name="Jürgen",
            family_name="Groß-Müller",
        )
    ]


def test_parse_student_list_with_name_and_its_parts_keeps_all_three():
    data = b"email,full name,first name,last name\nada@tum.de,Ada King,Augusta Ada,King\n"

    [row] = parsed(data)

    assert (row.name, row.given_name, row.family_name) == ("Ada King", "Augusta Ada", "King")


def test_parse_student_list_with_name_beside_a_given_name_reads_name_as_the_family_name():
    data = b"Name;Vorname;E-Mail\nvan Beethoven;Ludwig;lvb@tum.de\n"

    [row] = parsed(data)

    assert (row.name, row.given_name, row.family_name) == ("Ludwig van Beethoven", "Ludwig", "van Beethoven")


def test_parse_student_list_with_only_a_given_name_column_in_a_line_uses_it_as_the_name():
    data = b"email;given name;family name\nplato@tum.de;Plato;\n"

    [row] = parsed(data)

    assert (row.name, row.given_name, row.family_name) == ("Plato", "Plato", "")


@pytest.mark.parametrize("key", sorted(NAME_PART_COLUMNS))
def test_parse_student_list_knows_every_name_part_column_name(key):
    other = "family_name" if key == "given_name" else "given_name"
    for label in sorted(NAME_PART_COLUMNS[key]):
        header = {key: label.upper(), other: sorted(NAME_PART_COLUMNS[other])[0]}
        data = f"email;{header['given_name']};{header['family_name']}\na@tum.de;Ann;Smith\n"

        [row] = parsed(data.encode())

        assert (row.given_name, row.family_name, row.name) == ("Ann", "Smith", "Ann Smith"), label


def test_parse_student_list_with_a_too_long_family_name_names_the_line():
    data = f"email;vorname;nachname\na@tum.de;Ann;{'x' * 151}\n".encode()

    rows, errors = parse_student_list(data)

    assert rows == []
    assert [(error.line, error.message) for error in errors] == [
        (2, "A given or family name is longer than 150 characters.")
    ]


@pytest.mark.django_db
def test_students_import_gives_new_accounts_their_given_and_family_name(django_capture_on_commit_callbacks):
    seminar = SeminarFactory()
    data = b"Name;Vorname;E-Mail\nvan Beethoven;Ludwig;lvb@tum.de\n"

    with django_capture_on_commit_callbacks(execute=True):
        students_import(seminar=seminar, data=data, language="en")

    user = User.objects.get(email="lvb@tum.de")
    assert (user.full_name, user.given_name, user.family_name) == (
        "Ludwig van Beethoven",
        "Ludwig",
        "van Beethoven",
    )
