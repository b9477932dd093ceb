"""The staff pages of submissions as instructors use them: the deliverable form, the overview of every
student's status, extensions granted and revoked with their history, the "download all" ZIP; the links to
them from the seminar page; their query counts at two sizes; and the Django admin of the three models."""

import io
import re
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape, strip_tags

from accounts.models import User
from core.templatetags.zoned import zoned_plain, zoned_short
from papers.models import Allotment
from seminars.models import Seminar
from submissions import services
from submissions.models import Deliverable, Extension, Submission
from tests.factories import SeminarFactory, UserFactory, instructor_of, student_of, supervisor_of
from tests.papers.helpers import PaperFactory
from tests.seminars.helpers import add_students

from .helpers import (
    DAY,
    DUE,
    DeliverableFactory,
    pdf_bytes,
    pptx_bytes,
    submission_storage,  # noqa: F401 - the fixture, used through usefixtures below
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("submission_storage")]

NOW = DUE - 2 * DAY
HOUR = timedelta(hours=1)
ZONE = "Europe/Berlin"


def submit(
    deliverable: Deliverable, student: User, name: str, data: bytes, received_at: datetime
) -> Submission:
    return services.submission_create(
        deliverable=deliverable,
        student=student,
        upload=SimpleUploadedFile(name, data),
        received_at=received_at,
    )


def grant(deliverable: Deliverable, student: User, by: User, **kwargs) -> Extension:
    return services.extension_grant(
        deliverable=deliverable, student=student, reason="Ill", granted_by=by, now=NOW - DAY, **kwargs
    )


def overview_url(deliverable: Deliverable) -> str:
    return reverse("submissions:overview", kwargs={"slug": deliverable.seminar.slug, "pk": deliverable.pk})


def create_url(seminar: Seminar) -> str:
    return reverse("submissions:create", kwargs={"slug": seminar.slug})


def edit_url(deliverable: Deliverable) -> str:
    return reverse("submissions:edit", kwargs={"slug": deliverable.seminar.slug, "pk": deliverable.pk})


def grant_url(deliverable: Deliverable) -> str:
    return reverse(
        "submissions:extension_grant", kwargs={"slug": deliverable.seminar.slug, "pk": deliverable.pk}
    )


def revoke_url(extension: Extension) -> str:
    deliverable = extension.deliverable
    return reverse(
        "submissions:extension_revoke",
        kwargs={"slug": deliverable.seminar.slug, "pk": deliverable.pk, "extension": extension.pk},
    )


def zip_url(deliverable: Deliverable) -> str:
    return reverse("submissions:zip", kwargs={"slug": deliverable.seminar.slug, "pk": deliverable.pk})


def download_url(submission: Submission) -> str:
    return reverse("submissions:download", args=[submission.pk])


def deliverable_data(**changes) -> dict:
    """A complete, valid POST of the deliverable form, as an instructor fills it in."""
    data = {
        "kind": "report",
        "title": "Written report",
        "instructions": "Ten pages at most.",
        "order": "1",
        "due_mode": "fixed",
        "due_at": "2026-12-15T23:59",
        "days_before_talk": "",
        "grace_minutes": "15",
        "late_policy": "refuse",
        "late_window_hours": "",
        "allowed_types": ["pdf"],
        "max_size_mb": "20",
        "max_pages": "12",
    }
    data.update(changes)
    return data


def overview_rows(content: str) -> dict[str, list[str]]:
    """student name -> the text of each cell of their row in the overview table, in column order."""
    table = content[content.index('<table class="overview') :]
    table = table[: table.index("</table>")]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        header = re.search(r'<th scope="row"><a [^>]*>(.*?)</a>', row)
        if header:
            rows[header.group(1)] = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    return rows


