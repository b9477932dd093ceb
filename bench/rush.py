"""A deadline rush through the production stack (bench/stack.py): 300 students each upload a 5 MB PDF at a
moment drawn at random within the same 60 seconds, through nginx (TLS) to gunicorn, PostgreSQL and Redis,
with the Celery worker sending the receipts. Each student opens the deliverable page, uploads (as the
page's upload script does) and opens the receipt, once (bench/locustfile.py, DeadlineRush).

errors counts the failed requests; uploads_missing the students without a new version in the database
afterwards (an upload answered with success must also be stored). Where an upload's time goes, from the
access logs: nginx's whole request time (rt), gunicorn's part as nginx saw it (urt: waiting for a free
worker plus the work) and the worker's own time.

Needs what bench/load.py needs (DATABASE_URL, REDIS_URL, nginx, openssl, locust). Prints one JSON object
as its last line: students, seconds, report_mb, errors, uploads_stored, uploads_missing, window_s, for the
upload, the deliverable page and the receipt page requests, errors, p50_ms, p95_ms, rps; upload_parts
(p50/p95 of nginx_rt, nginx_urt, worker); locust_overloaded (as in bench/load.py).
Usage: .venv/bin/python bench/rush.py [students] [seconds] [--mb MB]   (300 students, 60 s, 5 MB)
"""

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stack import ROOT, Stack, StackError, failures, missing, page_figures, print_pages  # noqa: E402


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("students", nargs="?", type=int, default=300)
    parser.add_argument("seconds", nargs="?", type=int, default=60)
    parser.add_argument("--mb", type=int, default=5, help="size of each upload")
    return parser.parse_args()


def stored_versions(since) -> tuple[int, float | None]:
    """How many students have a version received since `since`, and the seconds from first to last."""
    from django.db.models import Count, Max, Min

    from submissions.models import Submission

    rush = Submission.objects.filter(received_at__gte=since)
    figures = rush.aggregate(
        students=Count("student", distinct=True), first=Min("received_at"), last=Max("received_at")
    )
    window = (figures["last"] - figures["first"]).total_seconds() if figures["first"] else None
    return figures["students"], window


def main() -> None:
    options = arguments()
    problems = missing(name="bench/rush.py")
    if problems:
        sys.exit("\n".join(problems))
    with Stack("rush") as stack:
        os.environ.update(stack.env)
        import django

        django.setup()
        from django.db import connection
        from django.utils import timezone

        from bench.seed import build

        print(f"bench/rush.py: building the seminar in {stack.database}", file=sys.stderr)
        plan = build(stack.work, base=stack.base, report_mb=options.mb, students=options.students)
        plan.update(rush_students=options.students, rush_seconds=options.seconds)
        (stack.work / "plan.json").write_text(json.dumps(plan))
        stack.start_portal(gunicorn_config=ROOT / "deploy/gunicorn.conf.py")
        print(
            f"bench/rush.py: {options.students} students upload {options.mb} MB within {options.seconds} s",
            file=sys.stderr,
        )
        started = timezone.now()
        stats = stack.run_locust(
            users=options.students,
            spawn_rate=options.students,
            seconds=options.seconds + 300,
            classes=["DeadlineRush"],
            plan=stack.work / "plan.json",
        )
        pages, totals = page_figures(stats)
        errors = failures(stats)
        stored, window = stored_versions(started)
        connection.close()
        parts = stack.request_times(r"POST [^ ]*/upload/")
        locust_overloaded = stack.locust_overloaded()
    print_pages(pages)
    if errors:
        print(errors[:2000])
    upload = pages.get(f"upload {options.mb} MB report (rush)", {})
    print(
        json.dumps(
            {
                "students": options.students,
                "seconds": options.seconds,
                "report_mb": options.mb,
                "errors": totals.get("errors"),
                "uploads_stored": stored,
                "uploads_missing": options.students - stored,
                "window_s": round(window, 1) if window is not None else None,
                "upload": upload,
                "deliverable_page": pages.get("deliverable page (rush)", {}),
                "receipt_page": pages.get("receipt page (rush)", {}),
                "upload_parts": parts,
                "locust_overloaded": locust_overloaded,
            }
        )
    )


if __name__ == "__main__":
    try:
        main()
    except StackError as error:
        sys.exit(f"bench/rush.py: {error}")
    except KeyboardInterrupt:
        sys.exit(130)
