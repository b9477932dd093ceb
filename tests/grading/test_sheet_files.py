"""The grading sheet links each student's counted file of every deliverable linked to a grade component (by
default the first report and the first slides: the files graders read)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from submissions.models import Deliverable
from submissions.services import submission_create
from tests.factories import SeminarFactory, instructor_of, student_of
from tests.grading.helpers import three_components
from tests.submissions.helpers import DUE, DeliverableFactory, pdf_bytes, pptx_bytes, submission_storage  # noqa: F401

pytestmark = pytest.mark.django_db


def upload(deliverable, student, name, data, *, at):
    return submission_create(
        deliverable=deliverable,
        student=student,
        upload=SimpleUploadedFile(name, data),
        received_at=at,
    )


def test_sheet_links_the_counted_report_and_slides_of_each_student(client, submission_storage):  # noqa: F811
    seminar = SeminarFactory()
    instructor = instructor_of(seminar)
    mia, otto = student_of(seminar, user__full_name="Mia"), student_of(seminar, user__full_name="Otto")
    report = DeliverableFactory(seminar=seminar)
    slides = DeliverableFactory(
        seminar=seminar,
        kind=Deliverable.Kind.SLIDES,
        title="Slides",
        allowed_types=["pdf", "pptx"],
        late_policy=Deliverable.Policy.ACCEPT_LATE,
    )
    first = upload(report, mia, "mia-v1.pdf", pdf_bytes(), at=DUE - timedelta(hours=2))
    upload(report, mia, "mia-v2.pdf", pdf_bytes(), at=DUE - timedelta(hours=1))
    late_slides = upload(slides, mia, "talk.pptx", pptx_bytes(), at=DUE + timedelta(hours=1))
    client.force_login(instructor)

    page = client.get(reverse("grading:sheet", args=[seminar.slug])).content.decode()

    versions = list(report.submissions.order_by("version"))
    assert reverse("submissions:download", args=[versions[1].pk]) in page
    assert reverse("submissions:download", args=[first.pk]) not in page
    assert reverse("submissions:download", args=[late_slides.pk]) in page
    assert "(late)" in page
    assert otto.get_full_name() in page


def test_sheet_links_the_counted_file_of_the_deliverable_a_component_links(client, submission_storage):  # noqa: F811
    seminar = SeminarFactory()
    instructor = instructor_of(seminar)
    mia = student_of(seminar, user__full_name="Mia")
    handout = DeliverableFactory(seminar=seminar, kind=Deliverable.Kind.OTHER, title="Discussion notes")
    unlinked = DeliverableFactory(seminar=seminar, kind=Deliverable.Kind.OTHER, title="Feedback form")
    three_components(seminar, deliverable=handout)
    notes = upload(handout, mia, "notes.pdf", pdf_bytes(), at=DUE - timedelta(hours=1))
    feedback = upload(unlinked, mia, "form.pdf", pdf_bytes(), at=DUE - timedelta(hours=1))
    client.force_login(instructor)

    page = client.get(reverse("grading:sheet", args=[seminar.slug])).content.decode()

    assert f'<a href="{reverse("submissions:download", args=[notes.pk])}">Discussion notes' in page
    assert reverse("submissions:download", args=[feedback.pk]) not in page


def test_sheet_shows_the_talk_of_each_student_once_the_schedule_is_published(client):
    from schedule.models import BlockDay, BlockSeminar, Slot

    seminar = SeminarFactory()
    instructor = instructor_of(seminar)
    mia = student_of(seminar, user__full_name="Mia")
    day = BlockDay.objects.create(seminar=seminar, starts_at=DUE, ends_at=DUE + timedelta(hours=8))
    Slot.objects.create(
        seminar=seminar,
        day=day,
        starts_at=DUE + timedelta(hours=1),
        ends_at=DUE + timedelta(hours=2),
        presenter=mia,
    )
    client.force_login(instructor)
    before = client.get(reverse("grading:sheet", args=[seminar.slug])).content.decode()
    BlockSeminar.objects.create(seminar=seminar, published_at=DUE - timedelta(days=30))
    after = client.get(reverse("grading:sheet", args=[seminar.slug])).content.decode()

    assert "Talk:" not in before
    assert "Talk: <time" in after
    assert "16 December 2026, 00:59 CET (Europe/Berlin)" in after