def history_rows(content: str) -> list[str]:
    """The plain text of each row of the extension history, newest first."""
    section = content[content.index('id="extensions-heading"') :]
    body = section[section.index("<tbody>") : section.index("</tbody>")]
    return [" ".join(strip_tags(row).split()) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def text(html: str) -> str:
    return " ".join(strip_tags(html).split())


def zoned_text(value: datetime) -> str:
    return zoned_plain(value, ZONE)


def cell_time(value: datetime) -> str:
    """A time in a table cell: date and time; the table's caption names the zone once."""
    return strip_tags(zoned_short(value, ZONE))


def time_of(value: datetime) -> str:
    return f'datetime="{value.isoformat()}"'


# -------------------------------------------------------------------------------------- the deliverable form


@pytest.mark.parametrize(
    ("query", "types"),
    [
        pytest.param("?kind=slides", ["pdf", "pptx"], id="slides"),
        pytest.param("?kind=report", ["pdf"], id="report"),
        pytest.param("?kind=other", ["pdf"], id="other"),
        pytest.param("", ["pdf"], id="no-kind"),
        pytest.param("?kind=<script>", ["pdf"], id="unknown-kind"),
    ],
)
def test_deliverable_create_form_preselects_the_file_types_by_kind(client, query, types):
    seminar = SeminarFactory()
    client.force_login(instructor_of(seminar))

    response = client.get(create_url(seminar) + query)

    assert response.status_code == 200
    assert response.context["form"]["allowed_types"].value() == types
    content = response.content.decode()
    checked = re.findall(r'<input type="checkbox" name="allowed_types" value="(\w+)"[^>]*checked', content)
    assert checked == types


@pytest.mark.parametrize(
    ("query", "kind", "title"),
    [
        pytest.param("?kind=slides", "slides", "Slides", id="slides"),
        pytest.param("?kind=report", "report", "Written report", id="report"),
        pytest.param("?kind=other", "other", "Other", id="other"),
        pytest.param("", "report", "", id="no-kind"),
        pytest.param("?kind=<script>", "report", "", id="unknown-kind"),
    ],
)
def test_deliverable_create_form_preselects_the_kind_and_title(client, query, kind, title):
    seminar = SeminarFactory()
    client.force_login(instructor_of(seminar))

    response = client.get(create_url(seminar) + query)

    assert response.status_code == 200
    form = response.context["form"]
    assert (form["kind"].value(), form["title"].value() or "") == (kind, title)
    assert "<script>" not in response.content.decode().split("<main", 1)[-1]


def test_deliverable_create_post_creates_it_in_the_seminars_zone(client):
    seminar = SeminarFactory()
    client.force_login(instructor_of(seminar))

    response = client.post(
        create_url(seminar),
        deliverable_data(kind="slides", title="Slides", allowed_types=["pdf", "pptx"], max_pages=""),
    )

    deliverable = Deliverable.objects.get()
    assert response.status_code == 302
    assert response["Location"] == overview_url(deliverable)
    assert deliverable.seminar == seminar
    assert (deliverable.kind, deliverable.title, deliverable.allowed_types) == (
        "slides",
        "Slides",
        ["pdf", "pptx"],
    )
    assert deliverable.due_at == DUE  # 23:59 in Europe/Berlin
    assert (deliverable.grace_minutes, deliverable.max_size_mb, deliverable.max_pages) == (15, 20, None)
    assert deliverable.days_before_talk is None


def test_deliverable_create_post_before_talk_stores_no_fixed_time(client):
    seminar = SeminarFactory()
    client.force_login(instructor_of(seminar))

    client.post(create_url(seminar), deliverable_data(due_mode="before_talk", days_before_talk="14"))

    deliverable = Deliverable.objects.get()
    assert (deliverable.due_mode, deliverable.due_at, deliverable.days_before_talk) == (
        "before_talk",
        None,
        14,
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        pytest.param({"due_at": ""}, "due_at", "Please give the due time.", id="no-due-time"),
        pytest.param(
            {"due_mode": "before_talk", "days_before_talk": ""},
            "days_before_talk",
            "Please give how many days before the talk it is due.",
            id="no-days",
        ),
        pytest.param({"allowed_types": []}, "allowed_types", "This field is required.", id="no-types"),
        pytest.param(
            {"max_size_mb": "101"},
            "max_size_mb",
            "Ensure this value is less than or equal to 100.",
            id="over-site-limit",
        ),
    ],
)
def test_deliverable_create_post_invalid_shows_the_error_and_stores_nothing(client, changes, field, message):
    seminar = SeminarFactory()
    client.force_login(instructor_of(seminar))

    response = client.post(create_url(seminar), deliverable_data(**changes))

    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert escape(message) in response.content.decode()
    assert not Deliverable.objects.exists()


def test_deliverable_edit_form_shows_the_due_time_in_the_seminars_zone(client):
    deliverable = DeliverableFactory()
    client.force_login(instructor_of(deliverable.seminar))

    response = client.get(edit_url(deliverable))

    assert response.status_code == 200
    assert 'value="2026-12-15T23:59"' in response.content.decode()


def test_deliverable_edit_moves_every_students_due_time(client, time_machine):
    time_machine.move_to(NOW, tick=False)
    deliverable = DeliverableFactory(title="Written report")
    seminar = deliverable.seminar
    instructor = instructor_of(seminar)
    plain = student_of(seminar, user__full_name="Anna Plain")
    extra = student_of(seminar, user__full_name="Ben Extra")
    new_due = student_of(seminar, user__full_name="Cleo Newdue")
    grant(deliverable, extra, instructor, extra_minutes=48 * 60)
    grant(deliverable, new_due, instructor, new_due_at=DUE + DAY)
    client.force_login(instructor)

    response = client.post(edit_url(deliverable), deliverable_data(due_at="2026-12-18T23:59"))

    moved = datetime(2026, 12, 18, 22, 59, tzinfo=UTC)
    assert response.status_code == 302
    deliverable.refresh_from_db()
    assert deliverable.due_at == moved
    rows = overview_rows(client.get(overview_url(deliverable)).content.decode())
    assert time_of(moved) in rows["Anna Plain"][1]
    assert time_of(moved + 48 * HOUR) in rows["Ben Extra"][1]
    # A new due time earlier than the moved deadline gives way to the deliverable's.
    assert time_of(moved) in rows["Cleo Newdue"][1]
    client.force_login(plain)
    page = client.get(
        reverse("submissions:deliverable", args=[seminar.slug, deliverable.pk])
    ).content.decode()
    assert f'data-local-time="{moved.isoformat()}"' in page
    client.force_login(extra)
    page = client.get(
        reverse("submissions:deliverable", args=[seminar.slug, deliverable.pk])
    ).content.decode()
    assert f'data-local-time="{(moved + 48 * HOUR).isoformat()}"' in page


def test_deliverable_edit_of_another_seminars_deliverable_is_404(client):
    seminar = SeminarFactory()
    foreign = DeliverableFactory(title="Foreign report")
    client.force_login(instructor_of(seminar))

    url = reverse("submissions:edit", kwargs={"slug": seminar.slug, "pk": foreign.pk})
    response = client.post(url, deliverable_data(title="Hijacked"))

    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.title == "Foreign report"


