"""Tests of submissions.deadlines: pure, no database, no clock. Table tests pin down the boundaries a student
or an instructor would ask about (one microsecond either side of each limit); property tests (hypothesis)
check the rule as a whole: monotonic in time, `accepts_until` agreeing with `judge`, `counted_index` always
naming a version that the rule allows to count."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from submissions.deadlines import (
    LatePolicy,
    Rule,
    Verdict,
    accepts_until,
    counted_index,
    effective_due,
    judge,
)

DUE = datetime(2026, 12, 15, 22, 59, tzinfo=UTC)  # 23:59 in Europe/Berlin
US = timedelta(microseconds=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)

REFUSE = Rule()
ACCEPT_LATE = Rule(policy=LatePolicy.ACCEPT_LATE)
GRACE_REFUSE = Rule(grace=timedelta(minutes=15))
GRACE_LATE_WINDOW = Rule(grace=timedelta(minutes=15), policy=LatePolicy.ACCEPT_LATE, late_window=2 * DAY)
LATE_WINDOW = Rule(policy=LatePolicy.ACCEPT_LATE, late_window=2 * DAY)

# The order of the verdicts as time goes on: a later upload never gets a better verdict.
RANK = {Verdict.ON_TIME: 0, Verdict.LATE: 1, Verdict.REFUSED: 2}


# --- strategies -------------------------------------------------------------------------------------------

instants = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
offsets = st.timedeltas(min_value=-30 * DAY, max_value=30 * DAY)
durations = st.timedeltas(min_value=timedelta(0), max_value=30 * DAY)


@st.composite
def rules(draw):
    return Rule(
        grace=draw(durations),
        policy=draw(st.sampled_from(list(LatePolicy))),
        late_window=draw(st.none() | durations),
    )


# --- judge: table -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received_at", "rule", "expected"),
    [
        pytest.param(DUE - US, REFUSE, Verdict.ON_TIME, id="due-1us"),
        pytest.param(DUE, REFUSE, Verdict.ON_TIME, id="exactly-at-due"),
        pytest.param(DUE - 30 * DAY, REFUSE, Verdict.ON_TIME, id="long-before-due"),
        pytest.param(DUE + US, REFUSE, Verdict.REFUSED, id="due+1us-refuse"),
        pytest.param(DUE + US, ACCEPT_LATE, Verdict.LATE, id="due+1us-accept-late"),
        pytest.param(DUE - US, ACCEPT_LATE, Verdict.ON_TIME, id="due-1us-accept-late"),
        pytest.param(DUE, ACCEPT_LATE, Verdict.ON_TIME, id="exactly-at-due-accept-late"),
        pytest.param(DUE + timedelta(minutes=15), GRACE_REFUSE, Verdict.ON_TIME, id="end-of-grace"),
        pytest.param(DUE + timedelta(minutes=15) + US, GRACE_REFUSE, Verdict.REFUSED, id="grace+1us-refuse"),
        pytest.param(
            DUE + timedelta(minutes=15), GRACE_LATE_WINDOW, Verdict.ON_TIME, id="end-of-grace-window"
        ),
        pytest.param(DUE + timedelta(minutes=15) + US, GRACE_LATE_WINDOW, Verdict.LATE, id="grace+1us-late"),
        pytest.param(
            DUE + timedelta(minutes=15) + 2 * DAY, GRACE_LATE_WINDOW, Verdict.LATE, id="end-of-late-window"
        ),
        pytest.param(
            DUE + timedelta(minutes=15) + 2 * DAY + US,
            GRACE_LATE_WINDOW,
            Verdict.REFUSED,
            id="late-window+1us",
        ),
        pytest.param(DUE + 2 * DAY, LATE_WINDOW, Verdict.LATE, id="end-of-window-no-grace"),
        pytest.param(DUE + 2 * DAY + US, LATE_WINDOW, Verdict.REFUSED, id="window+1us-no-grace"),
        pytest.param(DUE + 10_000 * DAY, ACCEPT_LATE, Verdict.LATE, id="no-window-late-forever"),
        pytest.param(
            DUE + 10_000 * DAY,
            Rule(policy=LatePolicy.REFUSE, late_window=2 * DAY),
            Verdict.REFUSED,
            id="window-ignored-under-refuse",
        ),
    ],
)
def test_judge_boundaries(received_at, rule, expected):
    assert judge(received_at, DUE, rule) == expected


@pytest.mark.parametrize("rule", [REFUSE, ACCEPT_LATE, GRACE_REFUSE, GRACE_LATE_WINDOW, LATE_WINDOW])
@pytest.mark.parametrize("received_at", [DUE - 365 * DAY, DUE, DUE + 365 * DAY])
def test_judge_no_due_time_is_on_time(received_at, rule):
    assert judge(received_at, None, rule) == Verdict.ON_TIME


def test_judge_other_time_zone_compares_instants():
    berlin = timezone(timedelta(hours=1))
    at_due_in_berlin = datetime(2026, 12, 15, 23, 59, tzinfo=berlin)  # the same instant as DUE
    assert judge(at_due_in_berlin, DUE, REFUSE) == Verdict.ON_TIME
    assert judge(at_due_in_berlin + US, DUE, REFUSE) == Verdict.REFUSED


def test_judge_zero_late_window_accepts_nothing_after_grace():
    rule = Rule(policy=LatePolicy.ACCEPT_LATE, late_window=timedelta(0))
    assert judge(DUE, DUE, rule) == Verdict.ON_TIME
    assert judge(DUE + US, DUE, rule) == Verdict.REFUSED


# --- effective_due: table ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base_due", "new_due", "extra", "expected"),
    [
        pytest.param(DUE, None, None, DUE, id="no-extension"),
        pytest.param(DUE, DUE + DAY, None, DUE + DAY, id="later-new-due"),
        pytest.param(DUE, DUE - DAY, None, DUE, id="earlier-new-due-never-earlier"),
        pytest.param(DUE, DUE, None, DUE, id="same-new-due"),
        pytest.param(DUE, None, 3 * DAY, DUE + 3 * DAY, id="extra-time"),
        pytest.param(DUE, None, timedelta(0), DUE, id="zero-extra"),
        pytest.param(None, None, None, None, id="base-none"),
        pytest.param(None, DUE + DAY, None, None, id="base-none-with-new-due"),
        pytest.param(None, None, 3 * DAY, None, id="base-none-with-extra"),
    ],
)
def test_effective_due_table(base_due, new_due, extra, expected):
    assert effective_due(base_due, new_due=new_due, extra=extra) == expected


def test_effective_due_extra_follows_moved_deadline():
    moved = DUE + 7 * DAY
    assert effective_due(moved, extra=2 * DAY) == moved + 2 * DAY


# --- counted_index: table ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("late_flags", "late_replaces_on_time", "expected"),
    [
        pytest.param([], False, None, id="empty"),
        pytest.param([], True, None, id="empty-replaces"),
        pytest.param([False], False, 0, id="one-on-time"),
        pytest.param([False, False, False], False, 2, id="latest-on-time-counts"),
        pytest.param([False, True], False, 0, id="late-never-replaces-on-time"),
        pytest.param([False, True, True], False, 0, id="several-late-never-replace-on-time"),
        pytest.param([False, True], True, 1, id="late-replaces-when-allowed"),
        pytest.param([True], False, 0, id="only-late"),
        pytest.param([True, True, True], False, 2, id="only-late-latest-counts"),
        pytest.param([True, False, True], False, 1, id="on-time-between-late"),
        pytest.param([True, False, True], True, 2, id="on-time-between-late-replaces"),
        pytest.param([False, True, False, True], False, 2, id="latest-on-time-among-late"),
    ],
)
def test_counted_index_table(late_flags, late_replaces_on_time, expected):
    assert counted_index(late_flags, late_replaces_on_time=late_replaces_on_time) == expected


# --- properties -------------------------------------------------------------------------------------------


@settings(max_examples=200)
@given(due=instants, rule=rules(), t=offsets, earlier_by=durations)
def test_judge_property_monotonic_in_time(due, rule, t, earlier_by):
    received_at = due + t
    earlier = received_at - earlier_by
    assert RANK[judge(earlier, due, rule)] <= RANK[judge(received_at, due, rule)]


@settings(max_examples=200)
@given(due=instants, rule=rules(), t=offsets, earlier_by=durations)
def test_judge_property_on_time_stays_on_time_earlier(due, rule, t, earlier_by):
    received_at = due + t
    if judge(received_at, due, rule) == Verdict.ON_TIME:
        assert judge(received_at - earlier_by, due, rule) == Verdict.ON_TIME


@settings(max_examples=200)
@given(due=instants, rule=rules(), t=offsets)
def test_judge_property_on_time_iff_within_grace(due, rule, t):
    received_at = due + t
    assert (judge(received_at, due, rule) == Verdict.ON_TIME) == (received_at <= due + rule.grace)


@settings(max_examples=200)
@given(due=instants, rule=rules(), t=offsets)
def test_judge_property_refuse_policy_never_late(due, rule, t):
    rule = Rule(grace=rule.grace, policy=LatePolicy.REFUSE, late_window=rule.late_window)
    assert judge(due + t, due, rule) != Verdict.LATE


@settings(max_examples=200)
@given(received_at=instants, rule=rules())
def test_judge_property_no_due_time_on_time(received_at, rule):
    assert judge(received_at, None, rule) == Verdict.ON_TIME


@settings(max_examples=200)
@given(due=instants, rule=rules())
def test_accepts_until_property_agrees_with_judge(due, rule):
    until = accepts_until(due, rule)
    if until is None:
        assert rule.policy == LatePolicy.ACCEPT_LATE
        assert rule.late_window is None
        assert judge(due + 10_000 * DAY, due, rule) == Verdict.LATE
    else:
        assert judge(until, due, rule) != Verdict.REFUSED
        assert judge(until + US, due, rule) == Verdict.REFUSED


@settings(max_examples=200)
@given(due=instants, rule=rules(), t=offsets)
def test_accepts_until_property_refused_iff_after(due, rule, t):
    until = accepts_until(due, rule)
    received_at = due + t
    refused = judge(received_at, due, rule) == Verdict.REFUSED
    assert refused == (until is not None and received_at > until)


@pytest.mark.parametrize("rule", [REFUSE, ACCEPT_LATE, GRACE_LATE_WINDOW])
def test_accepts_until_no_due_time_is_none(rule):
    assert accepts_until(None, rule) is None


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        pytest.param(REFUSE, DUE, id="refuse"),
        pytest.param(GRACE_REFUSE, DUE + timedelta(minutes=15), id="refuse-grace"),
        pytest.param(ACCEPT_LATE, None, id="late-no-window"),
        pytest.param(GRACE_LATE_WINDOW, DUE + timedelta(minutes=15) + 2 * DAY, id="late-window-grace"),
    ],
)
def test_accepts_until_table(rule, expected):
    assert accepts_until(DUE, rule) == expected


@settings(max_examples=200)
@given(base=instants, new_due=instants)
def test_effective_due_property_new_due_never_earlier(base, new_due):
    result = effective_due(base, new_due=new_due)
    assert result == max(base, new_due)
    assert result >= base


@settings(max_examples=200)
@given(base=instants, extra=durations, moved_by=offsets)
def test_effective_due_property_extra_moves_with_base(base, extra, moved_by):
    assert effective_due(base, extra=extra) == base + extra
    assert effective_due(base + moved_by, extra=extra) == effective_due(base, extra=extra) + moved_by


@settings(max_examples=200)
@given(new_due=st.none() | instants, extra=st.none() | durations)
def test_effective_due_property_base_none_is_none(new_due, extra):
    assert effective_due(None, new_due=new_due, extra=extra) is None


@settings(max_examples=200)
@given(late_flags=st.lists(st.booleans(), max_size=20), late_replaces_on_time=st.booleans())
def test_counted_index_property_valid_and_by_the_rule(late_flags, late_replaces_on_time):
    index = counted_index(late_flags, late_replaces_on_time=late_replaces_on_time)
    if not late_flags:
        assert index is None
        return
    assert 0 <= index < len(late_flags)
    if late_replaces_on_time or all(late_flags):
        assert index == len(late_flags) - 1
    else:
        assert late_flags[index] is False
        assert not any(late is False for late in late_flags[index + 1 :])
