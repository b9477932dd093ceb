import os
import uuid
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from demo.seminar import demo_load

# One Hypothesis profile for every property test: no deadline (two cores shared by the test processes
# make single examples slow at times), 300 examples unless a test asks for more or fewer. The fast lane
# (HYPOTHESIS_PROFILE=fast) runs 30.
hypothesis_settings.register_profile(
    "portal", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.register_profile(
    "fast", parent=hypothesis_settings.get_profile("portal"), max_examples=30
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "portal"))

TESTS = Path(__file__).resolve().parent
# Tests that start other programs: Celery workers and beats, nginx and gunicorn, an S3 server, the restore
# drill, the portal in a process of its own, LibreOffice, Node with ical.js. `make test-fast` leaves them
# out, together with the browser tests.
INTEGRATION = (
    "deploy/",
    "reminders/test_integration.py",
    "reminders/test_sqlite_default.py",
    "test_broker_stall.py",
    "grading/test_exports_libreoffice.py",
    "calendars/test_icaljs_feeds.py",
)


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = Path(str(item.fspath)).resolve().relative_to(TESTS).as_posix()
        if path.startswith("browser/"):
            item.add_marker(pytest.mark.browser)
        if path.startswith(INTEGRATION):
            item.add_marker(pytest.mark.integration)


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
