"""The real thing on loopback: a private Redis, an SMTP server that counts, Celery workers and beats.

Workers and beats are separate processes running the local settings against the test database (so the
tests that use them need committed data: transactional_db, PostgreSQL). Each test gets its own Redis on a
free port, so stopping it touches nothing else.
"""

import asyncio
import email
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from aiosmtpd.controller import Controller
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent.parent
CELERY = str(Path(sys.executable).parent / "celery")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class CountingSMTP:
    """aiosmtpd handler: counts accepted reminder mails by their (obligation, offset, recipient); can stall
    before each message and refuse the first messages with 421."""

    def __init__(self, *, refuse_first: int = 0, stall_seconds: float = 0.0):
        self.refuse_left = refuse_first
        self.refused = 0
        self.stall_seconds = stall_seconds
        self.accepted: list[str] = []
        self.lock = threading.Lock()
        self.mail_started = threading.Event()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802 - aiosmtpd hook
        self.mail_started.set()
        if self.stall_seconds:
            await asyncio.sleep(self.stall_seconds)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook
        with self.lock:
            if self.refuse_left > 0:
                self.refuse_left -= 1
                self.refused += 1
                return "421 4.3.0 Try again later"
            message = email.message_from_bytes(envelope.content)
            key = message.get("X-Portal-Reminder") or message.get("Subject", "")
            self.accepted.extend(f"{key}|{recipient}" for recipient in envelope.rcpt_tos)
        return "250 Message accepted for delivery"

    def counts(self) -> Counter:
        with self.lock:
            return Counter(self.accepted)


class Stack:
    """Redis, SMTP, and any number of Celery workers and beats, all stopped by `close`."""

    def __init__(self, tmp_path: Path, smtp: CountingSMTP):
        self.tmp_path = tmp_path
        self.smtp = smtp
        self.redis_port = free_port()
        self.smtp_port = free_port()
        self.redis: subprocess.Popen | None = None
        self.processes: list[subprocess.Popen] = []
        self.controller = Controller(smtp, hostname="127.0.0.1", port=self.smtp_port)
        self.controller.start()
        database = connection.settings_dict
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "seminar_portal.settings.local",
            "DEBUG": "false",
            "PORTAL_VAR_DIR": str(tmp_path / "var"),
            "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
            "CONN_MAX_AGE": "0",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp_port}",
            "EMAIL_TIMEOUT": "10",
            "REMINDER_SCAN_SECONDS": "1",
            "REMINDER_REENQUEUE_SECONDS": "4",
            "REMINDER_RETRY_BASE_SECONDS": "0.3",
            "REMINDER_RETRY_CAP_SECONDS": "2",
            "OUTBOX_FLUSH_SECONDS": "1",
            "CELERY_VISIBILITY_TIMEOUT": "4",
            "LOG_LEVEL": "WARNING",
        }

    def start_redis(self) -> None:
        self.redis = subprocess.Popen(  # noqa: S603 - Debian's redis-server, fixed arguments
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.redis_port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop_redis(self) -> None:
        if self.redis is not None:
            self.redis.terminate()
            self.redis.wait(timeout=10)
            self.redis = None

    def _start(self, arguments: list[str], name: str) -> subprocess.Popen:
        log = (self.tmp_path / f"{name}.log").open("wb")
        process = subprocess.Popen(  # noqa: S603 - our own celery, fixed arguments
            [CELERY, "-A", "seminar_portal", *arguments], cwd=ROOT, env=self.env, stdout=log, stderr=log
        )
        self.processes.append(process)
        return process

    def start_worker(self, name: str) -> subprocess.Popen:
        return self._start(
            [
                "worker",
                "--pool=solo",
                "-n",
                f"{name}@%h",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "INFO",
            ],
            name,
        )

    def start_beat(self, name: str) -> subprocess.Popen:
        return self._start(
            ["beat", "-l", "INFO", "--schedule", str(self.tmp_path / f"{name}-schedule")], name
        )

    def kill(self, process: subprocess.Popen) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-4000:]}"
            for path in sorted(self.tmp_path.glob("*.log"))
        )

    def close(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        self.stop_redis()
        self.controller.stop()


def wait_until(condition, *, timeout: float, message: str, stable_for: float = 0.0) -> None:
    """Waits until condition() is true (and stays true for `stable_for` seconds)."""
    deadline = time.monotonic() + timeout
    held_since = None
    while time.monotonic() < deadline:
        if condition():
            held_since = held_since or time.monotonic()
            if time.monotonic() - held_since >= stable_for:
                return
        else:
            held_since = None
        time.sleep(0.2)
    raise AssertionError(message)
