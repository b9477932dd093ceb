"""Uploads and downloads under gunicorn: a 50 MB PDF up, a streamed ZIP of 300 files of 5 MB down.

Starts the portal under gunicorn (one sync worker, local settings) on a throw-away SQLite database and
storage in a temporary folder, so it needs no services. Memory is the worker's peak resident set during the
request (VmHWM after resetting it through /proc/<pid>/clear_refs) minus its resident set before.
Prints one JSON object as its last line: upload_s, disk_copy_s (the same 50 MB written to the same disk),
worker_rss_growth_mb, zip_s, zip_mb, zip_rss_growth_mb. Usage: .venv/bin/python bench/upload.py
"""

import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(tempfile.mkdtemp(prefix="bench-upload-"))
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "seminar_portal.settings.local",
    "PORTAL_VAR_DIR": str(WORK / "var"),
    "DATABASE_URL": f"sqlite:///{WORK / 'bench.sqlite3'}",
    "REDIS_URL": "",
    "SUBMISSION_MAX_MB": "100",
    "LOG_LEVEL": "WARNING",
    "TMPDIR": str(WORK / "tmp"),
}
os.environ.update(ENV)
(WORK / "tmp").mkdir()
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfWriter  # noqa: E402
from pypdf.generic import DecodedStreamObject  # noqa: E402

from accounts.models import User  # noqa: E402
from core.file_storage import upload_storage  # noqa: E402
from seminars.models import Membership, Seminar  # noqa: E402
from submissions.models import Deliverable, Submission  # noqa: E402

UPLOAD_MB = 50
ZIP_FILES = 300
ZIP_FILE_MB = 5
MB = 1024 * 1024


def big_pdf(path: Path, size: int) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    stream = DecodedStreamObject()
    stream.set_data(os.urandom(size))
    writer._add_object(stream)  # noqa: SLF001 - a large unused object makes the file the wanted size
    with path.open("wb") as out:
        writer.write(out)


def session_for(user: User) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def build() -> tuple[Seminar, Deliverable, Deliverable, User, User]:
    call_command("migrate", verbosity=0)
    seminar = Seminar.objects.create(title="Bench", slug="bench", term="Bench", capacity=ZIP_FILES + 1)
    instructor = User.objects.create_user(email="instructor@bench.example", password=None, full_name="I")
    Membership.objects.create(user=instructor, seminar=seminar, role=Membership.Role.INSTRUCTOR)
    due = timezone.now() + timedelta(days=7)
    report = Deliverable.objects.create(
        seminar=seminar, title="Report", due_at=due, allowed_types=["pdf"], max_size_mb=100
    )
    slides = Deliverable.objects.create(
        seminar=seminar, title="Slides", kind="slides", due_at=due, allowed_types=["pdf"], max_size_mb=100
    )
    users = User.objects.bulk_create(
        User(email=f"s{n}@bench.example", full_name=f"Student {n}", password="!")  # noqa: S106
        for n in range(ZIP_FILES)
    )
    Membership.objects.bulk_create(Membership(user=user, seminar=seminar) for user in users)
    payload = os.urandom(ZIP_FILE_MB * MB)
    rows = []
    for user in users:
        name = upload_storage.save(f"seminar-{seminar.pk}/{secrets.token_hex(16)}.pdf", ContentFile(payload))
        rows.append(
            Submission(
                deliverable=slides,
                student=user,
                version=1,
                file=name,
                original_name="slides.pdf",
                file_type="pdf",
                size=len(payload),
                sha256="0" * 64,
                received_at=timezone.now(),
            )
        )
    Submission.objects.bulk_create(rows)
    return seminar, report, slides, users[0], instructor


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def worker_pid(master: int) -> int:
    for _ in range(100):
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def memory_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(field)


def reset_peak(pid: int) -> int:
    Path(f"/proc/{pid}/clear_refs").write_text("5")
    return memory_kb(pid, "VmRSS")


