"""Who sees which submitted file: its owner, the seminar's instructors and the supervisor of the student's
paper. Everyone else gets 404 for a file (file ids reveal nothing) and 403 for a page; anonymous visitors are
sent to the login page. Staff pages are the instructors'; a supervisor sees only their own students."""

import io
import zipfile
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse

from accounts.models import User
from papers.models import Allotment
from seminars.models import Seminar
from submissions import services
from submissions.models import Deliverable, Extension, Submission
from tests.factories import SeminarFactory, UserFactory, instructor_of, student_of, supervisor_of
from tests.papers.helpers import PaperFactory

from .helpers import (
    DAY,
    DUE,
    DeliverableFactory,
    pdf_bytes,
    stored_files,
    submission_storage,  # noqa: F401 - the fixture, used through usefixtures below
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("submission_storage")]

NOW = DUE - 2 * DAY
LOGIN = "login"
OWNER_BYTES = pdf_bytes(1)
OTHER_BYTES = pdf_bytes(2)


@dataclass
class World:
    seminar: Seminar
    deliverable: Deliverable
    owner: User
    other_student: User
    supervisor: User
    other_supervisor: User
    instructor: User
    other_instructor: User
    owner_file: Submission
    other_file: Submission
    other_extension: Extension


def submit(
    deliverable: Deliverable, student: User, name: str, data: bytes, *, received_at=None
) -> Submission:
    return services.submission_create(
        deliverable=deliverable,
        student=student,
        upload=SimpleUploadedFile(name, data, content_type="application/pdf"),
        received_at=received_at or NOW - DAY,
    )


def make_world() -> World:
    seminar = SeminarFactory(title="Seminar B")
    deliverable = DeliverableFactory(seminar=seminar, title="Written report")
    owner = student_of(seminar, user__full_name="Mia Me", user__email="mia@uni.example")
    other_student = student_of(seminar, user__full_name="Otto Other", user__email="otto@uni.example")
    supervisor = supervisor_of(seminar, user__full_name="Sue Supervisor")
    other_supervisor = supervisor_of(seminar, user__full_name="Sam Supervisor")
    for student, person in ((owner, supervisor), (other_student, other_supervisor)):
        paper = PaperFactory(seminar=seminar, supervisor=person)
        Allotment.objects.create(seminar=seminar, student=student, paper=paper, source="automatic")
    instructor = instructor_of(seminar, user__full_name="Ida Instructor")
    other_instructor = instructor_of(SeminarFactory(title="Seminar A"), user__full_name="Ola Outsider")
    owner_file = submit(deliverable, owner, "mia-report.pdf", OWNER_BYTES)
    other_file = submit(deliverable, other_student, "otto-report.pdf", OTHER_BYTES)
    other_extension = services.extension_grant(
        deliverable=deliverable,
        student=other_student,
        extra_minutes=60,
        reason="Otto was ill",
        granted_by=instructor,
        now=NOW - DAY,
    )
    return World(
        seminar=seminar,
        deliverable=deliverable,
        owner=owner,
        other_student=other_student,
        supervisor=supervisor,
        other_supervisor=other_supervisor,
        instructor=instructor,
        other_instructor=other_instructor,
        owner_file=owner_file,
        other_file=other_file,
        other_extension=other_extension,
    )


def snapshot(root) -> dict:
    return {
        "deliverables": list(Deliverable.objects.order_by("pk").values()),
        "extensions": list(Extension.objects.order_by("pk").values()),
        "submissions": list(Submission.objects.order_by("pk").values()),
        "files": sorted(str(path) for path in stored_files(root)),
    }


def deliverable_data(**changes) -> dict:
    """A complete, valid POST of the deliverable form."""
    data = {
        "kind": "report",
        "title": "Intruded report",
        "instructions": "",
        "order": "0",
        "due_mode": "fixed",
        "due_at": "2026-12-20T23:59",
        "days_before_talk": "",
        "grace_minutes": "0",
        "late_policy": "refuse",
        "late_window_hours": "",
        "allowed_types": ["pdf"],
        "max_size_mb": "20",
        "max_pages": "",
    }
    data.update(changes)
    return data


