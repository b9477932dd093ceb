"""`make test`: PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set (CI always sets them)."""

import uuid

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Each test process gets its own cache keys, so rate-limit counters never leak between runs or workers.
CACHES["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = VAR_DIR / "test-media"
STORAGES["submissions"]["OPTIONS"]["location"] = str(MEDIA_ROOT / "submissions")
# Serve static files from the source folders (no collectstatic needed for live_server browser tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
