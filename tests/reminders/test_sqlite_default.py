"""Exactly once on the embedded default of `make run`: an SQLite file, the file-system Celery broker, and
the processes `make run` starts (a worker with the concurrency of Procfile.dev, and beat), plus a web
process writing at the same time. An SMTP server on loopback counts what arrives: one mail per student,
and every reminder recorded as sent.

The database is a file of its own under tmp_path, migrated and filled by manage.py, so the test runs the
same whatever database the rest of the suite uses."""

import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .integration import CELERY, ROOT, CountingSMTP, free_port, wait_until

STUDENTS = 30
WEB_SECONDS = 20

CREATE = """
from datetime import timedelta
from django.utils import timezone
from submissions.models import Deliverable
from tests.factories import SeminarFactory, instructor_of, student_of

seminar = SeminarFactory(capacity={students} + 5)
instructor_of(seminar)
people = [student_of(seminar, user__email=f"s{{index}}@uni.example") for index in range({students})]
deliverable = Deliverable.objects.create(
    seminar=seminar,
    title="Written report",
    due_at=timezone.now() + timedelta(hours=23),
    allowed_types=["pdf"],
)
print("CREATED", deliverable.pk)
"""

# What the web process of `make run` does meanwhile: sessions, logins and saves, each its own transaction.
WRITE_AS_THE_WEB_DOES = """
import time
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
deadline = time.monotonic() + {seconds}
written = 0
while time.monotonic() < deadline:
    with transaction.atomic():
        session = SessionStore()
        session["n"] = written
        session.save()
    written += 1
print("WROTE", written, flush=True)
"""


def worker_concurrency() -> str:
    """The worker's concurrency exactly as Procfile.dev (what `make run` starts) gives it."""
    line = next(
        line for line in (ROOT / "Procfile.dev").read_text().splitlines() if line.startswith("worker:")
    )
    return re.search(r"--concurrency[= ](\d+)", line).group(1)


@pytest.fixture
def default_setup(tmp_path):
    smtp = CountingSMTP(stall_seconds=0.02)
    from aiosmtpd.controller import Controller

    port = free_port()
    controller = Controller(smtp, hostname="127.0.0.1", port=port)
    controller.start()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "seminar_portal.settings.local",
        "DEBUG": "false",
        "PORTAL_VAR_DIR": str(tmp_path / "var"),
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "EMAIL_TIMEOUT": "10",
        "REMINDER_SCAN_SECONDS": "1",
        "OUTBOX_FLUSH_SECONDS": "1",
        "LOG_LEVEL": "WARNING",
    }
    processes: list[subprocess.Popen] = []
    yield {"smtp": smtp, "env": env, "tmp": tmp_path, "processes": processes}
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    controller.stop()


def manage(env: dict, *arguments: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start(setup, name: str, arguments: list[str]) -> subprocess.Popen:
    log = (setup["tmp"] / f"{name}.log").open("wb")
    process = subprocess.Popen(arguments, cwd=ROOT, env=setup["env"], stdout=log, stderr=log)  # noqa: S603
    setup["processes"].append(process)
    return process


def logs(setup) -> str:
    return "\n".join(
        f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
        for path in sorted(setup["tmp"].glob("*.log"))
    )


def reminder_states(database: Path) -> dict[str, int]:
    with sqlite3.connect(database, timeout=30) as db:
        return dict(db.execute("SELECT state, COUNT(*) FROM reminders_reminder GROUP BY state").fetchall())


def test_make_run_default_sends_each_reminder_exactly_once_on_sqlite(default_setup):
    setup, smtp = default_setup, default_setup["smtp"]
    migrated = manage(setup["env"], "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr
    created = manage(setup["env"], "shell", "-c", CREATE.format(students=STUDENTS))
    assert "CREATED" in created.stdout, created.stderr
    deliverable = int(created.stdout.split()[-1])

    web = start(
        setup,
        "web-writes",
        [sys.executable, "manage.py", "shell", "-c", WRITE_AS_THE_WEB_DOES.format(seconds=WEB_SECONDS)],
    )
    start(
        setup,
        "worker",
        [CELERY, "-A", "seminar_portal", "worker", f"--concurrency={worker_concurrency()}", "-l", "INFO"],
    )
    start(
        setup,
        "beat",
        [CELERY, "-A", "seminar_portal", "beat", "-l", "INFO", "--schedule", str(setup["tmp"] / "beat")],
    )

    database = setup["tmp"] / "var" / "portal.sqlite3"
    wait_until(
        lambda: sum(smtp.counts().values()) >= STUDENTS,
        timeout=120,
        message=f"mails did not arrive: {smtp.counts()}\n{logs(setup)}",
    )
    wait_until(
        lambda: reminder_states(database).get("sent") == STUDENTS,
        timeout=60,
        message=f"reminders not all marked sent: {reminder_states(database)}\n{logs(setup)}",
    )
    time.sleep(5)  # beat keeps scanning and the worker keeps running: nothing more may arrive

    counts = smtp.counts()
    assert set(counts) == {
        f"deliverable:{deliverable}:1440|s{index}@uni.example" for index in range(STUDENTS)
    }
    assert set(counts.values()) == {1}
    assert reminder_states(database) == {"sent": STUDENTS}
    # The web process's writes went through all the while, none refused with "database is locked".
    assert web.wait(timeout=60) == 0
    assert "WROTE" in (setup["tmp"] / "web-writes.log").read_text()
    assert "database is locked" not in logs(setup)
