"""The production settings, each run in a child process with the environment a deployment gives it."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
HOST = "portal.example.org"
DOT_ENV = BASE_DIR / ".env"

# Logs in over HTTPS as a verified user and reports what the browser would see. Only the folder that
# collectstatic writes to is moved (to a temporary one); all else is seminar_portal.settings.production.
PRODUCTION_REQUESTS = """
import json, sys
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings

with override_settings(STATIC_ROOT=sys.argv[1]):
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    from allauth.account.models import EmailAddress
    from accounts.models import User
    user = User.objects.create_user("student@example.org", "lattice-orbit-7-meadow", full_name="Ada")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    browser = Client(HTTP_HOST="portal.example.org")
    page = browser.get("/accounts/login/", secure=True)
    login = browser.post(
        "/accounts/login/",
        {"login": "student@example.org", "password": "lattice-orbit-7-meadow"},
        secure=True,
    )
    plain = Client(HTTP_HOST="portal.example.org").get("/accounts/login/")
    proxied = Client(HTTP_HOST="portal.example.org", HTTP_X_FORWARDED_PROTO="https").get("/accounts/login/")
    probe = Client(HTTP_HOST="portal.example.org").get("/healthz")

def cookie(response, name):
    morsel = response.cookies[name]
    return {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"]),
            "samesite": morsel["samesite"]}

print(json.dumps({
    "page": {"status": page.status_code, "headers": dict(page.headers), "body": page.content.decode()},
    "csrf_cookie": cookie(page, "csrftoken"),
    "login": {"status": login.status_code, "location": login.get("Location")},
    "session_cookie": cookie(login, "sessionid"),
    "plain": {"status": plain.status_code, "location": plain.get("Location")},
    "proxied": {"status": proxied.status_code},
    "probe": {"status": probe.status_code, "body": probe.content.decode()},
}))
"""


def _production_env(tmp_path, **overrides):
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "seminar_portal.settings.production",
        "PORTAL_VAR_DIR": str(tmp_path),
        "LOG_LEVEL": "CRITICAL",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
        "REDIS_URL": "redis://127.0.0.1:6379/1",
    }
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def _run(args, env):
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def _check_deploy(env):
    return _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """What one request sequence against the production settings returned."""
    tmp_path = tmp_path_factory.mktemp("production")
    env = _production_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'portal.sqlite3'}", REDIS_URL=None)
    completed = _run(["-c", PRODUCTION_REQUESTS, str(tmp_path / "staticfiles")], env)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_secret_key_of_test_is_64_characters(tmp_path):
    assert len(_production_env(tmp_path)["SECRET_KEY"]) == 64


def test_check_deploy_with_documented_environment_reports_no_issues(tmp_path):
    completed = _check_deploy(_production_env(tmp_path))

    assert completed.returncode == 0, completed.stderr
    assert "System check identified no issues" in completed.stdout


def test_check_deploy_with_hsts_preload_reports_no_issues(tmp_path):
    completed = _check_deploy(_production_env(tmp_path, SECURE_HSTS_PRELOAD="true"))

    assert completed.returncode == 0, completed.stderr
    assert "System check identified no issues" in completed.stdout


def test_check_deploy_with_short_secret_key_fails(tmp_path):
    completed = _check_deploy(_production_env(tmp_path, SECURE_HSTS_PRELOAD="true", SECRET_KEY="short"))

    assert completed.returncode != 0
    assert "security.W009" in completed.stderr


@pytest.mark.skipif(DOT_ENV.exists(), reason="a local .env supplies the variable this test leaves out")
def test_production_settings_without_secret_key_refuse_to_start(tmp_path):
    completed = _run(["manage.py", "check"], _production_env(tmp_path, SECRET_KEY=None))

    assert completed.returncode != 0
    assert "ImproperlyConfigured" in completed.stderr
    assert "SECRET_KEY" in completed.stderr


@pytest.mark.skipif(DOT_ENV.exists(), reason="a local .env supplies the variable this test leaves out")
def test_production_settings_without_allowed_hosts_refuse_to_start(tmp_path):
    completed = _run(["manage.py", "check"], _production_env(tmp_path, ALLOWED_HOSTS=None))

    assert completed.returncode != 0
    assert "ImproperlyConfigured" in completed.stderr
    assert "ALLOWED_HOSTS" in completed.stderr


def test_production_settings_ignore_debug_from_environment(tmp_path):
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    completed = _run(["-c", code], _production_env(tmp_path, DEBUG="true"))

    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "False"


def test_production_login_page_renders_over_https(production):
    assert production["page"]["status"] == 200
    assert 'name="password"' in production["page"]["body"]


def test_production_response_sends_hsts_for_a_year_with_subdomains(production):
    hsts = production["page"]["headers"]["Strict-Transport-Security"]

    assert hsts == "max-age=31536000; includeSubDomains"


def test_production_response_sends_content_security_policy_without_inline_code(production):
    policy = production["page"]["headers"]["Content-Security-Policy"]
    directives = dict(directive.strip().split(" ", 1) for directive in policy.split(";"))

    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy


def test_production_response_sends_nosniff_and_frame_deny(production):
    headers = production["page"]["headers"]

    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_production_csrf_cookie_is_secure(production):
    assert production["csrf_cookie"] == {"secure": True, "httponly": False, "samesite": "Lax"}


def test_production_session_cookie_is_secure_and_httponly(production):
    assert production["login"]["status"] == 302
    assert production["session_cookie"] == {"secure": True, "httponly": True, "samesite": "Lax"}


def test_production_plain_http_redirects_to_https(production):
    assert production["plain"] == {"status": 301, "location": f"https://{HOST}/accounts/login/"}


def test_production_trusts_forwarded_proto_from_proxy(production):
    assert production["proxied"]["status"] == 200


def test_production_health_probe_over_plain_http_is_not_redirected(production):
    assert production["probe"]["status"] == 200
    assert json.loads(production["probe"]["body"])["status"] == "ok"