def request(port, method, path, cookies, body_parts=(), headers=None) -> tuple[int, int, dict]:
    """Sends the body part by part (files are read in 1 MB pieces) and reads the answer in pieces."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    connection.putrequest(method, path)
    connection.putheader("Cookie", "; ".join(f"{key}={value}" for key, value in cookies.items()))
    length = sum(part.stat().st_size if isinstance(part, Path) else len(part) for part in body_parts)
    for key, value in (headers or {}).items():
        connection.putheader(key, value)
    if body_parts:
        connection.putheader("Content-Length", str(length))
    connection.endheaders()
    for part in body_parts:
        if isinstance(part, Path):
            with part.open("rb") as source:
                while chunk := source.read(MB):
                    connection.send(chunk)
        else:
            connection.send(part)
    response = connection.getresponse()
    received = 0
    while chunk := response.read(MB):
        received += len(chunk)
    connection.close()
    return response.status, received, dict(response.getheaders())


def main() -> None:
    seminar, report, slides, student, instructor = build()
    pdf = WORK / "report.pdf"
    big_pdf(pdf, UPLOAD_MB * MB)

    started = time.perf_counter()
    shutil.copyfile(pdf, Path(settings.SUBMISSIONS_ROOT) / "copy.pdf")
    os.sync()
    disk_copy_s = time.perf_counter() - started

    port = free_port()
    gunicorn = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "seminar_portal.wsgi",
            "-w",
            "1",
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "600",
        ],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        worker = worker_pid(gunicorn.pid)
        csrf = secrets.token_hex(16)
        student_cookies = {"sessionid": session_for(student), "csrftoken": csrf}
        for _ in range(50):
            try:
                request(port, "GET", f"/seminars/{seminar.slug}/deliverables/{report.pk}/", student_cookies)
                break
            except OSError:
                time.sleep(0.1)

        boundary = secrets.token_hex(16)
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{csrf}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="report.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        before = reset_peak(worker)
        started = time.perf_counter()
        status, _, headers = request(
            port,
            "POST",
            f"/seminars/{seminar.slug}/deliverables/{report.pk}/upload/",
            student_cookies,
            [head, pdf, tail],
            {"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        os.sync()
        upload_s = time.perf_counter() - started
        upload_growth = (memory_kb(worker, "VmHWM") - before) / 1024
        stored = Submission.objects.filter(deliverable=report).count()
        if status != 302 or "/receipts/" not in headers.get("Location", "") or stored != 1:
            raise RuntimeError(f"upload failed: {status} {headers.get('Location')} stored={stored}")

        instructor_cookies = {"sessionid": session_for(instructor)}
        before = reset_peak(worker)
        started = time.perf_counter()
        status, zip_bytes, _ = request(
            port,
            "GET",
            f"/seminars/{seminar.slug}/manage/deliverables/{slides.pk}/download.zip",
            instructor_cookies,
        )
        zip_s = time.perf_counter() - started
        zip_growth = (memory_kb(worker, "VmHWM") - before) / 1024
        if status != 200 or zip_bytes < ZIP_FILES * ZIP_FILE_MB * MB:
            raise RuntimeError(f"zip failed: {status}, {zip_bytes} bytes")
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)
        shutil.rmtree(WORK, ignore_errors=True)

    print(
        f"upload of {UPLOAD_MB} MB: {upload_s:.2f} s (disk copy {disk_copy_s:.2f} s), +{upload_growth:.1f} MB"
    )
    print(
        f"zip of {ZIP_FILES} x {ZIP_FILE_MB} MB: {zip_s:.2f} s, {zip_bytes / MB:.0f} MB, +{zip_growth:.1f} MB"
    )
    print(
        json.dumps(
            {
                "upload_mb": UPLOAD_MB,
                "upload_s": round(upload_s, 3),
                "disk_copy_s": round(disk_copy_s, 3),
                "worker_rss_growth_mb": round(upload_growth, 1),
                "zip_files": ZIP_FILES,
                "zip_s": round(zip_s, 3),
                "zip_mb": round(zip_bytes / MB, 1),
                "zip_rss_growth_mb": round(zip_growth, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
