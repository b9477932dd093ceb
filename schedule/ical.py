"""Calendar events of the block seminar: the days and the talks."""

from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from core.ical import CalendarEvent, calendar_bytes
from seminars.models import Seminar

from .models import BlockDay, Slot
from .selectors import paper_changes_of_presenters


def day_event(day: BlockDay, seminar: Seminar) -> CalendarEvent:
    return CalendarEvent(
        uid=f"block-day-{day.pk}",
        start=day.starts_at,
        end=day.ends_at,
        summary=_("Block seminar: %(title)s") % {"title": seminar.display_title},
        zone=seminar.time_zone,
        changed=day.updated_at,
        location=day.place,
        url=reverse("schedule:program", args=[seminar.slug]),
    )


def talk_event(
    slot: Slot, seminar: Seminar, title: str, *, show_name: bool, paper_changed: datetime | None = None
) -> CalendarEvent:
    presenter = slot.presenter.get_full_name() if show_name and slot.presenter else ""
    summary = " – ".join(part for part in (presenter, title or _("Talk")) if part)
    return CalendarEvent(
        uid=f"talk-{slot.uid}",
        start=slot.starts_at,
        end=slot.ends_at,
        summary=summary,
        zone=seminar.time_zone,
        changed=max(slot.updated_at, paper_changed or slot.updated_at),
        location=slot.room or slot.day.place,
        description=seminar.display_title,
        url=reverse("schedule:program", args=[seminar.slug]),
        # Who presents what, whether or not this calendar names the presenter: the same for every viewer.
        revision=f"{slot.presenter_id or ''}:{title}",
    )


def program_calendar(seminar: Seminar, days, *, show_names: bool) -> bytes:
    changes = paper_changes_of_presenters(seminar)
    events = []
    for program_day in days:
        events.append(day_event(program_day.day, seminar))
        events.extend(
            talk_event(
                slot, seminar, title, show_name=show_names, paper_changed=changes.get(slot.presenter_id)
            )
            for slot, title in program_day.slots
            if slot.presenter
        )
    return calendar_bytes(seminar.display_title, events)
