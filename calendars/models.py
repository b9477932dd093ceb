import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private calendar address. Revoking gives a new token; the old address answers 404."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("created"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)


class EventSequence(models.Model):
    """The SEQUENCE (RFC 5545 3.8.7.4) an event's UID was last given, and the fingerprint of what made it
    (start, end, place and the builder's revision). calendars.services.event_sequences_assign keeps it;
    no page shows it."""

    uid = models.CharField(max_length=200, unique=True)
    fingerprint = models.CharField(max_length=64)
    # RFC 5545 INTEGER is 32-bit signed: PostgreSQL's integer refuses more instead of wrapping.
    sequence = models.PositiveIntegerField()

    def __str__(self):
        return f"{self.uid}: {self.sequence}"
