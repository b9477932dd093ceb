"""Grading at scale: the grading sheet of a 300-student seminar (two examiners' grades of each student's
presentation beside the cell) and a CSV export of 10,000 rows.

Runs on a throw-away test database of the database the environment names (DATABASE_URL; SQLite when
unset). Prints one JSON object as its last line: sheet_queries, sheet_ms (median of 10 renders), sheet_kb
(the sheet's HTML), sheet_save_queries (one post of the sheet changing 300 cells, one per student),
export_10k_rows_s. Usage: .venv/bin/python bench/grading.py
"""

import json
import os
import random
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
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from grading.models import ExaminerGrade, Grade, GradeChange  # noqa: E402
from grading.scoring import STEPS  # noqa: E402
from grading.services import grade_components_ensure  # noqa: E402
from seminars.models import Membership, Seminar  # noqa: E402

STUDENTS = 300
EXPORT_ROWS = 10_000


def build(slug: str, students: int, instructor: User, *, examiners: tuple[User, ...] = ()) -> Seminar:
    rng = random.Random(7)
    seminar = Seminar.objects.create(title=slug, slug=slug, term="Bench", capacity=students)
    Membership.objects.create(user=instructor, seminar=seminar, role=Membership.Role.INSTRUCTOR)
    users = User.objects.bulk_create(
        User(email=f"{slug}-{n}@uni.example", full_name=f"Student {n}", password="!")  # noqa: S106
        for n in range(students)
    )
    Membership.objects.bulk_create(Membership(user=user, seminar=seminar) for user in users)
    now = timezone.now()
    components = grade_components_ensure(seminar=seminar)
    grades = Grade.objects.bulk_create(
        Grade(
            seminar=seminar,
            student=user,
            component=component,
            value=rng.choice(STEPS),
            grader=instructor,
            updated_at=now,
        )
        for user in users
        for component in components
    )
    GradeChange.objects.bulk_create(
        GradeChange(grade=grade, old_value=None, new_value=grade.value, changed_by=instructor, changed_at=now)
        for grade in grades
    )
    ExaminerGrade.objects.bulk_create(
        ExaminerGrade(
            seminar=seminar,
            student=user,
            component=components[0],
            examiner=examiner,
            value=rng.choice(STEPS),
            updated_at=now,
        )
        for user in users
        for examiner in examiners
    )
    return seminar


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        instructor = User.objects.create_user(email="bench-instructor@uni.example", full_name="Instructor")
        colleague = User.objects.create_user(email="bench-colleague@uni.example", full_name="Colleague")
        sheet = build("sheet", STUDENTS, instructor, examiners=(instructor, colleague))
        big = build("export", EXPORT_ROWS, instructor)
        client = Client()
        client.force_login(instructor)
        url = f"/seminars/{sheet.slug}/manage/grades/"
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
            assert page.status_code == 200
        sheet_queries = len(queries)
        sheet_kb = len(page.content) / 1024
        timings = []
        for _ in range(10):
            start = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        cells = {}
        for grade in Grade.objects.filter(seminar=sheet, component__key="presentation"):
            suffix = f"{grade.student_id}-presentation"
            changed = STEPS[(STEPS.index(grade.value) + 1) % len(STEPS)]
            cells |= {f"g-{suffix}": str(changed), f"c-{suffix}": "", f"v-{suffix}": str(grade.version)}
        with CaptureQueriesContext(connection) as queries:
            saved = client.post(url, cells)
        assert saved.status_code == 302, saved.status_code
        assert GradeChange.objects.filter(grade__seminar=sheet).count() == 3 * STUDENTS
        sheet_save_queries = len(queries)
        start = time.perf_counter()
        response = client.get(f"/seminars/{big.slug}/manage/grades/export/?file_format=csv&decimal=comma")
        lines = sum(chunk.count(b"\n") for chunk in response.streaming_content)
        export_s = time.perf_counter() - start
        assert lines == EXPORT_ROWS + 1, lines
        print(
            json.dumps(
                {
                    "bench": "grading",
                    "database": connection.vendor,
                    "students": STUDENTS,
                    "sheet_queries": sheet_queries,
                    "sheet_ms": round(statistics.median(timings), 1),
                    "sheet_kb": round(sheet_kb, 1),
                    "sheet_save_queries": sheet_save_queries,
                    "export_10k_rows_s": round(export_s, 3),
                }
            )
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
