"""Seminar materials: instructors upload (checked as submissions are), rename, reorder and remove them;
everyone in the seminar downloads them from the seminar page; nobody else does. Orphan cleanup keeps them."""

import io
import os
import re
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from seminars import materials, people
from seminars.models import Material, Membership, Seminar
from tests.factories import SeminarFactory, instructor_of, student_of, supervisor_of
from tests.submissions.helpers import (  # noqa: F401 - submission_storage is a fixture
    pdf_bytes,
    stored_files,
    submission_storage,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("submission_storage", "upload_temp_dir")]
NOTHING_STORED = " Nothing was stored."


@pytest.fixture
def upload_temp_dir(settings, tmp_path):
    """Uploads stream to temporary files here; a refused upload must leave none behind."""
    folder = tmp_path / "upload-temp"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


@pytest.fixture
def world():
    seminar = SeminarFactory(title="Learning theory", slug="learning-theory")
    other = SeminarFactory(title="Graph theory", slug="graph-theory")
    return {
        "seminar": seminar,
        "instructor": instructor_of(seminar, user__full_name="Ida Instructor"),
        "supervisor": supervisor_of(seminar),
        "student": student_of(seminar, user__full_name="Mia Student"),
        "other_instructor": instructor_of(other),
        "other_student": student_of(other),
        "other": other,
    }


def add(seminar, instructor, title="Report template", *, name="template.pdf", data=None, order=1) -> Material:
    upload = SimpleUploadedFile(name, pdf_bytes(1) if data is None else data)
    return materials.material_add(
        seminar=seminar, upload=upload, title=title, order=order, uploaded_by=instructor, now=timezone.now()
    )


def manage_url(seminar):
    return reverse("seminars:materials", args=[seminar.slug])


def upload_url(seminar):
    return reverse("seminars:material_upload", args=[seminar.slug])


def download_url(material, slug=None):
    return reverse("seminars:material", args=[slug or material.seminar.slug, material.pk])


def post_upload(client, seminar, title, name, data, order="1"):
    file = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(upload_url(seminar), {"title": title, "order": order, "description": "", "file": file})


def field_errors(response, field: str) -> str:
    """The text of the error list beside one field of the upload form."""
    html = response.content.decode()
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    assert match, f"no error beside the field {field!r}"
    return re.sub(r"<[^>]+>", "", match.group(1))


# ------------------------------------------------------------------------------------------------ upload


def test_an_uploaded_material_is_on_the_seminar_page(client, world, submission_storage):  # noqa: F811
    data = pdf_bytes(2)
    client.force_login(world["instructor"])
    response = post_upload(client, world["seminar"], "Report template", "Vorlage Bericht (final).pdf", data)

    material = Material.objects.get()
    assert response.status_code == 302
    assert response["Location"] == manage_url(world["seminar"])
    assert (material.title, material.original_name, material.file_type, material.size) == (
        "Report template",
        "Vorlage Bericht (final).pdf",
        "pdf",
        len(data),
    )
    assert material.uploaded_by == world["instructor"]
    # Stored under a random name in the seminar's materials folder, never under the original one.
    assert re.fullmatch(rf"seminar-{world['seminar'].pk}/materials/[0-9a-f]{{32}}\.pdf", material.file.name)
    assert stored_files(submission_storage) == [submission_storage / material.file.name]
    assert (submission_storage / material.file.name).read_bytes() == data
    assert "The material “Report template” is uploaded." in client.get(response["Location"]).content.decode()

    client.force_login(world["student"])
    page = client.get(world["seminar"].get_absolute_url()).content.decode()
    assert 'id="materials-heading"' in page
    assert f'href="{download_url(material)}"' in page
    assert "Report template" in page
    assert "(PDF, " in page
    assert "Manage materials" not in page


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        pytest.param(
            "setup.exe",
            b"MZ\x90\x00",
            "Materials can be PDF, PowerPoint (PPTX), LibreOffice Impress (ODP), ZIP, LaTeX (TEX), "
            "BibTeX (BIB) or Text (TXT); the file name ends in “.exe”.",
            id="wrong-type",
        ),
        pytest.param(
            "slides.pdf",
            b"<html>not a pdf</html>",
            "This file is not a PDF (it does not start like one). Please export it as PDF.",
            id="disguised",
        ),
        pytest.param("empty.pdf", b"", "The file is empty. Please choose the file again.", id="empty"),
    ],
)
def test_a_refused_file_keeps_the_title_and_says_why_beside_the_field(
    client,
    world,
    submission_storage,  # noqa: F811
    upload_temp_dir,
    name,
    data,
    message,
):
    client.force_login(world["instructor"])
    response = post_upload(client, world["seminar"], "Slides of the pre-course meeting", name, data)

    assert response.status_code == 400
    assert field_errors(response, "file").strip() == message + NOTHING_STORED
    assert 'value="Slides of the pre-course meeting"' in response.content.decode()
    assert Material.objects.count() == 0
    assert stored_files(submission_storage) == []
    assert list(upload_temp_dir.iterdir()) == []


