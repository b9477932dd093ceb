"""gunicorn for the portal: `gunicorn -c deploy/gunicorn.conf.py seminar_portal.wsgi`.

Sync workers: uploads are buffered by nginx (client_body_buffer / temp files) before they reach a worker,
so a slow phone upload never ties up a worker; each worker handles one request at a time and closes the
connection after it (so neither gunicorn's keepalive nor nginx's upstream keepalive would do anything).
"""

import importlib
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A 100 MB upload arrives from nginx over loopback in well under a minute; a hung request is killed.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
graceful_timeout = 30
# The master imports Django and every view once (when_ready) and each worker is a fork of it, so a worker
# that (re)starts does not spend a core on imports beside the workers that are serving: its first request
# took 515 ms here without, 130 ms with. A code update therefore needs `systemctl restart portal-web`:
# HUP starts new workers from the master's old code.
preload_app = True
# Recycle a worker now and then so that a slow leak cannot grow without bound, but rarely: a new worker
# still compiles its templates and opens its connections on its first requests. At the 50 requests a
# second per worker of bench/load.py this is about every half hour per worker (it was every 2000
# requests: a worker restarted every few seconds and the health page's p95 went from 9-15 ms to
# 537-1327 ms). The jitter keeps the workers from restarting together.
max_requests = 100_000
max_requests_jitter = 10_000
# Only nginx on this machine talks to gunicorn; it sets X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
# The default format and the milliseconds the worker spent on the request: beside nginx's urt (which
# also counts the wait for a free worker) it tells whether requests wait for workers or for the portal.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
errorlog = "-"


def when_ready(server):
    """After the app is preloaded and before the first fork: the URLconf and so every view, form and
    template tag library, which Django would otherwise import on each worker's first request."""
    if server.cfg.preload_app:
        from django.conf import settings

        importlib.import_module(settings.ROOT_URLCONF)


def pre_fork(server, worker):
    """A database connection the master opened while loading the app would be shared by every forked
    worker: one socket, two processes, and PostgreSQL sees their messages interleaved. Close it in the
    master before each fork; every worker opens its own."""
    if server.cfg.preload_app:
        from django.db import connections

        connections.close_all()
