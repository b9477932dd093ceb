"""Writes of calendar feeds: a person's secret address, replacing it (which revokes the old one), and the
SEQUENCE of each event a feed shows."""

from collections.abc import Mapping

from django.db import connection, transaction

from accounts.models import User
from core.ical import Revision

from .models import CalendarFeed, EventSequence, new_token

# Rows per statement: three parameters each stay below SQLite's 32,766 and PostgreSQL's 65,535.
SEQUENCE_BATCH = 5000


def calendar_feed_get(*, user: User) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> CalendarFeed:
    """The old address stops working at once (404); the person copies the new one."""
    feed, _created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    feed.token = new_token()
    feed.save()
    return feed


@transaction.atomic
def event_sequences_assign(*, revisions: Mapping[str, Revision]) -> dict[str, int]:
    """Each event's SEQUENCE: a UID no feed has shown starts at its first_sequence (the seconds since 2020
    that feeds showed before, so no client sees it go back); it grows by one whenever the event's
    fingerprint differs from the one a feed last showed it with, however little time passed, and stays
    otherwise. One INSERT ... ON CONFLICT DO UPDATE ... WHERE fingerprint differs: the database locks each
    conflicting row and compares again under the lock, so two feeds built at once with the same change
    raise it once; rows go in UID order, so two such statements never wait on each other in a cycle.
    Two queries per SEQUENCE_BATCH events."""
    uids = sorted(revisions)
    sequences: dict[str, int] = {}
    for start in range(0, len(uids), SEQUENCE_BATCH):
        batch = uids[start : start + SEQUENCE_BATCH]
        with connection.cursor() as cursor:
            cursor.execute(
                _upsert_sql(len(batch)),
                [
                    value
                    for uid in batch
                    for value in (uid, revisions[uid].fingerprint, revisions[uid].first_sequence)
                ],
            )
        sequences.update(EventSequence.objects.filter(uid__in=batch).values_list("uid", "sequence"))
    return sequences


def _upsert_sql(rows: int) -> str:
    table = connection.ops.quote_name(EventSequence._meta.db_table)
    values = ", ".join(["(%s, %s, %s)"] * rows)
    return (
        f"INSERT INTO {table} (uid, fingerprint, sequence) VALUES {values} "  # noqa: S608 - no user input
        "ON CONFLICT (uid) DO UPDATE SET fingerprint = excluded.fingerprint, "
        f"sequence = {table}.sequence + 1 WHERE {table}.fingerprint <> excluded.fingerprint"
    )
