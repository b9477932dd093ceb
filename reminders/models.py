import enum

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from seminars.models import Seminar

from .registry import KEY_MAX_LENGTH, kind_choices
from .schedule import DEFAULT_OFFSETS, format_offset


class ReminderSettings(models.Model):
    """A seminar's reminder offsets; seminars without a row use the defaults (7 days, 1 day, 3 hours)."""

    seminar = models.OneToOneField(Seminar, on_delete=models.CASCADE, related_name="reminder_settings")
    offsets = models.JSONField(_("reminder offsets (minutes before the deadline)"), default=list)
    instructor_summary = models.BooleanField(
        _("send instructors a summary after each deadline"), default=True
    )

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")

    def __str__(self):
        return str(self.seminar)

    @classmethod
    def defaults_for(cls, seminar: Seminar) -> "ReminderSettings":
        return cls(seminar=seminar, offsets=list(DEFAULT_OFFSETS))


class Reminder(models.Model):
    """One reminder mail: (user, obligation, offset) is claimed by inserting this row before anything is
    sent, under a unique constraint, so it goes out at most once however many scans and workers run."""

    class Kind(enum.StrEnum):
        """The keys of the built-in kinds (their classes are in kinds.py); the registry lists every kind."""

        DELIVERABLE = "deliverable"
        RANKING = "ranking"
        SUMMARY = "summary"
        TALK = "talk"
        REVIEW = "review"  # reminders.kinds.reviews

    class State(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("not needed any more")

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=KEY_MAX_LENGTH, choices=kind_choices)
    object_id = models.PositiveBigIntegerField(_("deliverable or preference window"))
    offset_minutes = models.PositiveIntegerField(_("minutes before the deadline"))
    title = models.CharField(_("about"), max_length=200)
    due_at = models.DateTimeField(_("deadline"))
    fire_at = models.DateTimeField(_("due to be sent"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("claimed"))
    enqueued_at = models.DateTimeField(_("handed to a worker"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-fire_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "object_id", "offset_minutes"], name="reminder_once_per_offset"
            )
        ]
        indexes = [
            models.Index(fields=["state", "enqueued_at"]),
            models.Index(fields=["seminar", "-fire_at"]),
            models.Index(fields=["kind", "object_id"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title} → {self.user} ({self.offset_label})"

    @property
    def obligation(self) -> str:
        return f"{self.kind}:{self.object_id}"

    @property
    def offset_label(self) -> str:
        return format_offset(self.offset_minutes) if self.offset_minutes else "–"
