"""calendars.services.event_sequences_assign, the SEQUENCE store behind every calendar file: a new UID
starts at the seconds since 2020 that feeds showed before, each change of fingerprint raises it by one
(also back to an earlier one), the same fingerprint keeps it; two queries however many events; and on
PostgreSQL, feeds built at the same moment raise it once and never deadlock."""

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from calendars.models import EventSequence
from calendars.services import event_sequences_assign
from core.ical import Revision

pytestmark = pytest.mark.django_db


def assign(**fingerprints: str) -> dict[str, int]:
    return event_sequences_assign(
        revisions={uid: Revision(fingerprint, 220_000_000) for uid, fingerprint in fingerprints.items()}
    )


def test_new_uid_starts_at_its_first_sequence_and_keeps_it_while_nothing_changes():
    assert assign(talk="a", day="x") == {"talk": 220_000_000, "day": 220_000_000}
    assert assign(talk="a", day="x") == {"talk": 220_000_000, "day": 220_000_000}


def test_each_change_of_fingerprint_raises_the_sequence_by_one_also_back_to_an_earlier_one():
    seen = [assign(talk=fingerprint)["talk"] for fingerprint in ("a", "b", "b", "a", "c")]

    assert seen == [220_000_000, 220_000_001, 220_000_001, 220_000_002, 220_000_003]


def test_sequence_of_a_uid_never_goes_back_to_a_smaller_first_sequence():
    assign(talk="a")

    found = event_sequences_assign(revisions={"talk": Revision("b", 5)})

    assert found == {"talk": 220_000_001}


def test_only_the_changed_events_are_raised():
    assign(talk="a", day="x", report="r")

    assert assign(talk="a", day="y", report="r") == {
        "talk": 220_000_000,
        "day": 220_000_001,
        "report": 220_000_000,
    }


@pytest.mark.parametrize("size", [10, 2000])
def test_assigning_costs_two_queries_however_many_events(size):
    assign(**{f"e{index}": "a" for index in range(size // 2)})
    changed = {f"e{index}": "b" if index % 3 else "a" for index in range(size)}

    with CaptureQueriesContext(connection) as queries:
        found = assign(**changed)

    statements = [query["sql"] for query in queries if "SAVEPOINT" not in query["sql"]]
    assert len(statements) == 2
    assert sum(sequence == 220_000_001 for sequence in found.values()) == sum(
        1 for index in range(size // 2) if index % 3
    )


def run_at_once(work, count: int) -> list[BaseException]:
    start = threading.Barrier(count)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            start.wait(timeout=10)
            work(index)
        except BaseException as error:  # noqa: BLE001 - reported by the caller's assertion
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.django_db(transaction=True)
def test_feeds_built_at_once_with_the_same_change_raise_the_sequence_once():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the row locks are tested on PostgreSQL")
    uids = [f"talk-{index}" for index in range(200)]
    assign(**dict.fromkeys(uids, "before"))

    # Each feed lists the events in its own order; the store sorts them.
    errors = run_at_once(lambda index: assign(**dict.fromkeys(uids[index:] + uids[:index], "after")), count=6)

    assert errors == []
    assert set(EventSequence.objects.filter(uid__in=uids).values_list("sequence", flat=True)) == {220_000_001}


@pytest.mark.django_db(transaction=True)
def test_feeds_built_at_once_with_overlapping_changes_all_finish():
    """Four feeds of 150 events each, overlapping by 100, each in reverse order: no deadlock, and each
    event raised once for its one change."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the row locks are tested on PostgreSQL")
    uids = [f"deliverable-{index}" for index in range(300)]
    assign(**dict.fromkeys(uids, "before"))

    errors = run_at_once(
        lambda index: assign(**dict.fromkeys(reversed(uids[index * 50 : index * 50 + 150]), "after")), count=4
    )

    assert errors == []
    assert set(EventSequence.objects.filter(uid__in=uids).values_list("sequence", flat=True)) == {220_000_001}
