from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "calendars"
    verbose_name = _("Calendar feeds")

    def ready(self):
        # core.ical writes every calendar file (program.ics too) but sits below every app; the
        # SEQUENCE store is ours, handed down here so that nobody imports calendars.
        from core.ical import register_sequence_store

        from .services import event_sequences_assign

        register_sequence_store(event_sequences_assign)
