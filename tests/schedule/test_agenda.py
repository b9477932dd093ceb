"""schedule.planning.agenda: a day's talks in order with the breaks between them (pure)."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from schedule.planning import AgendaEntry, agenda

NINE = datetime(2027, 5, 3, 7, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return NINE + timedelta(minutes=minutes)


def test_agenda_puts_a_break_where_the_pause_is_longer_than_the_changeover():
    talks = [(at(0), at(30)), (at(45), at(75)), (at(120), at(150))]

    entries = agenda(talks, changeover=timedelta(minutes=15))

    assert entries == [
        AgendaEntry(at(0), at(30), 0),
        AgendaEntry(at(45), at(75), 1),
        AgendaEntry(at(75), at(120)),
        AgendaEntry(at(120), at(150), 2),
    ]


def test_agenda_orders_talks_by_start_and_keeps_their_index():
    entries = agenda([(at(60), at(90)), (at(0), at(30))], changeover=timedelta(minutes=30))
    assert [entry.talk for entry in entries] == [1, 0]


def test_agenda_of_no_talks_is_empty():
    assert agenda([], changeover=timedelta(0)) == []


talk_lists = st.lists(
    st.tuples(st.integers(0, 600), st.integers(5, 120)).map(
        lambda pair: (at(pair[0]), at(pair[0] + pair[1]))
    ),
    max_size=12,
)


@given(talk_lists, st.integers(0, 60))
def test_agenda_lists_every_talk_once_in_order_and_breaks_only_in_free_time(talks, changeover_minutes):
    changeover = timedelta(minutes=changeover_minutes)

    entries = agenda(talks, changeover=changeover)

    assert sorted(entry.talk for entry in entries if not entry.is_break) == list(range(len(talks)))
    starts = [entry.start for entry in entries]
    assert starts == sorted(starts)
    for entry in entries:
        if entry.is_break:
            assert entry.end - entry.start > changeover
            assert all(end <= entry.start or start >= entry.end for start, end in talks)
    assert not entries or not entries[0].is_break
    assert not entries or not entries[-1].is_break
