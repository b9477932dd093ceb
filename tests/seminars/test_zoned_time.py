"""Wall-clock times in a named zone (seminars/zoned_time.py) and their display
(seminars/templatetags/zoned.py).

The oracle for the property tests counts the UTC instants a zone shows as a given wall-clock time by trying
every offset the zone uses near that time: none means nonexistent, two mean ambiguous."""

from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.html import strip_tags
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from core.zoned_time import LocalTimeError, local_naive, localize_strict

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
ZONES = [BERLIN, NEW_YORK, LORD_HOWE, ZoneInfo("UTC")]


def utc_instants_shown_as(naive: datetime, zone: ZoneInfo) -> set[datetime]:
    as_if_utc = naive.replace(tzinfo=UTC)
    offsets = {(as_if_utc + timedelta(hours=hours)).astimezone(zone).utcoffset() for hours in range(-30, 31)}
    candidates = {as_if_utc - offset for offset in offsets}
    return {instant for instant in candidates if instant.astimezone(zone).replace(tzinfo=None) == naive}


@cache
def transitions(zone: ZoneInfo) -> tuple[datetime, ...]:
    """Wall-clock times (naive) just before each change of offset in 2024-2030."""
    found = []
    instant = datetime(2024, 1, 1, tzinfo=UTC)
    offset = instant.astimezone(zone).utcoffset()
    while instant.year < 2031:
        following = instant + timedelta(minutes=30)
        if following.astimezone(zone).utcoffset() != offset:
            found.append(instant.astimezone(zone).replace(tzinfo=None))
            offset = following.astimezone(zone).utcoffset()
        instant = following
    return tuple(found)


zones = st.sampled_from(ZONES)
any_naive = st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31))


@st.composite
def zone_and_naive_time(draw):
    """A zone and a wall-clock time, often within two hours of one of its changes of offset."""
    zone = draw(zones)
    near = transitions(zone)
    if not near or draw(st.booleans()):
        return zone, draw(any_naive)
    start = draw(st.sampled_from(near)) - timedelta(hours=2)
    return zone, start + draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=4)))


# --- table tests: localize_strict ---


@pytest.mark.parametrize(
    ("zone", "naive"),
    [
        (BERLIN, datetime(2026, 3, 29, 2, 30)),
        (BERLIN, datetime(2026, 3, 29, 2, 0)),
        (BERLIN, datetime(2026, 3, 29, 2, 59, 59, 999999)),
        (NEW_YORK, datetime(2026, 3, 8, 2, 30)),
        (LORD_HOWE, datetime(2026, 10, 4, 2, 15)),
    ],
)
def test_localize_strict_nonexistent_time_raises_naming_zone(zone, naive):
    with pytest.raises(LocalTimeError, match="does not exist") as error:
        localize_strict(naive, zone)

    assert zone.key in str(error.value)
    assert "put forward" in str(error.value)


@pytest.mark.parametrize(
    ("zone", "naive"),
    [
        (BERLIN, datetime(2026, 10, 25, 2, 30)),
        (BERLIN, datetime(2026, 10, 25, 2, 0)),
        (BERLIN, datetime(2026, 10, 25, 2, 59, 59)),
        (NEW_YORK, datetime(2026, 11, 1, 1, 30)),
        (LORD_HOWE, datetime(2026, 4, 5, 1, 45)),
    ],
)
def test_localize_strict_ambiguous_time_raises_naming_zone(zone, naive):
    with pytest.raises(LocalTimeError, match="happens twice") as error:
        localize_strict(naive, zone)

    assert zone.key in str(error.value)
    assert "put back" in str(error.value)


def test_localize_strict_error_names_time_and_zone_in_german():
    with translation.override("de"), pytest.raises(LocalTimeError) as error:
        localize_strict(datetime(2026, 3, 29, 2, 30), BERLIN)

    message = str(error.value)
    assert "gibt es in Europe/Berlin nicht" in message
    assert "2026" in message


def test_local_time_error_is_a_value_error():
    assert issubclass(LocalTimeError, ValueError)


