"""schedule.planning, pure: slots laid out from days and the talk timing, conflicts of a plan, and filling
the free slots in topic order. Table tests for each rule, hypothesis for what must hold for any input."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schedule.planning import Conflict, ConflictKind, Day, SlotPlan, Timing, conflicts, fill, generate

BERLIN = ZoneInfo("Europe/Berlin")
MINUTE = timedelta(minutes=1)


def at(text: str) -> datetime:
    """ "03 09:30" -> 3 May 2027, 09:30 UTC: a day of the month and a time, to keep the tables short."""
    day, time = text.split()
    hour, minute = time.split(":")
    return datetime(2027, 5, int(day), int(hour), int(minute), tzinfo=UTC)


def day(key: int, start: str, end: str) -> Day:
    return Day(key, at(start), at(end))


def minutes(count: int) -> timedelta:
    return timedelta(minutes=count)


def shown(slots) -> list[tuple[int, str, str]]:
    return [(key, f"{start:%d %H:%M}", f"{end:%d %H:%M}") for key, start, end in slots]


# --- generate ---------------------------------------------------------------------------------------------

GENERATE_CASES = [
    pytest.param(
        [day(1, "03 09:00", "03 11:00")],
        Timing(talk=minutes(30)),
        [
            (1, "03 09:00", "03 09:30"),
            (1, "03 09:30", "03 10:00"),
            (1, "03 10:00", "03 10:30"),
            (1, "03 10:30", "03 11:00"),
        ],
        id="one-day-back-to-back",
    ),
    pytest.param(
        [day(7, "04 13:00", "04 14:00"), day(3, "03 09:00", "03 10:00")],
        Timing(talk=minutes(30)),
        [
            (3, "03 09:00", "03 09:30"),
            (3, "03 09:30", "03 10:00"),
            (7, "04 13:00", "04 13:30"),
            (7, "04 13:30", "04 14:00"),
        ],
        id="two-days-in-time-order-with-their-keys",
    ),
    pytest.param(
        [day(1, "03 09:00", "03 11:00")],
        Timing(talk=minutes(30), gap=minutes(15)),
        [(1, "03 09:00", "03 09:30"), (1, "03 09:45", "03 10:15"), (1, "03 10:30", "03 11:00")],
        id="talk-and-gap",
    ),
    pytest.param(
        [day(1, "03 09:00", "03 12:00")],
        Timing(talk=minutes(30), break_after=2, break_length=minutes(30)),
        [
            (1, "03 09:00", "03 09:30"),
            (1, "03 09:30", "03 10:00"),
            (1, "03 10:30", "03 11:00"),
            (1, "03 11:00", "03 11:30"),
        ],
        id="break-after-every-two-talks",
    ),
    pytest.param(
        [day(1, "03 09:00", "03 13:00")],
        Timing(talk=minutes(30), gap=minutes(15), break_after=3, break_length=minutes(30)),
        [
            (1, "03 09:00", "03 09:30"),
            (1, "03 09:45", "03 10:15"),
            (1, "03 10:30", "03 11:00"),
            (1, "03 11:45", "03 12:15"),
            (1, "03 12:30", "03 13:00"),
        ],
        id="gap-and-break-add-up",
    ),
    pytest.param(
        [day(1, "03 09:00", "03 11:00"), day(2, "04 09:00", "04 11:00")],
        Timing(talk=minutes(30), break_after=3, break_length=minutes(60)),
        [
            (1, "03 09:00", "03 09:30"),
            (1, "03 09:30", "03 10:00"),
            (1, "03 10:00", "03 10:30"),
            (2, "04 09:00", "04 09:30"),
            (2, "04 09:30", "04 10:00"),
            (2, "04 10:00", "04 10:30"),
        ],
        id="break-count-starts-again-each-day",
    ),
    pytest.param(
        [day(1, "03 09:00", "03 10:00")],
        Timing(talk=minutes(30), break_after=0, break_length=minutes(60)),
        [(1, "03 09:00", "03 09:30"), (1, "03 09:30", "03 10:00")],
        id="break-after-zero-means-no-breaks",
    ),
    pytest.param(
        [day(1, "03 09:00", "03 09:20")],
        Timing(talk=minutes(30)),
        [],
        id="day-too-short-for-a-talk",
    ),
    pytest.param(
        [day(1, "03 09:00", "03 09:20"), day(2, "04 09:00", "04 09:30")],
        Timing(talk=minutes(30)),
        [(2, "04 09:00", "04 09:30")],
        id="short-day-skipped-next-day-used",
    ),
    pytest.param(
        [day(1, "03 09:00", "03 10:50")],
        Timing(talk=minutes(30), gap=minutes(10)),
        [(1, "03 09:00", "03 09:30"), (1, "03 09:40", "03 10:10"), (1, "03 10:20", "03 10:50")],
        id="last-talk-ends-exactly-at-the-end-of-the-day",
    ),
    pytest.param(
        [day(1, "03 09:00", "03 10:49")],
        Timing(talk=minutes(30), gap=minutes(10)),
        [(1, "03 09:00", "03 09:30"), (1, "03 09:40", "03 10:10")],
        id="last-talk-would-end-a-minute-late",
    ),
    pytest.param([], Timing(talk=minutes(30)), [], id="no-days"),
]


@pytest.mark.parametrize(("days", "timing", "expected"), GENERATE_CASES)
def test_generate_lays_out_talks_by_the_timing(days, timing, expected):
    assert shown(generate(days, timing)) == expected


def test_generate_keeps_the_talk_length_on_each_slot():
    slots = generate([day(1, "03 09:00", "03 17:00")], Timing(talk=minutes(45), gap=minutes(5)))

    assert {end - start for _key, start, end in slots} == {minutes(45)}


# A day across the change to summer time (2027-03-28, 02:00 CET -> 03:00 CEST) is 5 real hours from 00:00
# to 06:00 local time, and across the change back (2027-10-31, 03:00 CEST -> 02:00 CET) 7 real hours.
SPRING_START = datetime(2027, 3, 28, 0, 0, tzinfo=BERLIN)
SPRING_END = datetime(2027, 3, 28, 6, 0, tzinfo=BERLIN)
AUTUMN_START = datetime(2027, 10, 31, 0, 0, tzinfo=BERLIN)
AUTUMN_END = datetime(2027, 10, 31, 6, 0, tzinfo=BERLIN)
DST_BUG = (
    "BUG: generate() adds the talk length to aware datetimes in the day's own zone, which Python does in "
    "wall-clock time: a Europe/Berlin day 00:00-06:00 on 2027-03-28 gets 6 hourly slots in 5 real hours, one "
    "of them 0 minutes long (02:00 CET-03:00 CEST); on 2027-10-31 one slot is 2 real hours. Expected: slots "
    "of the talk length in elapsed time (5 and 7 slots)."
)


def hourly_utc(start: datetime, count: int) -> list[tuple[datetime, datetime]]:
    first = start.astimezone(UTC)
    return [(first + timedelta(hours=n), first + timedelta(hours=n + 1)) for n in range(count)]


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        pytest.param(SPRING_START, SPRING_END, 5, id="spring-forward"),
        pytest.param(AUTUMN_START, AUTUMN_END, 7, id="fall-back"),
    ],
)
def test_generate_across_dst_given_in_utc_counts_elapsed_time(start, end, count):
    slots = generate([Day(1, start.astimezone(UTC), end.astimezone(UTC))], Timing(talk=timedelta(hours=1)))

    assert [(slot_start, slot_end) for _key, slot_start, slot_end in slots] == hourly_utc(start, count)


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        pytest.param(
            SPRING_START,
            SPRING_END,
            5,
            id="spring-forward",
        ),
        pytest.param(AUTUMN_START, AUTUMN_END, 7, id="fall-back"),
    ],
)
def test_generate_across_dst_given_in_the_seminar_zone_counts_elapsed_time(start, end, count):
    slots = generate([Day(1, start, end)], Timing(talk=timedelta(hours=1)))

    in_utc = [(slot_start.astimezone(UTC), slot_end.astimezone(UTC)) for _key, slot_start, slot_end in slots]
    assert in_utc == hourly_utc(start, count)


def test_generate_on_the_dst_sunday_keeps_local_times_of_a_daytime_block():
    """The usual block day (09:00-12:00) lies after the change: local times and the CEST offset hold."""
    slots = generate(
        [Day(1, datetime(2027, 3, 28, 9, 0, tzinfo=BERLIN), datetime(2027, 3, 28, 12, 0, tzinfo=BERLIN))],
        Timing(talk=minutes(45), gap=minutes(15)),
    )

    local = [
        (f"{start.astimezone(BERLIN):%H:%M %Z}", f"{end.astimezone(BERLIN):%H:%M}")
        for _k, start, end in slots
    ]
    assert local == [("09:00 CEST", "09:45"), ("10:00 CEST", "10:45"), ("11:00 CEST", "11:45")]


# --- conflicts --------------------------------------------------------------------------------------------

DAYS = {1: day(1, "03 09:00", "03 17:00"), 2: day(2, "04 09:00", "04 17:00")}


def slot(key: int, start: str, end: str, *, room: str = "A 101", presenter: int | None = None, on: int = 1):
    return SlotPlan(key, on, room, at(start), at(end), presenter)


CONFLICT_CASES = [
    pytest.param(
        [slot(10, "03 09:00", "03 09:30", presenter=1), slot(11, "03 09:30", "03 10:00", presenter=2)],
        [1, 2],
        [],
        id="clean-plan",
    ),
    pytest.param(
        [slot(10, "03 09:00", "03 09:30", presenter=1), slot(11, "04 09:00", "04 09:30", presenter=1, on=2)],
        [1],
        [Conflict(ConflictKind.TWO_SLOTS, (10, 11), 1)],
        id="two-slots",
    ),
    pytest.param(
        [
            slot(10, "03 09:00", "03 09:30", presenter=1),
            slot(11, "03 10:00", "03 10:30", presenter=1),
            slot(12, "03 11:00", "03 11:30", presenter=1),
        ],
        [1],
        [Conflict(ConflictKind.TWO_SLOTS, (10, 11, 12), 1)],
        id="three-slots-one-conflict",
    ),
    pytest.param(
        [slot(10, "03 09:00", "03 09:45", presenter=1), slot(11, "03 09:30", "03 10:00", presenter=2)],
        [1, 2],
        [Conflict(ConflictKind.OVERLAP, (10, 11))],
        id="overlap-in-one-room",
    ),
    pytest.param(
        [
            slot(10, "03 09:00", "03 09:45", room="Room 1", presenter=1),
            slot(11, "03 09:30", "03 10:00", room="ROOM 1", presenter=2),
        ],
        [1, 2],
        [Conflict(ConflictKind.OVERLAP, (10, 11))],
        id="rooms-compared-case-insensitively",
    ),
    pytest.param(
        [
            slot(10, "03 09:00", "03 09:45", room="Hörsaal Straße", presenter=1),
            slot(11, "03 09:30", "03 10:00", room="HÖRSAAL STRASSE", presenter=2),
        ],
        [1, 2],
        [Conflict(ConflictKind.OVERLAP, (10, 11))],
        id="rooms-compared-by-casefold",
    ),
    pytest.param(
        [slot(10, "03 09:00", "03 09:30", presenter=1), slot(11, "03 09:30", "03 10:00", presenter=2)],
        [1, 2],
        [],
        id="touching-slots-do-not-overlap",
    ),
    pytest.param(
        [
            slot(10, "03 09:00", "03 10:00", room="A 101", presenter=1),
            slot(11, "03 09:00", "03 10:00", room="B 202", presenter=2),
        ],
        [1, 2],
        [],
        id="different-rooms-may-overlap",
    ),
    pytest.param(
        [
            slot(10, "03 09:00", "03 11:00", presenter=1),
            slot(11, "03 09:30", "03 10:00", presenter=2),
            slot(12, "03 10:30", "03 11:30", presenter=3),
        ],
        [1, 2, 3],
        [Conflict(ConflictKind.OVERLAP, (10, 11)), Conflict(ConflictKind.OVERLAP, (10, 12))],
        id="a-long-slot-overlaps-two-that-do-not-overlap-each-other",
    ),
    pytest.param(
        [slot(10, "03 09:00", "03 09:45"), slot(11, "03 09:30", "03 10:00")],
        [],
        [Conflict(ConflictKind.OVERLAP, (10, 11))],
        id="free-slots-overlap-too",
    ),
    pytest.param(
        [slot(10, "03 09:00", "03 09:30", presenter=1)],
        [1, 2, 3],
        [Conflict(ConflictKind.NO_SLOT, (), 2), Conflict(ConflictKind.NO_SLOT, (), 3)],
        id="no-slot",
    ),
    pytest.param(
        [slot(10, "03 08:30", "03 09:30", presenter=1)],
        [1],
        [Conflict(ConflictKind.OUTSIDE_DAY, (10,))],
        id="outside-day-starts-early",
    ),
    pytest.param(
        [slot(10, "03 16:45", "03 17:15", presenter=1)],
        [1],
        [Conflict(ConflictKind.OUTSIDE_DAY, (10,))],
        id="outside-day-ends-late",
    ),
    pytest.param(
        [slot(10, "04 09:00", "04 09:30", presenter=1, on=1)],
        [1],
        [Conflict(ConflictKind.OUTSIDE_DAY, (10,))],
        id="outside-day-on-another-date",
    ),
    pytest.param(
        [slot(10, "03 09:00", "03 09:30", presenter=1, on=99)],
        [1],
        [Conflict(ConflictKind.OUTSIDE_DAY, (10,))],
        id="outside-day-unknown-day",
    ),
    pytest.param(
        [slot(10, "03 09:00", "03 17:00", presenter=1)],
        [1],
        [],
        id="slot-filling-the-whole-day",
    ),
    pytest.param([], [], [], id="empty-plan"),
]


@pytest.mark.parametrize(("slots", "students", "expected"), CONFLICT_CASES)
def test_conflicts_finds_each_kind(slots, students, expected):
    assert conflicts(slots, DAYS, students) == expected


def test_conflicts_reports_every_kind_at_once():
    slots = [
        slot(10, "03 09:00", "03 09:45", presenter=1),
        slot(11, "03 09:30", "03 10:00", presenter=1),
        slot(12, "03 18:00", "03 18:30"),
    ]

    found = conflicts(slots, DAYS, [1, 2])

    assert sorted(found, key=lambda conflict: conflict.kind) == sorted(
        [
            Conflict(ConflictKind.TWO_SLOTS, (10, 11), 1),
            Conflict(ConflictKind.OVERLAP, (10, 11)),
            Conflict(ConflictKind.NO_SLOT, (), 2),
            Conflict(ConflictKind.OUTSIDE_DAY, (12,)),
        ],
        key=lambda conflict: conflict.kind,
    )


# --- fill -------------------------------------------------------------------------------------------------

FILL_CASES = [
    pytest.param(
        [
            slot(10, "03 09:00", "03 09:30"),
            slot(11, "03 09:30", "03 10:00"),
            slot(12, "03 10:00", "03 10:30"),
        ],
        [30, 10, 20],
        {10: 30, 11: 10, 12: 20},
        id="topic-order-respected",
    ),
    pytest.param(
        [
            slot(10, "03 09:00", "03 09:30", presenter=10),
            slot(11, "03 09:30", "03 10:00"),
            slot(12, "03 10:00", "03 10:30"),
        ],
        [10, 20, 30],
        {11: 20, 12: 30},
        id="already-placed-students-skipped",
    ),
    pytest.param(
        [
            slot(10, "03 09:00", "03 09:30"),
            slot(11, "03 09:30", "03 10:00", presenter=30),
            slot(12, "03 10:00", "03 10:30"),
        ],
        [10, 20, 30],
        {10: 10, 12: 20},
        id="occupied-slot-left-alone",
    ),
    pytest.param(
        [
            slot(3, "04 09:00", "04 09:30", on=2),
            slot(1, "03 10:00", "03 10:30"),
            slot(2, "03 09:00", "03 09:30"),
        ],
        [10, 20, 30],
        {2: 10, 1: 20, 3: 30},
        id="free-slots-in-time-order",
    ),
    pytest.param(
        [slot(11, "03 09:00", "03 09:30", room="B"), slot(10, "03 09:00", "03 09:30", room="A")],
        [10, 20],
        {10: 10, 11: 20},
        id="same-time-in-key-order",
    ),
    pytest.param(
        [slot(10, "03 09:00", "03 09:30"), slot(11, "03 09:30", "03 10:00")],
        [10, 20, 30, 40],
        {10: 10, 11: 20},
        id="more-students-than-slots",
    ),
    pytest.param(
        [
            slot(10, "03 09:00", "03 09:30"),
            slot(11, "03 09:30", "03 10:00"),
            slot(12, "03 10:00", "03 10:30"),
        ],
        [10],
        {10: 10},
        id="more-slots-than-students",
    ),
    pytest.param(
        [slot(10, "03 09:00", "03 09:30", presenter=10)],
        [10],
        {},
        id="everyone-placed",
    ),
    pytest.param([], [10, 20], {}, id="no-slots"),
]


@pytest.mark.parametrize(("slots", "students", "expected"), FILL_CASES)
def test_fill_places_waiting_students_in_order(slots, students, expected):
    assert fill(slots, students) == expected


# --- properties -------------------------------------------------------------------------------------------

BASE = datetime(2027, 5, 3, tzinfo=UTC)


@st.composite
def block_days(draw) -> list[Day]:
    """Up to four days, one a calendar day, each starting between 00:00 and 10:00 and up to 12 hours long."""
    count = draw(st.integers(min_value=0, max_value=4))
    days = []
    for index in range(count):
        start = BASE + timedelta(days=index, minutes=draw(st.integers(min_value=0, max_value=600)))
        length = draw(st.integers(min_value=0, max_value=720))
        days.append(Day(100 + index, start, start + minutes(length)))
    return draw(st.permutations(days))


timings = st.builds(
    Timing,
    talk=st.integers(min_value=5, max_value=240).map(minutes),
    gap=st.integers(min_value=0, max_value=120).map(minutes),
    break_after=st.integers(min_value=0, max_value=20),
    break_length=st.integers(min_value=0, max_value=240).map(minutes),
)


@given(days=block_days(), timing=timings)
def test_generate_slots_never_overlap(days, timing):
    slots = sorted(generate(days, timing), key=lambda item: item[1])

    assert all(earlier[2] <= later[1] for earlier, later in zip(slots, slots[1:], strict=False))


@given(days=block_days(), timing=timings)
def test_generate_slots_lie_within_their_day(days, timing):
    by_key = {item.key: item for item in days}

    for key, start, end in generate(days, timing):
        assert by_key[key].start <= start
        assert end <= by_key[key].end


@given(days=block_days(), timing=timings)
def test_generate_slots_have_the_talk_length(days, timing):
    assert all(end - start == timing.talk for _key, start, end in generate(days, timing))


@given(days=block_days(), talk=st.integers(min_value=5, max_value=240))
def test_generate_without_gaps_fits_as_many_talks_as_the_day_holds(days, talk):
    slots = generate(days, Timing(talk=minutes(talk)))

    for item in days:
        on_day = [slot for slot in slots if slot[0] == item.key]
        assert len(on_day) == (item.end - item.start) // minutes(talk)


@st.composite
def plans(draw) -> tuple[list[SlotPlan], list[int]]:
    """Slots with unique keys, some taken by students of the pool, and the pool in some order (students
    in it may already have a slot; a slot may be taken by someone not in the list any more)."""
    pool = draw(st.lists(st.integers(min_value=1, max_value=40), unique=True, max_size=15))
    keys = draw(st.lists(st.integers(min_value=1, max_value=500), unique=True, max_size=20))
    slots = []
    for key in keys:
        start = BASE + minutes(draw(st.integers(min_value=0, max_value=20)) * 30)
        presenter = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=45)))
        slots.append(SlotPlan(key, 1, "A 101", start, start + minutes(30), presenter))
    return slots, draw(st.permutations(pool))


@given(plan=plans())
def test_fill_never_gives_a_student_two_slots(plan):
    slots, students = plan
    placed = {item.presenter for item in slots if item.presenter is not None}

    placement = fill(slots, students)

    assert len(set(placement.values())) == len(placement)
    assert not placed & set(placement.values())


@given(plan=plans())
def test_fill_never_fills_an_occupied_slot(plan):
    slots, students = plan
    occupied = {item.key for item in slots if item.presenter is not None}

    assert not occupied & set(fill(slots, students))


@given(plan=plans())
def test_fill_places_waiting_students_in_their_order_into_the_earliest_free_slots(plan):
    slots, students = plan
    placed = {item.presenter for item in slots if item.presenter is not None}
    waiting = [student for student in students if student not in placed]
    free = sorted((item for item in slots if item.presenter is None), key=lambda item: (item.start, item.key))

    placement = fill(slots, students)

    assert len(placement) == min(len(waiting), len(free))
    assert [placement[item.key] for item in free[: len(placement)]] == waiting[: len(placement)]