def test_manage_list_links_each_deliverable_and_the_three_kinds(client):
    report = DeliverableFactory(title="Written report")
    slides = DeliverableFactory(seminar=report.seminar, title="Slides", kind="slides", order=1)
    client.force_login(instructor_of(report.seminar))

    content = client.get(reverse("submissions:manage", args=[report.seminar.slug])).content.decode()

    for deliverable in (report, slides):
        assert f'href="{overview_url(deliverable)}"' in content
        assert f'href="{edit_url(deliverable)}"' in content
    for kind in ("report", "slides", "other"):
        assert f'href="{create_url(report.seminar)}?kind={kind}"' in content


# ------------------------------------------------------------------------------------------- the overview


@pytest.fixture
def course():
    """One deliverable that accepts late work, with a student in each state the overview tells apart."""
    deliverable = DeliverableFactory(title="Written report", late_policy=Deliverable.Policy.ACCEPT_LATE)
    seminar = deliverable.seminar
    instructor = instructor_of(seminar, user__full_name="Ida Instructor")
    students = {
        name: student_of(seminar, user__full_name=name, user__email=f"{name.split()[0].lower()}@uni.example")
        for name in ("Anna Missing", "Ben Ontime", "Cleo Late", "Dora Extension")
    }
    files = {
        "ben-1": submit(deliverable, students["Ben Ontime"], "ben-v1.pdf", pdf_bytes(1), DUE - 3 * DAY),
        "ben-2": submit(deliverable, students["Ben Ontime"], "ben-v2.pdf", pdf_bytes(2), DUE - DAY),
        "cleo-1": submit(deliverable, students["Cleo Late"], "cleo-v1.pdf", pdf_bytes(3), DUE + HOUR),
    }
    grant(deliverable, students["Dora Extension"], instructor, extra_minutes=48 * 60)
    files["dora-1"] = submit(
        deliverable, students["Dora Extension"], "Bericht über Lernen.pdf", pdf_bytes(4), DUE + DAY
    )
    return {"deliverable": deliverable, "instructor": instructor, "students": students, "files": files}


@pytest.mark.parametrize(
    ("name", "status", "versions", "last", "counted"),
    [
        pytest.param("Anna Missing", "missing", "0", None, None, id="missing"),
        pytest.param("Ben Ontime", "on time", "2", "ben-2", "ben-2", id="on-time"),
        pytest.param("Cleo Late", "late", "1", "cleo-1", "cleo-1", id="late"),
        pytest.param("Dora Extension", "on time · extension", "1", "dora-1", "dora-1", id="extension"),
    ],
)
def test_overview_shows_each_students_status(
    client, course, name, status, versions, last, counted, time_machine
):
    time_machine.move_to(DUE + 3 * DAY, tick=False)
    client.force_login(course["instructor"])

    response = client.get(overview_url(course["deliverable"]))

    assert response.status_code == 200
    rows = overview_rows(response.content.decode())
    assert sorted(rows) == ["Anna Missing", "Ben Ontime", "Cleo Late", "Dora Extension"]
    status_cell, due_cell, versions_cell, last_cell, counted_cell = rows[name]
    assert text(status_cell) == status
    assert text(versions_cell) == versions
    if last is None:
        assert text(last_cell) == "—"
        assert text(counted_cell) == "—"
    else:
        received = course["files"][last].received_at
        assert time_of(received) in last_cell
        # The cell has the date and time; the table's caption names the zone once.
        assert text(last_cell) == strip_tags(zoned_short(received, ZONE))
        assert f'href="{download_url(course["files"][counted])}"' in counted_cell
    page = response.content.decode()
    # Named once above the students' table (and once above the extensions' table).
    assert page.count("Times in Europe/Berlin (CET/CEST)") == 2
    assert page.index("Times in Europe/Berlin (CET/CEST)") < page.index('<table class="overview')


def test_overview_shows_each_students_due_time(client, course):
    client.force_login(course["instructor"])

    rows = overview_rows(client.get(overview_url(course["deliverable"])).content.decode())

    assert time_of(DUE) in rows["Ben Ontime"][1]
    assert time_of(DUE + 48 * HOUR) in rows["Dora Extension"][1]


def test_overview_counts_the_on_time_version_over_a_later_late_one(client, course):
    ben = course["students"]["Ben Ontime"]
    late = submit(course["deliverable"], ben, "ben-v3.pdf", pdf_bytes(5), DUE + HOUR)
    client.force_login(course["instructor"])

    rows = overview_rows(client.get(overview_url(course["deliverable"])).content.decode())

    status_cell, _, versions_cell, last_cell, counted_cell = rows["Ben Ontime"]
    assert (text(status_cell), text(versions_cell)) == ("on time", "3")
    assert time_of(late.received_at) in last_cell
    assert f'href="{download_url(course["files"]["ben-2"])}"' in counted_cell


def test_overview_links_each_students_versions_page(client, course):
    client.force_login(course["instructor"])
    deliverable = course["deliverable"]

    content = client.get(overview_url(deliverable)).content.decode()

    for student in course["students"].values():
        url = reverse("submissions:student", args=[deliverable.seminar.slug, deliverable.pk, student.pk])
        assert f'href="{url}"' in content


