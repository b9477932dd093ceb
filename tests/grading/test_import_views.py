"""The grade import page: preview (old -> new, unchanged counted, bad lines by number), nothing saved before
the confirmation, the confirmation saves (stale lines refused), who may use it, the export read back."""

import html
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grading.models import Grade, GradeChange
from seminars.models import Membership
from tests.factories import SeminarFactory, instructor_of, student_of
from tests.seminars.helpers import add_students

from .helpers import (
    NOW,
    PRESENTATION,
    REPORT,
    export_url,
    main_of,
    make_world,
    release,
    set_grade,
    snapshot,
    value_of,
)

pytestmark = pytest.mark.django_db

HEADER = "matriculation number;component;grade;comment\n"


def import_url(seminar) -> str:
    return reverse("grading:import", kwargs={"slug": seminar.slug})


def status_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def page_text(response) -> str:
    """What the page's <main> says, without its tags."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main_of(response.content.decode()))).split())


@pytest.fixture
def world():
    world = make_world()
    set_grade(world.seminar, world.other, REPORT, "2,0", grader=world.instructor, comment="ok")
    set_grade(world.seminar, world.me, REPORT, "1,7", grader=world.instructor)
    return world


@pytest.fixture
def instructor_client(client, world):
    client.force_login(world.instructor)
    return client


def preview(client, seminar, text=None, file=None):
    data = {"text": text or ""}
    if file is not None:
        data["grade_file"] = file
    return client.post(import_url(seminar), data)


def confirm(client, seminar, response, **kwargs):
    return client.post(
        import_url(seminar), {"token": response.context["token"], "confirmed": "yes"}, follow=True, **kwargs
    )


TWO_CHANGES = HEADER + "03700001;Vortrag;1,3;\n03700002;report;2.3;ok\n03700001;Report;1.7;\n"


def test_import_page_offers_a_file_and_a_text_field(instructor_client, world):
    response = instructor_client.get(import_url(world.seminar))

    assert response.status_code == 200
    text = page_text(response)
    assert "Import grades of Seminar B" in text
    assert 'name="grade_file"' in response.content.decode()
    assert 'name="text"' in response.content.decode()
    assert "What the import changes" not in text


def test_preview_shows_old_and_new_per_student_counts_unchanged_and_saves_nothing(instructor_client, world):
    before = snapshot()

    response = preview(instructor_client, world.seminar, TWO_CHANGES)

    assert response.status_code == 200
    changes = response.context["preview"].changes
    assert [(c.line, c.student, c.component.key, c.old_value, c.new_value) for c in changes] == [
        (2, world.me, PRESENTATION, None, Decimal("1.3")),
        (3, world.other, REPORT, Decimal("2.0"), Decimal("2.3")),
    ]
    text = page_text(response)
    assert "2 Mia Me 03700001 Presentation — 1.3" in text
    assert "3 Otto Other 03700002 Report 2.0 2.3 ok" in text
    assert "1 grade in the file is already saved as it is." in text
    assert "Import 2 grades" in text
    assert snapshot() == before


def test_confirmed_preview_saves_the_grades_with_history_and_says_how_many(instructor_client, world):
    response = preview(instructor_client, world.seminar, TWO_CHANGES)

    done = confirm(instructor_client, world.seminar, response)

    assert done.redirect_chain == [(reverse("grading:sheet", args=[world.seminar.slug]), 302)]
    assert status_messages(done) == ["2 grades imported."]
    assert value_of(world.seminar, world.me, PRESENTATION) == Decimal("1.3")
    assert value_of(world.seminar, world.other, REPORT) == Decimal("2.3")
    grade = Grade.objects.get(student=world.other, component__key=REPORT)
    assert (grade.comment, grade.grader, grade.version) == ("ok", world.instructor, 2)
    assert list(grade.changes.order_by("pk").values_list("old_value", "new_value")) == [
        (None, Decimal("2.0")),
        (Decimal("2.0"), Decimal("2.3")),
    ]


def test_comment_column_replaces_the_comment_and_a_file_without_one_keeps_it(instructor_client, world):
    response = preview(
        instructor_client, world.seminar, "email,component,grade\notto@uni.example,report,3.0\n"
    )
    confirm(instructor_client, world.seminar, response)
    assert Grade.objects.get(student=world.other, component__key=REPORT).comment == "ok"

    response = preview(instructor_client, world.seminar, HEADER + "03700002;report;3,0;Late\n")
    assert "ok → Late" in page_text(response)
    confirm(instructor_client, world.seminar, response)
    assert Grade.objects.get(student=world.other, component__key=REPORT).comment == "Late"


BAD_FILE = (
    HEADER
    + "03700001;Vortrag;1,3;\n"
    + "03799999;Vortrag;1,3;\n"
    + "03700002;Essay;1,3;\n"
    + "03700002;report;2,4;\n"
    + "03700001;presentation;1,0;\n"
    + "03700003;report;2,0;\n"
)


def test_preview_of_bad_lines_names_each_by_number_offers_no_import_and_keeps_the_text(
    instructor_client, world
):
    wanda = student_of(
        world.seminar, user__full_name="Wanda Withdrawn", user__matriculation_number="03700003"
    )
    Membership.objects.filter(user=wanda).update(withdrawn_at=NOW)
    before = snapshot()

    response = preview(instructor_client, world.seminar, BAD_FILE)

    text = page_text(response)
    assert "Nothing was imported. Please correct these lines and import the file again." in text
    assert "Line 3: No student of this seminar has the matriculation number 03799999." in text
    assert (
        "Line 4: “Essay” is not a grade component of this seminar (they are: Presentation, Report)." in text
    )
    assert "Line 5: Report: 2,4 is not a step of the grade scale." in text
    assert "Line 6: Mia Me's grade for Presentation is also on line 2." in text
    assert "Line 7: Wanda Withdrawn withdrew from this seminar; their grades are not changed." in text
    assert "Import 1 grade" not in text
    assert 'name="confirmed"' not in response.content.decode()
    assert response.context["form"]["text"].value() == BAD_FILE
    assert snapshot() == before


def test_an_uploaded_bad_file_is_shown_in_the_text_field_to_correct_it(instructor_client, world):
    upload = SimpleUploadedFile("grades.csv", (HEADER + "03700001;Vortrag;1,4;Schön\n").encode("cp1252"))

    response = preview(instructor_client, world.seminar, file=upload)

    assert "Line 2: Presentation: 1,4 is not a step of the grade scale." in page_text(response)
    assert response.context["form"]["text"].value() == HEADER + "03700001;Vortrag;1,4;Schön\n"


def test_an_empty_form_asks_for_a_file_or_lines(instructor_client, world):
    response = instructor_client.post(import_url(world.seminar), {})

    assert response.status_code == 200
    assert "Please choose a file or paste its lines." in page_text(response)
    assert "preview" not in response.context


def test_a_grade_changed_between_preview_and_confirmation_is_not_overwritten(instructor_client, world):
    response = preview(instructor_client, world.seminar, TWO_CHANGES)
    set_grade(world.seminar, world.other, REPORT, "4,0", grader=world.second_instructor, comment="ok")

    done = confirm(instructor_client, world.seminar, response)

    assert status_messages(done) == [
        "1 grade imported.",
        "Line 3 was not imported: Otto Other, Report: Not saved: Ivo Instructor changed this grade to 4.0 "
        "since you opened the page. Check it and save again if yours should replace it.",
    ]
    assert value_of(world.seminar, world.other, REPORT) == Decimal("4.0")
    assert value_of(world.seminar, world.me, PRESENTATION) == Decimal("1.3")


def test_a_first_grade_saved_between_preview_and_confirmation_is_not_overwritten(instructor_client, world):
    response = preview(instructor_client, world.seminar, TWO_CHANGES)
    set_grade(world.seminar, world.me, PRESENTATION, "2,0", grader=world.second_instructor)

    done = confirm(instructor_client, world.seminar, response)

    assert status_messages(done)[0] == "1 grade imported."
    assert status_messages(done)[1].startswith("Line 2 was not imported: Mia Me, Presentation: Not saved:")
    assert value_of(world.seminar, world.me, PRESENTATION) == Decimal("2.0")


def test_a_changed_or_foreign_token_saves_nothing(client, instructor_client, world):
    response = preview(instructor_client, world.seminar, TWO_CHANGES)
    before = snapshot()

    done = instructor_client.post(
        import_url(world.seminar), {"token": response.context["token"] + "x", "confirmed": "yes"}, follow=True
    )
    client.force_login(world.second_instructor)  # a token is its issuer's
    foreign = client.post(
        import_url(world.seminar), {"token": response.context["token"], "confirmed": "yes"}, follow=True
    )

    for answer in (done, foreign):
        assert status_messages(answer) == [
            "This preview has expired or was changed. Please import the file again."
        ]
    assert snapshot() == before


@pytest.mark.parametrize("who", ["me", "supervisor", "foreign_instructor", "outsider"])
def test_only_the_seminars_instructors_may_import(client, instructor_client, world, who):
    token = preview(instructor_client, world.seminar, TWO_CHANGES).context["token"]
    before = snapshot()
    client.force_login(getattr(world, who))

    answers = [
        client.get(import_url(world.seminar)),
        client.post(import_url(world.seminar), {"text": TWO_CHANGES}),
        client.post(import_url(world.seminar), {"token": token, "confirmed": "yes"}),
    ]

    assert [answer.status_code for answer in answers] == [403, 403, 403]
    assert snapshot() == before


@pytest.mark.parametrize("decimal", ["comma", "point"])
def test_the_portals_own_export_reads_back_as_nothing_to_change(instructor_client, world, decimal):
    set_grade(world.seminar, world.me, PRESENTATION, "1,3", grader=world.instructor)
    exported = b"".join(instructor_client.get(export_url(world.seminar, "csv", decimal)).streaming_content)
    before = snapshot()

    response = preview(instructor_client, world.seminar, file=SimpleUploadedFile("grades.csv", exported))

    assert response.context["preview"].errors == []
    assert response.context["preview"].unchanged == 3
    text = page_text(response)
    assert "Nothing to change: the file's grades are already saved." in text
    assert "3 grades in the file are already saved as they are." in text
    assert 'name="confirmed"' not in response.content.decode()
    assert snapshot() == before


def test_an_edited_export_changes_only_the_edited_cell(instructor_client, world):
    exported = b"".join(instructor_client.get(export_url(world.seminar, "csv", "comma")).streaming_content)
    lines = exported.decode("utf-8-sig").splitlines()
    presentation = lines[0].split(";").index("Presentation")
    otto = next(index for index, line in enumerate(lines) if "otto@uni.example" in line)
    cells = lines[otto].split(";")
    cells[presentation] = "2,7"
    lines[otto] = ";".join(cells)
    edited = "\r\n".join(lines) + "\r\n"

    response = preview(
        instructor_client, world.seminar, file=SimpleUploadedFile("g.csv", edited.encode("cp1252"))
    )
    changes = response.context["preview"].changes

    assert [(c.student, c.component.key, c.new_value) for c in changes] == [
        (world.other, PRESENTATION, Decimal("2.7"))
    ]


def test_import_after_release_mails_each_changed_student_once(
    instructor_client, world, mailoutbox, django_capture_on_commit_callbacks
):
    release(world.seminar, world.instructor)
    text = HEADER + "03700001;presentation;1,3;\n03700001;report;1,0;\n03700002;report;2,0;changed comment\n"
    response = preview(instructor_client, world.seminar, text)
    assert "each student whose grade changes gets an e-mail" in page_text(response)

    with django_capture_on_commit_callbacks(execute=True):
        done = confirm(instructor_client, world.seminar, response)

    assert status_messages(done) == ["3 grades imported."]
    assert [mail.to for mail in mailoutbox] == [["mia@uni.example"]]  # Otto's grade kept its value


def test_import_before_release_mails_nobody(
    instructor_client, world, mailoutbox, django_capture_on_commit_callbacks
):
    response = preview(instructor_client, world.seminar, TWO_CHANGES)
    changes = GradeChange.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        confirm(instructor_client, world.seminar, response)

    assert mailoutbox == []
    assert GradeChange.objects.count() == changes + 2


def _queries_for_preview(client, seminar, text) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.post(import_url(seminar), {"text": text})
    assert response.status_code == 200
    assert response.context["preview"].errors == []
    return len(captured)


def test_preview_costs_the_same_queries_for_3_and_60_students(client):
    counts = []
    for size in (3, 60):
        seminar = SeminarFactory()
        instructor = instructor_of(seminar)
        students = add_students(seminar, size, prefix=f"import{size}")
        client.force_login(instructor)
        text = "email,component,grade\n" + "".join(f"{s.email},presentation,1.3\n" for s in students)
        counts.append(_queries_for_preview(client, seminar, text))

    assert counts[0] == counts[1]
    assert counts[0] <= 12


def test_a_german_export_read_back_by_an_english_page_changes_nothing(instructor_client, world):
    german = instructor_client.get(export_url(world.seminar, "csv", "comma"), HTTP_ACCEPT_LANGUAGE="de")
    exported = b"".join(german.streaming_content)
    assert exported.decode("utf-8-sig").startswith("Matrikelnummer;")

    response = preview(instructor_client, world.seminar, file=SimpleUploadedFile("noten.csv", exported))

    assert response.context["preview"].errors == []
    assert response.context["preview"].unchanged == 2


def test_preview_in_german(instructor_client, world):
    response = instructor_client.post(
        import_url(world.seminar),
        {"text": BAD_FILE.splitlines()[0] + "\n03700002;report;2,4;\n"},
        HTTP_ACCEPT_LANGUAGE="de",
    )

    text = page_text(response)
    assert "Nichts wurde importiert." in text
    assert "Zeile 2: Ausarbeitung: 2,4 ist keine Stufe der Notenskala." in text