def request_for(world: World, endpoint: str) -> tuple[str, str, dict]:
    """(method, url, data) of one endpoint, with data a real user of it could send."""
    slug, pk = world.seminar.slug, world.deliverable.pk
    on_deliverable = {"slug": slug, "pk": pk}
    requests = {
        "download": ("get", reverse("submissions:download", args=[world.owner_file.pk]), {}),
        "receipt": (
            "get",
            reverse("submissions:receipt", kwargs={**on_deliverable, "submission": world.owner_file.pk}),
            {},
        ),
        "overview": ("get", reverse("submissions:overview", kwargs=on_deliverable), {}),
        "student": (
            "get",
            reverse("submissions:student", kwargs={**on_deliverable, "student": world.owner.pk}),
            {},
        ),
        "zip": ("get", reverse("submissions:zip", kwargs=on_deliverable), {}),
        "manage": ("get", reverse("submissions:manage", kwargs={"slug": slug}), {}),
        "create-get": ("get", reverse("submissions:create", kwargs={"slug": slug}), {}),
        "create-post": ("post", reverse("submissions:create", kwargs={"slug": slug}), deliverable_data()),
        "edit-get": ("get", reverse("submissions:edit", kwargs=on_deliverable), {}),
        "edit-post": ("post", reverse("submissions:edit", kwargs=on_deliverable), deliverable_data()),
        "extension_grant": (
            "post",
            reverse("submissions:extension_grant", kwargs=on_deliverable),
            {"student": world.owner.pk, "mode": "extra", "extra_time": "24", "reason": "Conference"},
        ),
        "extension_revoke": (
            "post",
            reverse(
                "submissions:extension_revoke",
                kwargs={**on_deliverable, "extension": world.other_extension.pk},
            ),
            {"confirmed": "yes"},
        ),
        "deliverable": ("get", reverse("submissions:deliverable", kwargs=on_deliverable), {}),
        "list": ("get", reverse("submissions:list", kwargs={"slug": slug}), {}),
        "upload": (
            "post",
            reverse("submissions:upload", kwargs=on_deliverable),
            {"file": SimpleUploadedFile("new-version.pdf", pdf_bytes(3), content_type="application/pdf")},
        ),
    }
    return requests[endpoint]


def send(client, method: str, url: str, data: dict):
    return client.get(url) if method == "get" else client.post(url, data)


WHO = [
    "owner",
    "other_student",
    "supervisor",
    "other_supervisor",
    "instructor",
    "other_instructor",
    "anonymous",
]

# One row per endpoint, one column per person in the order of WHO. "supervisor" supervises the owner's paper,
# "other_supervisor" the other student's; "other_instructor" teaches another seminar.
EXPECTED = {
    "download": (200, 404, 200, 404, 200, 404, LOGIN),
    "receipt": (200, 404, 200, 404, 200, 404, LOGIN),
    "overview": (403, 403, 200, 200, 200, 403, LOGIN),
    "student": (403, 403, 200, 404, 200, 403, LOGIN),
    "zip": (403, 403, 200, 200, 200, 403, LOGIN),
    "manage": (403, 403, 403, 403, 200, 403, LOGIN),
    "create-get": (403, 403, 403, 403, 200, 403, LOGIN),
    "create-post": (403, 403, 403, 403, 302, 403, LOGIN),
    "edit-get": (403, 403, 403, 403, 200, 403, LOGIN),
    "edit-post": (403, 403, 403, 403, 302, 403, LOGIN),
    "extension_grant": (403, 403, 403, 403, 302, 403, LOGIN),
    "extension_revoke": (403, 403, 403, 403, 302, 403, LOGIN),
    # Staff are sent on to the overview; a student sees their own upload page.
    "deliverable": (200, 200, 302, 302, 302, 403, LOGIN),
    "list": (200, 200, 200, 200, 200, 403, LOGIN),
    # A student's upload ends on the receipt page; nobody else may upload.
    "upload": (302, 302, 403, 403, 403, 403, LOGIN),
}

