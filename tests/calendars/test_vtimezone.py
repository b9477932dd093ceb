"""The VTIMEZONE of the feeds (seminars/vtimezone.py): the tz database's current rule as STANDARD and
DAYLIGHT with an RRULE, each observance starting at the local time before its change, never a list of
RDATEs. Tables for the kinds of zones (Berlin from either kind of TZif file, no DST, southern hemisphere,
negative DST, rules whose time moves the change to another day or month, a rule changed in the window);
properties against zoneinfo for every zone and for generated POSIX rules, the VTIMEZONE read back by
dateutil (through icalendar); and ical.js reading an event around every change of every zone."""

import importlib.resources
import io
import struct
import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Timezone

from core.ical import CalendarEvent, calendar_ical, vtimezone, vtimezone_component
from core.vtimezone import (
    Observance,
    PosixRule,
    YearlyChange,
    ZoneType,
    observances,
    parse_posix,
    parse_tzif,
    tzif_bytes,
    zone_tzif,
)
from tests.calendars.icaljs import icaljs_events, utc_iso

ZONES = sorted(zoneinfo.available_timezones())
HOUR = timedelta(hours=1)


def at(year: int, month: int = 1, day: int = 1, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def hours(value: float) -> timedelta:
    return timedelta(hours=value)


def yearly(month: int, byday: str, monthdays: list[int] | None = None) -> dict:
    rule = {"FREQ": "YEARLY", "BYMONTH": month, "BYDAY": byday}
    if monthdays is not None:
        rule["BYMONTHDAY"] = monthdays
    return rule


def tzif_file(footer: str, types=((-10800, False, "STD"),)) -> bytes:
    """A TZif (version 2) file with no changes in its table: the POSIX TZ string says everything."""
    names, indices = b"", []
    for _offset, _dst, name in types:
        indices.append(len(names))
        names += name.encode() + b"\0"

    def block() -> bytes:
        counts = struct.pack(">6l", 0, 0, 0, 0, len(types), len(names))
        kinds = b"".join(
            struct.pack(">lBB", offset, dst, index)
            for (offset, dst, _n), index in zip(types, indices, strict=True)
        )
        return counts + kinds + names

    header = b"TZif2" + bytes(15)
    return header + block() + header + block() + b"\n" + footer.encode() + b"\n"


def read_back(component: Timezone):
    """The written VTIMEZONE as dateutil reads it (icalendar's to_tz without looking the TZID up)."""
    return Timezone.from_ical(component.to_ical()).to_tz(lookup_tzid=False)


def offset_read_back(reader, wall: datetime) -> timedelta:
    return wall.replace(tzinfo=None).replace(tzinfo=reader).utcoffset()


def calendar_file(name: str, events: list[CalendarEvent]) -> bytes:
    """What calendar_bytes writes, without the database that numbers the events."""
    return calendar_ical(name, events, {event.uid: 0 for event in events})


def is_ambiguous(wall: datetime) -> bool:
    return wall.utcoffset() != wall.replace(fold=1 - wall.fold).utcoffset()


# --- what is written ---------------------------------------------------------------------------------------


def tzdata_package_file(key: str) -> bytes:
    return importlib.resources.files("tzdata.zoneinfo").joinpath(*key.split("/")).read_bytes()


@pytest.mark.parametrize(
    "source", [tzif_bytes, tzdata_package_file], ids=["zoneinfo's file", "tzdata's file"]
)
def test_observances_of_berlin_are_the_eu_rule_since_1996(source):
    found = observances(parse_tzif(source("Europe/Berlin")), at(2027), at(2027, 12, 31))

    assert found == [
        Observance(True, datetime(1996, 3, 31, 2, 0), hours(1), hours(2), "CEST", yearly(3, "-1SU")),
        Observance(False, datetime(1996, 10, 27, 3, 0), hours(2), hours(1), "CET", yearly(10, "-1SU")),
    ]


def test_vtimezone_of_berlin_starts_summer_time_at_two_and_has_no_rdate():
    text = vtimezone("Europe/Berlin", at(2027), at(2027, 12, 31)).to_ical().decode()

    assert "RDATE" not in text
    daylight = text[text.index("BEGIN:DAYLIGHT") : text.index("END:DAYLIGHT")]
    standard = text[text.index("BEGIN:STANDARD") : text.index("END:STANDARD")]
    assert daylight.split("\r\n")[1:-1] == [
        "DTSTART:19960331T020000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
        "TZNAME:CEST",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
    ]
    assert standard.split("\r\n")[1:3] == [
        "DTSTART:19961027T030000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
    ]


@pytest.mark.parametrize("key", ["Asia/Tokyo", "Asia/Kolkata", "UTC", "Etc/GMT+5", "Africa/Abidjan"])
def test_zone_without_dst_is_one_standard(key):
    found = observances(zone_tzif(key), at(2027), at(2027, 12, 31))

    offset = datetime(2027, 6, 1, tzinfo=zoneinfo.ZoneInfo(key)).utcoffset()
    assert len(found) == 1
    assert (found[0].daylight, found[0].offset_from, found[0].offset_to, found[0].rrule) == (
        False,
        offset,
        offset,
        None,
    )
    assert found[0].start <= datetime(2026, 1, 1)


def test_southern_hemisphere_summer_time_starts_in_october():
    found = observances(zone_tzif("Australia/Sydney"), at(2027), at(2027, 12, 31))

    assert [(item.daylight, item.start, item.offset_from, item.offset_to, item.rrule) for item in found] == [
        (True, datetime(2008, 10, 5, 2), hours(10), hours(11), yearly(10, "1SU")),
        (False, datetime(2008, 4, 6, 3), hours(11), hours(10), yearly(4, "1SU")),
    ]


def test_negative_dst_of_dublin_calls_the_summer_offset_daylight():
    """Dublin's standard time is its summer time (IST-1GMT0): calendar programs call +01 DAYLIGHT."""
    found = observances(zone_tzif("Europe/Dublin"), at(2027), at(2027, 12, 31))

    assert sorted((item.name, item.daylight, item.offset_to) for item in found) == [
        ("GMT", False, hours(0)),
        ("IST", True, hours(1)),
    ]


@pytest.mark.parametrize(
    ("footer", "rules"),
    [
        pytest.param("CET-1CEST,M3.5.0,M10.5.0/3", [yearly(3, "-1SU"), yearly(10, "-1SU")], id="EU"),
        pytest.param("EST5EDT,M3.2.0,M11.1.0", [yearly(3, "2SU"), yearly(11, "1SU")], id="USA"),
        pytest.param(
            "IST-2IDT,M3.4.4/26,M10.5.0",
            [yearly(3, "FR", [23, 24, 25, 26, 27, 28, 29]), yearly(10, "-1SU")],
            id="Israel: Friday after the fourth Thursday",
        ),
        pytest.param(
            "EET-2EEST,M4.5.5/0,M10.5.4/24",
            [yearly(4, "-1FR"), yearly(10, "FR", [26, 27, 28, 29, 30, 31]), yearly(11, "FR", [1])],
            id="Egypt: the day after the last Thursday, sometimes 1 November",
        ),
        pytest.param(
            "<-02>2<-01>,M3.5.0/-1,M10.5.0/0",
            [yearly(3, "SA", [24, 25, 26, 27, 28, 29, 30]), yearly(10, "-1SU")],
            id="Greenland: 23:00 the Saturday before",
        ),
        pytest.param(
            "<-04>4<-03>,M9.1.6/24,M4.1.6/24",
            [yearly(9, "SU", [2, 3, 4, 5, 6, 7, 8]), yearly(4, "SU", [2, 3, 4, 5, 6, 7, 8])],
            id="Chile: 24:00 on the first Saturday",
        ),
        pytest.param(
            "EET-2EEST,M3.4.4/50,M10.4.4/50",
            [yearly(3, "SA", [24, 25, 26, 27, 28, 29, 30]), yearly(10, "SA", [24, 25, 26, 27, 28, 29, 30])],
            id="Palestine: 50 hours after the fourth Thursday",
        ),
        pytest.param(
            "XXX3YYY,M3.1.0/-1,M11.1.0",
            [yearly(2, "SA", [-1]), yearly(3, "SA", [1, 2, 3, 4, 5, 6]), yearly(11, "1SU")],
            id="into February, counted from its end",
        ),
        pytest.param(
            "XXX3YYY,M2.5.0/-24,M10.1.0",
            [yearly(2, "SA", [-8, -7, -6, -5, -4, -3, -2]), yearly(10, "1SU")],
            id="February's last week",
        ),
    ],
)
def test_rrules_of_posix_rules(footer, rules):
    found = observances(parse_tzif(tzif_file(footer)), at(2027), at(2027, 12, 31))

    assert [item.rrule for item in found] == rules


@pytest.mark.parametrize(
    "footer", ["XXX3YYY,M2.4.0/48,M10.1.0", "XXX3YYY,J60/-30,J300/100", "XXX3YYY,59,300"]
)
def test_rule_no_rrule_can_say_is_each_change_in_the_window(footer):
    """29 February may or may not lie between: only a list of dates says it, one observance each."""
    found = observances(parse_tzif(tzif_file(footer)), at(2027, 5), at(2029, 5))

    assert all(item.rrule is None for item in found)
    assert 4 <= len(found) <= 10


def test_zone_whose_rule_changed_in_the_window_has_each_change_then_none():
    """Mexico ended summer time in October 2022."""
    found = observances(zone_tzif("America/Mexico_City"), at(2022, 2), at(2023, 6))

    assert [(item.start, item.offset_from, item.offset_to, item.rrule) for item in found] == [
        (datetime(2021, 10, 31, 1), hours(-6), hours(-6), None),
        (datetime(2022, 4, 3, 2), hours(-6), hours(-5), None),
        (datetime(2022, 10, 30, 2), hours(-5), hours(-6), None),
    ]


def test_zone_with_changes_no_rule_makes_has_only_those_of_the_window():
    """Morocco leaves +01 during Ramadan: dates the tz database lists, not a rule."""
    found = observances(zone_tzif("Africa/Casablanca"), at(2027), at(2027, 12, 31))

    assert [(item.start, item.offset_to) for item in found] == [
        (datetime(2026, 3, 22, 3), hours(1)),
        (datetime(2027, 2, 7, 3), hours(0)),
        (datetime(2027, 3, 14, 2), hours(1)),
    ]


@pytest.mark.parametrize(
    ("utc", "offset"),
    [
        (at(2027, 3, 1, 4, 59), hours(-3)),
        (at(2027, 3, 1, 5), hours(-2)),
        (at(2027, 10, 28, 3, 59), hours(-2)),
        (at(2027, 10, 28, 4), hours(-3)),
        (at(2028, 2, 29, 4, 59), hours(-3)),
        (at(2028, 2, 29, 5), hours(-2)),
    ],
)
def test_zero_based_day_of_the_year_counts_29_february(utc, offset):
    """XXX3YYY,59,300: day 59 is 1 March, in leap years 29 February (as glibc reads TZ=XXX3YYY,59,300)."""
    component = vtimezone_component(
        "Test/Zone", observances(parse_tzif(tzif_file("XXX3YYY,59,300")), at(2027), at(2028, 12, 31))
    )

    assert utc.astimezone(read_back(component)).utcoffset() == offset


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        (
            "CET-1CEST,M3.5.0,M10.5.0/3",
            PosixRule(
                ZoneType(3600, False, "CET"),
                ZoneType(7200, True, "CEST"),
                YearlyChange("M", month=3, week=5, weekday=0, time=7200),
                YearlyChange("M", month=10, week=5, weekday=0, time=10800),
            ),
        ),
        (
            "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45",
            PosixRule(
                ZoneType(45900, False, "+1245"),
                ZoneType(49500, True, "+1345"),
                YearlyChange("M", month=9, week=5, weekday=0, time=9900),
                YearlyChange("M", month=4, week=1, weekday=0, time=13500),
            ),
        ),
        (
            "<-02>2<-01>,M3.5.0/-1,J300/-167:30",
            PosixRule(
                ZoneType(-7200, False, "-02"),
                ZoneType(-3600, True, "-01"),
                YearlyChange("M", month=3, week=5, weekday=0, time=-3600),
                YearlyChange("J", day=300, time=-(167 * 3600 + 1800)),
            ),
        ),
        ("JST-9", PosixRule(ZoneType(32400, False, "JST"))),
        ("<-03>3", PosixRule(ZoneType(-10800, False, "-03"))),
        (
            "AAA5BBB,59,300",
            PosixRule(
                ZoneType(-18000, False, "AAA"),
                ZoneType(-14400, True, "BBB"),
                YearlyChange("n", day=59),
                YearlyChange("n", day=300),
            ),
        ),
    ],
)
def test_parse_posix(text, rule):
    assert parse_posix(text) == rule


