"""Form fields for times typed in a seminar's zone: a wall-clock time, placed in the zone strictly (a time
that does not exist or happens twice on a daylight-saving change is a field error, never shifted)."""

from datetime import UTC

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .zoned_time import LocalTimeError, local_naive, localize_strict


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time without a zone; the form places it in the seminar's zone itself, strictly."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        # Parsed under UTC, which has no gaps or repeats, so that only the seminar's zone judges the time.
        with timezone.override(UTC):
            result = super().to_python(value)
        return result.replace(tzinfo=None) if result is not None else None

    def prepare_value(self, value):
        return value


class ZonedTimesMixin:
    """For a form with LocalDateTimeFields: shows the instance's times as wall-clock times in the seminar's
    zone, and places what was typed back in that zone strictly (a DST gap or overlap is a field error)."""

    zoned_fields: tuple[str, ...] = ()

    def show_in_zone(self, zone) -> None:
        for name in self.zoned_fields:
            self.initial[name] = local_naive(getattr(self.instance, name, None), zone)
            self.fields[name].help_text = _("In the seminar's time zone (%(zone)s).") % {"zone": zone.key}

    def place_in_zone(self, cleaned: dict, zone) -> None:
        for name in self.zoned_fields:
            if cleaned.get(name) is not None:
                try:
                    cleaned[name] = localize_strict(cleaned[name], zone)
                except LocalTimeError as error:
                    self.add_error(name, str(error))


def id_or_none(value) -> int | None:
    """A database id typed or sent as text ("42"), or None for anything else (also "²", which isdigit()
    accepts but int() refuses, and a number too large for any id)."""
    text = str(value or "").strip()
    if text.isascii() and text.isdecimal() and len(text) <= 18:
        return int(text) or None
    return None
