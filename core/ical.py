"""RFC 5545 calendars with the icalendar library: events carry the seminar's zone (with a VTIMEZONE that
calendar programs read right, see vtimezone.py), a stable UID, and a SEQUENCE that grows with every
significant change (RFC 5545 3.8.7.4: its start, end, place, or what the builder names in `revision`)."""

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
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
    # What else makes a change significant, the same for every viewer (a talk: presenter and paper, which
    # program.ics shows without the name); never written into the file.
    revision: str = ""


@dataclass(frozen=True)
class Revision:
    fingerprint: str
    first_sequence: int


# Numbers events: UID -> Revision in, UID -> SEQUENCE out (calendars.services.event_sequences_assign).
SequenceStore = Callable[..., dict[str, int]]
_sequence_store: SequenceStore | None = None


def register_sequence_store(store: SequenceStore) -> None:
    """The store lives in calendars (which nobody imports); it registers itself when Django starts, so
    that program.ics and the private feeds give one event one SEQUENCE."""
    global _sequence_store
    _sequence_store = store


def fingerprint(event: CalendarEvent) -> str:
    """The event's significant properties, the same for every viewer (names and language left out)."""
    parts = (
        event.start.astimezone(UTC).isoformat(),
        event.end.astimezone(UTC).isoformat() if event.end else "",
        event.location,
        event.revision,
    )
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def first_sequence(changed: datetime) -> int:
    """What feeds showed as SEQUENCE before the store numbered them: seconds since 2020 of the event's
    last change. A UID starts there, so no client sees its SEQUENCE go back (below 2**31 until 2088)."""
    return max(0, int((changed - SEQUENCE_EPOCH).total_seconds()))


def calendar_bytes(name: str, events: list[CalendarEvent]) -> bytes:
    """The calendar file, each event numbered by the registered store."""
    if _sequence_store is None:
        raise ImproperlyConfigured("No SEQUENCE store: the calendars app registers it when Django starts.")
    revisions = {event.uid: Revision(fingerprint(event), first_sequence(event.changed)) for event in events}
    sequences = _sequence_store(revisions=revisions) if revisions else {}
    return calendar_ical(name, events, sequences)


def calendar_ical(name: str, events: list[CalendarEvent], sequences: Mapping[str, int]) -> bytes:
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
        event.add("sequence", sequences[item.uid])
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
