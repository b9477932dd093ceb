"""Moving a seminar's dates to another term: pure, no database.

A copy moves every date by a whole number of days and keeps the wall-clock time in the seminar's zone: a
deadline at 10:00 in Berlin stays at 10:00 in Berlin, also when the source was in summer time (UTC+2) and
the copy is in winter time (UTC+1). So the stored UTC times differ by the days plus or minus the hour of the
DST change, and every reminder, calendar and page shows the clock time the instructor chose before."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo


def moved(when: datetime, *, days: int, zone: ZoneInfo) -> datetime:
    """`when` moved by `days` calendar days in `zone`, at the same local clock time (in UTC). A local time
    that the target day skips (the hour the clocks jump forward) comes out an hour later, as zoneinfo reads
    it; on the day the clocks go back, the earlier of the two times is taken."""
    local = when.astimezone(zone).replace(tzinfo=None) + timedelta(days=days)
    return local.replace(tzinfo=zone).astimezone(UTC)


def moved_date(day: date, *, days: int) -> date:
    return day + timedelta(days=days)


def days_between(old: datetime, new_day: date, *, zone: ZoneInfo) -> int:
    """The offset that moves `old` (a time) to the calendar day `new_day`, counted in `zone`."""
    return (new_day - old.astimezone(zone).date()).days
