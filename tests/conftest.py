import uuid

import pytest
from django.utils import translation

from seminars.demo import demo_load


@pytest.fixture(autouse=True)
def _fresh_cache_keys(settings):
    """Each test counts allauth's rate limits from zero, also on a Redis shared with other runs."""
    caches = {alias: dict(config) for alias, config in settings.CACHES.items()}
    for config in caches.values():
        config["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = caches


@pytest.fixture
def demo_seminar(db):
    return demo_load()


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English. A request in German leaves German active in the thread after it;
    the override puts back whatever was active before, so no test passes its language on to the next."""
    with translation.override("en"):
        yield