def test_a_file_over_the_limit_is_refused_while_it_streams_in(client, world, settings, submission_storage):  # noqa: F811
    settings.MATERIAL_MAX_MB = 1
    client.force_login(world["instructor"])
    response = post_upload(
        client, world["seminar"], "Big slides", "big.pdf", pdf_bytes(1, padding=2 * 1024 * 1024)
    )

    assert response.status_code == 400
    assert field_errors(response, "file").strip() == (
        "The file is larger than the limit of 1.0\xa0MB. Please make it smaller." + NOTHING_STORED
    )
    assert 'value="Big slides"' in response.content.decode()
    assert Material.objects.count() == 0
    assert stored_files(submission_storage) == []


def test_a_file_over_the_limit_keeps_every_field_the_page_posts_before_it(client, world, settings):
    """A browser posts the fields in the page's order, and the upload stops reading the request at a file
    over the limit: every other field must come before the file, or what was typed into it is lost."""
    settings.MATERIAL_MAX_MB = 1
    client.force_login(world["instructor"])
    page = client.get(manage_url(world["seminar"])).content.decode()
    form = page[page.index(f'action="{upload_url(world["seminar"])}"') :]
    names = [
        name
        for name in re.findall(r'name="([a-z_]+)"', form.split("</form>")[0])
        if name != "csrfmiddlewaretoken"
    ]
    typed = {
        "title": "Big slides",
        "title_de": "Große Folien",
        "order": "7",
        "description": "From the pre-course meeting",
        "description_de": "Aus der Vorbesprechung",
    }
    big = SimpleUploadedFile("big.pdf", pdf_bytes(1, padding=2 * 1024 * 1024))

    response = client.post(upload_url(world["seminar"]), {name: typed.get(name, big) for name in names})

    assert names[-1] == "file"
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="Big slides"' in html
    assert 'value="7"' in html
    assert "From the pre-course meeting</textarea>" in html
    assert 'value="Große Folien"' in html
    assert "Aus der Vorbesprechung</textarea>" in html
    assert "This field is required." not in html


def test_an_upload_without_a_title_is_refused_with_the_file_kept_nowhere(client, world, submission_storage):  # noqa: F811
    client.force_login(world["instructor"])
    response = post_upload(client, world["seminar"], "", "template.pdf", pdf_bytes(1))

    assert response.status_code == 400
    assert "This field is required." in field_errors(response, "title")
    assert stored_files(submission_storage) == []


@pytest.mark.parametrize("who", ["student", "supervisor", "other_instructor"])
def test_only_the_seminars_instructors_upload(client, world, submission_storage, who):  # noqa: F811
    client.force_login(world[who])
    response = post_upload(client, world["seminar"], "Mine", "x.pdf", pdf_bytes(1))

    assert response.status_code == 403
    assert Material.objects.count() == 0
    assert stored_files(submission_storage) == []
    assert client.get(manage_url(world["seminar"])).status_code == 403


