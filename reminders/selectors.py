"""Reads of reminders: a person sees the reminders sent to them; instructors those of their seminar."""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import QuerySet

from seminars.models import Seminar

from .models import Reminder, ReminderSettings
from .registry import kind_of


def reminder_settings_of(seminar: Seminar) -> ReminderSettings:
    return ReminderSettings.objects.filter(seminar=seminar).first() or ReminderSettings.defaults_for(seminar)


def reminders_for_user(seminar: Seminar, user) -> QuerySet[Reminder]:
    return Reminder.objects.filter(seminar=seminar, user=user).exclude(state=Reminder.State.PENDING)


def reminders_of_seminar(seminar: Seminar) -> QuerySet[Reminder]:
    return Reminder.objects.filter(seminar=seminar).select_related("user")


def with_titles(reminders: Iterable[Reminder]) -> list[Reminder]:
    """The reminders, each with `display_title`: what it is about in the reader's language (its kind's
    `titles`), else the title stored when it was claimed (in the portal's language). One query per kind
    among them, however many reminders."""
    reminders = list(reminders)
    wanted: dict[str, set[int]] = defaultdict(set)
    for reminder in reminders:
        wanted[reminder.kind].add(reminder.object_id)
    titles = {key: kind.titles(ids) for key, ids in wanted.items() if (kind := kind_of(key)) is not None}
    for reminder in reminders:
        reminder.display_title = titles.get(reminder.kind, {}).get(reminder.object_id, reminder.title)
    return reminders
