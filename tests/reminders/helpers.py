"""Helpers of the reminders tests."""

from contextlib import contextmanager

from django.db import transaction


@contextmanager
def rolled_back():
    """A state built for one check only (a hypothesis example, one measurement): the savepoint is rolled
    back after it, so the next starts from an empty database again."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
