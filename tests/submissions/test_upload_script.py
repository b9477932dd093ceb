"""The page's upload script (progress bar) gets the next address as JSON, so the message waits there."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from submissions.models import Submission
from tests.factories import student_of

from .helpers import DUE, DeliverableFactory, pdf_bytes, submission_storage  # noqa: F401

pytestmark = pytest.mark.django_db
SCRIPT = {"HTTP_X_PORTAL_UPLOAD": "1"}


@pytest.fixture
def deliverable():
    return DeliverableFactory()


def upload(client, deliverable, name, data):
    url = reverse("submissions:upload", args=[deliverable.seminar.slug, deliverable.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, data)}, **SCRIPT)


def test_script_upload_gets_the_receipt_address_and_the_message_waits_there(
    client,
    deliverable,
    submission_storage,  # noqa: F811
):
    with time_machine.travel(DUE - timedelta(hours=1), tick=False):
        client.force_login(student_of(deliverable.seminar))
        response = upload(client, deliverable, "report.pdf", pdf_bytes())
        submission = Submission.objects.get()
        receipt = reverse(
            "submissions:receipt", args=[deliverable.seminar.slug, deliverable.pk, submission.pk]
        )
        assert response.status_code == 200
        assert response.json() == {"location": receipt}
        page = client.get(response.json()["location"]).content.decode()
    assert "Your file was received." in page


def test_script_upload_refused_gets_the_deliverable_address_and_the_reason_waits_there(
    client,
    deliverable,
    submission_storage,  # noqa: F811
):
    with time_machine.travel(DUE - timedelta(hours=1), tick=False):
        client.force_login(student_of(deliverable.seminar))
        response = upload(client, deliverable, "report.pdf", b"<html>not a pdf</html>")
        page_url = reverse("submissions:deliverable", args=[deliverable.seminar.slug, deliverable.pk])
        assert response.json() == {"location": page_url}
        page = client.get(page_url).content.decode()
    assert "This file is not a PDF" in page
    assert Submission.objects.count() == 0


def test_upload_without_the_script_header_is_a_plain_redirect(
    client,
    deliverable,
    submission_storage,  # noqa: F811
):
    with time_machine.travel(DUE - timedelta(hours=1), tick=False):
        client.force_login(student_of(deliverable.seminar))
        url = reverse("submissions:upload", args=[deliverable.seminar.slug, deliverable.pk])
        response = client.post(url, {"file": SimpleUploadedFile("report.pdf", pdf_bytes())})
    assert response.status_code == 302
    assert "/receipts/" in response["Location"]
