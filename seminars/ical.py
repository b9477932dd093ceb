"""RFC 5545 calendars with the icalendar library: events carry the seminar's zone (with its VTIMEZONE),
a stable UID, and a SEQUENCE that grows whenever what the event shows was changed."""

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event

SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
UID_DOMAIN = "seminar-portal"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    start: datetime
    end: datetime | None
    summary: str
    zone: str
    changed: datetime
    location: str = ""
    description: str = ""
    url: str = ""


def sequence_of(changed: datetime) -> int:
    """Seconds since 2020 of the event's last change: grows with every change, never goes back."""
    return max(0, int((changed - SEQUENCE_EPOCH).total_seconds()))


def calendar_bytes(name: str, events: list[CalendarEvent]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Seminar portal//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for item in events:
        zone = ZoneInfo(item.zone)
        event = Event()
        event.add("uid", f"{item.uid}@{UID_DOMAIN}")
        event.add("dtstamp", item.changed.astimezone(UTC))
        event.add("last-modified", item.changed.astimezone(UTC))
        event.add("sequence", sequence_of(item.changed))
        event.add("dtstart", item.start.astimezone(zone))
        if item.end is not None:
            event.add("dtend", item.end.astimezone(zone))
        event.add("summary", item.summary)
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", settings.PORTAL_URL + item.url)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