def test_student_versions_page_lists_every_version_newest_first(client, course):
    deliverable = course["deliverable"]
    ben = course["students"]["Ben Ontime"]
    client.force_login(course["instructor"])

    response = client.get(
        reverse("submissions:student", args=[deliverable.seminar.slug, deliverable.pk, ben.pk])
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert content.index("ben-v2.pdf") < content.index("ben-v1.pdf")
    assert "cleo-v1.pdf" not in content
    assert course["files"]["ben-1"].sha256 in content


# ------------------------------------------------------------------------------------------- extensions


def test_extension_grant_of_extra_hours_is_stored_and_shown(client, course, time_machine):
    time_machine.move_to(NOW, tick=False)
    deliverable = course["deliverable"]
    ben = course["students"]["Ben Ontime"]
    client.force_login(course["instructor"])

    response = client.post(
        grant_url(deliverable),
        {
            "student": ben.pk,
            "mode": "extra",
            "extra_time": "36",
            "extra_unit": "hours",
            "reason": "Sick note",
        },
        follow=True,
    )

    extension = Extension.objects.get(student=ben)
    assert (extension.extra_minutes, extension.new_due_at) == (36 * 60, None)
    assert (extension.granted_by, extension.granted_at, extension.revoked_at) == (
        course["instructor"],
        NOW,
        None,
    )
    assert extension.reason == "Sick note"
    assert response.redirect_chain == [(overview_url(deliverable), 302)]
    content = response.content.decode()
    assert "Ben Ontime has an extension now." in content
    assert text(overview_rows(content)["Ben Ontime"][0]) == "on time · extension"
    assert time_of(DUE + 36 * HOUR) in overview_rows(content)["Ben Ontime"][1]
    newest = history_rows(content)[0]
    assert newest.startswith("Ben Ontime 36 hours extra Sick note")
    assert f"{cell_time(NOW)}, Ida Instructor" in newest
    assert revoke_url(extension) in content


def test_extension_grant_of_a_new_due_time_is_placed_in_the_seminars_zone(client, course, time_machine):
    time_machine.move_to(NOW, tick=False)
    deliverable = course["deliverable"]
    anna = course["students"]["Anna Missing"]
    client.force_login(course["instructor"])

    response = client.post(
        grant_url(deliverable),
        {"student": anna.pk, "mode": "new_due", "new_due_at": "2026-12-20T12:00", "reason": "Exchange term"},
        follow=True,
    )

    new_due = datetime(2026, 12, 20, 11, 0, tzinfo=UTC)
    extension = Extension.objects.get(student=anna)
    assert (extension.new_due_at, extension.extra_minutes) == (new_due, None)
    content = response.content.decode()
    assert time_of(new_due) in overview_rows(content)["Anna Missing"][1]
    assert history_rows(content)[0].startswith(f"Anna Missing until {cell_time(new_due)} Exchange term")


def test_extension_grant_again_revokes_the_active_one_and_keeps_both(client, course, time_machine):
    time_machine.move_to(NOW, tick=False)
    deliverable = course["deliverable"]
    dora = course["students"]["Dora Extension"]
    first = Extension.objects.get(student=dora)
    client.force_login(course["instructor"])

    response = client.post(
        grant_url(deliverable),
        {
            "student": dora.pk,
            "mode": "extra",
            "extra_time": "3",
            "extra_unit": "days",
            "reason": "Longer illness",
        },
        follow=True,
    )

    first.refresh_from_db()
    assert (first.revoked_at, first.revoked_by) == (NOW, course["instructor"])
    assert Extension.objects.filter(student=dora, revoked_at__isnull=True).get().extra_minutes == 72 * 60
    history = history_rows(response.content.decode())
    assert len(history) == 2
    assert history[1].endswith(f"{cell_time(NOW)}, Ida Instructor")


def test_extension_revoke_records_who_and_when_and_restores_the_due_time(client, course, time_machine):
    time_machine.move_to(NOW, tick=False)
    deliverable = course["deliverable"]
    dora = course["students"]["Dora Extension"]
    extension = Extension.objects.get(student=dora)
    other_instructor = instructor_of(deliverable.seminar, user__full_name="Ivan Instructor")
    client.force_login(other_instructor)

    asked = client.get(revoke_url(extension))
    response = client.post(revoke_url(extension), {"confirmed": "yes"}, follow=True)

    extension.refresh_from_db()
    assert (extension.revoked_at, extension.revoked_by) == (NOW, other_instructor)
    content = response.content.decode()
    assert "Dora Extension&#x27;s due time for “Written report” goes back to" in asked.content.decode()
    assert "button-danger" in asked.content.decode()
    assert response.redirect_chain == [(overview_url(deliverable), 302)]
    assert "The extension of Dora Extension is revoked." in content
    row = overview_rows(content)["Dora Extension"]
    # The version received a day after the deliverable's due time stays on time: it was judged when it came.
    assert text(row[0]) == "on time"
    assert time_of(DUE) in row[1]
    history = history_rows(content)
    assert len(history) == 1
    assert f"{cell_time(NOW - DAY)}, Ida Instructor" in history[0]
    assert history[0].endswith(f"{cell_time(NOW)}, Ivan Instructor")
    assert revoke_url(extension) not in content


def test_extension_revoke_twice_keeps_the_first_record(client, course, time_machine):
    time_machine.move_to(NOW, tick=False)
    extension = Extension.objects.get(student=course["students"]["Dora Extension"])
    client.force_login(course["instructor"])
    client.post(revoke_url(extension), {"confirmed": "yes"})
    time_machine.move_to(NOW + DAY, tick=False)
    client.force_login(instructor_of(course["deliverable"].seminar))

    response = client.post(revoke_url(extension), {"confirmed": "yes"})

    extension.refresh_from_db()
    assert response.status_code == 302
    assert (extension.revoked_at, extension.revoked_by) == (NOW, course["instructor"])


def test_extension_revoke_of_another_deliverables_extension_is_404(client, course):
    deliverable = course["deliverable"]
    other = DeliverableFactory(seminar=deliverable.seminar, title="Slides", kind="slides")
    extension = Extension.objects.get(student=course["students"]["Dora Extension"])
    client.force_login(course["instructor"])

    url = reverse("submissions:extension_revoke", args=[deliverable.seminar.slug, other.pk, extension.pk])
    response = client.post(url)

    assert response.status_code == 404
    extension.refresh_from_db()
    assert extension.revoked_at is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            {"mode": "extra", "extra_time": "24", "reason": ""}, "This field is required.", id="no-reason"
        ),
        pytest.param(
            {"mode": "extra", "extra_time": "24", "reason": "   "},
            "This field is required.",
            id="blank-reason",
        ),
        pytest.param(
            {"mode": "new_due", "new_due_at": "2026-12-14T12:00", "reason": "Trip"},
            "The new due time must be later than the deliverable's due time.",
            id="new-due-earlier",
        ),
        pytest.param(
            {"mode": "new_due", "new_due_at": "2026-12-15T23:59", "reason": "Trip"},
            "The new due time must be later than the deliverable's due time.",
            id="new-due-equal",
        ),
        pytest.param(
            {"mode": "new_due", "new_due_at": "", "reason": "Trip"},
            "Please give the new due time.",
            id="no-time",
        ),
        pytest.param(
            {"mode": "extra", "extra_time": "", "reason": "Trip"},
            "Please give the extra time.",
            id="no-hours",
        ),
        pytest.param(
            {"mode": "extra", "extra_time": "0", "reason": "Trip"},
            "Ensure this value is greater than or equal to 0.25.",
            id="zero-hours",
        ),
    ],
)
def test_extension_grant_invalid_shows_the_error_and_stores_nothing(client, course, data, message):
    deliverable = course["deliverable"]
    ben = course["students"]["Ben Ontime"]
    before = list(Extension.objects.order_by("pk").values())
    client.force_login(course["instructor"])

    response = client.post(grant_url(deliverable), {"student": ben.pk, **data})

    assert response.status_code == 400
    assert escape(message) in response.content.decode()
    assert list(Extension.objects.order_by("pk").values()) == before
    assert not Extension.objects.filter(student=ben).exists()


