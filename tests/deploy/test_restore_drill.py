"""The restore drill of the README: dump the database and archive the uploads, wipe both, restore, and
every submission's SHA-256 still matches its stored file (`manage.py verify_submissions`)."""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent.parent

CREATE_DATA = """
from datetime import timedelta
import os
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from accounts.models import User
from seminars.models import Membership, Seminar
from submissions.models import Deliverable
from submissions.services import submission_create
from tests.submissions.helpers import pdf_bytes

seminar = Seminar.objects.create(title="Drill", slug="drill", term="Drill")
deliverable = Deliverable.objects.create(
    seminar=seminar, title="Report", due_at=timezone.now() + timedelta(days=1), allowed_types=["pdf"]
)
for number in range(4):
    student = User.objects.create_user(email=f"s{number}@drill.example", password=None, full_name="S")
    Membership.objects.create(user=student, seminar=seminar)
    for version in range(2):
        submission_create(
            deliverable=deliverable,
            student=student,
            upload=SimpleUploadedFile(f"report-{version}.pdf", pdf_bytes(1 + version, padding=1000 * number)),
            received_at=timezone.now(),
        )
print("CREATED")
"""


@pytest.fixture
def drill_database():
    if connection.vendor != "postgresql":
        pytest.skip("the drill uses pg_dump and pg_restore: set DATABASE_URL=postgres://...")
    for binary in ("pg_dump", "pg_restore"):
        if shutil.which(binary) is None:
            pytest.skip(f"{binary} is not installed")
    settings = connection.settings_dict
    name = f"restore_drill_{uuid.uuid4().hex[:12]}"
    server = {
        "host": settings["HOST"],
        "port": settings["PORT"],
        "user": settings["USER"],
        "dbname": "postgres",
    }

    def admin(statement: str) -> None:
        conn = psycopg2.connect(**server)
        conn.autocommit = True
        conn.cursor().execute(statement)
        conn.close()

    admin(f"CREATE DATABASE {name}")
    yield name, server, admin
    admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def run(command: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)  # noqa: S603


def test_restore_drill_every_sha256_matches_after_dump_wipe_restore(drill_database, tmp_path):
    name, server, admin = drill_database
    files = tmp_path / "submissions"
    url = f"postgres://{server['user']}@{server['host']}:{server['port']}/{name}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "seminar_portal.settings.local",
        "DATABASE_URL": url,
        "REDIS_URL": "",
        "PORTAL_VAR_DIR": str(tmp_path / "var"),
        "SUBMISSIONS_ROOT": str(files),
        "PGHOST": server["host"],
        "PGPORT": str(server["port"]),
        "PGUSER": server["user"],
    }
    manage = [sys.executable, "manage.py"]
    assert run([*manage, "migrate", "--noinput"], env).returncode == 0
    created = run([*manage, "shell", "-c", CREATE_DATA], env)
    assert "CREATED" in created.stdout, created.stderr
    before = run([*manage, "verify_submissions"], env)
    assert before.returncode == 0, before.stderr
    assert "8 files checked" in before.stdout

    # Back up as the README says: a custom-format dump and an archive of the uploads.
    dump, archive = tmp_path / "portal.dump", tmp_path / "submissions.tar.gz"
    assert run(["pg_dump", "--format=custom", f"--file={dump}", name], env).returncode == 0
    assert run(["tar", "-C", str(tmp_path), "-czf", str(archive), "submissions"], env).returncode == 0

    # Wipe.
    admin(f"DROP DATABASE {name} WITH (FORCE)")
    shutil.rmtree(files)

    # Restore.
    admin(f"CREATE DATABASE {name}")
    restored = run(["pg_restore", "--no-owner", f"--dbname={name}", str(dump)], env)
    assert restored.returncode == 0, restored.stderr
    assert run(["tar", "-C", str(tmp_path), "-xzf", str(archive)], env).returncode == 0

    after = run([*manage, "verify_submissions"], env)
    assert after.returncode == 0, after.stderr
    assert "8 files checked: every size and SHA-256 matches." in after.stdout

    # The check can fail: a changed file is named.
    victim = sorted(path for path in files.rglob("*.pdf"))[0]
    victim.write_bytes(victim.read_bytes() + b"%")
    broken = run([*manage, "verify_submissions"], env)
    assert broken.returncode != 0
    assert f"{victim.relative_to(files)}): content differs" in broken.stderr
