"""gunicorn for the portal: `gunicorn -c deploy/gunicorn.conf.py seminar_portal.wsgi`.

Sync workers: uploads are buffered by nginx (client_body_buffer / temp files) before they reach a worker,
so a slow phone upload never ties up a worker; each worker handles one request at a time.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A 100 MB upload arrives from nginx over loopback in well under a minute; a hung request is killed.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak can never grow without bound.
max_requests = 2000
max_requests_jitter = 200
# Only nginx on this machine talks to gunicorn; it sets X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
