"""The production stack on loopback for bench/load.py and bench/rush.py, and locust to drive it.

nginx (deploy/nginx with a throw-away certificate) -> gunicorn (deploy/gunicorn.conf.py, production
settings) -> a throw-away PostgreSQL database beside DATABASE_URL's, and Redis (REDIS_URL), with a
Celery worker. Every process it starts runs in a process group of its own; whatever way the bench ends
(an exception, Ctrl-C, SIGTERM, SIGHUP) every group is stopped (SIGKILL after a grace period), the
database dropped and the temporary folder removed. No Django import here: it is set up after the stack
has chosen its environment.
"""

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import psycopg2
import redis

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECRET = "bench-stack-secret-key-long-enough-for-production-checks-0123456789abcdef"  # noqa: S105 - throw-away
STOP_GRACE_SECONDS = 30


class StackError(Exception):
    """What went wrong, said so that the one running the bench knows what to do; no traceback."""


def missing(*, name: str) -> list[str]:
    """Everything the stack needs that this machine lacks, all at once."""
    problems = []
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database_url.startswith("postgres"):
        problems.append("DATABASE_URL=postgres://... (a database of yours; the bench creates one beside it)")
    else:
        try:
            psycopg2.connect(database_url, connect_timeout=3).close()
        except psycopg2.Error as error:
            problems.append(f"PostgreSQL at DATABASE_URL does not answer: {str(error).strip()}")
    if not redis_url.startswith("redis"):
        problems.append("REDIS_URL=redis://host:6379/<your db number>")
    else:
        try:
            redis.Redis.from_url(redis_url, socket_timeout=3).ping()
        except redis.RedisError as error:
            problems.append(f"Redis at REDIS_URL does not answer: {error}")
    for program, how in (
        ("nginx", "apt-get install nginx-light (Debian puts it in /usr/sbin: is that on PATH?)"),
        ("openssl", "apt-get install openssl"),
    ):
        if shutil.which(program) is None:
            problems.append(f"{program} is not on PATH: {how}")
    for program in ("gunicorn", "celery", "locust"):
        if not (BIN / program).exists():
            problems.append(f"{BIN / program} is missing: make venv (the dev extras bring locust)")
    return [f"{name}: {problem}" for problem in problems]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _interrupt(signum, _frame):
    raise KeyboardInterrupt(signal.Signals(signum).name)