@pytest.mark.parametrize("text", ["", "CET", "CET-1CEST", "CET-1CEST,M3.5.0", "Europe/Berlin"])
def test_parse_posix_refuses_what_is_no_posix_tz(text):
    with pytest.raises(ValueError, match="not a POSIX TZ"):
        parse_posix(text)


@pytest.mark.parametrize("key", ["../../etc/passwd", "/etc/passwd", "Europe/Nowhere"])
def test_tzif_bytes_reads_only_zones(key):
    with pytest.raises((ValueError, zoneinfo.ZoneInfoNotFoundError)):
        tzif_bytes(key)


# --- properties: every instant gets zoneinfo's offset ---------------------------------------------------


windows = st.tuples(
    st.datetimes(datetime(1995, 1, 1), datetime(2055, 1, 1), timezones=st.just(UTC)),
    st.timedeltas(timedelta(0), timedelta(days=5 * 366)),
    st.floats(0, 1),
)


@settings(max_examples=400)
@given(key=st.sampled_from(ZONES), window=windows)
def test_every_zone_gives_every_instant_of_the_window_zoneinfos_offset(key, window):
    first, span, where = window
    instant = first + span * where
    wall = instant.astimezone(zoneinfo.ZoneInfo(key))
    assume(not is_ambiguous(wall))

    component = vtimezone(key, first, first + span)

    assert "RDATE" not in component.to_ical().decode()
    assert offset_read_back(read_back(component), wall) == wall.utcoffset()


