"""A zone's VTIMEZONE the way calendar programs write it (RFC 5545 3.6.5): a STANDARD and a DAYLIGHT
observance with an RRULE for the tz database's current rule (the POSIX TZ string at the end of the TZif
file), and before the rule took over, each change of the zone as its own observance, only as far back as
the earliest event needs. Never one RDATE with many values: ical.js (Thunderbird, Nextcloud) and vobject
read only its first value.

An observance's DTSTART is the local time before its change (RFC 5545 3.8.2.4): 02:00 for Berlin's change
to summer time, 03:00 (summer time) for the change back. No database: TZif bytes (the file zoneinfo reads)
and instants in, observances out.
"""

import bisect
import functools
import importlib.resources
import re
import struct
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

DAY = 86400
WEEKDAYS = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")
# Where observances start at the latest when a rule has always applied (Thunderbird's choice too).
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class ZoneType:
    offset: int  # seconds east of UTC
    is_dst: bool
    name: str


@dataclass(frozen=True)
class Change:
    instant: int  # UTC, seconds since 1970
    before: ZoneType
    after: ZoneType


@dataclass(frozen=True)
class Tzif:
    """RFC 8536: the changes of the zone's table, the type before the first one, the POSIX TZ footer."""

    changes: tuple[Change, ...]
    initial: ZoneType
    footer: str


@dataclass(frozen=True)
class YearlyChange:
    """One of a POSIX rule's two changes: a day ("M" month.week.weekday, week 5 the last, weekday 0 Sunday;
    "J" day 1..365 never counting 29 February; "n" day 0..365) and the local time before the change, in
    seconds (RFC 8536 allows -167 to 167 hours)."""

    form: str
    month: int = 0
    week: int = 0
    weekday: int = 0
    day: int = 0
    time: int = 7200

    def local(self, year: int) -> datetime:
        if self.form == "M":
            first = date(year, self.month, 1)
            day = 1 + (self.weekday - (first.isoweekday() % 7)) % 7 + 7 * (self.week - 1)
            while day > _month_length(year, self.month):
                day -= 7
            on = date(year, self.month, day)
        elif self.form == "J":
            on = date(year, 1, 1) + timedelta(days=self.day - 1)
            if _is_leap(year) and self.day >= 60:
                on += timedelta(days=1)
        else:
            on = date(year, 1, 1) + timedelta(days=self.day)
        return datetime(on.year, on.month, on.day) + timedelta(seconds=self.time)


@dataclass(frozen=True)
class PosixRule:
    std: ZoneType
    dst: ZoneType | None = None
    start: YearlyChange | None = None  # to summer time, in standard time
    end: YearlyChange | None = None  # back, in summer time

    def yearly(self) -> list[tuple[YearlyChange, ZoneType, ZoneType]]:
        if self.dst is None:
            return []
        return [(self.start, self.std, self.dst), (self.end, self.dst, self.std)]

    def changes(self, years: range) -> list[Change]:
        found = [
            Change(_instant(when.local(year), before), before, after)
            for year in years
            for when, before, after in self.yearly()
        ]
        return sorted(found, key=lambda change: change.instant)


@dataclass(frozen=True)
class Observance:
    daylight: bool
    start: datetime  # naive local time before the change (RFC 5545 DTSTART)
    offset_from: timedelta
    offset_to: timedelta
    name: str
    rrule: dict | None = None


@functools.cache
def zone_tzif(key: str) -> Tzif:
    """The zone's tz data, read once per process (as zoneinfo caches its zones)."""
    return parse_tzif(tzif_bytes(key))


def tzif_bytes(key: str) -> bytes:
    """The file zoneinfo reads for key: the first one on zoneinfo.TZPATH, else the tzdata package's."""
    zoneinfo.ZoneInfo(key)  # refuses keys that are no zone (and paths that leave the zone folders)
    for root in zoneinfo.TZPATH:
        path = Path(root, key)
        if path.is_file():
            return path.read_bytes()
    return importlib.resources.files("tzdata.zoneinfo").joinpath(*key.split("/")).read_bytes()


def parse_tzif(data: bytes) -> Tzif:
    if data[:4] != b"TZif":
        raise ValueError("not a TZif file")
    changes, initial, end = _tzif_block(data, 0, 4)
    if data[4:5] == b"\0":
        return Tzif(changes, initial, "")
    # Version 2 and later repeat the data with 64-bit times, then the POSIX TZ string between newlines.
    changes, initial, end = _tzif_block(data, end, 8)
    return Tzif(changes, initial, data[end:].strip(b"\n").decode("ascii"))


def _tzif_block(data: bytes, at: int, time_size: int) -> tuple[tuple[Change, ...], ZoneType, int]:
    isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt = struct.unpack(">6l", data[at + 20 : at + 44])
    at += 44
    times = struct.unpack(f">{timecnt}{'q' if time_size == 8 else 'l'}", data[at : at + timecnt * time_size])
    at += timecnt * time_size
    indices = data[at : at + timecnt]
    at += timecnt
    raw = [struct.unpack(">lBB", data[at + 6 * i : at + 6 * i + 6]) for i in range(typecnt)]
    at += typecnt * 6
    chars = data[at : at + charcnt]
    at += charcnt + leapcnt * (time_size + 4) + isstdcnt + isutcnt
    types = [
        ZoneType(offset, bool(dst), chars[index : chars.index(b"\0", index)].decode("ascii"))
        for offset, dst, index in raw
    ]
    changes, before = [], types[0]
    for instant, index in zip(times, indices, strict=True):
        changes.append(Change(instant, before, types[index]))
        before = types[index]
    return tuple(changes), types[0], at


