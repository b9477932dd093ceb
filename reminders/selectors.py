"""Reads of reminders: a person sees the reminders sent to them; instructors those of their seminar."""

from django.db.models import QuerySet

from seminars.models import Seminar

from .models import Reminder, ReminderSettings


def reminder_settings_of(seminar: Seminar) -> ReminderSettings:
    return ReminderSettings.objects.filter(seminar=seminar).first() or ReminderSettings.defaults_for(seminar)


def reminders_for_user(seminar: Seminar, user) -> QuerySet[Reminder]:
    return Reminder.objects.filter(seminar=seminar, user=user).exclude(state=Reminder.State.PENDING)


def reminders_of_seminar(seminar: Seminar) -> QuerySet[Reminder]:
    return Reminder.objects.filter(seminar=seminar).select_related("user")
