"""When a reminder fires, pure: no database, no clock.

An offset of whole days counts calendar days in the seminar's zone ("1 day before 12:00 on the day the
clocks change" is 12:00 the day before, which may be 23 or 25 hours earlier); any other offset is exact
elapsed time. A reminder is due from its fire time until half of its lead time has passed, and never
after the deadline: a scan that was down for hours still sends the reminder that is current, but not one
that would now be misleading (the 7-day reminder of a deadline 2 days away).
"""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

DAY = 24 * 60
DEFAULT_OFFSETS = [7 * DAY, DAY, 3 * 60]
MIN_OFFSET = 5
MAX_OFFSET = 60 * DAY
MAX_OFFSETS = 6
_UNITS = {
    **dict.fromkeys(["d", "day", "days", "tag", "tage"], DAY),
    **dict.fromkeys(["h", "hour", "hours", "std", "stunde", "stunden"], 60),
    **dict.fromkeys(["m", "min", "minute", "minutes", "minuten"], 1),
}
_PART = re.compile(r"^(\d{1,5})\s*([a-z]+)$")


class OffsetError(ValueError):
    pass


def fire_at(due: datetime, offset_minutes: int, zone: ZoneInfo) -> datetime:
    if offset_minutes % DAY == 0:
        local = due.astimezone(zone).replace(tzinfo=None) - timedelta(days=offset_minutes // DAY)
        return local.replace(tzinfo=zone).astimezone(UTC)
    # In UTC: subtracting from a time in a local zone would count wall-clock time across a DST change.
    return due.astimezone(UTC) - timedelta(minutes=offset_minutes)


def is_due(now: datetime, due: datetime, offset_minutes: int, zone: ZoneInfo) -> bool:
    """True while the reminder is current: fire time <= now, more than half the lead time left, before due."""
    fire = fire_at(due, offset_minutes, zone)
    return fire <= now < due and (due - now) * 2 > (due - fire)


def is_stale(now: datetime, due: datetime, offset_minutes: int, zone: ZoneInfo) -> bool:
    """True once the reminder's time has passed for good (it is not due and its fire time is behind us)."""
    return fire_at(due, offset_minutes, zone) <= now and not is_due(now, due, offset_minutes, zone)


def parse_offsets(text: str) -> list[int]:
    """ "7d, 1d, 3h" -> [10080, 1440, 180] (minutes, largest first). Units: d, h, m (German too)."""
    offsets = set()
    for part in filter(str.strip, re.split(r"[,;]", text)):
        match = _PART.match(part.strip().lower())
        if not match or match.group(2) not in _UNITS:
            raise OffsetError(part.strip())
        minutes = int(match.group(1)) * _UNITS[match.group(2)]
        if not MIN_OFFSET <= minutes <= MAX_OFFSET:
            raise OffsetError(part.strip())
        offsets.add(minutes)
    if len(offsets) > MAX_OFFSETS:
        raise OffsetError(text)
    return sorted(offsets, reverse=True)


def format_offset(minutes: int) -> str:
    if minutes % DAY == 0:
        return f"{minutes // DAY}d"
    if minutes % 60 == 0:
        return f"{minutes // 60}h"
    return f"{minutes}m"


def format_offsets(offsets: list[int]) -> str:
    return ", ".join(format_offset(minutes) for minutes in offsets)
