"""Local wall-clock times in a named zone, refused rather than shifted when a DST change makes them
nonexistent (spring forward) or ambiguous (fall back)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.utils import formats, timezone
from django.utils.translation import gettext as _


class LocalTimeError(ValueError):
    pass


def localize_strict(naive: datetime, zone: ZoneInfo) -> datetime:
    """The aware datetime for a wall-clock time in `zone`; LocalTimeError when that time does not exist
    or happens twice on that day."""
    earlier = naive.replace(tzinfo=zone, fold=0)
    later = naive.replace(tzinfo=zone, fold=1)
    if earlier.utcoffset() == later.utcoffset():
        return earlier
    shown = formats.date_format(naive, "DATETIME_FORMAT")
    if earlier.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise LocalTimeError(
            _(
                "%(time)s does not exist in %(zone)s: the clocks are put forward that night. "
                "Please choose another time."
            )
            % {"time": shown, "zone": zone.key}
        )
    raise LocalTimeError(
        _(
            "%(time)s happens twice in %(zone)s: the clocks are put back that night. "
            "Please choose a time outside the repeated hour."
        )
        % {"time": shown, "zone": zone.key}
    )


def local_naive(value: datetime | None, zone: ZoneInfo) -> datetime | None:
    """What an instructor typed: the wall-clock time in `zone`, for showing in a form field."""
    if value is None:
        return None
    return timezone.localtime(value, zone).replace(tzinfo=None)