CASES = [
    pytest.param(endpoint, who, expected, id=f"{endpoint}-{who}")
    for endpoint, row in EXPECTED.items()
    for who, expected in zip(WHO, row, strict=True)
]


@pytest.mark.parametrize(("endpoint", "who", "expected"), CASES)
def test_submissions_endpoint_answers_by_role(
    client,
    time_machine,
    submission_storage,  # noqa: F811
    endpoint,
    who,
    expected,
):
    time_machine.move_to(NOW, tick=False)
    world = make_world()
    method, url, data = request_for(world, endpoint)
    before = snapshot(submission_storage)
    if who != "anonymous":
        client.force_login(getattr(world, who))

    response = send(client, method, url, data)

    if expected == LOGIN:
        # The upload address only takes POSTs: after logging in the student returns to the deliverable.
        back_to = url.removesuffix("upload/") if endpoint == "upload" else url
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('account_login')}?next={back_to}"
    else:
        assert response.status_code == expected
    if expected == 302:
        assert not response["Location"].startswith(reverse("account_login"))
    if expected in (LOGIN, 403, 404):
        assert snapshot(submission_storage) == before
        assert "X-Accel-Redirect" not in response
        assert "mia-report.pdf" not in response.content.decode(errors="replace")


@pytest.mark.parametrize("who", ["owner", "other_student"])
def test_student_upload_through_the_view_stores_a_version_of_their_own(client, time_machine, who):
    time_machine.move_to(NOW, tick=False)
    world = make_world()
    method, url, data = request_for(world, "upload")
    student = getattr(world, who)
    client.force_login(student)

    response = send(client, method, url, data)

    latest = Submission.objects.latest("pk")
    assert (latest.student, latest.version, latest.original_name) == (student, 2, "new-version.pdf")
    assert response["Location"] == reverse(
        "submissions:receipt",
        kwargs={"slug": world.seminar.slug, "pk": world.deliverable.pk, "submission": latest.pk},
    )


# ------------------------------------------------------------------------------- what each person sees


