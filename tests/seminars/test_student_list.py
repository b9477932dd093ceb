"""The pure student-list parser `parse_student_list`: table tests and property tests."""

import codecs
import csv
import io

import pytest
from django.core.validators import validate_email
from hypothesis import example, given, settings
from hypothesis import strategies as st

from core.imports import RowError
from seminars.student_list import COLUMN_NAMES, StudentRow, parse_student_list


def rows_of(data: bytes) -> list[tuple[int, str, str, str]]:
    rows, errors = parse_student_list(data)
    assert errors == []
    return [(row.line, row.email, row.name, row.matriculation_number) for row in rows]


def errors_of(data: bytes) -> list[tuple[int, str]]:
    rows, errors = parse_student_list(data)
    assert errors, rows
    return [(error.line, error.message) for error in errors]


# Table tests -----------------------------------------------------------------------------------------------


def test_parse_student_list_reads_a_comma_separated_list():
    data = b"email,name,matriculation number\nada@tum.de,Ada Lovelace,03712345\nalan@tum.de,Alan Turing,\n"

    rows, errors = parse_student_list(data)

    assert errors == []
    assert rows == [
        StudentRow(line=2, email="ada@tum.de", name="Ada Lovelace", matriculation_number="03712345"),
        StudentRow(line=3, email="alan@tum.de", name="Alan Turing", matriculation_number=""),
    ]


def test_parse_student_list_reads_a_semicolon_separated_list():
    data = b"email;name;matriculation number\nada@tum.de;Lovelace, Ada;03712345\n"

    assert rows_of(data) == [(2, "ada@tum.de", "Lovelace, Ada", "03712345")]


def test_parse_student_list_reads_quoted_cells():
    data = b'email,name\nada@tum.de,"Lovelace, Ada ""Countess"""\n'

    assert rows_of(data) == [(2, "ada@tum.de", 'Lovelace, Ada "Countess"', "")]


@pytest.mark.parametrize("key", sorted(COLUMN_NAMES))
def test_parse_student_list_knows_every_column_name(key):
    for label in sorted(COLUMN_NAMES[key]):
        header = {"email": "email", "name": "name", "matriculation_number": "matrikelnummer"}
        header[key] = label.upper()
        data = f"{header['email']};{header['name']};{header['matriculation_number']}\na@tum.de;Ann;42\n"

        assert rows_of(data.encode()) == [(2, "a@tum.de", "Ann", "42")], label


def test_parse_student_list_takes_columns_in_any_order_and_ignores_others():
    data = (
        b"Programme,Matrikelnummer, E-Mail ,Semester,Full Name\nMSc Informatics,03712345,ada@tum.de,3,Ada\n"
    )

    assert rows_of(data) == [(2, "ada@tum.de", "Ada", "03712345")]


def test_parse_student_list_uses_the_first_of_two_columns_of_the_same_meaning():
    data = b"email,mail,name\nfirst@tum.de,second@tum.de,Ada\n"

    assert rows_of(data) == [(2, "first@tum.de", "Ada", "")]


def test_parse_student_list_without_matriculation_column_leaves_it_empty():
    assert rows_of(b"name,email\nAda,ada@tum.de\n") == [(2, "ada@tum.de", "Ada", "")]


def test_parse_student_list_lowercases_addresses_and_collapses_spaces():
    data = b"email,name\n  Ada.Lovelace@TUM.de ,  Ada \t  Lovelace  \n"

    assert rows_of(data) == [(2, "ada.lovelace@tum.de", "Ada Lovelace", "")]


@pytest.mark.parametrize(
    ("encoding", "prefix"), [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("cp1252", b"")]
)
def test_parse_student_list_reads_utf8_with_or_without_bom_and_windows_1252(encoding, prefix):
    data = prefix + "E-Mail-Adresse;Vollständiger Name\r\nmueller@tum.de;Jürgen Müller – Weiß\r\n".encode(
        encoding
    )

    assert rows_of(data) == [(2, "mueller@tum.de", "Jürgen Müller – Weiß", "")]


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_parse_student_list_reads_every_line_ending(newline):
    data = newline.join([b"email,name", b"ada@tum.de,Ada", b"alan@tum.de,Alan", b""])

    assert rows_of(data) == [(2, "ada@tum.de", "Ada", ""), (3, "alan@tum.de", "Alan", "")]


def test_parse_student_list_skips_blank_lines_and_counts_them():
    data = b"email,name\n\nada@tum.de,Ada\n , \n\nalan@tum.de,Alan\n\n"

    assert rows_of(data) == [(3, "ada@tum.de", "Ada", ""), (6, "alan@tum.de", "Alan", "")]