def test_extension_grant_for_a_student_of_another_seminar_stores_nothing(client, course):
    deliverable = course["deliverable"]
    outsider = student_of(SeminarFactory(), user__full_name="Olga Outsider")
    client.force_login(course["instructor"])

    response = client.post(
        grant_url(deliverable), {"student": outsider.pk, "mode": "extra", "extra_time": "1", "reason": "x"}
    )

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert not Extension.objects.filter(student=outsider).exists()


# ------------------------------------------------------------------------------------------ download all


def read_zip(response) -> dict[str, bytes]:
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture
def handed_in():
    """Two students with two versions each, one of them late; a third student without a file."""
    deliverable = DeliverableFactory(
        title="Slides",
        kind=Deliverable.Kind.SLIDES,
        allowed_types=["pdf", "pptx"],
        late_policy=Deliverable.Policy.ACCEPT_LATE,
    )
    seminar = deliverable.seminar
    mia = student_of(seminar, user__full_name="Mia Me", user__email="mia@uni.example")
    otto = student_of(seminar, user__full_name="Otto Other", user__email="otto@uni.example")
    student_of(seminar, user__full_name="Nina None", user__email="nina@uni.example")
    data = {
        "mia-1": pdf_bytes(1),
        "mia-2": pdf_bytes(2),
        "otto-1": pptx_bytes(),
        "otto-2": pdf_bytes(3),
    }
    submit(deliverable, mia, "mia talk.pdf", data["mia-1"], DUE - DAY)
    submit(deliverable, mia, "mia talk.pdf", data["mia-2"], DUE + HOUR)
    submit(deliverable, otto, "otto.pptx", data["otto-1"], DUE - 2 * DAY)
    submit(deliverable, otto, "Bericht über Lernen.pdf", data["otto-2"], DUE - DAY)
    return {"deliverable": deliverable, "instructor": instructor_of(seminar), "data": data}


def test_zip_holds_each_students_counted_version(client, handed_in):
    deliverable = handed_in["deliverable"]
    data = handed_in["data"]
    client.force_login(handed_in["instructor"])

    response = client.get(zip_url(deliverable))

    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{deliverable.seminar.slug}-slides-{deliverable.pk}-counted.zip"'
    )
    assert read_zip(response) == {
        "Mia Me (mia@uni.example)/v1 mia talk.pdf": data["mia-1"],
        "Otto Other (otto@uni.example)/v2 Bericht über Lernen.pdf": data["otto-2"],
    }


def test_zip_with_every_version_holds_all_of_them(client, handed_in):
    deliverable = handed_in["deliverable"]
    data = handed_in["data"]
    client.force_login(handed_in["instructor"])

    response = client.get(zip_url(deliverable) + "?versions=all")

    assert response["Content-Disposition"] == (
        f'attachment; filename="{deliverable.seminar.slug}-slides-{deliverable.pk}-all-versions.zip"'
    )
    assert read_zip(response) == {
        "Mia Me (mia@uni.example)/v1 mia talk.pdf": data["mia-1"],
        "Mia Me (mia@uni.example)/v2-late mia talk.pdf": data["mia-2"],
        "Otto Other (otto@uni.example)/v1 otto.pptx": data["otto-1"],
        "Otto Other (otto@uni.example)/v2 Bericht über Lernen.pdf": data["otto-2"],
    }


