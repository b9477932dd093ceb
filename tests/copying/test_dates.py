"""copying/dates.py: dates move by whole days at the same clock time in the seminar's zone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from copying.dates import days_between, moved, moved_date

BERLIN = ZoneInfo("Europe/Berlin")


def test_summer_time_to_standard_time_keeps_ten_o_clock():
    summer = datetime(2026, 6, 15, 8, 0, tzinfo=UTC)  # 10:00 CEST

    winter = moved(summer, days=182, zone=BERLIN)

    assert winter == datetime(2026, 12, 14, 9, 0, tzinfo=UTC)  # 10:00 CET
    assert winter.astimezone(BERLIN).hour == 10


def test_standard_time_to_summer_time_keeps_ten_o_clock():
    winter = datetime(2026, 12, 14, 9, 0, tzinfo=UTC)

    assert moved(winter, days=-182, zone=BERLIN) == datetime(2026, 6, 15, 8, 0, tzinfo=UTC)


def test_the_clock_time_is_kept_in_the_seminars_zone_not_in_utc():
    tokyo = ZoneInfo("Asia/Tokyo")
    start = datetime(2026, 3, 1, 23, 30, tzinfo=BERLIN)

    assert moved(start, days=1, zone=tokyo).astimezone(tokyo).time() == start.astimezone(tokyo).time()


def test_a_time_the_target_day_skips_comes_out_an_hour_later():
    # 02:30 does not exist in Berlin on 29 March 2026: the clocks jump from 02:00 to 03:00.
    before = datetime(2026, 3, 28, 2, 30, tzinfo=BERLIN)

    assert moved(before, days=1, zone=BERLIN).astimezone(BERLIN).replace(tzinfo=None) == datetime(
        2026, 3, 29, 3, 30
    )


def test_dates_and_the_days_between():
    assert moved_date(date(2026, 7, 24), days=182) == date(2027, 1, 22)
    assert days_between(datetime(2026, 4, 20, 22, 30, tzinfo=UTC), date(2026, 10, 19), zone=BERLIN) == 181
