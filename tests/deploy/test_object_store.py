"""Uploads in an S3-compatible object store (moto's server on loopback speaks the S3 protocol): stored
privately, downloaded through a presigned URL handed out only after the permission check."""

import io
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import boto3
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from submissions.services import submission_create
from tests.factories import instructor_of, student_of
from tests.reminders.integration import free_port
from tests.submissions.helpers import DUE, DeliverableFactory, pdf_bytes

pytestmark = pytest.mark.django_db
BUCKET = "portal-submissions"


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - moto's S3 server from the dev dependencies
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(endpoint + "/moto-api/", timeout=1)  # noqa: S310 - loopback
            break
        except OSError:
            time.sleep(0.1)
    yield endpoint
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def object_store(settings, s3_endpoint):
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    storages = {alias: dict(config) for alias, config in settings.STORAGES.items()}
    storages["submissions"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "endpoint_url": s3_endpoint,
            "region_name": "us-east-1",
            "access_key": "testing",
            "secret_key": "testing",
            "location": "submissions",
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 60,
            "signature_version": "s3v4",
        },
    }
    settings.STORAGES = storages
    settings.SUBMISSIONS_S3_BUCKET = BUCKET
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def fetch(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - the loopback S3 server
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_object_store_upload_is_private_and_downloads_through_a_presigned_url(
    client, object_store, s3_endpoint
):
    deliverable = DeliverableFactory()
    owner, other = student_of(deliverable.seminar), student_of(deliverable.seminar)
    instructor = instructor_of(deliverable.seminar)
    report = pdf_bytes(2)
    submission = submission_create(
        deliverable=deliverable,
        student=owner,
        upload=SimpleUploadedFile("Bericht über Lernen.pdf", report),
        received_at=DUE - timedelta(hours=1),
    )

    keys = [item["Key"] for item in object_store.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [f"submissions/{submission.file.name}"]
    assert object_store.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read() == report
    status, _headers, _body = fetch(f"{s3_endpoint}/{BUCKET}/{keys[0]}")
    assert status == 403

    for person in (owner, instructor):
        client.force_login(person)
        response = client.get(reverse("submissions:download", args=[submission.pk]))
        assert response.status_code == 302
        assert response["Cache-Control"] == "private, no-store"
        url = response["Location"]
        query = parse_qs(urlparse(url).query)
        assert url.startswith(f"{s3_endpoint}/{BUCKET}/submissions/")
        assert query["X-Amz-Expires"] == ["60"]
        assert "X-Amz-Signature" in query
        status, headers, body = fetch(url)
        assert status == 200
        assert body == report
        assert (
            headers["Content-Disposition"] == "attachment; filename*=utf-8''Bericht%20%C3%BCber%20Lernen.pdf"
        )

    client.force_login(other)
    response = client.get(reverse("submissions:download", args=[submission.pk]))
    assert response.status_code == 404
    assert "Location" not in response


def test_object_store_orphans_are_listed_and_removed_after_the_grace_time(object_store):
    """A crash between storing the file and committing its row leaves an object that no row names; the
    integrity check lists it in the bucket and the cleanup removes it once it is older than the grace."""
    deliverable = DeliverableFactory()
    submission = submission_create(
        deliverable=deliverable,
        student=student_of(deliverable.seminar),
        upload=SimpleUploadedFile("report.pdf", pdf_bytes()),
        received_at=DUE - timedelta(hours=1),
    )
    orphan_key = f"submissions/seminar-{deliverable.seminar_id}/0123456789abcdef.pdf"
    object_store.put_object(Bucket=BUCKET, Key=orphan_key, Body=pdf_bytes())
    out = io.StringIO()

    call_command("verify_submissions", stdout=out)
    young = io.StringIO()
    call_command("remove_orphan_uploads", "--grace-hours", "1", stdout=young)
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        old = io.StringIO()
        call_command("remove_orphan_uploads", "--grace-hours", "1", stdout=old)

    assert f"orphan: seminar-{deliverable.seminar_id}/0123456789abcdef.pdf" in out.getvalue()
    assert "1 files checked: every size and SHA-256 matches." in out.getvalue()
    assert "0 orphan files older than 1 hours removed." in young.getvalue()
    assert "1 orphan files older than 1 hours removed." in old.getvalue()
    keys = [item["Key"] for item in object_store.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [f"submissions/{submission.file.name}"]