@pytest.mark.parametrize(
    ("zone", "naive", "utc"),
    [
        (BERLIN, datetime(2026, 3, 29, 1, 59, 59), datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC)),
        (BERLIN, datetime(2026, 3, 29, 3, 0), datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
        (BERLIN, datetime(2026, 10, 25, 1, 59), datetime(2026, 10, 24, 23, 59, tzinfo=UTC)),
        (BERLIN, datetime(2026, 10, 25, 3, 0), datetime(2026, 10, 25, 2, 0, tzinfo=UTC)),
        (BERLIN, datetime(2026, 7, 1, 18, 0), datetime(2026, 7, 1, 16, 0, tzinfo=UTC)),
        (BERLIN, datetime(2026, 1, 15, 18, 0), datetime(2026, 1, 15, 17, 0, tzinfo=UTC)),
        (NEW_YORK, datetime(2026, 3, 8, 3, 0), datetime(2026, 3, 8, 7, 0, tzinfo=UTC)),
        (NEW_YORK, datetime(2026, 11, 1, 2, 0), datetime(2026, 11, 1, 7, 0, tzinfo=UTC)),
        (LORD_HOWE, datetime(2026, 10, 4, 2, 30), datetime(2026, 10, 3, 15, 30, tzinfo=UTC)),
        (LORD_HOWE, datetime(2026, 4, 5, 2, 0), datetime(2026, 4, 4, 15, 30, tzinfo=UTC)),
        (ZoneInfo("UTC"), datetime(2026, 3, 29, 2, 30), datetime(2026, 3, 29, 2, 30, tzinfo=UTC)),
    ],
)
def test_localize_strict_ordinary_time_gives_instant(zone, naive, utc):
    aware = localize_strict(naive, zone)

    assert aware == utc
    assert aware.tzinfo is zone
    assert aware.replace(tzinfo=None) == naive


def test_localize_strict_ignores_fold_of_input():
    assert localize_strict(datetime(2026, 7, 1, 18, 0, fold=1), BERLIN) == datetime(
        2026, 7, 1, 16, 0, tzinfo=UTC
    )
    with pytest.raises(LocalTimeError):
        localize_strict(datetime(2026, 10, 25, 2, 30, fold=1), BERLIN)


# --- table tests: local_naive ---


def test_local_naive_of_none_is_none():
    assert local_naive(None, BERLIN) is None


@pytest.mark.parametrize(
    ("instant", "zone", "naive"),
    [
        (datetime(2026, 1, 15, 17, 0, tzinfo=UTC), BERLIN, datetime(2026, 1, 15, 18, 0)),
        (datetime(2026, 7, 1, 16, 0, tzinfo=UTC), BERLIN, datetime(2026, 7, 1, 18, 0)),
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), BERLIN, datetime(2026, 10, 25, 2, 30)),
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), BERLIN, datetime(2026, 10, 25, 2, 30)),
        (datetime(2026, 7, 1, 16, 0, tzinfo=UTC), NEW_YORK, datetime(2026, 7, 1, 12, 0)),
        (datetime(2026, 7, 1, 16, 0, tzinfo=UTC), LORD_HOWE, datetime(2026, 7, 2, 2, 30)),
        (datetime(2026, 7, 1, 18, 0, tzinfo=NEW_YORK), BERLIN, datetime(2026, 7, 2, 0, 0)),
    ],
)
def test_local_naive_gives_wall_clock_time_in_zone(instant, zone, naive):
    assert local_naive(instant, zone) == naive
    assert local_naive(instant, zone).tzinfo is None


# --- property tests ---


@settings(max_examples=400)
@given(zone_and_naive_time())
def test_localize_strict_agrees_with_count_of_instants(zone_and_naive):
    zone, naive = zone_and_naive
    instants = utc_instants_shown_as(naive, zone)

    if len(instants) == 1:
        assert localize_strict(naive, zone) == instants.pop()
    else:
        with pytest.raises(LocalTimeError) as error:
            localize_strict(naive, zone)
        assert zone.key in str(error.value)
        assert ("does not exist" if not instants else "happens twice") in str(error.value)


@settings(max_examples=400)
@given(zone_and_naive_time())
def test_local_naive_round_trips_every_ordinary_time(zone_and_naive):
    zone, naive = zone_and_naive
    assume(len(utc_instants_shown_as(naive, zone)) == 1)

    assert local_naive(localize_strict(naive, zone), zone) == naive


@settings(max_examples=400)
@given(
    zones,
    st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)),
)
def test_instant_shown_in_form_is_read_back_unless_in_repeated_hour(zone, instant):
    shown = local_naive(instant, zone)

    if len(utc_instants_shown_as(shown, zone)) == 2:
        with pytest.raises(LocalTimeError, match="happens twice"):
            localize_strict(shown, zone)
    else:
        assert localize_strict(shown, zone) == instant


@given(st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31)))
def test_localize_strict_in_utc_never_refuses(naive):
    assert localize_strict(naive, ZoneInfo("UTC")) == naive.replace(tzinfo=UTC)