def test_zip_without_any_upload_is_an_empty_archive(client):
    deliverable = DeliverableFactory()
    student_of(deliverable.seminar)
    client.force_login(instructor_of(deliverable.seminar))

    assert read_zip(client.get(zip_url(deliverable))) == {}


def test_overview_links_both_zips(client, handed_in):
    deliverable = handed_in["deliverable"]
    client.force_login(handed_in["instructor"])

    content = client.get(overview_url(deliverable)).content.decode()

    assert f'href="{zip_url(deliverable)}"' in content
    assert f'href="{zip_url(deliverable)}?versions=all"' in content


# ------------------------------------------------------------------------------------------- query counts


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def populated_deliverable(students: int, instructor: User) -> Deliverable:
    """A deliverable with `students` students, each with two versions; every third has an extension."""
    deliverable = DeliverableFactory(late_policy=Deliverable.Policy.ACCEPT_LATE)
    seminar = deliverable.seminar
    instructor_of(seminar, user=instructor)
    supervisor = supervisor_of(seminar)
    for n, student in enumerate(add_students(seminar, students)):
        paper = PaperFactory(seminar=seminar, supervisor=supervisor)
        Allotment.objects.create(seminar=seminar, student=student, paper=paper, source="automatic")
        if n % 3 == 0:
            grant(deliverable, student, instructor, extra_minutes=60)
        submit(deliverable, student, "report.pdf", pdf_bytes(1), DUE - DAY)
        submit(deliverable, student, "report.pdf", pdf_bytes(1), DUE + 2 * HOUR)
    return deliverable


@pytest.mark.parametrize("who", ["instructor", "supervisor"])
def test_overview_queries_do_not_grow_with_the_students(client, who):
    instructor = UserFactory()
    small = populated_deliverable(3, instructor)
    large = populated_deliverable(30, instructor)
    if who == "supervisor":
        person = UserFactory()
        for deliverable in (small, large):
            supervisor_of(deliverable.seminar, user=person)
            Allotment.objects.filter(seminar=deliverable.seminar).update(
                paper=PaperFactory(seminar=deliverable.seminar, supervisor=person, capacity=100)
            )
    else:
        person = instructor
    client.force_login(person)
    queries_for(client, overview_url(small))  # warm-up: the session and content types are loaded once

    counts = (queries_for(client, overview_url(small)), queries_for(client, overview_url(large)))

    assert counts[0] == counts[1]
    assert len(overview_rows(client.get(overview_url(large)).content.decode())) == 30


def test_zip_queries_do_not_grow_with_the_students(client):
    instructor = UserFactory()
    small = populated_deliverable(3, instructor)
    large = populated_deliverable(30, instructor)
    client.force_login(instructor)

    def zip_queries(deliverable):
        with CaptureQueriesContext(connection) as captured:
            files = read_zip(client.get(zip_url(deliverable) + "?versions=all"))
        return len(captured), len(files)

    zip_queries(small)

    assert zip_queries(small)[0] == zip_queries(large)[0]
    assert zip_queries(large)[1] == 60


def student_with_deliverables(count: int) -> tuple[Seminar, User]:
    """A student of a seminar with `count` deliverables, two versions of each; every third with an extension,
    and ten other students who handed in too."""
    seminar = SeminarFactory()
    instructor = instructor_of(seminar)
    student = student_of(seminar)
    others = add_students(seminar, 10)
    for n in range(count):
        deliverable = DeliverableFactory(seminar=seminar, title=f"Deliverable {n}", order=n)
        if n % 3 == 0:
            grant(deliverable, student, instructor, extra_minutes=60)
        for person in (student, others[n % 10]):
            submit(deliverable, person, "report.pdf", pdf_bytes(1), DUE - DAY)
            submit(deliverable, person, "report.pdf", pdf_bytes(1), DUE - HOUR)
    return seminar, student


def test_deliverable_list_queries_do_not_grow_with_the_students(client):
    small, small_student = student_with_deliverables(2)
    large, large_student = student_with_deliverables(2)
    add_students(large, 40, prefix="more")
    client.force_login(small_student)
    queries_for(client, reverse("submissions:list", args=[small.slug]))
    small_count = queries_for(client, reverse("submissions:list", args=[small.slug]))
    client.force_login(large_student)
    queries_for(client, reverse("submissions:list", args=[large.slug]))

    assert queries_for(client, reverse("submissions:list", args=[large.slug])) == small_count


def test_deliverable_list_queries_do_not_grow_with_the_deliverables(client):
    small, small_student = student_with_deliverables(3)
    large, large_student = student_with_deliverables(30)
    client.force_login(small_student)
    queries_for(client, reverse("submissions:list", args=[small.slug]))
    small_count = queries_for(client, reverse("submissions:list", args=[small.slug]))
    client.force_login(large_student)
    queries_for(client, reverse("submissions:list", args=[large.slug]))

    assert queries_for(client, reverse("submissions:list", args=[large.slug])) == small_count


def test_deliverable_list_shows_a_student_their_state_of_each_deliverable(client):
    seminar, student = student_with_deliverables(3)
    DeliverableFactory(seminar=seminar, title="Not handed in", order=9)
    client.force_login(student)

    content = client.get(reverse("submissions:list", args=[seminar.slug])).content.decode()

    assert content.count("Handed in on time — 2 versions") == 3
    assert content.count("Not handed in yet") == 1