def posix_offset(seconds: int) -> str:
    sign = "-" if seconds > 0 else ""
    seconds = abs(seconds)
    return f"{sign}{seconds // 3600}:{seconds // 60 % 60:02d}"


def posix_time(seconds: int) -> str:
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    return f"{sign}{seconds // 3600}:{seconds // 60 % 60:02d}"


# Not the zero-based day form ("59"): zoneinfo counts it one day early (it takes 0 for 31 December);
# test_zero_based_day_of_the_year_counts_29_february checks it against glibc's reading instead.
days_of_the_rule = st.one_of(
    st.builds(
        lambda month, week, weekday: f"M{month}.{week}.{weekday}",
        st.integers(1, 12),
        st.integers(1, 5),
        st.integers(0, 6),
    ),
    st.integers(1, 365).map(lambda day: f"J{day}"),
)
times_of_the_rule = st.integers(-167 * 4, 167 * 4).map(lambda quarters: quarters * 900)


@st.composite
def posix_rules(draw) -> str:
    standard = draw(st.integers(-12 * 4, 14 * 4)) * 900
    summer = standard + draw(st.sampled_from([3600, 1800, 7200, -3600]))
    start, end = draw(days_of_the_rule), draw(days_of_the_rule)
    start_time, end_time = draw(times_of_the_rule), draw(times_of_the_rule)
    return (
        f"<S>{posix_offset(standard)}<D>{posix_offset(summer)},"
        f"{start}/{posix_time(start_time)},{end}/{posix_time(end_time)}"
    )


