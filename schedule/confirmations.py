"""What the schedule's asking pages say before publishing or removing something."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.confirm import Confirmation
from core.templatetags.zoned import zoned_plain

from . import selectors
from .exceptions import AllotmentNotPublishedError, ConflictsError, DayHasPresentersError
from .models import BlockDay, Slot


def _manage(seminar) -> str:
    return reverse("schedule:manage", args=[seminar.slug])


def publish_confirmation(seminar) -> Confirmation:
    slots = list(selectors.slots_of(seminar))
    presenters = {slot.presenter_id for slot in slots if slot.presenter_id}
    free = [slot for slot in slots if slot.presenter_id is None]
    blockers = []
    if selectors.conflicts_of(seminar, slots):
        blockers.append(str(ConflictsError.message))
    if selectors.allotment_unpublished(seminar):
        blockers.append(str(AllotmentNotPublishedError.message))
    if selectors.is_published(seminar):
        blockers.append(_("The schedule is published already; changes are mailed as they are made."))
    warnings = []
    if free:
        warnings.append(
            ngettext(
                "%(count)d slot has no presenter; the program shows it as a free slot.",
                "%(count)d slots have no presenter; the program shows them as free slots.",
                len(free),
            )
            % {"count": len(free)}
        )
    return Confirmation(
        title=_("Publish the schedule of %(title)s") % {"title": seminar.display_title},
        consequences=[
            ngettext(
                "This mails %(count)d presenter their slot.",
                "This mails %(count)d presenters their slot.",
                len(presenters),
            )
            % {"count": len(presenters)},
            _("From then on every change is recorded and mailed to the students it touches."),
        ],
        warnings=warnings,
        blockers=blockers,
        action_label=_("Publish the schedule"),
        cancel_url=_manage(seminar),
    )


def slot_delete_confirmation(seminar, slot: Slot) -> Confirmation:
    when = zoned_plain(slot.starts_at, seminar.time_zone)
    consequences = [_("This removes the slot of %(when)s.") % {"when": when}]
    if slot.presenter and selectors.is_published(seminar):
        consequences.append(
            _("%(name)s loses their talk and is told by mail.") % {"name": slot.presenter.get_full_name()}
        )
    elif slot.presenter:
        consequences.append(_("%(name)s has no slot afterwards.") % {"name": slot.presenter.get_full_name()})
    return Confirmation(
        title=_("Remove a slot"),
        consequences=consequences,
        action_label=_("Remove the slot"),
        cancel_url=_manage(seminar),
        danger=True,
    )


def day_delete_confirmation(seminar, day: BlockDay) -> Confirmation:
    count = day.slots.count()
    taken = day.slots.filter(presenter__isnull=False).count()
    return Confirmation(
        title=_("Remove a day of the block seminar"),
        consequences=[
            ngettext(
                "This removes the day of %(when)s and its %(count)d slot.",
                "This removes the day of %(when)s and its %(count)d slots.",
                count,
            )
            % {"when": zoned_plain(day.starts_at, seminar.time_zone), "count": count}
        ],
        blockers=[str(DayHasPresentersError.message)] if taken else [],
        action_label=_("Remove the day"),
        cancel_url=_manage(seminar),
        danger=True,
    )
