"""Allotment at scale: 1,000 students, 1,000 papers, 10 random ranked preferences per student.

algorithm_s times the pure optimal mechanism (papers/allotment.py), rsd_s the random serial dictatorship
on the same problem; service_s times the whole service run
(papers.services.allotment_run: loading preferences, solving, writing the rows) on a throw-away test
database of the database the environment names (DATABASE_URL; SQLite when unset). Prints one JSON object
as its last line. Usage: .venv/bin/python bench/allotment.py
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
from papers.allotment import allot_optimal, allot_serial_dictatorship  # noqa: E402
from papers.models import Allotment, Paper, Preference, PreferenceWindow  # noqa: E402
from papers.services import allotment_problem, allotment_run  # noqa: E402
from seminars.models import Membership, Seminar  # noqa: E402

STUDENTS = PAPERS = 1000
CHOICES = 10


def build() -> tuple[Seminar, User]:
    rng = random.Random(42)
    seminar = Seminar.objects.create(title="Bench", slug="bench", term="Bench", capacity=STUDENTS)
    instructor = User.objects.create_user(email="bench-instructor@uni.example", full_name="Instructor")
    Membership.objects.create(user=instructor, seminar=seminar, role=Membership.Role.INSTRUCTOR)
    users = User.objects.bulk_create(
        User(email=f"bench-{n}@uni.example", full_name=f"Student {n}", password="!")  # noqa: S106
        for n in range(STUDENTS)
    )
    Membership.objects.bulk_create(Membership(user=user, seminar=seminar) for user in users)
    papers = Paper.objects.bulk_create(
        Paper(seminar=seminar, title=f"Paper {n}", authors="A. Author") for n in range(PAPERS)
    )
    now = timezone.now()
    PreferenceWindow.objects.create(
        seminar=seminar, opens_at=now, closes_at=now + timezone.timedelta(days=1), max_choices=CHOICES
    )
    Preference.objects.bulk_create(
        Preference(seminar=seminar, student=user, paper=paper, rank=rank)
        for user in users
        for rank, paper in enumerate(rng.sample(papers, CHOICES), start=1)
    )
    return seminar, instructor


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        seminar, instructor = build()
        problem = allotment_problem(seminar)
        start = time.perf_counter()
        result = allot_optimal(problem, seed=1)
        algorithm_s = time.perf_counter() - start
        start = time.perf_counter()
        rsd = allot_serial_dictatorship(problem, seed=1)
        rsd_s = time.perf_counter() - start
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            run = allotment_run(seminar=seminar, mechanism="optimal", seed=1, run_by=instructor)
        service_s = time.perf_counter() - start
        assert Allotment.objects.filter(seminar=seminar).count() == STUDENTS
        print(
            json.dumps(
                {
                    "bench": "allotment",
                    "database": connection.vendor,
                    "students": STUDENTS,
                    "papers": PAPERS,
                    "choices": CHOICES,
                    "algorithm_s": round(algorithm_s, 3),
                    "service_s": round(service_s, 3),
                    "service_queries": len(queries),
                    "first_choice": result.rank_counts.get(1, 0),
                    "unranked": result.rank_counts.get("unranked", 0),
                    "summary": run.summary,
                    "rsd_s": round(rsd_s, 3),
                    "rsd_first_choice": rsd.rank_counts.get(1, 0),
                    "rsd_unranked": rsd.rank_counts.get("unranked", 0),
                }
            )
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