def test_accepted_types_are_a_zip_template_slides_and_text(world):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("template/main.tex", "\\documentclass{article}")
    files = {
        "template.zip": archive.getvalue(),
        "main.tex": b"\\documentclass{article}",
        "references.bib": b"@book{k, title={T}}",
        "reading-list.txt": b"Zhang et al.",
    }
    for order, (name, data) in enumerate(files.items()):
        add(world["seminar"], world["instructor"], name, name=name, data=data, order=order)

    assert list(Material.objects.values_list("file_type", flat=True)) == ["zip", "tex", "bib", "txt"]


# --------------------------------------------------------------------------------------- order and edit


def test_materials_are_listed_in_their_order_on_both_pages(client, world):
    for title, order in (("Reading list", 3), ("Report template", 1), ("Slides", 2)):
        add(world["seminar"], world["instructor"], title, order=order)

    client.force_login(world["instructor"])
    for url in (world["seminar"].get_absolute_url(), manage_url(world["seminar"])):
        page = client.get(url).content.decode()
        places = [page.index(title) for title in ("Report template", "Slides", "Reading list")]
        assert places == sorted(places)


def test_the_upload_form_suggests_the_next_place(client, world):
    add(world["seminar"], world["instructor"], order=4)
    client.force_login(world["instructor"])
    assert client.get(manage_url(world["seminar"])).context["form"].initial == {"order": 5}


def test_instructor_renames_and_moves_a_material(client, world):
    material = add(world["seminar"], world["instructor"], order=1)
    client.force_login(world["instructor"])
    url = reverse("seminars:material_edit", args=[world["seminar"].slug, material.pk])

    response = client.post(url, {"title": "LaTeX template", "order": "7", "description": "Use it."})

    material.refresh_from_db()
    assert response.status_code == 302
    assert (material.title, material.order, material.description) == ("LaTeX template", 7, "Use it.")
    assert material.original_name == "template.pdf"


def test_renaming_to_a_blank_title_is_refused(client, world):
    material = add(world["seminar"], world["instructor"])
    client.force_login(world["instructor"])
    url = reverse("seminars:material_edit", args=[world["seminar"].slug, material.pk])

    response = client.post(url, {"title": "   ", "order": "1"})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    material.refresh_from_db()
    assert material.title == "Report template"


# ---------------------------------------------------------------------------------------------- download


@pytest.mark.parametrize("who", ["student", "supervisor", "instructor"])
def test_members_download_a_material_with_its_original_name(client, world, who):
    data = pdf_bytes(1)
    material = add(world["seminar"], world["instructor"], name="Vorlage für den Bericht.pdf", data=data)
    client.force_login(world[who])

    response = client.get(download_url(material))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Vorlage%20f%C3%BCr%20den%20Bericht.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"


def test_download_behind_nginx_hands_the_stored_name_to_x_accel_redirect(client, world, settings):
    settings.SUBMISSIONS_X_ACCEL_PREFIX = "/protected-submissions/"
    material = add(world["seminar"], world["instructor"], name="Reading list.txt", data=b"Zhang et al.")
    client.force_login(world["student"])

    response = client.get(download_url(material))

    assert response["X-Accel-Redirect"] == f"/protected-submissions/{material.file.name}"
    assert "Reading" not in response["X-Accel-Redirect"]
    assert response.content == b""
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"] == 'attachment; filename="Reading list.txt"'


@pytest.mark.parametrize("who", ["other_student", "other_instructor"])
def test_other_seminars_people_do_not_download(client, world, who):
    material = add(world["seminar"], world["instructor"])
    client.force_login(world[who])

    assert client.get(download_url(material)).status_code == 403
    assert "materials-heading" not in client.get(world["seminar"].get_absolute_url()).content.decode()