def test_parse_student_list_numbers_lines_after_a_cell_over_two_lines():
    data = b'email,name\nada@tum.de,"Ada\nLovelace"\nbad,Alan\n'

    rows, errors = parse_student_list(data)

    assert [(row.line, row.name) for row in rows] == [(3, "Ada Lovelace")]
    assert errors == [RowError(4, "“bad” is not an e-mail address.")]


def test_parse_student_list_of_an_empty_file_says_so():
    assert errors_of(b"") == [(1, "The file is empty.")]


def test_parse_student_list_of_a_blank_file_says_so():
    assert errors_of(b" \r\n\t\n") == [(1, "The file is empty.")]


def test_parse_student_list_without_header_names_what_it_found():
    assert errors_of(b"ada@tum.de,Ada\n") == [
        (
            1,
            "The first line must name the columns: e-mail, name and (optionally) matriculation number. "
            "Found: ada@tum.de, Ada.",
        )
    ]


def test_parse_student_list_without_name_column_is_refused():
    ((line, message),) = errors_of(b"email,matriculation number\nada@tum.de,1\n")

    assert line == 1
    assert message.endswith("Found: email, matriculation number.")


def test_parse_student_list_with_only_a_header_has_no_students():
    assert errors_of(b"email,name\n") == [(2, "The list has no students.")]


@pytest.mark.parametrize(
    ("line", "problems"),
    [
        ("not-an-address,Ada,", ["“not-an-address” is not an e-mail address."]),
        ("ada@,Ada,", ["“ada@” is not an e-mail address."]),
        ("ada@tum,Ada,", ["“ada@tum” is not an e-mail address."]),
        (",Ada,", ["The e-mail address is missing."]),
        ("ada@tum.de,,", ["The name is missing."]),
        ("ada@tum.de", ["The name is missing."]),
        (
            "ada@tum.de,Ada,0371-2345",
            ["“0371-2345” is not a matriculation number (digits only, at most 20)."],
        ),
        (
            "ada@tum.de,Ada,123456789012345678901",
            ["“123456789012345678901” is not a matriculation number (digits only, at most 20)."],
        ),
        (
            ",,x",
            [
                "The e-mail address is missing.",
                "The name is missing.",
                "“x” is not a matriculation number (digits only, at most 20).",
            ],
        ),
    ],
)
def test_parse_student_list_reports_a_bad_line_with_its_number(line, problems):
    data = f"email,name,matriculation number\nfirst@tum.de,First,\n{line}\n".encode()

    assert errors_of(data) == [(3, problem) for problem in problems]


def test_parse_student_list_accepts_a_name_of_200_characters_and_20_digits():
    data = f"email,name,matriculation number\nada@tum.de,{'a' * 200},{'1' * 20}\n".encode()

    assert rows_of(data) == [(2, "ada@tum.de", "a" * 200, "1" * 20)]


def test_parse_student_list_refuses_a_name_of_201_characters():
    data = f"email,name\nada@tum.de,{'a' * 201}\n".encode()

    assert errors_of(data) == [(2, "The name is longer than 200 characters.")]


def test_parse_student_list_finds_duplicate_addresses_in_any_case():
    data = b"email,name\nada@tum.de,Ada\nalan@tum.de,Alan\nADA@TUM.DE,Ada again\n"

    assert errors_of(data) == [(4, "ada@tum.de is also on line 2.")]


def test_parse_student_list_finds_duplicate_matriculation_numbers():
    data = b"email,name,matriculation number\nada@tum.de,Ada,42\nalan@tum.de,Alan,\ngrace@tum.de,Grace,42\n"

    assert errors_of(data) == [(4, "Matriculation number 42 is also on line 2.")]


def test_parse_student_list_allows_many_students_without_matriculation_number():
    data = b"email,name,matriculation number\nada@tum.de,Ada,\nalan@tum.de,Alan,\n"

    assert [row[3] for row in rows_of(data)] == ["", ""]


def test_parse_student_list_reports_a_line_that_cannot_be_read():
    data = b'email,name\nada@tum.de,Ada\nalan@tum.de,"' + b"x" * 200_000 + b'"\n'

    rows, errors = parse_student_list(data)

    assert [error.line for error in errors] == [3]
    assert errors[0].message.startswith("This line cannot be read (")


@pytest.mark.parametrize("number", ["１２３", "²", "٣٤٥"])
def test_parse_student_list_refuses_digits_other_than_0_to_9(number):
    data = f"email,name,matriculation number\nada@tum.de,Ada,{number}\n".encode()

    assert errors_of(data) == [(2, f"“{number}” is not a matriculation number (digits only, at most 20).")]


def test_parse_student_list_refuses_a_nul_character():
    ((line, _),) = errors_of(b"email,name\nada@tum.de,Ada\x00Lovelace\n")

    assert line == 2


