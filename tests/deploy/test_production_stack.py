"""The production path on loopback: the shipped nginx site (TLS with a throw-away certificate) in front of
gunicorn with the production settings (DEBUG off) on PostgreSQL and Redis, and a Celery worker.

Through nginx a student signs in, uploads a report and downloads it (the bytes come from nginx's internal
location after the portal said yes), another student gets 404, and the security headers are checked."""

import http.cookiejar
import re
import shutil
import ssl
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils import timezone

from submissions.models import Deliverable, Submission
from tests.factories import SeminarFactory, instructor_of, student_of
from tests.reminders.integration import CountingSMTP, free_port, wait_until
from tests.submissions.helpers import pdf_bytes

ROOT = Path(__file__).resolve().parent.parent.parent
PASSWORD = "production-path-password"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def requirements():
    if connection.vendor != "postgresql":
        pytest.skip("the production path runs on PostgreSQL: set DATABASE_URL=postgres://...")
    for binary in ("nginx", "openssl"):
        if shutil.which(binary) is None:
            pytest.skip(f"{binary} is not installed (.ci/run installs it)")


def nginx_config(tmp_path: Path, *, http_port: int, https_port: int, web_port: int) -> Path:
    """The shipped nginx.conf and site with this machine's ports and folders; everything else (the sizing,
    the limits, the locations) as shipped."""
    site = (ROOT / "deploy/nginx/seminar-portal.conf").read_text()
    site = _replace(site, "server 127.0.0.1:8000;", f"server 127.0.0.1:{web_port};")
    site = _replace(site, "listen 80 ", f"listen 127.0.0.1:{http_port} ")
    site = _replace(site, "listen 443 ", f"listen 127.0.0.1:{https_port} ")
    site = re.sub(r"\n *listen \[::\]:.*;", "", site)
    site = _replace(site, "portal.example.org", "localhost")
    site = _replace(site, "/etc/ssl/certs/localhost.pem", str(tmp_path / "cert.pem"))
    site = _replace(site, "/etc/ssl/private/localhost.key", str(tmp_path / "key.pem"))
    site = _replace(site, "/srv/portal/staticfiles/", f"{tmp_path / 'static'}/")
    site = _replace(site, "/srv/portal/submissions/", f"{tmp_path / 'submissions'}/")
    (tmp_path / "site.conf").write_text(site)
    main = (ROOT / "deploy/nginx/nginx.conf").read_text()
    # Root runs the tests and owns tmp_path (mode 0700): the workers run as root to read it.
    main = "daemon off;\n" + _replace(main, "user www-data;", "user root;")
    main = _replace(main, "/run/nginx.pid", str(tmp_path / "nginx.pid"))
    main = _replace(main, "/var/log/nginx/error.log", str(tmp_path / "nginx-error.log"))
    main = _replace(main, "/var/log/nginx/access.log", str(tmp_path / "nginx-access.log"))
    # Nothing of this machine's own configuration: no dynamic modules, no conf.d.
    main = _replace(main, "include /etc/nginx/modules-enabled/*.conf;\n", "")
    temporary = (
        f"    client_body_temp_path {tmp_path / 'nginx-body'};\n"
        f"    proxy_temp_path {tmp_path / 'nginx-proxy'};\n"
        f"    fastcgi_temp_path {tmp_path / 'nginx-fastcgi'};\n"
        f"    uwsgi_temp_path {tmp_path / 'nginx-uwsgi'};\n"
        f"    scgi_temp_path {tmp_path / 'nginx-scgi'};\n"
    )
    main = _replace(main, "    include /etc/nginx/conf.d/*.conf;\n", temporary)
    main = _replace(main, "include /etc/nginx/sites-enabled/*;", f"include {tmp_path / 'site.conf'};")
    (tmp_path / "nginx.conf").write_text(main)
    return tmp_path / "nginx.conf"


def _replace(text: str, old: str, new: str) -> str:
    """A change the shipped file no longer allows fails here, not as a stack that behaves differently."""
    assert old in text, f"{old!r} is no longer in the shipped nginx configuration"
    return text.replace(old, new)


