"""Reads calendar files with Mozilla's ical.js under Node, as Thunderbird and Nextcloud Calendar read them
(tests/calendars/icaljs_events.mjs; ical.js comes from package-lock.json through `npm ci`, which
`make test` runs)."""

import json
import os
import shutil
import subprocess
from datetime import UTC
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("icaljs_events.mjs")


def icaljs_events(body: bytes) -> dict[str, dict]:
    """UID (without the domain) -> what ical.js read: summary, start and end as UTC ISO, their zones,
    sequence. Missing Node or ical.js fails the test: the feeds must be checked wherever the suite runs."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing (Debian: apt-get install nodejs npm; .ci/run installs it)")
    if not (ROOT / "node_modules" / "ical.js" / "package.json").is_file():
        pytest.fail("ical.js is missing: run `npm ci` in the repository (make test does)")
    # A zone 14 hours east of UTC: a time ical.js did not resolve in the file's zone shows as wrong.
    environment = {**os.environ, "TZ": "Pacific/Kiritimati"}
    result = subprocess.run(
        [node, str(SCRIPT)], input=body, capture_output=True, env=environment, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr.decode()
    return {event["uid"].removesuffix("@seminar-portal"): event for event in json.loads(result.stdout)}


def utc_iso(moment) -> str:
    """How the script prints an instant: JavaScript's toISOString()."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
