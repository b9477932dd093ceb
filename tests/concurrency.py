"""Real concurrent transactions for the row-lock tests (PostgreSQL only: SQLite serialises all writes)."""

import threading

import pytest
from django.db import connection

from seminars.exceptions import SeminarError

# The marks of a module whose tests race transactions against each other.
POSTGRESQL_ONLY = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL; SQLite serialises all writes"
    ),
    pytest.mark.django_db(transaction=True),
]


def run_at_once(*actions) -> list[str]:
    """Starts every action at the same moment, each in its own thread and connection; returns the sorted
    outcomes: "done", or the name of the SeminarError (or subclass) it raised."""
    start = threading.Barrier(len(actions))
    outcomes = []

    def run(action):
        try:
            start.wait()
            action()
            outcomes.append("done")
        except SeminarError as error:
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)