def test_transition_strategy_finds_two_changes_a_year_in_dst_zones():
    for zone in (BERLIN, NEW_YORK, LORD_HOWE):
        assert len(transitions(zone)) == 14
    assert transitions(ZoneInfo("UTC")) == ()


# --- template tags ---


def render(source: str, **context) -> str:
    return Template("{% load zoned %}" + source).render(Context(context))


def test_zoned_names_abbreviation_and_zone_with_machine_readable_instant():
    when = datetime(2021, 2, 8, 17, 0, tzinfo=UTC)

    html = render("{% zoned when zone %}", when=when, zone="Europe/Berlin")

    assert (
        html == '<time datetime="2021-02-08T17:00:00+00:00">8 February 2021, 18:00 CET (Europe/Berlin)</time>'
    )


def test_zoned_in_summer_says_cest():
    html = render(
        "{% zoned when zone %}", when=datetime(2026, 7, 1, 16, 30, tzinfo=UTC), zone="Europe/Berlin"
    )

    assert "18:30 CEST (Europe/Berlin)" in html
    assert 'datetime="2026-07-01T16:30:00+00:00"' in html


def test_zoned_in_other_zone_shows_its_wall_clock():
    html = render(
        "{% zoned when zone %}", when=datetime(2026, 7, 1, 16, 0, tzinfo=UTC), zone="America/New_York"
    )

    assert "1 July 2026, 12:00 EDT (America/New_York)" in html


def test_zoned_in_german_uses_german_date():
    with translation.override("de"):
        html = render(
            "{% zoned when zone %}", when=datetime(2021, 2, 8, 17, 0, tzinfo=UTC), zone="Europe/Berlin"
        )

    assert (
        html == '<time datetime="2021-02-08T17:00:00+00:00">8. Februar 2021, 18:00 CET (Europe/Berlin)</time>'
    )


def test_zoned_of_none_renders_nothing():
    assert render("{% zoned when zone %}", when=None, zone="Europe/Berlin") == ""


def test_zoned_in_utc_names_utc():
    html = render("{% zoned when zone %}", when=datetime(2026, 7, 1, tzinfo=UTC), zone="UTC")

    assert html.endswith("UTC (UTC)</time>")


def test_zoned_range_on_one_day_shows_date_once():
    start = datetime(2026, 7, 1, 16, 0, tzinfo=UTC)

    html = render(
        "{% zoned_range start end zone %}", start=start, end=start + timedelta(hours=2), zone="Europe/Berlin"
    )

    assert html == (
        '<time datetime="2026-07-01T16:00:00+00:00">1 July 2026, 18:00</time>–'
        '<time datetime="2026-07-01T18:00:00+00:00">20:00</time> CEST (Europe/Berlin)'
    )


def test_zoned_range_day_is_that_of_zone_not_of_utc():
    start = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)

    html = render(
        "{% zoned_range start end zone %}", start=start, end=start + timedelta(hours=1), zone="Europe/Berlin"
    )

    assert strip_tags(html) == "2 July 2026, 00:30–01:30 CEST (Europe/Berlin)"


def test_zoned_range_over_midnight_shows_both_dates():
    start = datetime(2026, 7, 1, 20, 0, tzinfo=UTC)

    html = render(
        "{% zoned_range start end zone %}", start=start, end=start + timedelta(hours=4), zone="Europe/Berlin"
    )

    assert html == (
        '<time datetime="2026-07-01T20:00:00+00:00">1 July 2026, 22:00 CEST (Europe/Berlin)</time> – '
        '<time datetime="2026-07-02T00:00:00+00:00">2 July 2026, 02:00 CEST (Europe/Berlin)</time>'
    )


def test_zoned_range_without_end_is_single_time():
    start = datetime(2026, 7, 1, 16, 0, tzinfo=UTC)

    html = render("{% zoned_range start end zone %}", start=start, end=None, zone="Europe/Berlin")

    assert html == render("{% zoned when zone %}", when=start, zone="Europe/Berlin")


def test_zoned_range_without_start_renders_nothing():
    html = render(
        "{% zoned_range start end zone %}", start=None, end=datetime(2026, 7, 1, tzinfo=UTC), zone="UTC"
    )

    assert html == ""


def test_zoned_range_across_dst_change_names_both_abbreviations():
    start = datetime(2026, 3, 29, 0, 0, tzinfo=UTC)

    html = render(
        "{% zoned_range start end zone %}", start=start, end=start + timedelta(hours=2), zone="Europe/Berlin"
    )

    assert "CET" in html.replace("CEST", "")
    assert "CEST" in html