class Stack:
    """`with Stack("load") as stack:` a temporary folder, a database, the processes; all gone afterwards."""

    def __init__(self, name: str):
        self.name = name
        # The bench points DATABASE_URL at the throw-away database; this one creates and drops it.
        self.admin_url = os.environ["DATABASE_URL"]
        self.processes: dict[str, subprocess.Popen] = {}
        self.database = None
        self.work = None
        self.http_port, self.https_port, self.web_port = free_port(), free_port(), free_port()
        self.base = f"https://localhost:{self.https_port}"

    def __enter__(self):
        self.previous_handlers = {
            signum: signal.signal(signum, _interrupt) for signum in (signal.SIGTERM, signal.SIGHUP)
        }
        # A program started in the background by a non-interactive shell inherits SIGINT ignored, and Python
        # then leaves it ignored: Ctrl-C (or a SIGINT from a supervisor) must still stop the stack.
        self.previous_handlers[signal.SIGINT] = signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            self._prepare()
        except BaseException:
            self.__exit__(*sys.exc_info())
            raise
        return self

    def _prepare(self) -> None:
        self.work = Path(tempfile.mkdtemp(prefix=f"bench-{self.name}-"))
        for folder in ("static", "submissions", "var/mail"):
            (self.work / folder).mkdir(parents=True)
        admin = urlparse(self.admin_url)
        self.database = f"bench_{self.name}_{os.getpid()}"
        self._admin(f"CREATE DATABASE {self.database}")
        self.env = {
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "seminar_portal.settings.production",
            "SECRET_KEY": SECRET,
            "ALLOWED_HOSTS": "localhost",
            "CSRF_TRUSTED_ORIGINS": self.base,
            "PORTAL_URL": self.base,
            "DATABASE_URL": admin._replace(path=f"/{self.database}").geturl(),
            "REDIS_URL": os.environ["REDIS_URL"],
            "EMAIL_URL": "filemail://",
            "PORTAL_VAR_DIR": str(self.work / "var"),
            "STATIC_ROOT": str(self.work / "static"),
            "SUBMISSIONS_ROOT": str(self.work / "submissions"),
            "SUBMISSIONS_X_ACCEL_PREFIX": "/protected-submissions/",
            "LOG_LEVEL": "WARNING",
        }

    def __exit__(self, kind, error, traceback):
        # Cleaning up is not interrupted by a second Ctrl-C.
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)
        try:
            try:
                if kind is not None and kind is not KeyboardInterrupt and self.processes:
                    print(self.logs(), file=sys.stderr)
                self.stop()
            finally:
                if self.database:
                    self._admin(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")
        finally:
            if self.work:
                shutil.rmtree(self.work, ignore_errors=True)
            for signum, handler in self.previous_handlers.items():
                signal.signal(signum, handler)
        if kind is KeyboardInterrupt:
            print(f"bench/{self.name}.py: interrupted; everything it started is stopped", file=sys.stderr)
        return False

    def _admin(self, statement: str) -> None:
        connection = psycopg2.connect(self.admin_url, connect_timeout=3)
        try:
            connection.autocommit = True
            connection.cursor().execute(statement)
        finally:
            connection.close()

    def start(self, label: str, argv: list[str], *, env: dict | None = None) -> subprocess.Popen:
        """One program in a new session (its own process group), its output in <label>.log."""
        with (self.work / f"{label}.log").open("wb") as log:
            process = subprocess.Popen(  # noqa: S603 - our own programs with fixed arguments
                argv, cwd=ROOT, env=env or self.env, stdout=log, stderr=log, start_new_session=True
            )
        self.processes[label] = process
        return process

    def start_portal(self, *, gunicorn_config: Path) -> None:
        """Certificate, gunicorn, a Celery worker and nginx; returns when /healthz answers through nginx."""
        from tests.deploy.test_production_stack import nginx_config

        subprocess.run(  # noqa: S603 - openssl with fixed arguments
            [shutil.which("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
            + ["-subj", "/CN=localhost", "-keyout", str(self.work / "key.pem")]
            + ["-out", str(self.work / "cert.pem")],
            check=True,
            capture_output=True,
        )
        self.start(
            "gunicorn",
            [str(BIN / "gunicorn"), "-c", str(gunicorn_config), "seminar_portal.wsgi"],
            env={**self.env, "GUNICORN_BIND": f"127.0.0.1:{self.web_port}"},
        )
        self.start(
            "celery", [str(BIN / "celery"), "-A", "seminar_portal", "worker", "-c", "1", "-l", "WARNING"]
        )
        config = nginx_config(
            self.work, http_port=self.http_port, https_port=self.https_port, web_port=self.web_port
        )
        self.start("nginx", [shutil.which("nginx"), "-c", str(config)])
        self.wait_until_up(timeout=60)

    def wait_until_up(self, *, timeout: float) -> None:
        context = ssl._create_unverified_context()  # noqa: S323 - our own throw-away certificate
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_running()
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", context=context, timeout=5) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise StackError(f"the stack did not answer /healthz within {timeout:.0f} s")

    def check_running(self) -> None:
        for label, process in self.processes.items():
            if label != "locust" and process.poll() is not None:
                raise StackError(f"{label} exited with status {process.returncode}")

    def run_locust(
        self, *, users: int, spawn_rate: float, seconds: int, classes: list[str], plan: Path
    ) -> Path:
        """Headless locust with bench/locustfile.py; returns its figures (JSON). Fails if the stack dies."""
        figures = self.work / "figures.json"
        process = self.start(
            "locust",
            [str(BIN / "locust"), "-f", str(ROOT / "bench/locustfile.py"), "--headless"]
            + ["-u", str(users), "-r", str(spawn_rate), "-t", f"{seconds}s", "--host", self.base]
            + ["--only-summary", "--loglevel", "WARNING", *classes],
            env={**os.environ, "LOAD_PLAN": str(plan), "LOAD_FIGURES": str(figures)},
        )
        deadline = time.monotonic() + seconds + 120
        while process.poll() is None:
            self.check_running()
            if time.monotonic() > deadline:
                raise StackError(f"locust did not end within {seconds + 120} s")
            time.sleep(1)
        if not figures.exists():
            raise StackError(f"locust exited with status {process.returncode} and wrote no figures")
        return figures

    def cpu_seconds(self, label: str) -> float:
        """CPU time of a program and its child processes, the ones that ended (and were reaped) included:
        unlike a response time, it hardly changes with what else runs on the machine."""
        leader = self.processes[label].pid
        children = Path(f"/proc/{leader}/task/{leader}/children").read_text().split()
        ticks = _cpu_ticks(leader, with_reaped_children=True) + sum(_cpu_ticks(int(pid)) for pid in children)
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        """SIGTERM to every process group, SIGKILL to those still there after the grace period."""
        for process in self.processes.values():
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process in self.processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            # The leader may be gone while its children (workers) are not: the group is what counts.
            while _group_alive(process) and time.monotonic() < deadline:
                time.sleep(0.1)
            _signal_group(process, signal.SIGKILL)
            process.wait()
        self.processes.clear()

    def request_times(self, request: str) -> dict:
        """p50 and p95 of the requests whose line matches `request` (a regular expression) and were
        answered with 200 or 302, from the access logs: nginx's whole time (rt), gunicorn's part as nginx saw
        it (urt: the wait for a free worker and the work) and the worker's own time."""
        nginx = re.findall(
            rf'"{request}[^"]*" (?:200|302) .* rt=([\d.]+) urt=([\d.]+)$', self.log("nginx-access"), re.M
        )
        worker = re.findall(rf'"{request}[^"]*" (?:200|302) .* (\d+)ms$', self.log("gunicorn"), re.M)
        return {
            "nginx_rt": _percentiles([float(rt) * 1000 for rt, _urt in nginx]),
            "nginx_urt": _percentiles([float(urt) * 1000 for _rt, urt in nginx]),
            "worker": _percentiles([float(ms) for ms in worker]),
        }

    def locust_overloaded(self) -> bool:
        """locust warns when its own process is short of CPU: its response times then include its delay."""
        return "CPU usage above" in self.log("locust")

    def logs(self, *, tail: int = 3000) -> str:
        files = sorted(self.work.glob("*.log"))
        return "\n".join(f"--- {path.name}\n{path.read_text(errors='replace')[-tail:]}" for path in files)

    def log(self, label: str) -> str:
        return (self.work / f"{label}.log").read_text(errors="replace")


def _cpu_ticks(pid: int, *, with_reaped_children: bool = False) -> int:
    """utime + stime (and cutime + cstime) from /proc/<pid>/stat, in clock ticks."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return sum(int(value) for value in fields[11 : 15 if with_reaped_children else 13])


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def _group_alive(process: subprocess.Popen) -> bool:
    try:
        os.killpg(process.pid, 0)
    except ProcessLookupError:
        return False
    return True


def page_figures(figures: Path) -> tuple[dict, dict]:
    """Per request name and over all: requests, errors, p50_ms, p95_ms, rps, from what locust counted
    until it ended (bench/locustfile.py writes it then; locust's own CSV files lag up to a second)."""
    entries = json.loads(figures.read_text())["stats"]
    if not entries:
        return {}, {}
    seconds = max(entry["last_request_timestamp"] or 0 for entry in entries) - min(
        entry["start_time"] for entry in entries
    )
    pages = {}
    for entry in entries:
        times = {int(key): count for key, count in entry["response_times"].items()}
        pages[entry["name"]] = {
            "requests": entry["num_requests"],
            "errors": entry["num_failures"],
            "p50_ms": _percentile(times, entry["num_requests"], 0.50),
            "p95_ms": _percentile(times, entry["num_requests"], 0.95),
            "rps": round(entry["num_requests"] / max(seconds, 1), 1),
        }
    totals = {
        "requests": sum(page["requests"] for page in pages.values()),
        "errors": sum(page["errors"] for page in pages.values()),
    }
    return dict(sorted(pages.items())), totals


def _percentile(response_times: dict[int, int], count: int, share: float) -> float:
    """locust's percentile (calculate_response_time_percentile): the time within which `share` of the
    requests finished, over its rounded times. Importing locust here would monkey-patch this process."""
    within = int(count * share)
    seen = 0
    for time_ms in sorted(response_times, reverse=True):
        seen += response_times[time_ms]
        if count - seen <= within:
            return float(time_ms)
    return 0.0


def _percentiles(values: list[float]) -> dict:
    """p50 and p95 (nearest rank) in milliseconds."""
    ordered = sorted(values)
    if not ordered:
        return {"p50_ms": None, "p95_ms": None}
    return {
        f"p{share}_ms": round(ordered[max(0, -(-share * len(ordered) // 100) - 1)], 1) for share in (50, 95)
    }


def failures(figures: Path) -> str:
    """Each error locust saw, how often and where; empty if none."""
    errors = json.loads(figures.read_text())["errors"].values()
    return "\n".join(
        f"{error['occurrences']:6} x {error['method']} {error['name']}: {error['error']}" for error in errors
    )


def print_pages(pages: dict) -> None:
    for name, entry in pages.items():
        print(
            f"{name:40} {entry['requests']:7} req {entry['errors']:4} err  p50 {entry['p50_ms']:6.0f} ms  "
            f"p95 {entry['p95_ms']:6.0f} ms  {entry['rps']:7.1f}/s"
        )
