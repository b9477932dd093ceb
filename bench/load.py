"""Load test of the production stack on loopback: nginx (TLS) -> gunicorn (production settings) ->
PostgreSQL and Redis, with a Celery worker, driven by locust (bench/locustfile.py).

Simulated students open their seminar page (their dashboard), the papers list and a deliverable page and
upload 2 MB reports; instructors open the overview and the grading sheet of a 300-student seminar; a
probe measures /healthz in the same run, beside one that asks for the dashboard as fast as it answers
(dashboard_flat_out_rps, to compare with healthz_rps). Needs DATABASE_URL (PostgreSQL; a throw-away database
bench_load_* is created and dropped), REDIS_URL, nginx and openssl. Prints one JSON object as its last
line: users, seconds, requests, errors, and per page requests, errors, p50_ms, p95_ms, rps; healthz_rps.
Usage: .venv/bin/python bench/load.py [users] [seconds]   (default 200 users for 120 s)
"""

import csv
import json
import os
import shutil
import signal
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
USERS = int(sys.argv[1]) if len(sys.argv) > 1 else 200
SECONDS = int(sys.argv[2]) if len(sys.argv) > 2 else 120
STUDENTS = 300
WORK = Path(tempfile.mkdtemp(prefix="bench-load-"))
database_url = os.environ.get("DATABASE_URL", "")
if not database_url.startswith("postgres"):
    sys.exit("bench/load.py needs DATABASE_URL=postgres://... (and REDIS_URL)")
admin_url = urlparse(database_url)
bench_database = f"bench_load_{os.getpid()}"
setup = psycopg2.connect(database_url)
setup.autocommit = True
setup.cursor().execute(f"CREATE DATABASE {bench_database}")
setup.close()

from tests.reminders.integration import free_port  # noqa: E402

HTTP_PORT, HTTPS_PORT, WEB_PORT = free_port(), free_port(), free_port()
SECRET = "bench-load-secret-key-long-enough-for-production-checks-0123456789abcdef"  # noqa: S105 - a throw-away stack
ENV = {
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    "DJANGO_SETTINGS_MODULE": "seminar_portal.settings.production",
    "SECRET_KEY": SECRET,
    "ALLOWED_HOSTS": "localhost",
    "CSRF_TRUSTED_ORIGINS": f"https://localhost:{HTTPS_PORT}",
    "PORTAL_URL": f"https://localhost:{HTTPS_PORT}",
    "DATABASE_URL": admin_url._replace(path=f"/{bench_database}").geturl(),
    "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/4"),
    "EMAIL_URL": "filemail://",
    "PORTAL_VAR_DIR": str(WORK / "var"),
    "STATIC_ROOT": str(WORK / "static"),
    "SUBMISSIONS_ROOT": str(WORK / "submissions"),
    "SUBMISSIONS_X_ACCEL_PREFIX": "/protected-submissions/",
    "LOG_LEVEL": "WARNING",
    # Each rate-limited login is skipped (sessions are made directly); keep allauth's limits out of the way.
}
os.environ.update(ENV)
for folder in ("static", "submissions", "var", "var/mail", "nginx-body"):
    (WORK / folder).mkdir(parents=True, exist_ok=True)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.middleware.csrf import _get_new_csrf_string  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from grading.models import Grade  # noqa: E402
from seminars.models import Membership, Seminar  # noqa: E402
from submissions.models import Deliverable, Submission  # noqa: E402
from submissions.storage import submission_storage  # noqa: E402
from tests.deploy.test_production_stack import nginx_config  # noqa: E402
from tests.submissions.helpers import pdf_bytes  # noqa: E402


