"""Cost of the instructor's everyday pages (seminar list and page, roster, dashboard, deliverables,
reminders): SQL queries and time to render, at 3 and at 300 students.

Runs on a throw-away test database of the database the environment names (DATABASE_URL; SQLite when unset).
Prints one JSON object as its last line. Usage: .venv/bin/python bench/pages.py
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seminar_portal.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from demo.seminar import demo_load  # noqa: E402
from demo.submissions import demo_deliverables_load  # noqa: E402
from reminders.models import Reminder  # noqa: E402
from seminars.models import Membership, Seminar  # noqa: E402
from submissions.models import Deliverable  # noqa: E402

ROUNDS = 20


def measure(client: Client, url: str) -> tuple[int, float]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    count = len(queries)
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    return count, statistics.median(timings)


def add_students(seminar: Seminar, count: int) -> None:
    existing = seminar.memberships.filter(role=Membership.Role.STUDENT).count()
    users = User.objects.bulk_create(
        User(email=f"bench-{seminar.pk}-{n}@uni.example", full_name=f"Student {n}", password="!")  # noqa: S106 (an unusable password)
        for n in range(existing, count)
    )
    Membership.objects.bulk_create(
        Membership(user=user, seminar=seminar, role=Membership.Role.STUDENT) for user in users
    )


def add_reminders(seminar: Seminar) -> None:
    """A sent deadline reminder for every student without one, so the reminders page lists them all."""
    deliverable = Deliverable.objects.filter(seminar=seminar).order_by("pk").first()
    now = timezone.now()
    students = seminar.memberships.filter(role=Membership.Role.STUDENT).exclude(
        user__reminders__object_id=deliverable.pk
    )
    Reminder.objects.bulk_create(
        Reminder(
            seminar=seminar,
            user_id=membership.user_id,
            kind=Reminder.Kind.DELIVERABLE,
            object_id=deliverable.pk,
            offset_minutes=24 * 60,
            title=deliverable.title,
            due_at=now,
            fire_at=now,
            created_at=now,
            enqueued_at=now,
            state=Reminder.State.SENT,
            attempts=1,
            sent_at=now,
        )
        for membership in students
    )


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        seminar = demo_load()
        demo_deliverables_load(seminar=seminar, now=timezone.now())
        seminar.capacity = 400
        seminar.save()
        instructor = User.objects.get(email="instructor@example.org")
        client = Client()
        client.force_login(instructor)
        result = {"bench": "pages", "database": connection.vendor}
        for size in (3, 300):
            add_students(seminar, size)
            add_reminders(seminar)
            for name, url in (
                ("list", "/"),
                ("detail", seminar.get_absolute_url()),
                ("roster", f"/seminars/{seminar.slug}/manage/students/"),
                ("dashboard", reverse("dashboard:home")),
                ("deliverables", reverse("submissions:manage", args=[seminar.slug])),
                ("reminders", reverse("reminders:manage", args=[seminar.slug])),
            ):
                queries, ms = measure(client, url)
                result[f"{name}_{size}_queries"] = queries
                result[f"{name}_{size}_ms"] = round(ms, 2)
        print(json.dumps(result))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