_NAME = r"<[+\-0-9A-Za-z]+>|[A-Za-z]{3,}"
_OFFSET = r"[+-]?\d{1,3}(?::\d{1,2}){0,2}"
_WHEN = r"(?:M\d{1,2}\.\d\.\d|J\d{1,3}|\d{1,3})(?:/[+-]?\d{1,3}(?::\d{1,2}){0,2})?"
_POSIX = re.compile(
    rf"(?P<std>{_NAME})(?P<std_offset>{_OFFSET})"
    rf"(?:(?P<dst>{_NAME})(?P<dst_offset>{_OFFSET})?,(?P<start>{_WHEN}),(?P<end>{_WHEN}))?"
)


def parse_posix(text: str) -> PosixRule:
    """POSIX TZ as tzdata writes it (with RFC 8536's extensions), e.g. CET-1CEST,M3.5.0,M10.5.0/3."""
    match = _POSIX.fullmatch(text)
    if match is None:
        raise ValueError(f"not a POSIX TZ string: {text!r}")
    # POSIX counts offsets west of Greenwich: CET-1 is one hour east.
    std = ZoneType(-_seconds(match["std_offset"]), False, match["std"].strip("<>"))
    if match["dst"] is None:
        return PosixRule(std)
    dst_offset = -_seconds(match["dst_offset"]) if match["dst_offset"] else std.offset + 3600
    dst = ZoneType(dst_offset, True, match["dst"].strip("<>"))
    return PosixRule(std, dst, _yearly(match["start"]), _yearly(match["end"]))