def test_anonymous_visitors_are_sent_to_log_in_and_see_no_materials(client, world):
    material = add(world["seminar"], world["instructor"])

    response = client.get(download_url(material))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "Report template" not in client.get(world["seminar"].get_absolute_url()).content.decode()


def test_a_material_is_downloaded_only_through_its_own_seminar(client, world):
    material = add(world["other"], world["other_instructor"])
    client.force_login(world["instructor"])

    assert client.get(download_url(material, slug=world["seminar"].slug)).status_code == 404


def test_a_withdrawn_student_no_longer_downloads(client, world):
    material = add(world["seminar"], world["instructor"])
    people.student_withdraw(
        membership=Membership.objects.get(user=world["student"]), by=world["instructor"], now=timezone.now()
    )
    client.force_login(world["student"])

    assert client.get(download_url(material)).status_code == 403
    assert "Report template" not in client.get(world["seminar"].get_absolute_url()).content.decode()


def test_in_a_draft_seminar_only_its_staff_see_the_materials(client, world):
    Seminar.objects.filter(pk=world["seminar"].pk).update(state=Seminar.State.DRAFT)
    material = add(world["seminar"], world["instructor"])

    client.force_login(world["student"])
    assert client.get(download_url(material)).status_code == 403
    assert "Report template" not in client.get(world["seminar"].get_absolute_url()).content.decode()
    client.force_login(world["supervisor"])
    assert client.get(download_url(material)).status_code == 200


# ------------------------------------------------------------------------------------------------ remove


def test_removing_asks_first_and_then_removes_the_file(
    client,
    world,
    submission_storage,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    material = add(world["seminar"], world["instructor"], name="old-slides.pdf")
    url = reverse("seminars:material_remove", args=[world["seminar"].slug, material.pk])
    client.force_login(world["instructor"])

    asked = client.get(url).content.decode()
    unconfirmed = client.post(url, {})
    assert "Remove the material “Report template”" in asked
    assert "The file “old-slides.pdf” is deleted; nobody in the seminar can download it any more." in asked
    assert unconfirmed.status_code == 200
    assert Material.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirmed": "yes"})

    assert response.status_code == 302
    assert Material.objects.count() == 0
    assert stored_files(submission_storage) == []
    assert "The material “Report template” is removed." in client.get(response["Location"]).content.decode()


def test_students_cannot_remove_a_material(client, world):
    material = add(world["seminar"], world["instructor"])
    client.force_login(world["student"])

    response = client.post(
        reverse("seminars:material_remove", args=[world["seminar"].slug, material.pk]), {"confirmed": "yes"}
    )

    assert response.status_code == 403
    assert Material.objects.count() == 1


# ------------------------------------------------------------------------------------- orphans, queries


def _age(path, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_orphan_cleanup_keeps_material_files_and_removes_orphans_beside_them(world, submission_storage):  # noqa: F811
    material = add(world["seminar"], world["instructor"])
    kept = submission_storage / material.file.name
    orphan = kept.parent / "0123456789abcdef0123456789abcdef.pdf"
    orphan.write_bytes(pdf_bytes(1))
    _age(kept, 48)
    _age(orphan, 48)

    out = io.StringIO()
    call_command("remove_orphan_uploads", stdout=out)

    assert kept.exists()
    assert not orphan.exists()
    assert "1 orphan files older than 24 hours removed." in out.getvalue()


def test_verify_submissions_checks_material_files_too(world, submission_storage):  # noqa: F811
    material = add(world["seminar"], world["instructor"])
    (submission_storage / material.file.name).write_bytes(b"changed")

    with pytest.raises(Exception, match="1 of 1 files are missing or differ"):
        call_command("verify_submissions", stdout=io.StringIO(), stderr=io.StringIO())


def test_seminar_page_costs_the_same_queries_for_3_and_30_materials(client, world, django_assert_num_queries):
    for order in range(3):
        add(world["seminar"], world["instructor"], f"Material {order}", order=order)
    client.force_login(world["student"])
    url = world["seminar"].get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)

    for order in range(3, 30):
        add(world["seminar"], world["instructor"], f"Material {order}", order=order)
    with django_assert_num_queries(len(few)):
        response = client.get(url)

    assert response.content.decode().count('href="/seminars/learning-theory/materials/') == 30


def test_manage_page_costs_the_same_queries_for_3_and_30_materials(client, world, django_assert_num_queries):
    for order in range(3):
        add(world["seminar"], world["instructor"], f"Material {order}", order=order)
    client.force_login(world["instructor"])
    url = manage_url(world["seminar"])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)

    for order in range(3, 30):
        add(world["seminar"], world["instructor"], f"Material {order}", order=order)
    with django_assert_num_queries(len(few)):
        response = client.get(url)

    assert response.content.decode().count('" download>') == 30