def test_deliverable_list_is_sorted_by_the_students_own_due_time_with_a_countdown(client, time_machine):
    time_machine.move_to(DUE - 10 * DAY)
    seminar = SeminarFactory()
    student = student_of(seminar)
    DeliverableFactory(seminar=seminar, title="Slides", order=0, due_at=DUE)
    report = DeliverableFactory(seminar=seminar, title="Report", order=1, due_at=DUE - DAY)
    DeliverableFactory(seminar=seminar, title="Handout", order=2, due_at=DUE - 2 * DAY)
    Extension.objects.create(
        deliverable=report,
        student=student,
        extra_minutes=3 * 24 * 60,
        reason="ill",
        granted_by=UserFactory(),
        granted_at=DUE - 20 * DAY,
    )
    client.force_login(student)

    response = client.get(reverse("submissions:list", args=[seminar.slug]))

    assert [deliverable.title for deliverable, _, _ in response.context["rows"]] == [
        "Handout",
        "Slides",
        "Report",
    ]
    content = response.content.decode()
    assert content.count("data-countdown=") == 3
    # The text the page shows without JavaScript (the script counts down from the same attribute).
    assert re.search(r'data-grace="0">1\xa0week(, \d\xa0days?)? left</p>', content)
    assert "js/submissions.js" in content


def test_manage_list_is_sorted_by_due_time_undated_last_with_a_countdown(client, time_machine):
    """The staff's list in the order of the students' list: the soonest due time first, deliverables due
    before each talk (no one due time) last in the instructor's order; a countdown for what is still due."""
    time_machine.move_to(DUE - 10 * DAY)
    seminar = SeminarFactory()
    DeliverableFactory(seminar=seminar, title="Slides", order=0, due_at=DUE)
    DeliverableFactory(
        seminar=seminar,
        title="Handout",
        order=1,
        due_mode=Deliverable.DueMode.BEFORE_TALK,
        due_at=None,
        days_before_talk=3,
    )
    DeliverableFactory(seminar=seminar, title="Report", order=2, due_at=DUE - DAY)
    DeliverableFactory(seminar=seminar, title="Abstract", order=3, due_at=DUE - 20 * DAY)
    DeliverableFactory(
        seminar=seminar,
        title="Outline",
        order=4,
        due_mode=Deliverable.DueMode.BEFORE_TALK,
        due_at=None,
        days_before_talk=7,
    )
    client.force_login(instructor_of(seminar))

    response = client.get(reverse("submissions:manage", args=[seminar.slug]))

    expected = ["Abstract", "Report", "Slides", "Handout", "Outline"]
    assert [deliverable.title for deliverable in response.context["deliverables"]] == expected
    content = response.content.decode()
    headers = re.findall(r'<th scope="row"><a [^>]*>(.*?)</a></th>', content)
    assert headers == expected
    # Only the two still ahead count down (the abstract's due time has passed), from the same attribute and
    # script as the students' list.
    assert content.count("data-countdown=") == 2
    assert re.search(r'data-grace="0">1\xa0week(, \d\xa0days?)? left</p>', content)
    assert "js/submissions.js" in content


def test_manage_list_queries_do_not_grow_with_the_deliverables(client):
    instructor = UserFactory()
    seminars = []
    for count in (3, 30):
        seminar = SeminarFactory()
        instructor_of(seminar, user=instructor)
        for n in range(count):
            DeliverableFactory(seminar=seminar, title=f"Deliverable {n}", order=n)
        seminars.append(seminar)
    client.force_login(instructor)
    urls = [reverse("submissions:manage", args=[seminar.slug]) for seminar in seminars]
    queries_for(client, urls[0])

    assert queries_for(client, urls[0]) == queries_for(client, urls[1])


# ---------------------------------------------------------------------------------------- the seminar page


def button(url: str, label: str) -> str:
    return f'<a class="button" href="{url}">{label}</a>'


@pytest.mark.parametrize(
    ("role", "url_name", "label", "absent"),
    [
        pytest.param("instructor", "submissions:manage", "Deliverables", "submissions:list", id="instructor"),
        pytest.param("student", "submissions:list", "Reports and slides", "submissions:manage", id="student"),
        pytest.param(
            "supervisor", "submissions:list", "Reports and slides", "submissions:manage", id="supervisor"
        ),
    ],
)
def test_seminar_page_links_the_deliverables(client, role, url_name, label, absent):
    seminar = SeminarFactory()
    person = {"instructor": instructor_of, "student": student_of, "supervisor": supervisor_of}[role](seminar)
    client.force_login(person)

    content = client.get(seminar.get_absolute_url()).content.decode()

    assert button(reverse(url_name, args=[seminar.slug]), label) in content
    assert f'href="{reverse(absent, args=[seminar.slug])}"' not in content


def test_seminar_page_links_no_deliverables_for_a_visitor(client):
    seminar = SeminarFactory()
    client.force_login(UserFactory())

    content = client.get(seminar.get_absolute_url()).content.decode()

    assert reverse("submissions:list", args=[seminar.slug]) not in content
    assert reverse("submissions:manage", args=[seminar.slug]) not in content


# ------------------------------------------------------------------------------------------------ the admin


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(email="root@uni.example", is_staff=True, is_superuser=True))
    return client


def changelist(model) -> str:
    return reverse(f"admin:submissions_{model._meta.model_name}_changelist")


