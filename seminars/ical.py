"""RFC 5545 calendars with the icalendar library: events carry the seminar's zone (with a VTIMEZONE that
calendar programs read right, see vtimezone.py), a stable UID, and a SEQUENCE that grows whenever what the
event shows was changed."""

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from .vtimezone import Observance, observances, zone_tzif

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
    instants: dict[str, list[datetime]] = {}
    for item in events:
        instants.setdefault(item.zone, []).extend(moment for moment in (item.start, item.end) if moment)
    for zone, moments in instants.items():
        calendar.add_component(vtimezone(zone, min(moments), max(moments)))
    for item in events:
        event = Event()
        event.add("uid", f"{item.uid}@{UID_DOMAIN}")
        event.add("dtstamp", item.changed.astimezone(UTC))
        event.add("last-modified", item.changed.astimezone(UTC))
        event.add("sequence", sequence_of(item.changed))
        event.add("dtstart", *_zoned(item.start, item.zone))
        if item.end is not None:
            event.add("dtend", *_zoned(item.end, item.zone))
        event.add("summary", item.summary)
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", settings.PORTAL_URL + item.url)
        calendar.add_component(event)
    return calendar.to_ical()


def _zoned(moment: datetime, key: str) -> tuple[datetime, dict]:
    """The local time with the TZID of the VTIMEZONE written (icalendar would name an equivalent zone,
    or UTC for zones such as Africa/Abidjan). A wall time that happens twice (when clocks go back) is
    written in UTC: RFC 5545 reads it as the first, ical.js as the second."""
    local = moment.astimezone(ZoneInfo(key))
    if local.utcoffset() != local.replace(fold=1 - local.fold).utcoffset():
        return moment.astimezone(UTC), {}
    return local.replace(tzinfo=None), {"TZID": key}


def vtimezone(key: str, first: datetime, last: datetime) -> Timezone:
    """The zone's VTIMEZONE for events from first to last (vtimezone.py says how it is written)."""
    return vtimezone_component(key, observances(zone_tzif(key), first, last))


def vtimezone_component(key: str, parts: list[Observance]) -> Timezone:
    component = Timezone()
    component.add("tzid", key)
    for observance in parts:
        part = TimezoneDaylight() if observance.daylight else TimezoneStandard()
        part.add("dtstart", observance.start)
        part.add("tzoffsetfrom", observance.offset_from)
        part.add("tzoffsetto", observance.offset_to)
        part.add("tzname", observance.name)
        if observance.rrule:
            part.add("rrule", observance.rrule)
        component.add_component(part)
    return component
