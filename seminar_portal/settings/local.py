"""`make run`: development on embedded defaults unless DATABASE_URL / REDIS_URL / EMAIL_URL are set."""

from .base import *  # noqa: F403

DEBUG = env.bool("DEBUG", default=True)
for _folder in (
    "mail",
    "cache",
    "media",
    *(f"celery-broker/{name}" for name in ("queue", "processed", "control")),
):
    (VAR_DIR / _folder).mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
