"""A broker (and cache) that accepts the connection but never answers must not freeze a request: the
outbox hand-over after commit gives up after about two seconds, the task stays in the outbox, and the
periodic flush hands it over later.

The portal runs in a process of its own with the local settings (not the eager test settings), on an
SQLite file of its own, with REDIS_URL pointing at a TCP server that accepts and never says a word."""

import socket
import subprocess
import sys
import threading

import pytest

from tests.reminders.integration import ROOT

UPLOAD_THROUGH_THE_PAGE = """
import time
from datetime import timedelta
from django.test import Client
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from core.models import OutboxTask
from submissions.models import Deliverable, Submission
from tests.factories import SeminarFactory, student_of
from tests.submissions.helpers import pdf_bytes

seminar = SeminarFactory()
student = student_of(seminar)
deliverable = Deliverable.objects.create(
    seminar=seminar, title="Report", due_at=timezone.now() + timedelta(days=1), allowed_types=["pdf"]
)
client = Client()
client.force_login(student)


def upload():
    return client.post(
        f"/seminars/{seminar.slug}/deliverables/{deliverable.pk}/upload/",
        {"file": SimpleUploadedFile("report.pdf", pdf_bytes())},
    )


upload()  # the first request of a process also loads templates and modules; the second is timed
started = time.monotonic()
response = upload()
elapsed = time.monotonic() - started
print("STATUS", response.status_code)
print("STORED", Submission.objects.count())
print("WAITING", OutboxTask.objects.filter(name="submissions.submission_receipt_notify").count())
print("SECONDS", round(elapsed, 2))
"""


@pytest.fixture
def silent_server():
    """Accepts every connection and keeps it open without ever sending a byte."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            held.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(timeout=5)
    for connection in held:
        connection.close()
    listener.close()


def test_upload_with_a_broker_that_never_answers_returns_within_about_two_seconds(silent_server, tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "seminar_portal.settings.local",
        "DEBUG": "false",
        "PORTAL_VAR_DIR": str(tmp_path / "var"),
        "REDIS_URL": f"redis://127.0.0.1:{silent_server}/0",
        "LOG_LEVEL": "ERROR",
        "ALLOWED_HOSTS": "testserver",
    }
    migrate = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert migrate.returncode == 0, migrate.stderr

    run = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "shell", "-c", UPLOAD_THROUGH_THE_PAGE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert run.returncode == 0, run.stderr
    result = dict(line.split(" ", 1) for line in run.stdout.splitlines() if line.split(" ")[0].isupper())
    assert result["STATUS"] == "302"
    assert result["STORED"] == "2"
    assert result["WAITING"] == "2"  # both receipts wait in the outbox for the flush
    assert float(result["SECONDS"]) < 3.0
