"""grading.imports.parse_grade_import: pure, ids and texts in, grade lines or numbered errors out.
Properties: the portal's own export reads back as exactly its grades; a bad line inserted anywhere is
reported with its line number and changes nothing else."""

import csv
import io
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from core.imports import RowError, decode_upload
from grading.exports import ExportRow, csv_values, header
from grading.imports import GradeLine, ImportComponent, ImportStudent, parse_grade_import
from grading.models import GradeComponent
from grading.scoring import STEPS, format_grade

COMPONENTS = [
    ImportComponent("presentation", "Presentation", "Vortrag"),
    ImportComponent("report", "Report", "Ausarbeitung"),
    ImportComponent("participation", "Participation", "Mitarbeit"),
]
MIA = ImportStudent(1, "Mia Me", "mia@uni.example", "03700001")
OTTO = ImportStudent(2, "Otto Other", "otto@uni.example", "03700002")
WANDA = ImportStudent(3, "Wanda Withdrawn", "wanda@uni.example", "03700003", withdrawn=True)
STUDENTS = [MIA, OTTO, WANDA]


def parse(text: str, students=STUDENTS, components=COMPONENTS):
    return parse_grade_import(text, students=students, components=components)


def csv_text(rows: list[list[str]], delimiter: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue()


# ------------------------------------------------------------------------------------------- tables


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("matriculation number,component,grade\n03700001,presentation,1.3\n", Decimal("1.3")),
        ("Matrikelnummer;Komponente;Note\n03700001;Vortrag;1,3\n", Decimal("1.3")),
        ("E-Mail;Teil;Note\nMIA@uni.example;presentation;1,3\n", Decimal("1.3")),
        ("email,component,grade\nmia@uni.example, Presentation ,2\n", Decimal("2.0")),
        # A spreadsheet that read the numbers as numbers dropped the leading zero.
        ("matriculation number;component;grade\n3700001;presentation;5,0\n", Decimal("5.0")),
    ],
)
def test_parse_reads_a_grade_per_line_in_either_language_and_notation(text, expected):
    lines, errors = parse(text)

    assert errors == []
    assert lines == [GradeLine(2, MIA.id, "presentation", expected, None)]


def test_parse_keeps_the_comment_when_the_file_has_a_comment_column():
    lines, errors = parse("email,component,grade,comment\nmia@uni.example,report,2.3,Well argued\n")

    assert errors == []
    assert lines == [GradeLine(2, MIA.id, "report", Decimal("2.3"), "Well argued")]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("03799999,presentation,1.3", "No student of this seminar has the matriculation number 03799999."),
        (
            "03700001,Essay,1.3",
            "“Essay” is not a grade component of this seminar (they are: Presentation, "
            "Report, Participation).",
        ),
        (
            "03700001,presentation,1.4",
            "Presentation: 1,4 is not a step of the grade scale. Allowed: 1,0, 1,3, "
            "1,7, 2,0, 2,3, 2,7, 3,0, 3,3, 3,7, 4,0, 5,0.",
        ),
        (
            "03700001,presentation,",
            "Presentation: Please enter a grade: 1,0, 1,3, 1,7, 2,0, 2,3, 2,7, 3,0, 3,3, 3,7, 4,0, 5,0.",
        ),
        (
            "03700003,presentation,1.3",
            "Wanda Withdrawn withdrew from this seminar; their grades are not changed.",
        ),
        (",presentation,1.3", "The line names no student (matriculation number or e-mail)."),
        ("03700001,,1.3", "The component is missing."),
    ],
)
def test_parse_reports_a_bad_line_with_its_number_and_what_is_wrong(line, message):
    text = f"matriculation number,component,grade\n03700002,report,2.0\n{line}\n"

    lines, errors = parse(text)

    assert errors == [RowError(3, message)]
    assert lines == [GradeLine(2, OTTO.id, "report", Decimal("2.0"))]


def test_parse_reports_the_second_line_of_a_grade_twice():
    text = (
        "matriculation number,email,component,grade\n"
        ",mia@uni.example,report,2.0\n"
        "\n"
        "03700001,,Ausarbeitung,1.0\n"
    )

    lines, errors = parse(text)

    assert errors == [RowError(4, "Mia Me's grade for Report is also on line 2.")]
    assert lines == [GradeLine(2, MIA.id, "report", Decimal("2.0"))]


def test_parse_refuses_a_line_whose_number_and_email_are_two_students():
    lines, errors = parse("matriculation number,email,component,grade\n03700001,otto@uni.example,report,2\n")

    assert lines == []
    assert errors == [
        RowError(2, "Matriculation number 03700001 is Mia Me's, but otto@uni.example is Otto Other's.")
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file is empty."),
        ("email;component;grade\n;;\n", "The file has no lines below its first one."),
        (
            "name,grade\nMia,1.3\n",
            "The first line must name the columns: matriculation number or e-mail, component, grade and "
            "(optionally) comment; or be the first line of the portal's grade export. Found: name, grade.",
        ),
        (
            "email,Presentation,Essay\nmia@uni.example,1.3,2.0\n",
            "Column “Essay” is not a grade component of this seminar (they are: Presentation, Report, "
            "Participation).",
        ),
        (
            "email,Presentation,Vortrag\nmia@uni.example,1.3,2.0\n",
            "Two columns are for the component “Presentation”.",
        ),
    ],
)
def test_parse_refuses_a_file_it_cannot_read(text, message):
    assert parse(text) == ([], [RowError(2 if "no lines" in message else 1, message)])