@pytest.mark.parametrize(
    ("who", "own", "foreign"),
    [
        pytest.param("owner", "mia-report.pdf", "otto-report.pdf", id="owner"),
        pytest.param("other_student", "otto-report.pdf", "mia-report.pdf", id="other-student"),
    ],
)
def test_deliverable_page_shows_a_student_only_their_own_versions(client, who, own, foreign):
    world = make_world()
    client.force_login(getattr(world, who))

    response = client.get(reverse("submissions:deliverable", args=[world.seminar.slug, world.deliverable.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert own in content
    assert foreign not in content
    assert [item.original_name for item in response.context["versions"].items] == [own]


@pytest.mark.parametrize("who", ["owner", "other_student"])
def test_deliverable_list_names_no_other_students_file(client, who):
    world = make_world()
    client.force_login(getattr(world, who))

    content = client.get(reverse("submissions:list", args=[world.seminar.slug])).content.decode()

    assert "Written report" in content
    assert "mia-report.pdf" not in content
    assert "otto-report.pdf" not in content
    assert "Otto Other" not in content
    assert "Mia Me" not in content.split("<main", 1)[-1]


@pytest.mark.parametrize(
    ("who", "visible", "hidden"),
    [
        pytest.param("instructor", ["Mia Me", "Otto Other"], [], id="instructor"),
        pytest.param("supervisor", ["Mia Me"], ["Otto Other", "otto@uni.example"], id="supervisor"),
        pytest.param(
            "other_supervisor", ["Otto Other"], ["Mia Me", "mia@uni.example"], id="other-supervisor"
        ),
    ],
)
def test_overview_lists_only_the_students_the_user_may_see(client, who, visible, hidden):
    world = make_world()
    client.force_login(getattr(world, who))

    response = client.get(reverse("submissions:overview", args=[world.seminar.slug, world.deliverable.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert sorted(row.membership.user.get_full_name() for row in response.context["rows"]) == visible
    for name in visible:
        assert name in content
    for name in hidden:
        assert name not in content


def test_overview_of_a_supervisor_hides_other_students_extensions_and_files(client):
    world = make_world()
    client.force_login(world.supervisor)

    content = client.get(
        reverse("submissions:overview", args=[world.seminar.slug, world.deliverable.pk])
    ).content.decode()

    assert "Otto was ill" not in content
    assert reverse("submissions:download", args=[world.other_file.pk]) not in content
    assert reverse("submissions:download", args=[world.owner_file.pk]) in content
    assert (
        reverse("submissions:extension_grant", args=[world.seminar.slug, world.deliverable.pk]) not in content
    )


def zip_names(response) -> list[str]:
    assert isinstance(response, StreamingHttpResponse)
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        return sorted(archive.namelist())


@pytest.mark.parametrize("versions", ["", "?versions=all"], ids=["counted", "all"])
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        pytest.param(
            "instructor",
            [
                "Mia Me (mia@uni.example)/v1 mia-report.pdf",
                "Otto Other (otto@uni.example)/v1 otto-report.pdf",
            ],
            id="instructor",
        ),
        pytest.param("supervisor", ["Mia Me (mia@uni.example)/v1 mia-report.pdf"], id="supervisor"),
        pytest.param(
            "other_supervisor", ["Otto Other (otto@uni.example)/v1 otto-report.pdf"], id="other-supervisor"
        ),
    ],
)
def test_zip_holds_only_the_files_of_students_the_user_may_see(client, who, expected, versions):
    world = make_world()
    client.force_login(getattr(world, who))

    response = client.get(
        reverse("submissions:zip", args=[world.seminar.slug, world.deliverable.pk]) + versions
    )

    assert response.status_code == 200
    assert zip_names(response) == expected


def test_student_page_of_a_student_the_supervisor_does_not_supervise_is_404(client):
    world = make_world()
    client.force_login(world.supervisor)

    response = client.get(
        reverse(
            "submissions:student", args=[world.seminar.slug, world.deliverable.pk, world.other_student.pk]
        )
    )

    assert response.status_code == 404
    assert "otto-report.pdf" not in response.content.decode()


def test_student_page_of_the_supervised_student_lists_their_versions(client):
    world = make_world()
    client.force_login(world.supervisor)

    response = client.get(
        reverse("submissions:student", args=[world.seminar.slug, world.deliverable.pk, world.owner.pk])
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "mia-report.pdf" in content
    assert "otto-report.pdf" not in content


@pytest.mark.parametrize("who", ["instructor", "supervisor"])
def test_student_page_of_someone_not_a_student_of_the_seminar_is_404(client, who):
    world = make_world()
    client.force_login(getattr(world, who))

    response = client.get(
        reverse(
            "submissions:student", args=[world.seminar.slug, world.deliverable.pk, world.other_supervisor.pk]
        )
    )

    assert response.status_code == 404


def test_receipt_under_another_deliverable_is_404(client):
    world = make_world()
    elsewhere = DeliverableFactory(seminar=world.seminar, title="Slides", kind=Deliverable.Kind.SLIDES)
    client.force_login(world.owner)

    response = client.get(
        reverse("submissions:receipt", args=[world.seminar.slug, elsewhere.pk, world.owner_file.pk])
    )

    assert response.status_code == 404


def test_receipt_under_another_seminars_slug_is_404(client):
    world = make_world()
    other = SeminarFactory(title="Seminar C")
    client.force_login(world.owner)

    response = client.get(
        reverse("submissions:receipt", args=[other.slug, world.deliverable.pk, world.owner_file.pk])
    )

    assert response.status_code == 404


def test_download_of_a_file_id_that_does_not_exist_is_404_like_a_foreign_one(client):
    world = make_world()
    client.force_login(world.other_student)
    missing = Submission.objects.order_by("-pk").first().pk + 100

    foreign = client.get(reverse("submissions:download", args=[world.owner_file.pk]))
    absent = client.get(reverse("submissions:download", args=[missing]))

    assert (foreign.status_code, absent.status_code) == (404, 404)


def test_download_by_a_user_outside_every_seminar_is_404(client):
    world = make_world()
    client.force_login(UserFactory())

    assert client.get(reverse("submissions:download", args=[world.owner_file.pk])).status_code == 404


def test_upload_by_a_supervisor_stores_nothing(client, time_machine, submission_storage):  # noqa: F811
    time_machine.move_to(NOW, tick=False)
    world = make_world()
    before = snapshot(submission_storage)
    client.force_login(world.supervisor)

    method, url, data = request_for(world, "upload")
    response = send(client, method, url, data)

    assert response.status_code == 403
    assert snapshot(submission_storage) == before


# ----------------------------------------------------------------------------------------- the download


@pytest.mark.parametrize("who", ["owner", "supervisor", "instructor"])
def test_download_sends_the_exact_bytes_as_an_attachment(client, who):
    world = make_world()
    client.force_login(getattr(world, who))

    response = client.get(reverse("submissions:download", args=[world.owner_file.pk]))

    assert response.status_code == 200
    assert isinstance(response, FileResponse)
    assert b"".join(response.streaming_content) == OWNER_BYTES
    assert response["Content-Disposition"] == 'attachment; filename="mia-report.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(OWNER_BYTES))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "X-Accel-Redirect" not in response


@pytest.mark.parametrize(
    ("name", "disposition"),
    [
        pytest.param(
            "Bericht über Lernen.pdf",
            "attachment; filename*=utf-8''Bericht%20%C3%BCber%20Lernen.pdf",
            id="non-ascii",
        ),
        pytest.param("final report v2.pdf", 'attachment; filename="final report v2.pdf"', id="spaces"),
        pytest.param("Résumé.PDF", "attachment; filename*=utf-8''R%C3%A9sum%C3%A9.PDF", id="accents"),
        pytest.param("a;b=c.pdf", 'attachment; filename="a;b=c.pdf"', id="separators"),
    ],
)
def test_download_names_the_file_by_rfc_6266(client, name, disposition):
    world = make_world()
    data = pdf_bytes(4)
    submission = submit(world.deliverable, world.owner, name, data)
    client.force_login(world.owner)

    response = client.get(reverse("submissions:download", args=[submission.pk]))

    assert response["Content-Disposition"] == disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == data


def test_download_behind_nginx_hands_the_stored_name_to_x_accel_redirect(client, settings):
    settings.SUBMISSIONS_X_ACCEL_PREFIX = "/protected-submissions/"
    world = make_world()
    client.force_login(world.owner)

    response = client.get(reverse("submissions:download", args=[world.owner_file.pk]))

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-submissions/{world.owner_file.file.name}"
    assert world.owner_file.file.name.startswith(f"seminar-{world.seminar.pk}/")
    assert "mia-report" not in response["X-Accel-Redirect"]
    assert not response.streaming
    assert response.content == b""
    assert response["Content-Disposition"] == 'attachment; filename="mia-report.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("who", ["other_student", "other_supervisor", "other_instructor"])
def test_download_behind_nginx_still_refuses_everyone_else(client, settings, who):
    settings.SUBMISSIONS_X_ACCEL_PREFIX = "/protected-submissions/"
    world = make_world()
    client.force_login(getattr(world, who))

    response = client.get(reverse("submissions:download", args=[world.owner_file.pk]))

    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response
