"""One reminder scan over 5,000 students and 2 deliverables, and the mails it causes, sent by a real
Celery worker to an SMTP server on loopback (aiosmtpd, in this process).

Uses PostgreSQL and Redis when DATABASE_URL / REDIS_URL name them (a throw-away database bench_reminders_*
is created and dropped), else SQLite and the file-system broker in a temporary folder. Prints one JSON
object as its last line: students, scan_s, scan_queries (the same for 50 students: scan_queries_50),
mails, send_s, mails_per_s. Usage: .venv/bin/python bench/reminders.py
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.reminders.integration import CountingSMTP, free_port  # noqa: E402

STUDENTS = 5000
WORKERS = 4
WORK = Path(tempfile.mkdtemp(prefix="bench-reminders-"))
SMTP_PORT = free_port()
database_url = os.environ.get("DATABASE_URL", "")
postgres = database_url.startswith("postgres")
bench_database = f"bench_reminders_{os.getpid()}"
if postgres:
    admin = urlparse(database_url)
    setup = psycopg2.connect(database_url)
    setup.autocommit = True
    setup.cursor().execute(f"CREATE DATABASE {bench_database}")
    setup.close()
    database_url = admin._replace(path=f"/{bench_database}").geturl()
else:
    database_url = f"sqlite:///{WORK / 'bench.sqlite3'}"
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "seminar_portal.settings.local",
    "DEBUG": "false",
    "PORTAL_VAR_DIR": str(WORK / "var"),
    "DATABASE_URL": database_url,
    "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
    "LOG_LEVEL": "WARNING",
}
os.environ.update(ENV)

import django  # noqa: E402

django.setup()

from aiosmtpd.controller import Controller  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from reminders.services import reminders_scan  # noqa: E402
from reminders.tasks import task_reminder_send  # noqa: E402
from seminars.models import Membership, Seminar  # noqa: E402
from submissions.models import Deliverable  # noqa: E402


def build(slug: str, students: int) -> None:
    seminar = Seminar.objects.create(title=slug, slug=slug, term="Bench", capacity=students)
    users = User.objects.bulk_create(
        User(email=f"{slug}-{n}@bench.example", full_name=f"Student {n}", password="!")  # noqa: S106
        for n in range(students)
    )
    Membership.objects.bulk_create(Membership(user=user, seminar=seminar) for user in users)
    due = timezone.now() + timedelta(hours=23)
    for title in ("Written report", "Slides"):
        Deliverable.objects.create(seminar=seminar, title=title, due_at=due, allowed_types=["pdf"])


def scan_queries(enqueue) -> tuple[int, float, int]:
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        handed = reminders_scan(now=timezone.now(), enqueue=enqueue)
        seconds = time.perf_counter() - started
    return len(captured), seconds, handed


def main() -> None:
    call_command("migrate", verbosity=0)
    build("small", 50)
    queries_50, _, _ = scan_queries(lambda pk: None)
    Deliverable.objects.filter(seminar__slug="small").delete()
    build("large", STUDENTS)
    queries, scan_s, handed = scan_queries(task_reminder_send.delay)

    smtp = CountingSMTP()
    controller = Controller(smtp, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    worker = subprocess.Popen(  # noqa: S603 - our own celery, fixed arguments
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "seminar_portal",
            "worker",
            "-c",
            str(WORKERS),
            "--without-gossip",
            "--without-mingle",
            "-l",
            "WARNING",
        ],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while not smtp.counts():
            time.sleep(0.05)
        started = time.perf_counter()
        deadline = started + 600
        while sum(smtp.counts().values()) < handed and time.perf_counter() < deadline:
            time.sleep(0.1)
        send_s = time.perf_counter() - started
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        controller.stop()
    mails = sum(smtp.counts().values())
    duplicates = sum(count - 1 for count in smtp.counts().values())
    connection.close()
    if postgres:
        cleanup = psycopg2.connect(admin.geturl())
        cleanup.autocommit = True
        cleanup.cursor().execute(f"DROP DATABASE IF EXISTS {bench_database} WITH (FORCE)")
        cleanup.close()
    shutil.rmtree(WORK, ignore_errors=True)
    print(
        f"scan of {STUDENTS} students, 2 deliverables: {scan_s:.2f} s, {queries} queries ({queries_50} at 50)"
    )
    print(f"{mails} mails by {WORKERS} worker processes in {send_s:.1f} s, {duplicates} duplicates")
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "broker": "redis" if os.environ.get("REDIS_URL") else "filesystem",
                "students": STUDENTS,
                "scan_s": round(scan_s, 3),
                "scan_queries": queries,
                "scan_queries_50": queries_50,
                "reminders": handed,
                "mails": mails,
                "duplicates": duplicates,
                "send_s": round(send_s, 2),
                "mails_per_s": round(mails / send_s, 1) if send_s else None,
            }
        )
    )


if __name__ == "__main__":
    main()
