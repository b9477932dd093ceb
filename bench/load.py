"""Load test of the production stack on loopback (bench/stack.py: nginx with TLS -> gunicorn with the
production settings -> PostgreSQL and Redis, a Celery worker), driven by locust (bench/locustfile.py).

Simulated students open their seminar page (their dashboard), the papers list and a deliverable page and
upload 2 MB reports; instructors open the overview and the grading sheet of a 300-student seminar; a
probe measures /healthz in the same run, beside one that asks for the dashboard as fast as it answers
(dashboard_flat_out_rps, to compare with healthz_rps).

gunicorn runs deploy/gunicorn.conf.py as shipped; `--recycle N` makes it recycle each worker after N to
N + N/10 requests and `--no-preload` makes every worker import Django itself, to compare (the shipped file
before: --recycle 2000 --no-preload). worker_restarts counts the workers gunicorn recycled during the run.

Needs DATABASE_URL (PostgreSQL: a throw-away database bench_load_<pid> is created beside it and dropped),
REDIS_URL, nginx, openssl and locust; says what is missing. Prints one JSON object as its last line:
users, seconds, requests, errors, gunicorn, worker_restarts, gunicorn_cpu_s (master and workers, the
recycled ones included) and gunicorn_cpu_ms_per_request, per page requests, errors, p50_ms, p95_ms, rps;
healthz_rps, healthz_p95_ms; get_parts (p50/p95 over every GET of nginx's rt and urt and the worker's
own time, as bench/rush.py for uploads); locust_overloaded (locust was short of CPU: its times are long).
Usage: .venv/bin/python bench/load.py [users] [seconds] [--recycle N] [--no-preload]  (200 users, 120 s)
"""

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stack import ROOT, Stack, StackError, failures, missing, page_figures, print_pages  # noqa: E402

SHIPPED_GUNICORN = ROOT / "deploy/gunicorn.conf.py"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("users", nargs="?", type=int, default=200)
    parser.add_argument("seconds", nargs="?", type=int, default=120)
    parser.add_argument("--recycle", type=int, metavar="N", help="max_requests N, max_requests_jitter N/10")
    parser.add_argument("--no-preload", action="store_true", help="preload_app = False")
    return parser.parse_args()


def gunicorn_config(work: Path, options: argparse.Namespace) -> Path:
    """The shipped file, or the shipped file with the bench's changes on top."""
    if options.recycle is None and not options.no_preload:
        return SHIPPED_GUNICORN
    changes = [f"exec(compile(open({str(SHIPPED_GUNICORN)!r}).read(), {str(SHIPPED_GUNICORN)!r}, 'exec'))"]
    if options.recycle is not None:
        changes += [f"max_requests = {options.recycle}", f"max_requests_jitter = {options.recycle // 10}"]
    if options.no_preload:
        changes.append("preload_app = False")
    config = work / "gunicorn.conf.py"
    config.write_text("\n".join(changes) + "\n")
    return config


def gunicorn_settings(config: Path) -> dict:
    values = {}
    exec(compile(config.read_text(), str(config), "exec"), values)  # noqa: S102 - our own configuration
    return {key: values[key] for key in ("workers", "max_requests", "max_requests_jitter", "preload_app")}


def main() -> None:
    options = arguments()
    problems = missing(name="bench/load.py")
    if problems:
        sys.exit("\n".join(problems))
    with Stack("load") as stack:
        os.environ.update(stack.env)
        import django

        django.setup()
        from bench.seed import build

        print(f"bench/load.py: building the seminar in {stack.database}", file=sys.stderr)
        plan = build(stack.work, base=stack.base, report_mb=2)
        (stack.work / "plan.json").write_text(json.dumps(plan))
        config = gunicorn_config(stack.work, options)
        stack.start_portal(gunicorn_config=config)
        print(f"bench/load.py: locust, {options.users} users for {options.seconds} s", file=sys.stderr)
        stats = stack.run_locust(
            users=options.users,
            spawn_rate=max(1, options.users // 10),
            seconds=options.seconds,
            classes=["Student", "Instructor", "Probe", "DashboardProbe"],
            plan=stack.work / "plan.json",
        )
        pages, totals = page_figures(stats)
        errors = failures(stats)
        settings = gunicorn_settings(config)
        restarts = stack.log("gunicorn").count("Autorestarting worker")
        cpu = stack.cpu_seconds("gunicorn")
        locust_overloaded = stack.locust_overloaded()
        times = stack.request_times("GET ")
    print_pages(pages)
    if errors:
        print(errors[:2000])
    print(
        json.dumps(
            {
                "users": options.users,
                "seconds": options.seconds,
                "requests": totals.get("requests"),
                "errors": totals.get("errors"),
                "gunicorn": settings,
                "worker_restarts": restarts,
                "gunicorn_cpu_s": round(cpu, 1),
                "gunicorn_cpu_ms_per_request": round(cpu * 1000 / max(totals.get("requests") or 0, 1), 2),
                "pages": pages,
                "healthz_rps": pages.get("healthz", {}).get("rps"),
                "healthz_p95_ms": pages.get("healthz", {}).get("p95_ms"),
                "dashboard_flat_out_rps": pages.get("student dashboard (flat out)", {}).get("rps"),
                "get_parts": times,
                "locust_overloaded": locust_overloaded,
            }
        )
    )


if __name__ == "__main__":
    try:
        main()
    except StackError as error:
        sys.exit(f"bench/load.py: {error}")
    except KeyboardInterrupt:
        sys.exit(130)