def test_parse_reads_the_export_layout_and_skips_empty_cells_and_its_other_columns():
    text = (
        "\ufeffMatrikelnummer;Familienname;Vorname;E-Mail;Modulnummer;Prüfungsdatum;Vortrag;Ausarbeitung;"
        "Mitarbeit;Endnote;Notenstufe;Status\n"
        "03700001;Me;Mia;mia@uni.example;IN2107;15.02.2027;1,3;2,0;;;;unvollständig: Mitarbeit fehlt\n"
        "03700002;Other;Otto;otto@uni.example;IN2107;15.02.2027;;;;;;unvollständig\n"
    )

    lines, errors = parse(text)

    assert errors == []
    assert lines == [
        GradeLine(2, MIA.id, "presentation", Decimal("1.3")),
        GradeLine(2, MIA.id, "report", Decimal("2.0")),
    ]


# ---------------------------------------------------------------------------------------- properties

# What Windows-1252 can encode, without control characters.
latin_text = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=255, blacklist_categories=("Cc",)), max_size=20
)
students_strategy = st.lists(
    st.tuples(st.from_regex(r"\A0?[1-9][0-9]{6}\Z"), latin_text, latin_text),
    min_size=1,
    max_size=6,
    unique_by=lambda student: student[0].lstrip("0"),
)


def _students(drawn) -> list[ImportStudent]:
    return [
        ImportStudent(index, f"{given} {family}", f"student{index}@uni.example", number)
        for index, (number, given, family) in enumerate(drawn, start=1)
    ]


@given(
    drawn=students_strategy,
    grades=st.data(),
    decimal_comma=st.booleans(),
    language=st.sampled_from(["en", "de"]),
    encoding=st.sampled_from(["utf-8-sig", "utf-8", "cp1252"]),
)
def test_export_then_parse_gives_back_exactly_the_grades(drawn, grades, decimal_comma, language, encoding):
    students = _students(drawn)
    components = [GradeComponent(key=c.key, name_en=c.name_en, name_de=c.name_de) for c in COMPONENTS]
    table = {
        student.id: [grades.draw(st.one_of(st.none(), st.sampled_from(STEPS))) for _ in components]
        for student in students
    }
    with translation.override(language):
        rows = [header(components)] + [
            csv_values(
                ExportRow(
                    student.matriculation_number,
                    drawn[student.id - 1][2],
                    drawn[student.id - 1][1],
                    student.email,
                    "IN2107",
                    None,
                    tuple(table[student.id]),
                    None,
                    "",
                    "incomplete",
                ),
                decimal_comma=decimal_comma,
            )
            for student in students
        ]
    data = csv_text(rows, ";" if decimal_comma else ",").encode(encoding)

    lines, errors = parse(decode_upload(data), students=students)

    assert errors == []
    assert {(line.student_id, line.component, line.value) for line in lines} == {
        (student.id, component.key, value)
        for student in students
        for component, value in zip(components, table[student.id], strict=True)
        if value is not None
    }
    assert all(line.comment is None for line in lines)
    assert all(line.line == line.student_id + 1 for line in lines)  # the header is line 1


BAD_LINES = {
    "unknown student": lambda: ["09999999", "presentation", "1,3"],
    "unknown component": lambda: ["03700001", "Essay", "1,3"],
    "invalid grade": lambda: ["03700001", "report", "4,3"],
    "withdrawn student": lambda: ["03700003", "report", "2,0"],
}


@given(
    good=st.lists(
        st.tuples(
            st.sampled_from([MIA, OTTO]), st.sampled_from(COMPONENTS), st.sampled_from(STEPS), latin_text
        ),
        min_size=1,
        max_size=6,
        unique_by=lambda row: (row[0].id, row[1].key),
    ),
    kind=st.sampled_from([*BAD_LINES, "duplicate"]),
    position=st.integers(min_value=0, max_value=6),
    delimiter=st.sampled_from([";", ","]),
)
def test_a_bad_line_anywhere_is_reported_with_its_number_and_changes_nothing_else(
    good, kind, position, delimiter
):
    def cells(student, component, value, comment):
        return [
            student.matriculation_number,
            component.name_en,
            format_grade(value, decimal_comma=True),
            comment,
        ]

    records = [cells(*row) for row in good]
    if kind == "duplicate":
        # A copy of a line, somewhere after it.
        source = position % len(good)
        bad = records[source]
        position = source + 1 + position % (len(good) - source)
    else:
        bad = [*BAD_LINES[kind](), "a comment"]
        position = min(position, len(records))
    text = csv_text([["matriculation number", "component", "grade", "comment"], *records], delimiter)
    with_bad = csv_text(
        [
            ["matriculation number", "component", "grade", "comment"],
            *records[:position],
            bad,
            *records[position:],
        ],
        delimiter,
    )

    lines, errors = parse(text)
    lines_with_bad, errors_with_bad = parse(with_bad)

    assert errors == []
    assert [error.line for error in errors_with_bad] == [position + 2]
    shifted = [
        GradeLine(
            line.line + (1 if line.line >= position + 2 else 0),
            line.student_id,
            line.component,
            line.value,
            line.comment,
        )
        for line in lines
    ]
    assert lines_with_bad == shifted
