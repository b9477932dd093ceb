"""The grade import at scale: a file of 300 students x 2 components (600 grades) previewed and imported.

parse_ms times the pure parser, preview_ms the preview (parser and three reads), import_s the confirmed
import (grades_import: one grade_set per changed grade, in one transaction), with its query count. Runs on
a throw-away test database of the database the environment names (DATABASE_URL; SQLite when unset).
Prints one JSON object as its last line. Usage: .venv/bin/python bench/grade_import.py
"""

import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seminar_portal.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from grading.imports import (  # noqa: E402
    ImportComponent,
    ImportStudent,
    grade_import_preview,
    grades_import,
    parse_grade_import,
)
from grading.models import Grade  # noqa: E402
from grading.scoring import STEPS, format_grade  # noqa: E402
from seminars.models import Membership, Seminar  # noqa: E402

STUDENTS = 300
COMPONENTS = ("presentation", "report")


def build() -> tuple[Seminar, User, str]:
    rng = random.Random(42)
    seminar = Seminar.objects.create(title="Bench", slug="bench", term="Bench", capacity=STUDENTS)
    instructor = User.objects.create_user(email="bench-instructor@uni.example", full_name="Instructor")
    Membership.objects.create(user=instructor, seminar=seminar, role=Membership.Role.INSTRUCTOR)
    users = User.objects.bulk_create(
        User(
            email=f"bench-{n}@uni.example",
            full_name=f"Student {n}",
            matriculation_number=f"0{3700000 + n}",
            password="!",  # noqa: S106
        )
        for n in range(STUDENTS)
    )
    Membership.objects.bulk_create(Membership(user=user, seminar=seminar) for user in users)
    lines = ["matriculation number;component;grade;comment"] + [
        f"{user.matriculation_number};{key};{format_grade(rng.choice(STEPS), decimal_comma=True)};ok"
        for user in users
        for key in COMPONENTS
    ]
    return seminar, instructor, "\n".join(lines) + "\n"


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        seminar, instructor, text = build()
        students = [
            ImportStudent(m.user_id, m.user.full_name, m.user.email, m.user.matriculation_number)
            for m in Membership.objects.filter(seminar=seminar, role=Membership.Role.STUDENT).select_related(
                "user"
            )
        ]
        components = [ImportComponent(key, key.title()) for key in COMPONENTS]
        start = time.perf_counter()
        lines, errors = parse_grade_import(text, students=students, components=components)
        parse_ms = (time.perf_counter() - start) * 1000
        assert not errors
        assert len(lines) == STUDENTS * len(COMPONENTS)
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as preview_queries:
            preview = grade_import_preview(seminar=seminar, text=text)
        preview_ms = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as import_queries:
            result = grades_import(
                seminar=seminar, text=text, seen=preview.seen, grader=instructor, now=timezone.now()
            )
        import_s = time.perf_counter() - start
        assert result.imported == STUDENTS * len(COMPONENTS)
        assert not result.refused
        assert Grade.objects.filter(seminar=seminar).count() == STUDENTS * len(COMPONENTS)
        print(
            json.dumps(
                {
                    "bench": "grade_import",
                    "database": connection.vendor,
                    "grades": len(lines),
                    "parse_ms": round(parse_ms, 1),
                    "preview_ms": round(preview_ms, 1),
                    "preview_queries": len(preview_queries),
                    "import_s": round(import_s, 3),
                    "import_queries": len(import_queries),
                }
            )
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