def test_the_materials_pages_in_german(client, world):
    material = add(world["seminar"], world["instructor"])
    world["instructor"].language = "de"
    world["instructor"].save()
    client.force_login(world["instructor"])

    manage = client.get(manage_url(world["seminar"]), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    detail = client.get(world["seminar"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    confirm = client.get(
        reverse("seminars:material_remove", args=[world["seminar"].slug, material.pk]),
        HTTP_ACCEPT_LANGUAGE="de",
    ).content.decode()

    assert "Material hochladen" in manage
    assert "Materialien verwalten" in detail
    assert "Das Material „Report template“ entfernen" in confirm


def test_a_refused_upload_says_why_in_german(client, world):
    client.force_login(world["instructor"])
    file = SimpleUploadedFile("setup.exe", b"MZ")
    response = client.post(
        upload_url(world["seminar"]),
        {"title": "Werkzeug", "order": "1", "file": file},
        HTTP_ACCEPT_LANGUAGE="de",
    )

    assert response.status_code == 400
    assert "Materialien können PDF" in field_errors(response, "file")
    assert "Es wurde nichts gespeichert." in field_errors(response, "file")


# ------------------------------------------------------------------------------------------------- admin


def test_admin_lists_searches_and_filters_materials(admin_client, world):
    template = add(
        world["seminar"], world["instructor"], "LaTeX template", name="template.zip", data=zip_of()
    )
    other = add(world["other"], world["other_instructor"], "Reading list", name="list.txt", data=b"Zhang")
    url = reverse("admin:seminars_material_changelist")

    found = admin_client.get(url, {"q": "latex"})
    by_type = admin_client.get(url, {"file_type": "txt"})
    by_seminar = admin_client.get(url, {"seminar__id__exact": world["seminar"].pk})

    assert list(found.context["cl"].result_list) == [template]
    assert list(by_type.context["cl"].result_list) == [other]
    assert list(by_seminar.context["cl"].result_list) == [template]
    assert "template.zip" in found.content.decode()


def test_admin_adds_no_material_and_corrects_a_title(admin_client, world):
    material = add(world["seminar"], world["instructor"])
    change = reverse("admin:seminars_material_change", args=[material.pk])

    response = admin_client.post(
        change, {"title": "Report template (LaTeX)", "order": "2", "description": ""}
    )

    assert admin_client.get(reverse("admin:seminars_material_add")).status_code == 403
    assert response.status_code == 302
    material.refresh_from_db()
    assert (material.title, material.order, material.original_name) == (
        "Report template (LaTeX)",
        2,
        "template.pdf",
    )


def test_admin_delete_removes_the_file_too(
    admin_client,
    world,
    submission_storage,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    material = add(world["seminar"], world["instructor"])
    url = reverse("admin:seminars_material_changelist")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url, {"action": "delete_selected", "_selected_action": [material.pk], "post": "yes"}
        )

    assert response.status_code == 302
    assert Material.objects.count() == 0
    assert stored_files(submission_storage) == []


def zip_of() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("main.tex", "\\documentclass{article}")
    return out.getvalue()
