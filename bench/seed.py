"""The data of bench/load.py and bench/rush.py: one seminar of 300 students (by default; half of them
have uploaded a first version), three instructors, a report deliverable, grades, a session per person.
Imported after django.setup(), in the bench's own process, against the stack's throw-away database."""

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.middleware.csrf import _get_new_csrf_string
from django.utils import timezone

from accounts.models import User
from core.file_storage import upload_storage
from grading.models import Grade
from grading.services import grade_components_ensure
from seminars.models import Membership, Seminar
from submissions.models import Deliverable, Submission
from tests.submissions.helpers import pdf_bytes

STUDENTS = 300
MB = 1024 * 1024


def session_for(user: User) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def build(work: Path, *, base: str, report_mb: int, students: int = STUDENTS) -> dict:
    """Migrates, collects the static files, creates the seminar; returns the plan locust reads."""
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    seminar = Seminar.objects.create(title="Load", slug="load", term="Bench", capacity=students, state="open")
    instructors = User.objects.bulk_create(
        User(email=f"i{n}@load.example", full_name=f"Instructor {n}", password="!")  # noqa: S106
        for n in range(3)
    )
    Membership.objects.bulk_create(
        Membership(user=user, seminar=seminar, role="instructor") for user in instructors
    )
    members = User.objects.bulk_create(
        User(email=f"s{n}@load.example", full_name=f"Student {n}", password="!")  # noqa: S106
        for n in range(students)
    )
    Membership.objects.bulk_create(Membership(user=user, seminar=seminar) for user in members)
    deliverable = Deliverable.objects.create(
        seminar=seminar,
        title="Report",
        due_at=timezone.now() + timedelta(days=7),
        allowed_types=["pdf"],
        max_size_mb=20,
    )
    stored = upload_storage.save(f"seminar-{seminar.pk}/seed.pdf", ContentFile(pdf_bytes(2)))
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
        for user in members[: students // 2]
    )
    components = grade_components_ensure(seminar=seminar)
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
        for user in members
        for component in components
    )
    report = work / "report.pdf"
    report.write_bytes(pdf_bytes(1, padding=report_mb * MB))
    plan = {
        "base": base,
        "csrf": _get_new_csrf_string(),
        "students": [session_for(user) for user in members],
        "instructors": [session_for(user) for user in instructors],
        "dashboard": f"/seminars/{seminar.slug}/",
        "papers": f"/seminars/{seminar.slug}/papers/",
        "deliverable": f"/seminars/{seminar.slug}/deliverables/{deliverable.pk}/",
        "overview": f"/seminars/{seminar.slug}/manage/deliverables/{deliverable.pk}/",
        "grading": f"/seminars/{seminar.slug}/manage/grades/",
        "report_path": str(report),
        "report_mb": report_mb,
    }
    # The stack's processes and, at the end, DROP DATABASE must not wait for this process's connection.
    connection.close()
    return plan