def like_a_zone(rule: PosixRule, years: range) -> bool:
    """Real rules keep months between their changes and none near New Year (where zoneinfo contradicts
    itself: for a change at 00:00 on 1 January it gives a local time with the other offset)."""
    for year in years:
        start, end = rule.start.local(year), rule.end.local(year)
        if not 30 <= abs((start - end).days) <= 335:
            return False
        if any(not 7 < change.timetuple().tm_yday < 358 for change in (start, end)):
            return False
    return True


@settings(suppress_health_check=[HealthCheck.filter_too_much])
@given(footer=posix_rules(), window=windows)
def test_every_posix_rule_gives_every_instant_zoneinfos_offset(footer, window):
    first, span, where = window
    rule = parse_posix(footer)
    assume(like_a_zone(rule, range(first.year - 1, (first + span).year + 2)))
    data = tzif_file(footer, types=((rule.std.offset, False, "S"),))
    reference = zoneinfo.ZoneInfo.from_file(io.BytesIO(data), key="Test/Zone")
    instant = first + span * where
    wall = instant.astimezone(reference)
    assume(not is_ambiguous(wall))

    component = vtimezone_component("Test/Zone", observances(parse_tzif(data), first, first + span))

    assert offset_read_back(read_back(component), wall) == wall.utcoffset()