def session_for(user: User) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def build() -> dict:
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    seminar = Seminar.objects.create(title="Load", slug="load", term="Bench", capacity=STUDENTS, state="open")
    instructors = User.objects.bulk_create(
        User(email=f"i{n}@load.example", full_name=f"Instructor {n}", password="!")  # noqa: S106
        for n in range(3)
    )
    Membership.objects.bulk_create(
        Membership(user=user, seminar=seminar, role="instructor") for user in instructors
    )
    students = User.objects.bulk_create(
        User(email=f"s{n}@load.example", full_name=f"Student {n}", password="!")  # noqa: S106
        for n in range(STUDENTS)
    )
    Membership.objects.bulk_create(Membership(user=user, seminar=seminar) for user in students)
    deliverable = Deliverable.objects.create(
        seminar=seminar,
        title="Report",
        due_at=timezone.now() + timedelta(days=7),
        allowed_types=["pdf"],
        max_size_mb=20,
    )
    stored = submission_storage.save(f"seminar-{seminar.pk}/seed.pdf", ContentFile(pdf_bytes(2)))
    Submission.objects.bulk_create(
        Submission(
            deliverable=deliverable,
            student=user,
            version=1,
            file=stored,
            original_name="report.pdf",
            file_type="pdf",
            size=1000,
            sha256="0" * 64,
            received_at=timezone.now(),
        )
        for user in students[: STUDENTS // 2]
    )
    Grade.objects.bulk_create(
        Grade(
            seminar=seminar,
            student=user,
            component=component,
            value="1.7",
            grader=instructors[0],
            updated_at=timezone.now(),
            version=1,
        )
        for user in students
        for component in ("presentation", "report")
    )
    report = WORK / "report.pdf"
    report.write_bytes(pdf_bytes(1, padding=2 * 1024 * 1024))
    return {
        "base": f"https://localhost:{HTTPS_PORT}",
        "csrf": _get_new_csrf_string(),
        "students": [session_for(user) for user in students],
        "instructors": [session_for(user) for user in instructors],
        "dashboard": f"/seminars/{seminar.slug}/",
        "papers": f"/seminars/{seminar.slug}/papers/",
        "deliverable": f"/seminars/{seminar.slug}/deliverables/{deliverable.pk}/",
        "overview": f"/seminars/{seminar.slug}/manage/deliverables/{deliverable.pk}/",
        "grading": f"/seminars/{seminar.slug}/manage/grades/",
        "report_path": str(report),
    }


def main() -> None:
    plan = build()
    connection.close()
    (WORK / "plan.json").write_text(json.dumps(plan))
    subprocess.run(  # noqa: S603 - openssl with fixed arguments
        [
            shutil.which("openssl"),
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-keyout",
            str(WORK / "key.pem"),
            "-out",
            str(WORK / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    bin_dir = Path(sys.executable).parent
    logs = (WORK / "processes.log").open("wb")
    processes = [
        subprocess.Popen(  # noqa: S603 - our own gunicorn
            [str(bin_dir / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "seminar_portal.wsgi"],
            cwd=ROOT,
            env={**ENV, "GUNICORN_BIND": f"127.0.0.1:{WEB_PORT}"},
            stdout=logs,
            stderr=logs,
        ),
        subprocess.Popen(  # noqa: S603 - our own celery
            [str(bin_dir / "celery"), "-A", "seminar_portal", "worker", "-c", "1", "-l", "WARNING"],
            cwd=ROOT,
            env=ENV,
            stdout=logs,
            stderr=logs,
        ),
        subprocess.Popen(  # noqa: S603 - Debian nginx with the shipped site
            [
                shutil.which("nginx"),
                "-c",
                str(nginx_config(WORK, http_port=HTTP_PORT, https_port=HTTPS_PORT, web_port=WEB_PORT)),
            ],
            stdout=logs,
            stderr=logs,
        ),
    ]
    try:
        time.sleep(4)
        subprocess.run(  # noqa: S603 - locust from the dev dependencies
            [
                str(bin_dir / "locust"),
                "-f",
                str(ROOT / "bench/locustfile.py"),
                "--headless",
                "-u",
                str(USERS),
                "-r",
                str(max(1, USERS // 10)),
                "-t",
                f"{SECONDS}s",
                "--host",
                plan["base"],
                "--csv",
                str(WORK / "stats"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={**os.environ, "LOAD_PLAN": str(WORK / "plan.json")},
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=SECONDS + 120,
        )
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=60)
    pages, totals = {}, {}
    with (WORK / "stats_stats.csv").open() as stats:
        for row in csv.DictReader(stats):
            entry = {
                "requests": int(row["Request Count"]),
                "errors": int(row["Failure Count"]),
                "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
                "rps": round(float(row["Requests/s"]), 1),
            }
            if row["Name"] == "Aggregated":
                totals = entry
            else:
                pages[row["Name"]] = entry
    failures = (WORK / "stats_failures.csv").read_text() if (WORK / "stats_failures.csv").exists() else ""
    cleanup = psycopg2.connect(database_url)
    cleanup.autocommit = True
    cleanup.cursor().execute(f"DROP DATABASE IF EXISTS {bench_database} WITH (FORCE)")
    cleanup.close()
    shutil.rmtree(WORK, ignore_errors=True)
    for name, entry in pages.items():
        print(
            f"{name:40} {entry['requests']:7} req {entry['errors']:4} err  p50 {entry['p50_ms']:6.0f} ms  "
            f"p95 {entry['p95_ms']:6.0f} ms  {entry['rps']:7.1f}/s"
        )
    if failures.count("\n") > 1:
        print(failures[:2000])
    print(
        json.dumps(
            {
                "users": USERS,
                "seconds": SECONDS,
                "requests": totals.get("requests"),
                "errors": totals.get("errors"),
                "pages": pages,
                "healthz_rps": pages.get("healthz", {}).get("rps"),
                "dashboard_flat_out_rps": pages.get("student dashboard (flat out)", {}).get("rps"),
            }
        )
    )


if __name__ == "__main__":
    main()