def _seconds(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    parts = [int(part) for part in text.lstrip("+-").split(":")] + [0, 0]
    return sign * (parts[0] * 3600 + parts[1] * 60 + parts[2])


def _yearly(text: str) -> YearlyChange:
    day, _slash, time = text.partition("/")
    seconds = _seconds(time) if time else 7200
    if day.startswith("M"):
        month, week, weekday = (int(part) for part in day[1:].split("."))
        return YearlyChange("M", month=month, week=week, weekday=weekday, time=seconds)
    if day.startswith("J"):
        return YearlyChange("J", day=int(day[1:]), time=seconds)
    return YearlyChange("n", day=int(day), time=seconds)


def observances(tzif: Tzif, first: datetime, last: datetime) -> list[Observance]:
    """Observances that give every instant from first to last its offset, and every instant after the
    table ends by the zone's rule."""
    rule = parse_posix(tzif.footer) if tzif.footer else PosixRule(tzif.initial)
    table = tzif.changes
    rule_begins = _rule_begins(table, rule)
    explicit = table[:rule_begins]
    window_start, window_end = int(first.timestamp()), int(last.timestamp())
    if rule_begins < len(table):
        rule_from = table[rule_begins].instant
    elif table:
        rule_from = table[-1].instant + 1
    else:
        rule_from = int(min(EARLIEST, first.replace(month=1, day=1) - timedelta(days=366)).timestamp())
    first_ruled = _first_change(rule, rule_from)
    result = []
    if first_ruled is None or window_start < first_ruled.instant:
        in_effect = bisect.bisect_right([change.instant for change in explicit], window_start) - 1
        if in_effect < 0:
            since = min(EARLIEST, first - timedelta(days=366))
            result.append(_since(tzif.initial, int(since.timestamp())))
        else:
            result.append(_since(explicit[in_effect].after, explicit[in_effect].instant))
        result.extend(_one(change) for change in explicit[in_effect + 1 :] if change.instant <= window_end)
    if first_ruled is not None and first_ruled.instant <= window_end:
        result.extend(_ruled(rule, rule_from, (window_start, window_end)))
    return result


def _rule_begins(table: tuple[Change, ...], rule: PosixRule) -> int:
    """The index from which on the table's changes are exactly the rule's (len(table) if none): each is
    one the rule makes, and the rule makes none between them. Changes that keep the offset do not count
    (zic ends "fat" files with one at 2038-01-19)."""
    begins, later = len(table), None
    for index in range(len(table) - 1, -1, -1):
        change = table[index]
        if change.before.offset == change.after.offset:
            continue
        year = _year(change.instant)
        made = {
            (made.instant, made.before.offset, made.after.offset)
            for made in rule.changes(range(year - 1, year + 2))
        }
        if (change.instant, change.before.offset, change.after.offset) not in made:
            break
        if later is not None and _first_change(rule, change.instant + 1).instant != later:
            break
        begins, later = index, change.instant
    return begins


def _first_change(rule: PosixRule, since: int) -> Change | None:
    year = _year(since)
    return next(
        (change for change in rule.changes(range(year - 1, year + 2)) if change.instant >= since), None
    )


def _since(zone_type: ZoneType, instant: int) -> Observance:
    """The observance in effect when the window opens; its TZOFFSETFROM is its own offset."""
    offset = timedelta(seconds=zone_type.offset)
    return Observance(zone_type.is_dst, _local(instant, zone_type.offset), offset, offset, zone_type.name)


def _one(change: Change) -> Observance:
    return Observance(
        change.after.is_dst,
        _local(change.instant, change.before.offset),
        timedelta(seconds=change.before.offset),
        timedelta(seconds=change.after.offset),
        change.after.name,
    )


def _ruled(rule: PosixRule, since: int, window: tuple[int, int]) -> list[Observance]:
    """The rule's two changes as RRULE observances, each starting with its first change from `since` on;
    a rule no RRULE can say (none in tzdata today) as one observance per change in the window."""
    parts = [(when, before, after, _rrule_parts(when)) for when, before, after in rule.yearly()]
    if any(found is None for *_rest, found in parts):
        first_year = max(_year(since), _year(window[0]) - 1)
        years = range(first_year, _year(window[1]) + 2)
        return [_one(change) for change in rule.changes(years) if change.instant >= since]
    larger = max(rule.std.offset, rule.dst.offset)
    result = []
    for when, before, after, found in parts:
        for month, weekday, days in found:
            local = _first_local(when, before, since, month, days)
            result.append(
                Observance(
                    after.offset == larger and before.offset < larger,
                    local,
                    timedelta(seconds=before.offset),
                    timedelta(seconds=after.offset),
                    after.name,
                    _rrule(month, weekday, days, when),
                )
            )
    return result


def _rrule_parts(when: YearlyChange) -> list[tuple[int, int, list[int]]] | None:
    """(month, weekday, days of the month) whose union is the change's day in every year, also for a
    change whose time moves it to another day (Israel: the Friday after the fourth Thursday, M3.4.4/26;
    Egypt even into the next month, M10.5.4/24). Days below zero count from the end of February, whose
    length varies. None when only a list of dates could say it."""
    if when.form != "M":
        return None
    shift = when.time // DAY
    month, length = when.month, _fixed_length(when.month)
    previous, following = month - 1 or 12, month % 12 + 1
    last_of_february = when.week == 5 and not length
    if when.week == 5:
        # Counted from the month's end (-1 its last day), in a month of fixed length from its start.
        days = [day + length + 1 if length else day for day in range(-7 + shift, shift)]
    else:
        days = list(range(7 * when.week - 6 + shift, 7 * when.week + 1 + shift))
    parts: dict[int, list[int]] = {}
    for day in days:
        if last_of_february:
            if day < -28:
                return None
            target = (month, day) if day < 0 else (following, day + 1)
        elif 1 <= day <= (length or 28):
            target = (month, day)
        elif day < 1:
            previous_length = _fixed_length(previous)
            target = (previous, day + previous_length if previous_length else day - 1)
        elif length:
            target = (following, day - length)
        else:
            return None
        parts.setdefault(target[0], []).append(target[1])
    weekday = (when.weekday + shift) % 7
    return [(part, weekday, found) for part, found in parts.items()]


def _fixed_length(month: int) -> int:
    """The month's length when it is the same in every year (0 for February)."""
    return 0 if month == 2 else _month_length(2001, month)


def _first_local(when: YearlyChange, before: ZoneType, since: int, month: int, days: list[int]) -> datetime:
    """The first change from `since` on that falls in this part (each part recurs within 28 years)."""
    from_year = _year(since) - 1
    for year in range(from_year, from_year + 30):
        local = when.local(year)
        from_end = local.day - _month_length(local.year, local.month) - 1
        in_part = local.month == month and (local.day in days or from_end in days)
        if in_part and _instant(local, before) >= since:
            return local
    raise ValueError(f"no change in {month}/{days} for {when}")


def _rrule(month: int, weekday: int, days: list[int], when: YearlyChange) -> dict:
    if when.time // DAY == 0:
        # What calendar programs write: the last or the n-th weekday of the month.
        return {
            "FREQ": "YEARLY",
            "BYMONTH": month,
            "BYDAY": f"{-1 if when.week == 5 else when.week}{WEEKDAYS[weekday]}",
        }
    return {"FREQ": "YEARLY", "BYMONTH": month, "BYDAY": WEEKDAYS[weekday], "BYMONTHDAY": days}


def _instant(local: datetime, zone_type: ZoneType) -> int:
    return int((local.replace(tzinfo=UTC) - timedelta(seconds=zone_type.offset)).timestamp())


def _local(instant: int, offset: int) -> datetime:
    return datetime.fromtimestamp(instant + offset, UTC).replace(tzinfo=None)


def _year(instant: int) -> int:
    return datetime.fromtimestamp(instant, UTC).year


def _month_length(year: int, month: int) -> int:
    return (date(year + month // 12, month % 12 + 1, 1) - date(year, month, 1)).days


def _is_leap(year: int) -> bool:
    return _month_length(year, 2) == 29
