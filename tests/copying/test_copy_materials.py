"""A copy to a new term takes the seminar's materials along (the report's LaTeX template, the reading list),
each with a file of its own: removing a material of one term never takes the other term's file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from copying.services import seminar_copy
from seminars import materials
from seminars.models import Material
from tests.factories import SeminarFactory, instructor_of, may_run_seminars, student_of
from tests.submissions.helpers import (  # noqa: F401 - submission_storage is a fixture
    pdf_bytes,
    stored_files,
    submission_storage,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("submission_storage")]
TEMPLATE = b"\\documentclass{article}\n\\begin{document}Report\\end{document}\n"


@pytest.fixture
def source():
    seminar = SeminarFactory(title="Kernel methods", slug="kernels-ss26", term="Summer term 2026")
    instructor = may_run_seminars(instructor_of(seminar))
    for order, (name, data, title) in enumerate(
        [("template.tex", TEMPLATE, "Report template"), ("reading.pdf", pdf_bytes(2), "Reading list")], 1
    ):
        materials.material_add(
            seminar=seminar,
            upload=SimpleUploadedFile(name, data),
            title=title,
            order=order,
            description=f"About {title}",
            uploaded_by=instructor,
            now=timezone.now(),
        )
    seminar.instructor = instructor
    return seminar


def copy(source):
    return seminar_copy(
        source=source,
        by=source.instructor,
        title="Kernel methods",
        slug="kernels-ws26",
        term="Winter term 2026/27",
        days=182,
        with_papers=False,
    )


def test_a_copy_takes_every_material_with_a_file_of_its_own(source, tmp_path):
    result = copy(source)

    copied = list(Material.objects.filter(seminar=result.seminar).order_by("order"))
    assert result.materials == 2
    assert [(m.title, m.order, m.description, m.original_name) for m in copied] == [
        ("Report template", 1, "About Report template", "template.tex"),
        ("Reading list", 2, "About Reading list", "reading.pdf"),
    ]
    originals = list(Material.objects.filter(seminar=source).order_by("order"))
    for original, new in zip(originals, copied, strict=True):
        assert new.file.name != original.file.name
        assert new.file.name.startswith(f"seminar-{result.seminar.pk}/materials/")
        with new.file.open("rb") as content:
            assert content.read() == original.file.open("rb").read()
        assert (new.size, new.sha256) == (original.size, original.sha256)
    assert len(stored_files(tmp_path / "submissions")) == 4  # the folder of submission_storage


def test_removing_the_old_terms_material_leaves_the_copy_downloadable(
    source, client, django_capture_on_commit_callbacks
):
    new_seminar = copy(source).seminar
    new_seminar.state = new_seminar.State.OPEN
    new_seminar.save()
    with django_capture_on_commit_callbacks(execute=True):
        for material in Material.objects.filter(seminar=source):
            materials.material_remove(material=material)
    student = student_of(new_seminar)
    template = Material.objects.get(seminar=new_seminar, title="Report template")

    client.force_login(student)
    response = client.get(reverse("seminars:material", args=[new_seminar.slug, template.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == TEMPLATE


def test_the_summary_page_counts_the_materials(source, client):
    client.force_login(source.instructor)
    response = client.post(
        reverse("copying:copy", kwargs={"slug": source.slug}),
        {"title": "Kernel methods", "slug": "kernels-ws26", "term": "Winter term 2026/27", "days": "182"},
        follow=True,
    )

    assert "2 materials" in response.content.decode()
