"""Times shown in a seminar's zone, with the zone named: "Mon 8 Feb 2021, 18:00 CET (Europe/Berlin)"."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


def _local(value, zone_name):
    return timezone.localtime(value, ZoneInfo(zone_name))


def zoned_plain(value, zone_name) -> str:
    local = _local(value, zone_name)
    date, time = formats.date_format(local, "DATE_FORMAT"), formats.time_format(local, "TIME_FORMAT")
    return f"{date}, {time} {local.tzname()} ({zone_name})"


@register.simple_tag
def zoned_text(value, zone_name):
    """The same words as `zoned`, without markup, for plain-text mail."""
    return "" if value is None else zoned_plain(value, zone_name)


@register.simple_tag
def zoned(value, zone_name):
    if value is None:
        return ""
    local = _local(value, zone_name)
    return format_html(
        '<time datetime="{}">{}, {} {} ({})</time>',
        value.isoformat(timespec="seconds"),
        formats.date_format(local, "DATE_FORMAT"),
        formats.time_format(local, "TIME_FORMAT"),
        local.tzname(),
        zone_name,
    )


@register.simple_tag
def zoned_range(start, end, zone_name):
    """One date with its start and end time when both fall on the same local day and in the same offset
    (a range across a daylight-saving change names the zone abbreviation at each end)."""
    if start is None:
        return ""
    if end is None:
        return zoned(start, zone_name)
    first, last = _local(start, zone_name), _local(end, zone_name)
    if first.date() != last.date() or first.tzname() != last.tzname():
        return format_html("{} – {}", zoned(start, zone_name), zoned(end, zone_name))
    return format_html(
        '<time datetime="{}">{}, {}</time>–<time datetime="{}">{}</time> {} ({})',
        start.isoformat(timespec="seconds"),
        formats.date_format(first, "DATE_FORMAT"),
        formats.time_format(first, "TIME_FORMAT"),
        end.isoformat(timespec="seconds"),
        formats.time_format(last, "TIME_FORMAT"),
        last.tzname(),
        zone_name,
    )


@register.simple_tag
def zoned_short(value, zone_name):
    """A time in the zone without naming it, for a page or table whose caption names the zone once
    (`zone_caption`): "Mon 8 Feb 2021, 18:00"."""
    if value is None:
        return ""
    local = _local(value, zone_name)
    return format_html(
        '<time datetime="{}">{}, {}</time>',
        value.isoformat(timespec="seconds"),
        formats.date_format(local, "DATE_FORMAT"),
        formats.time_format(local, "TIME_FORMAT"),
    )


def zone_abbreviations(zone_name: str, year: int | None = None) -> list[str]:
    """The zone's abbreviations in winter and summer of the year ("CET", "CEST"), once each."""
    zone = ZoneInfo(zone_name)
    year = year or timezone.now().year
    names = [datetime(year, month, 1, 12, tzinfo=zone).tzname() for month in (1, 7)]
    return list(dict.fromkeys(name for name in names if name))


@register.simple_tag
def zone_caption(zone_name):
    """Names the zone once for a page or table: "Times in Europe/Berlin (CET/CEST)"."""
    return format_html(
        '<span class="zone-caption" data-zone="{}">{}</span>',
        zone_name,
        _("Times in %(zone)s (%(abbreviations)s)")
        % {"zone": zone_name, "abbreviations": "/".join(zone_abbreviations(zone_name))},
    )


@register.simple_tag
def zoned_date(value, zone_name):
    """The local date alone, as a heading over times of that day: "Monday, 8 February 2021"."""
    if value is None:
        return ""
    local = _local(value, zone_name)
    return format_html(
        '<time datetime="{}">{}</time>',
        local.date().isoformat(),
        formats.date_format(local, "l, " + formats.get_format("DATE_FORMAT")),
    )


@register.simple_tag
def zoned_clock(value, zone_name):
    """The local clock time alone ("18:00"), under a heading with the date and a caption with the zone."""
    if value is None:
        return ""
    local = _local(value, zone_name)
    return format_html(
        '<time datetime="{}">{}</time>',
        value.isoformat(timespec="seconds"),
        formats.time_format(local, "TIME_FORMAT"),
    )


@register.simple_tag
def zoned_range_short(start, end, zone_name):
    """`zoned_range` without the zone, for a table whose caption names it: "Mon 8 Feb 2021, 18:00–19:00"."""
    if start is None:
        return ""
    if end is None:
        return zoned_short(start, zone_name)
    first, last = _local(start, zone_name), _local(end, zone_name)
    if first.date() != last.date():
        return format_html("{} – {}", zoned_short(start, zone_name), zoned_short(end, zone_name))
    return format_html(
        '<time datetime="{}">{}, {}</time>–<time datetime="{}">{}</time>',
        start.isoformat(timespec="seconds"),
        formats.date_format(first, "DATE_FORMAT"),
        formats.time_format(first, "TIME_FORMAT"),
        end.isoformat(timespec="seconds"),
        formats.time_format(last, "TIME_FORMAT"),
    )
