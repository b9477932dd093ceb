"""Tests of reminders.schedule: pure, no database, no clock. Table tests pin down what a student would notice
(when each default reminder arrives, the day the clocks change, a reminder that would come too late); property
tests (hypothesis) check the window rule as a whole and that offsets survive a round trip through the form."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reminders.schedule import (
    DAY,
    DEFAULT_OFFSETS,
    MAX_OFFSET,
    MAX_OFFSETS,
    MIN_OFFSET,
    OffsetError,
    fire_at,
    format_offsets,
    is_due,
    is_stale,
    parse_offsets,
)

PROPERTY_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

BERLIN = ZoneInfo("Europe/Berlin")
DUE = datetime(2026, 12, 15, 22, 59, tzinfo=UTC)  # 23:59 in Europe/Berlin, far from any clock change
US = timedelta(microseconds=1)
HOUR = timedelta(hours=1)
WEEK, ONE_DAY, THREE_HOURS = DEFAULT_OFFSETS


def berlin(*args) -> datetime:
    """A Berlin wall-clock time as the database returns it: in UTC."""
    return datetime(*args, tzinfo=BERLIN).astimezone(UTC)


# --- strategies -------------------------------------------------------------------------------------------

zones = st.sampled_from(
    [ZoneInfo(name) for name in ["Europe/Berlin", "UTC", "America/New_York", "Australia/Lord_Howe"]]
)
dues = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC))
valid_offsets = st.integers(MIN_OFFSET, MAX_OFFSET)
day_offsets = st.integers(1, MAX_OFFSET // DAY).map(lambda days: days * DAY)
exact_offsets = valid_offsets.filter(lambda minutes: minutes % DAY != 0)
any_offsets = st.sampled_from(DEFAULT_OFFSETS) | day_offsets | valid_offsets


@st.composite
def moments(draw, offsets=any_offsets):
    """(due, offset, zone, now) with `now` anywhere from before the fire time to after the deadline, often
    within minutes of a boundary (the fire time, half the lead time left, the deadline)."""
    due, offset, zone = draw(dues), draw(offsets), draw(zones)
    fire = fire_at(due, offset, zone)
    anchor = draw(st.sampled_from([fire, due - (due - fire) / 2, due]))
    near = st.timedeltas(min_value=-timedelta(minutes=10), max_value=timedelta(minutes=10)).map(
        anchor.__add__
    )
    anywhere = st.timedeltas(min_value=-(due - fire) - 2 * HOUR, max_value=2 * HOUR).map(due.__add__)
    return due, offset, zone, draw(near | anywhere)


# --- fire_at / is_due: table ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "lead"),
    [
        pytest.param(WEEK, timedelta(days=7), id="7d"),
        pytest.param(ONE_DAY, timedelta(days=1), id="1d"),
        pytest.param(THREE_HOURS, timedelta(hours=3), id="3h"),
    ],
)
def test_is_due_default_offset_window_is_fire_time_to_half_the_lead_time_left(offset, lead):
    fire = DUE - lead
    assert fire_at(DUE, offset, BERLIN) == fire
    assert not is_due(fire - US, DUE, offset, BERLIN)
    assert is_due(fire, DUE, offset, BERLIN)
    assert is_due(DUE - lead / 2 - US, DUE, offset, BERLIN)
    assert not is_due(DUE - lead / 2, DUE, offset, BERLIN)
    assert not is_due(DUE - US, DUE, offset, BERLIN)
    assert not is_due(DUE, DUE, offset, BERLIN)
    assert not is_due(DUE + HOUR, DUE, offset, BERLIN)


@pytest.mark.parametrize("offset", DEFAULT_OFFSETS)
def test_is_stale_default_offset_from_half_the_lead_time_on(offset):
    fire = fire_at(DUE, offset, BERLIN)
    half_left = DUE - (DUE - fire) / 2
    assert not is_stale(fire - US, DUE, offset, BERLIN)
    assert not is_stale(fire, DUE, offset, BERLIN)
    assert not is_stale(half_left - US, DUE, offset, BERLIN)
    assert is_stale(half_left, DUE, offset, BERLIN)
    assert is_stale(DUE, DUE, offset, BERLIN)
    assert is_stale(DUE + 30 * timedelta(days=1), DUE, offset, BERLIN)


def test_is_due_deadline_two_days_away_skips_the_week_reminder_and_waits_for_the_day_one():
    two_days_before = DUE - timedelta(days=2)
    assert not is_due(two_days_before, DUE, WEEK, BERLIN)
    assert is_stale(two_days_before, DUE, WEEK, BERLIN)
    assert not is_due(two_days_before, DUE, ONE_DAY, BERLIN)
    assert not is_stale(two_days_before, DUE, ONE_DAY, BERLIN)
    assert not is_due(DUE - timedelta(days=1) - US, DUE, ONE_DAY, BERLIN)
    assert is_due(DUE - timedelta(days=1), DUE, ONE_DAY, BERLIN)


@pytest.mark.parametrize(
    ("due", "offset", "expected_fire", "elapsed"),
    [
        pytest.param(
            berlin(2027, 3, 28, 12, 0),
            ONE_DAY,
            datetime(2027, 3, 27, 11, 0, tzinfo=UTC),
            timedelta(hours=23),
            id="spring-forward-1d",
        ),
        pytest.param(
            berlin(2026, 10, 25, 12, 0),
            ONE_DAY,
            datetime(2026, 10, 24, 10, 0, tzinfo=UTC),
            timedelta(hours=25),
            id="fall-back-1d",
        ),
        pytest.param(
            berlin(2027, 4, 1, 12, 0),
            WEEK,
            datetime(2027, 3, 25, 11, 0, tzinfo=UTC),
            timedelta(days=7) - HOUR,
            id="week-across-spring-forward",
        ),
        pytest.param(
            berlin(2026, 10, 30, 23, 59),
            WEEK,
            datetime(2026, 10, 23, 21, 59, tzinfo=UTC),
            timedelta(days=7) + HOUR,
            id="week-across-fall-back",
        ),
        pytest.param(
            berlin(2027, 3, 28, 4, 0),
            THREE_HOURS,
            datetime(2027, 3, 27, 23, 0, tzinfo=UTC),
            timedelta(hours=3),
            id="hours-are-elapsed-time-across-spring-forward",
        ),
        pytest.param(
            berlin(2026, 10, 25, 4, 0),
            THREE_HOURS,
            datetime(2026, 10, 25, 0, 0, tzinfo=UTC),
            timedelta(hours=3),
            id="hours-are-elapsed-time-across-fall-back",
        ),
        pytest.param(
            berlin(2027, 3, 28, 12, 0),
            36 * 60,
            datetime(2027, 3, 26, 22, 0, tzinfo=UTC),
            timedelta(hours=36),
            id="36h-is-elapsed-time",
        ),
    ],
)
def test_fire_at_days_are_calendar_days_in_the_zone_and_hours_are_elapsed(
    due, offset, expected_fire, elapsed
):
    fire = fire_at(due, offset, BERLIN)
    assert fire == expected_fire
    assert due - fire == elapsed
    assert fire.utcoffset() == timedelta(0)


def test_fire_at_spring_forward_day_keeps_the_wall_clock_time():
    fire = fire_at(berlin(2027, 3, 28, 12, 0), ONE_DAY, BERLIN)
    assert fire.astimezone(BERLIN).replace(tzinfo=None) == datetime(2027, 3, 27, 12, 0)


def test_fire_at_fall_back_day_keeps_the_wall_clock_time():
    fire = fire_at(berlin(2026, 10, 25, 12, 0), ONE_DAY, BERLIN)
    assert fire.astimezone(BERLIN).replace(tzinfo=None) == datetime(2026, 10, 24, 12, 0)


def test_fire_at_hour_offsets_are_elapsed_time_whatever_zone_the_due_time_carries():
    due = datetime(2027, 3, 28, 12, 0, tzinfo=BERLIN)
    assert fire_at(due, 36 * 60, BERLIN) == datetime(2027, 3, 26, 22, 0, tzinfo=UTC)


def test_fire_at_utc_zone_days_are_exact():
    due = datetime(2027, 3, 28, 10, 0, tzinfo=UTC)
    assert due - fire_at(due, ONE_DAY, ZoneInfo("UTC")) == timedelta(days=1)


def test_is_due_spring_forward_one_day_reminder_opens_23_hours_before():
    due = berlin(2027, 3, 28, 12, 0)
    fire = datetime(2027, 3, 27, 11, 0, tzinfo=UTC)
    assert not is_due(fire - US, due, ONE_DAY, BERLIN)
    assert is_due(fire, due, ONE_DAY, BERLIN)
    # Half of 23 hours is 11.5 hours.
    assert is_due(due - timedelta(hours=11, minutes=30) - US, due, ONE_DAY, BERLIN)
    assert not is_due(due - timedelta(hours=11, minutes=30), due, ONE_DAY, BERLIN)


# --- fire_at / is_due / is_stale: properties --------------------------------------------------------------


@PROPERTY_SETTINGS
@given(moment=moments())
def test_is_due_property_window_is_fire_time_until_half_the_lead_left(moment):
    due, offset, zone, now = moment
    fire = fire_at(due, offset, zone)
    half = (due - fire) / 2
    assert is_due(now, due, offset, zone) == (fire <= now < due - half)


@PROPERTY_SETTINGS
@given(due=dues, offset=valid_offsets, zone=zones, after=st.timedeltas(timedelta(0), timedelta(days=400)))
def test_is_due_property_never_at_or_after_the_deadline(due, offset, zone, after):
    assert not is_due(due + after, due, offset, zone)
    assert is_stale(due + after, due, offset, zone)


@PROPERTY_SETTINGS
@given(moment=moments())
def test_is_stale_property_before_fire_neither_after_fire_exactly_one(moment):
    due, offset, zone, now = moment
    due_now, stale_now = is_due(now, due, offset, zone), is_stale(now, due, offset, zone)
    if now < fire_at(due, offset, zone):
        assert (due_now, stale_now) == (False, False)
    else:
        assert due_now != stale_now


@PROPERTY_SETTINGS
@given(moment=moments(), later=st.timedeltas(timedelta(0), timedelta(days=90)))
def test_is_stale_property_stays_stale(moment, later):
    due, offset, zone, now = moment
    if is_stale(now, due, offset, zone):
        assert is_stale(now + later, due, offset, zone)
        assert not is_due(now + later, due, offset, zone)


@PROPERTY_SETTINGS
@given(due=dues, offset=valid_offsets, zone=zones)
def test_fire_at_property_before_the_deadline_and_due_right_then(due, offset, zone):
    fire = fire_at(due, offset, zone)
    assert fire < due
    assert is_due(fire, due, offset, zone)
    assert not is_due(fire - US, due, offset, zone)


@PROPERTY_SETTINGS
@given(due=dues, offset=exact_offsets, zone=zones)
def test_fire_at_property_non_day_offsets_are_exact_elapsed_time(due, offset, zone):
    assert due - fire_at(due, offset, zone) == timedelta(minutes=offset)


@PROPERTY_SETTINGS
@given(due=dues, offset=day_offsets, zone=zones)
def test_fire_at_property_day_offsets_are_calendar_days_within_an_hour(due, offset, zone):
    fire = fire_at(due, offset, zone)
    days = timedelta(days=offset // DAY)
    # Lord Howe shifts by 30 minutes, the others by an hour; no zone here changes twice within 60 days.
    assert abs((due - fire) - days) <= HOUR
    wanted = due.astimezone(zone).replace(tzinfo=None) - days
    if wanted.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wanted:
        # The wall-clock time exists that day (not skipped by a clock change): it is kept.
        assert fire.astimezone(zone).replace(tzinfo=None) == wanted


@PROPERTY_SETTINGS
@given(due=dues, offset=day_offsets)
def test_fire_at_property_utc_days_are_exact(due, offset):
    assert due - fire_at(due, offset, ZoneInfo("UTC")) == timedelta(minutes=offset)


# --- parse_offsets / format_offsets: table ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("7d, 1d, 3h", [7 * DAY, DAY, 180], id="defaults"),
        pytest.param("2 Tage; 90 min", [2 * DAY, 90], id="german-and-semicolon"),
        pytest.param("7D, 1D, 3H", [7 * DAY, DAY, 180], id="uppercase"),
        pytest.param("2 TAGE; 90 MIN", [2 * DAY, 90], id="german-uppercase"),
        pytest.param("1 day, 2 hours, 30 minutes", [DAY, 120, 30], id="words"),
        pytest.param("1 Tag, 1 Stunde, 2 Std, 10 Minuten", [DAY, 120, 60, 10], id="german-words"),
        pytest.param("3h, 7d", [7 * DAY, 180], id="sorted-largest-first"),
        pytest.param("1d, 24h, 1440m", [DAY], id="same-time-counted-once"),
        pytest.param("  7d ,, 1d , ", [7 * DAY, DAY], id="spaces-and-empty-parts"),
        pytest.param("", [], id="empty-means-no-reminders"),
        pytest.param("5m", [MIN_OFFSET], id="smallest"),
        pytest.param("60d", [MAX_OFFSET], id="largest"),
        pytest.param("6d, 5d, 4d, 3d, 2d, 1d", [6 * DAY, 5 * DAY, 4 * DAY, 3 * DAY, 2 * DAY, DAY], id="six"),
    ],
)
def test_parse_offsets_accepts(text, expected):
    assert parse_offsets(text) == expected


@pytest.mark.parametrize(
    ("text", "refused_part"),
    [
        pytest.param("3 weeks", "3 weeks", id="weeks"),
        pytest.param("7d, 3 weeks", "3 weeks", id="weeks-after-a-good-one"),
        pytest.param("0h", "0h", id="zero"),
        pytest.param("4m", "4m", id="below-5-minutes"),
        pytest.param("61d", "61d", id="above-60-days"),
        pytest.param("1441h", "1441h", id="hours-above-60-days"),
        pytest.param("-1d", "-1d", id="negative"),
        pytest.param("1.5h", "1.5h", id="fraction"),
        pytest.param("7", "7", id="no-unit"),
        pytest.param("d", "d", id="no-number"),
        pytest.param("7d 1d", "7d 1d", id="no-separator"),
        pytest.param("7d, 6d, 5d, 4d, 3d, 2d, 1d", "7d, 6d, 5d, 4d, 3d, 2d, 1d", id="seven-offsets"),
    ],
)
def test_parse_offsets_refuses(text, refused_part):
    with pytest.raises(OffsetError) as refused:
        parse_offsets(text)
    assert refused.value.args[0] == refused_part


@pytest.mark.parametrize(
    ("offsets", "text"),
    [
        pytest.param([7 * DAY, DAY, 180], "7d, 1d, 3h", id="defaults"),
        pytest.param([2 * DAY, 90], "2d, 90m", id="minutes"),
        pytest.param([36 * 60], "36h", id="hours-beyond-a-day"),
        pytest.param([], "", id="none"),
    ],
)
def test_format_offsets_round_trips(offsets, text):
    assert format_offsets(offsets) == text
    assert parse_offsets(text) == offsets
    assert format_offsets(parse_offsets(text)) == text


def test_format_offsets_24_hours_is_one_day():
    assert format_offsets(parse_offsets("24h")) == "1d"


# --- parse_offsets / format_offsets: properties -----------------------------------------------------------

UNIT_SPELLINGS = {
    DAY: ["d", "day", "days", "Tag", "TAGE"],
    60: ["h", "hour", "hours", "Std", "Stunden"],
    1: ["m", "min", "minute", "MINUTES", "Minuten"],
}


@st.composite
def offset_texts(draw):
    """What an instructor might type: 1-6 parts with any unit spelling, case, spacing and separator."""
    parts = []
    for _ in range(draw(st.integers(1, MAX_OFFSETS))):
        unit = draw(st.sampled_from(sorted(UNIT_SPELLINGS)))
        amount = draw(st.integers(max(1, -(-MIN_OFFSET // unit)), MAX_OFFSET // unit))
        spelling = draw(st.sampled_from(UNIT_SPELLINGS[unit]))
        parts.append(f"{amount}{draw(st.sampled_from(['', ' ', '  ']))}{spelling}")
    return draw(st.sampled_from([", ", ",", "; ", " ; "])).join(parts)


@PROPERTY_SETTINGS
@given(offsets=st.lists(valid_offsets, min_size=0, max_size=MAX_OFFSETS, unique=True))
def test_parse_offsets_property_reads_back_what_format_offsets_wrote(offsets):
    largest_first = sorted(offsets, reverse=True)
    assert parse_offsets(format_offsets(largest_first)) == largest_first


@PROPERTY_SETTINGS
@given(text=offset_texts())
def test_format_offsets_property_round_trip_of_typed_text(text):
    parsed = parse_offsets(text)
    assert 1 <= len(parsed) <= MAX_OFFSETS
    assert all(MIN_OFFSET <= minutes <= MAX_OFFSET for minutes in parsed)
    assert parsed == sorted(set(parsed), reverse=True)
    assert parse_offsets(format_offsets(parsed)) == parsed
    assert format_offsets(parse_offsets(format_offsets(parsed))) == format_offsets(parsed)


@PROPERTY_SETTINGS
@given(offsets=st.lists(valid_offsets, min_size=MAX_OFFSETS + 1, max_size=MAX_OFFSETS + 4, unique=True))
def test_parse_offsets_property_refuses_more_than_six(offsets):
    with pytest.raises(OffsetError):
        parse_offsets(format_offsets(offsets))


@PROPERTY_SETTINGS
@given(minutes=st.integers(0, MIN_OFFSET - 1) | st.integers(MAX_OFFSET + 1, 99999))
def test_parse_offsets_property_refuses_out_of_range_minutes(minutes):
    with pytest.raises(OffsetError):
        parse_offsets(f"{minutes}m")
