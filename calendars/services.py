"""Writes of calendar feeds: a person's secret address, and replacing it (which revokes the old one)."""

from django.db import transaction

from accounts.models import User

from .models import CalendarFeed, new_token


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