class Browser:
    """Cookies, CSRF tokens from forms, Referer on every request: what a browser does, over HTTPS."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies),
            urllib.request.HTTPSHandler(context=context),
            _NoRedirect(),
        )

    def request(self, path: str, *, data: bytes | None = None, headers: dict | None = None):
        request = urllib.request.Request(  # noqa: S310 - https to our own nginx
            self.base + path, data=data, headers={"Referer": self.base + path, **(headers or {})}
        )
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        return (
            response.status,
            dict(response.headers),
            response.read(),
            response.headers.get_all("Set-Cookie") or [],
        )

    def csrf(self, path: str) -> str:
        status, _headers, body, _cookies = self.request(path)
        assert status == 200, (path, status)
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()

    def log_in(self, email: str) -> None:
        token = self.csrf("/accounts/login/")
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "login": email, "password": PASSWORD})
        status, headers, _body, _cookies = self.request(
            "/accounts/login/",
            data=form.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert status == 302, status

    def upload(self, path: str, name: str, data: bytes) -> tuple[int, dict]:
        token = self.csrf(path)
        boundary = uuid.uuid4().hex
        body = (
            (
                f"--{boundary}\r\n"
                f'Content-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                "Content-Type: application/pdf\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        status, headers, _body, _cookies = self.request(
            path + "upload/", data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )
        return status, headers


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def verified_user(user):
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    user.save(update_fields=["password"])
    return user


def test_production_stack_sign_in_upload_download_headers(requirements, tmp_path):
    seminar = SeminarFactory()
    instructor_of(seminar)
    owner = verified_user(student_of(seminar, user__email="owner@uni.example"))
    other = verified_user(student_of(seminar, user__email="other@uni.example"))
    deliverable = Deliverable.objects.create(
        seminar=seminar,
        title="Written report",
        due_at=timezone.now() + timezone.timedelta(days=3),
        allowed_types=["pdf"],
    )
    http_port, https_port, web_port = free_port(), free_port(), free_port()
    for folder in ("static", "submissions", "var", "nginx-body"):
        (tmp_path / folder).mkdir()
    subprocess.run(  # noqa: S603 - openssl with fixed arguments
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-keyout",
            str(tmp_path / "key.pem"),
            "-out",
            str(tmp_path / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    smtp = CountingSMTP()
    smtp_port = free_port()
    from aiosmtpd.controller import Controller

    controller = Controller(smtp, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    database = connection.settings_dict
    env = {
        "PATH": "/usr/bin:/bin:/usr/sbin:/sbin",
        "DJANGO_SETTINGS_MODULE": "seminar_portal.settings.production",
        "SECRET_KEY": "a-test-secret-key-that-is-long-enough-for-the-deploy-checks-0123456789",
        "ALLOWED_HOSTS": "localhost",
        # nginx passes the host without the port; the origin the browser sends names it.
        "CSRF_TRUSTED_ORIGINS": f"https://localhost:{https_port}",
        "PORTAL_URL": f"https://localhost:{https_port}",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "REDIS_URL": "redis://127.0.0.1:6379/2",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "PORTAL_VAR_DIR": str(tmp_path / "var"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "SUBMISSIONS_ROOT": str(tmp_path / "submissions"),
        "SUBMISSIONS_X_ACCEL_PREFIX": "/protected-submissions/",
        "LOG_LEVEL": "WARNING",
    }
    bin_dir = Path(sys.executable).parent
    subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    logs = (tmp_path / "processes.log").open("wb")
    processes = [
        subprocess.Popen(  # noqa: S603 - our own gunicorn
            [str(bin_dir / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "seminar_portal.wsgi"],
            cwd=ROOT,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{web_port}", "GUNICORN_WORKERS": "2"},
            stdout=logs,
            stderr=logs,
        ),
        subprocess.Popen(  # noqa: S603 - our own celery
            [str(bin_dir / "celery"), "-A", "seminar_portal", "worker", "--pool=solo", "-l", "WARNING"],
            cwd=ROOT,
            env=env,
            stdout=logs,
            stderr=logs,
        ),
        subprocess.Popen(  # noqa: S603 - Debian's nginx with our configuration
            [
                "nginx",
                "-c",
                str(nginx_config(tmp_path, http_port=http_port, https_port=https_port, web_port=web_port)),
            ],
            stdout=logs,
            stderr=logs,
        ),
    ]
    try:
        browser = Browser(f"https://localhost:{https_port}")
        wait_until(
            lambda: _answers(browser), timeout=60, message=f"the stack did not answer\n{_logs(tmp_path)}"
        )

        status, headers, _body, cookies = browser.request("/accounts/login/")
        assert status == 200
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert cookies
        assert all("Secure" in cookie for cookie in cookies)
        status, headers, _body, _cookies = browser.request("/static/css/portal.css")
        assert status == 200
        assert "max-age=2592000" in headers["Cache-Control"]

        browser.log_in(owner.email)
        assert any(cookie.name == "sessionid" and cookie.secure for cookie in browser.cookies)
        page = f"/seminars/{seminar.slug}/deliverables/{deliverable.pk}/"
        report = pdf_bytes(3)
        status, headers = browser.upload(page, "Bericht über Lernen.pdf", report)
        assert status == 302
        assert "/receipts/" in headers["Location"]
        submission = Submission.objects.get()
        assert (tmp_path / "submissions" / submission.file.name).read_bytes() == report

        status, headers, body, _cookies = browser.request(f"/submissions/{submission.pk}/download/")
        assert status == 200
        assert body == report
        assert headers["X-Served-By"] == "nginx-internal"
        assert "X-Accel-Redirect" not in headers
        assert (
            headers["Content-Disposition"] == "attachment; filename*=utf-8''Bericht%20%C3%BCber%20Lernen.pdf"
        )
        assert headers["X-Content-Type-Options"] == "nosniff"
        status, _headers, _body, _cookies = browser.request(f"/protected-submissions/{submission.file.name}")
        assert status == 404

        stranger = Browser(browser.base)
        stranger.log_in(other.email)
        status, _headers, body, _cookies = stranger.request(f"/submissions/{submission.pk}/download/")
        assert status == 404
        assert report not in body

        status, headers, _body, _cookies = Browser(f"http://localhost:{http_port}").request(
            "/accounts/login/"
        )
        assert status == 301
        assert headers["Location"].startswith("https://")

        wait_until(lambda: smtp.counts(), timeout=60, message=f"no receipt mail\n{_logs(tmp_path)}")
        assert list(smtp.counts()) == [f"[Seminar portal] Receipt: Written report, version 1|{owner.email}"]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        controller.stop()


def _answers(browser: Browser) -> bool:
    try:
        return browser.request("/healthz")[0] == 200
    except OSError:
        return False


def _logs(tmp_path: Path) -> str:
    return "\n".join(
        f"--- {name}\n{(tmp_path / name).read_text(errors='replace')[-3000:]}"
        for name in ("processes.log", "nginx-error.log")
        if (tmp_path / name).exists()
    )
