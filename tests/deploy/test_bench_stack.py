"""The benches of the production stack (bench/load.py and bench/rush.py, through bench/stack.py) when the
machine lacks something, when they are interrupted and when a process of the stack dies: they say what
is missing or what died, and leave no process, temporary folder or database behind."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def stack_services():
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("the bench runs on PostgreSQL: set DATABASE_URL=postgres://...")
    if not os.environ.get("REDIS_URL", "").startswith("redis"):
        pytest.skip("the bench needs Redis: set REDIS_URL=redis://...")
    for binary in ("nginx", "openssl"):
        if shutil.which(binary) is None:
            pytest.skip(f"{binary} is not installed")


def _path_without_nginx(tmp_path: Path) -> str:
    """A PATH with openssl but without nginx."""
    programs = tmp_path / "bin"
    programs.mkdir()
    if openssl := shutil.which("openssl"):
        (programs / "openssl").symlink_to(openssl)
    return str(programs)


def _bench_databases() -> list[str]:
    connection = psycopg2.connect(os.environ["DATABASE_URL"])
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE 'bench\\_%%'")
        return [name for (name,) in cursor.fetchall()]
    finally:
        connection.close()


def _descendants(pid: int) -> dict[int, tuple[int, str]]:
    """Every living process below `pid` (whatever its process group): its parent and command line."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _alive(int(entry.name)):
            try:
                parent = int((entry / "stat").read_text().rpartition(")")[2].split()[1])
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            parents[int(entry.name)] = (parent, command)
    found, todo = {}, [pid]
    while todo:
        current = todo.pop()
        below = [child for child, (parent, _command) in parents.items() if parent == current]
        found.update((child, parents[child]) for child in below)
        todo += below
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start_bench(tmp_path: Path) -> subprocess.Popen:
    """bench/load.py with 5 users for a minute, its output in tmp_path; returns once locust drives the
    stack."""
    (tmp_path / "tmp").mkdir()
    with (tmp_path / "bench.log").open("w") as log:
        bench = subprocess.Popen(
            [sys.executable, "bench/load.py", "5", "60"],
            cwd=ROOT,
            env={**os.environ, "TMPDIR": str(tmp_path / "tmp")},
            stdout=log,
            stderr=log,
        )
    deadline = time.monotonic() + 240
    while not any("locust" in command for _parent, command in _descendants(bench.pid).values()):
        assert bench.poll() is None, _output(tmp_path)
        assert time.monotonic() < deadline, "locust did not start\n" + _output(tmp_path)
        time.sleep(0.5)
    time.sleep(3)
    return bench


def _output(tmp_path: Path) -> str:
    return (tmp_path / "bench.log").read_text(errors="replace")


@pytest.mark.parametrize("script", ["load.py", "rush.py"])
def test_bench_without_nginx_or_services_names_them_all(script, tmp_path):
    (tmp_path / "tmp").mkdir()
    env = {**os.environ, "PATH": _path_without_nginx(tmp_path), "TMPDIR": str(tmp_path / "tmp")}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)

    completed = subprocess.run(
        [sys.executable, f"bench/{script}"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )

    assert completed.returncode != 0
    assert "Traceback" not in completed.stderr
    assert f"bench/{script}: nginx is not on PATH" in completed.stderr
    assert f"bench/{script}: DATABASE_URL=postgres://" in completed.stderr
    assert f"bench/{script}: REDIS_URL=redis://" in completed.stderr
    assert list((tmp_path / "tmp").iterdir()) == []


def test_bench_without_nginx_creates_no_database(stack_services, tmp_path):
    (tmp_path / "tmp").mkdir()
    env = {**os.environ, "PATH": _path_without_nginx(tmp_path), "TMPDIR": str(tmp_path / "tmp")}
    bench = subprocess.Popen(
        [sys.executable, "bench/load.py"], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True
    )
    _stdout, stderr = bench.communicate(timeout=60)

    assert bench.returncode != 0
    assert stderr.strip().splitlines() == [
        "bench/load.py: nginx is not on PATH: apt-get install nginx-light "
        "(Debian puts it in /usr/sbin: is that on PATH?)"
    ]
    assert list((tmp_path / "tmp").iterdir()) == []
    assert f"bench_load_{bench.pid}" not in _bench_databases()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_bench_interrupted_stops_everything_it_started(stack_services, tmp_path, signum):
    bench = _start_bench(tmp_path)
    started = _descendants(bench.pid)
    commands = " ".join(command for _parent, command in started.values())
    assert _bench_databases().count(f"bench_load_{bench.pid}") == 1

    bench.send_signal(signum)
    bench.wait(timeout=90)

    assert bench.returncode == 130
    assert _output(tmp_path).strip().endswith("bench/load.py: interrupted; everything it started is stopped")
    assert all(program in commands for program in ("gunicorn", "celery", "nginx", "locust"))
    assert [command for pid, (_parent, command) in started.items() if _alive(pid)] == []
    assert f"bench_load_{bench.pid}" not in _bench_databases()
    assert list((tmp_path / "tmp").iterdir()) == []


def test_bench_whose_gunicorn_dies_says_so_and_stops_the_rest(stack_services, tmp_path):
    bench = _start_bench(tmp_path)
    started = _descendants(bench.pid)
    master = next(
        pid for pid, (parent, command) in started.items() if parent == bench.pid and "gunicorn" in command
    )

    os.kill(master, signal.SIGKILL)
    bench.wait(timeout=90)

    assert bench.returncode == 1
    assert _output(tmp_path).strip().endswith("bench/load.py: gunicorn exited with status -9")
    assert [command for pid, (_parent, command) in started.items() if _alive(pid)] == []
    assert f"bench_load_{bench.pid}" not in _bench_databases()
    assert list((tmp_path / "tmp").iterdir()) == []
