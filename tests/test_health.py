"""GET /healthz for load balancers. The outage cases run the portal in a child process whose settings point
at a closed port, so nothing of ours is faked."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
CLOSED_PORT = 9

PROBE = """
import django, json
django.setup()
from django.test import Client
response = Client(HTTP_HOST="localhost").get("/healthz")
print(json.dumps({"status": response.status_code, "body": response.content.decode()}))
"""


def _probe(tmp_path, **environment):
    """Status and body of GET /healthz in a fresh process. The component not under test is the one this
    run uses: PostgreSQL / Redis when DATABASE_URL / REDIS_URL are set, else SQLite / locmem."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="seminar_portal.settings.test",
        PORTAL_VAR_DIR=str(tmp_path),
        LOG_LEVEL="CRITICAL",
        DATABASE_URL=os.environ.get("DATABASE_URL", f"sqlite:///{tmp_path / 'health.sqlite3'}"),
    )
    env.update(environment)
    completed = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    return result["status"], json.loads(result["body"])


@pytest.mark.django_db
def test_healthz_with_database_and_cache_up_returns_200(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"database": "ok", "cache": "ok", "status": "ok"}


@pytest.mark.django_db
def test_healthz_is_never_cached(client):
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_needs_no_login_and_sets_no_session(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert "sessionid" not in response.cookies


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_healthz_with_other_method_returns_405(client, method):
    response = getattr(client, method)("/healthz")

    assert response.status_code == 405
    assert response["Allow"] == "GET"


def test_healthz_in_child_process_with_everything_up_returns_200(tmp_path):
    status, body = _probe(tmp_path)

    assert status == 200
    assert body == {"database": "ok", "cache": "ok", "status": "ok"}


def test_healthz_with_database_unreachable_returns_503(tmp_path):
    status, body = _probe(tmp_path, DATABASE_URL=f"postgres://postgres@127.0.0.1:{CLOSED_PORT}/nowhere")

    assert status == 503
    assert body == {"database": "unavailable", "cache": "ok", "status": "unavailable"}


def test_healthz_with_cache_unreachable_returns_503(tmp_path):
    status, body = _probe(tmp_path, REDIS_URL=f"redis://127.0.0.1:{CLOSED_PORT}/0")

    assert status == 503
    assert body == {"database": "ok", "cache": "unavailable", "status": "unavailable"}


def test_healthz_with_database_and_cache_unreachable_names_both(tmp_path):
    status, body = _probe(
        tmp_path,
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{CLOSED_PORT}/nowhere",
        REDIS_URL=f"redis://127.0.0.1:{CLOSED_PORT}/0",
    )

    assert status == 503
    assert body == {"database": "unavailable", "cache": "unavailable", "status": "unavailable"}