# --- ical.js ----------------------------------------------------------------------------------------------


def test_icaljs_reads_an_event_around_every_change_of_every_zone():
    """Each zone's changes from 2022 to 2030 (the tz database's current rules, and the changes of zones
    that changed their rule since), read by ical.js: an event from a minute before each change to a
    minute after it (when clocks go back, both in the hour that happens twice), and one from January to
    July of each year, keep their UTC instants."""
    first, last = at(2022), at(2030, 12, 31)
    events = []
    for key in ZONES:
        tzif = zone_tzif(key)
        rule = parse_posix(tzif.footer)
        changes = {change.instant for change in tzif.changes} | {
            change.instant for change in rule.changes(range(first.year, last.year + 1))
        }
        pairs = [(at(year, 1, 15, 12), at(year, 7, 15, 12)) for year in range(first.year, last.year + 1)]
        for instant in sorted(changes):
            moment = datetime.fromtimestamp(instant, UTC)
            if first <= moment <= last:
                pairs.append((moment - timedelta(minutes=1), moment + timedelta(minutes=1)))
        events.extend(
            CalendarEvent(f"{key}-{index}", start, end, "", key, first)
            for index, (start, end) in enumerate(pairs)
        )

    found = icaljs_events(calendar_file("Every zone", events))

    def written_in(moment: datetime, key: str) -> str:
        return "UTC" if is_ambiguous(moment.astimezone(zoneinfo.ZoneInfo(key))) else key

    wrong = [
        (item.uid, utc_iso(item.start), found[item.uid]["start"], utc_iso(item.end), found[item.uid]["end"])
        for item in events
        if (found[item.uid]["start"], found[item.uid]["end"]) != (utc_iso(item.start), utc_iso(item.end))
        or (found[item.uid]["start_zone"], found[item.uid]["end_zone"])
        != (written_in(item.start, item.zone), written_in(item.end, item.zone))
    ]
    assert len(found) == len(events) > 10 * len(ZONES)
    assert wrong == []


def test_icaljs_reads_both_times_of_the_hour_that_happens_twice():
    """02:30 on 31 October 2027 in Berlin is 00:30 UTC (summer time) and 01:30 UTC (winter time): the
    wall time names neither for every reader (RFC 5545 says the first, ical.js takes the second)."""
    times = [at(2027, 10, 31, 0, 30), at(2027, 10, 31, 1, 30), at(2027, 10, 31, 2, 30)]
    events = [
        CalendarEvent(f"e{index}", moment, None, "", "Europe/Berlin", at(2027))
        for index, moment in enumerate(times)
    ]

    body = calendar_file("Berlin", events)

    found = icaljs_events(body)
    assert [found[f"e{index}"]["start"] for index in range(3)] == [
        "2027-10-31T00:30:00.000Z",
        "2027-10-31T01:30:00.000Z",
        "2027-10-31T02:30:00.000Z",
    ]
    assert b"DTSTART:20271031T003000Z" in body
    assert b"DTSTART:20271031T013000Z" in body
    assert b"DTSTART;TZID=Europe/Berlin:20271031T033000" in body


def test_icaljs_reads_berlins_summer_and_winter_events():
    times = [at(2027, 1, 20, 13), at(2027, 4, 2, 7), at(2027, 6, 15, 21, 59), at(2027, 11, 2, 22, 59)]
    events = [
        CalendarEvent(f"e{index}", moment, None, "", "Europe/Berlin", at(2027))
        for index, moment in enumerate(times)
    ]

    found = icaljs_events(calendar_file("Berlin", events))

    assert [found[f"e{index}"]["start"] for index in range(4)] == [
        "2027-01-20T13:00:00.000Z",
        "2027-04-02T07:00:00.000Z",
        "2027-06-15T21:59:00.000Z",
        "2027-11-02T22:59:00.000Z",
    ]
    body = Calendar.from_ical(calendar_file("Berlin", events))
    assert [str(event["DTSTART"].to_ical().decode()) for event in body.walk("VEVENT")] == [
        "20270120T140000",
        "20270402T090000",
        "20270615T235900",
        "20271102T235900",
    ]