def results(response) -> set:
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


def test_admin_deliverable_changelist_searches_and_filters(superuser_client, course, handed_in):
    report, slides = course["deliverable"], handed_in["deliverable"]

    assert results(superuser_client.get(changelist(Deliverable))) == {report, slides}
    assert results(superuser_client.get(changelist(Deliverable) + "?q=Slides")) == {slides}
    assert results(superuser_client.get(changelist(Deliverable) + f"?q={report.seminar.slug}")) == {report}
    assert results(superuser_client.get(changelist(Deliverable) + "?kind__exact=slides")) == {slides}
    assert results(superuser_client.get(changelist(Deliverable) + "?late_policy__exact=refuse")) == set()


def test_admin_extension_changelist_searches_and_filters(superuser_client, course):
    deliverable, instructor = course["deliverable"], course["instructor"]
    dora = Extension.objects.get()
    ben = grant(deliverable, course["students"]["Ben Ontime"], instructor, extra_minutes=30)
    services.extension_revoke(extension=ben, revoked_by=instructor, now=NOW)

    assert results(superuser_client.get(changelist(Extension))) == {dora, ben}
    assert results(superuser_client.get(changelist(Extension) + "?q=dora@uni.example")) == {dora}
    assert results(superuser_client.get(changelist(Extension) + "?q=Ben+Ontime")) == {ben}
    assert results(superuser_client.get(changelist(Extension) + "?revoked_at__isempty=1")) == {dora}
    assert results(superuser_client.get(changelist(Extension) + "?revoked_at__isempty=0")) == {ben}
    seminar_filter = f"?deliverable__seminar__id__exact={deliverable.seminar.pk}"
    assert results(superuser_client.get(changelist(Extension) + seminar_filter)) == {dora, ben}


def test_admin_submission_changelist_searches_and_filters(superuser_client, course):
    files = course["files"]

    assert results(superuser_client.get(changelist(Submission))) == set(files.values())
    assert results(superuser_client.get(changelist(Submission) + "?q=ben-v1")) == {files["ben-1"]}
    assert results(superuser_client.get(changelist(Submission) + f"?q={files['cleo-1'].sha256}")) == {
        files["cleo-1"]
    }
    assert results(superuser_client.get(changelist(Submission) + "?q=Dora")) == {files["dora-1"]}
    assert results(superuser_client.get(changelist(Submission) + "?is_late__exact=1")) == {files["cleo-1"]}
    assert results(superuser_client.get(changelist(Submission) + "?file_type__exact=pdf")) == set(
        files.values()
    )
    assert results(
        superuser_client.get(changelist(Submission) + "?received_at__year=2026&received_at__month=12")
    ) == (set(files.values()))


def test_admin_submission_cannot_be_added(superuser_client):
    response = superuser_client.get(reverse("admin:submissions_submission_add"))

    assert response.status_code == 403


def test_admin_submission_change_page_is_read_only(superuser_client, course):
    submission = course["files"]["ben-1"]
    url = reverse("admin:submissions_submission_change", args=[submission.pk])

    page = superuser_client.get(url)
    posted = superuser_client.post(url, {"original_name": "forged.pdf", "is_late": "on"})

    assert page.status_code == 200
    assert 'name="original_name"' not in page.content.decode()
    assert posted.status_code == 403
    submission.refresh_from_db()
    assert (submission.original_name, submission.is_late) == ("ben-v1.pdf", False)


def test_extension_revoke_asks_first_and_revokes_nothing_until_confirmed(client, course):
    extension = Extension.objects.get(student=course["students"]["Dora Extension"])
    client.force_login(course["instructor"])

    asked = client.get(revoke_url(extension))
    unconfirmed = client.post(revoke_url(extension))

    extension.refresh_from_db()
    assert asked.status_code == unconfirmed.status_code == 200
    assert "Revoke the extension of Dora Extension" in unconfirmed.content.decode()
    assert extension.revoked_at is None


@pytest.mark.parametrize(
    ("minutes", "unit", "language", "shown"),
    [
        (2880, "hours", "en", "48 hours"),
        (4320, "days", "en", "3 days"),
        (1440, "days", "en", "1 day"),
        (90, "hours", "en", "1.50 hours"),
        (90, "hours", "de", "1,50 Stunden"),
        (4320, "days", "de", "3 Tage"),
    ],
)
def test_extension_is_shown_in_the_unit_it_was_given_in(minutes, unit, language, shown):
    from django.utils import translation

    extension = Extension(extra_minutes=minutes, extra_unit=unit)

    with translation.override(language):
        assert extension.extra_label == shown


def test_overview_before_the_deadline_calls_nobody_missing_and_counts(client, course, time_machine):
    time_machine.move_to(DUE - 6 * 7 * DAY, tick=False)
    client.force_login(course["instructor"])

    content = client.get(overview_url(course["deliverable"])).content.decode()

    rows = overview_rows(content)
    assert text(rows["Anna Missing"][0]) == "not due yet"
    assert "status-missing" not in content
    assert "3 of 4 handed in, 1 late, 1 with an extension, 1 not due yet." in text(content)


def test_overview_after_the_deadline_counts_the_missing(client, course, time_machine):
    time_machine.move_to(DUE + 3 * DAY, tick=False)
    client.force_login(course["instructor"])

    content = client.get(overview_url(course["deliverable"])).content.decode()

    assert "3 of 4 handed in, 1 late, 1 with an extension, 1 missing." in text(content)