# Property tests --------------------------------------------------------------------------------------------

LOCAL_PART = st.from_regex(r"[a-z0-9]{1,10}([._+-][a-z0-9]{1,10}){0,2}", fullmatch=True)
DOMAIN = st.from_regex(r"[a-z0-9]{1,10}(-[a-z0-9]{1,5})?\.[a-z]{2,6}", fullmatch=True)
EMAILS = st.builds(lambda local, domain: f"{local}@{domain}", LOCAL_PART, DOMAIN)
# Any printable text; the parser collapses runs of white space, so a name is compared in that form.
NAMES = (
    st.text(
        st.characters(
            blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Co", "Cn"), blacklist_characters="\ufeff"
        ),
        min_size=1,
        max_size=60,
    )
    .map(lambda name: " ".join(name.split()))
    .filter(bool)
)
NUMBERS = st.one_of(st.just(""), st.from_regex(r"[0-9]{1,20}", fullmatch=True))
STUDENTS = st.lists(
    st.tuples(EMAILS, NAMES, NUMBERS),
    min_size=1,
    max_size=15,
    unique_by=(lambda row: row[0].lower(), lambda row: row[2] or object()),
)


@given(
    students=STUDENTS,
    delimiter=st.sampled_from([",", ";"]),
    line_end=st.sampled_from(["\n", "\r\n"]),
    bom=st.booleans(),
    upper_case=st.booleans(),
)
def test_parse_student_list_reads_back_what_csv_writer_wrote(students, delimiter, line_end, bom, upper_case):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end)
    writer.writerow(["E-Mail", "Name", "Matrikelnummer"])
    for email, name, number in students:
        writer.writerow([email.upper() if upper_case else email, name, number])
    data = (codecs.BOM_UTF8 if bom else b"") + buffer.getvalue().encode()

    rows, errors = parse_student_list(data)

    assert errors == []
    assert rows == [
        StudentRow(line=line, email=email, name=name, matriculation_number=number)
        for line, (email, name, number) in enumerate(students, start=2)
    ]


@given(students=STUDENTS)
@settings(max_examples=100)
def test_parse_student_list_reads_back_windows_1252_files(students):
    students = [
        (email, name.encode("cp1252", errors="replace").decode("cp1252"), number)
        for email, name, number in students
    ]
    text = "email;name;matriculation number\r\n" + "".join(
        f'{email};"{name.replace(chr(34), chr(34) * 2)}";{number}\r\n' for email, name, number in students
    )
    data = text.encode("cp1252")

    rows, errors = parse_student_list(data)

    assert errors == []
    if not _is_utf8(data):
        assert [(row.email, row.name, row.matriculation_number) for row in rows] == students


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def assert_consistent(data: bytes) -> None:
    rows, errors = parse_student_list(data)
    assert isinstance(rows, list)
    assert isinstance(errors, list)
    assert rows or errors
    assert all(error.line >= 1 and error.message for error in errors)
    assert [row.line for row in rows] == sorted({row.line for row in rows})
    assert len({row.email for row in rows}) == len(rows)
    numbers = [row.matriculation_number for row in rows if row.matriculation_number]
    assert len(set(numbers)) == len(numbers)
    for row in rows:
        assert row.line >= 2
        validate_email(row.email)
        assert row.email == row.email.lower()
        assert row.name == " ".join(row.name.split())
        assert 1 <= len(row.name) <= 200
        assert len(row.matriculation_number) <= 20


@given(st.binary(max_size=2000))
@example(b"\x00")
@example(b"\xff\xfe" + "email,name\n".encode("utf-16-le"))
@example(b'email,name\n"' + b"x" * 140_000)
@example(b"email,name\n\x1c")
@example(b"\x85email,name\na@b.de,x")
@settings(max_examples=500)
def test_parse_student_list_never_raises_on_arbitrary_bytes(data):
    assert_consistent(data)


CSV_ALPHABET = st.sampled_from(
    list('email,name;"\r\n @.ab1ÄMatrikelnummer\t\x00') + ["E-Mail", "matriculation number"]
)


@given(body=st.lists(CSV_ALPHABET, max_size=300).map("".join))
@settings(max_examples=500)
def test_parse_student_list_never_raises_on_csv_like_text_after_a_header(body):
    assert_consistent(("email,name,matriculation number\n" + body).encode())
    assert_consistent(("email;name;matriculation number\r\n" + body).encode("cp1252", errors="replace"))


@given(st.text(max_size=300))
def test_parse_student_list_never_raises_on_arbitrary_text(text):
    assert_consistent(("email,name\n" + text).encode("utf-8", errors="surrogatepass"))
