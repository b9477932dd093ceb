import uuid
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from seminars.models import Seminar

from .planning import Timing


class BlockSeminar(models.Model):
    """How the talks of a seminar's block seminar are laid out, and whether the schedule is published."""

    seminar = models.OneToOneField(Seminar, on_delete=models.CASCADE, related_name="block_seminar")
    talk_minutes = models.PositiveSmallIntegerField(
        _("talk length (minutes)"), default=30, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    gap_minutes = models.PositiveSmallIntegerField(
        _("after each talk (minutes)"),
        default=15,
        validators=[MaxValueValidator(120)],
        help_text=_("Discussion and changeover."),
    )
    break_after = models.PositiveSmallIntegerField(
        _("a break after every … talks"),
        default=3,
        validators=[MaxValueValidator(20)],
        help_text=_("0 for no breaks."),
    )
    break_minutes = models.PositiveSmallIntegerField(
        _("break length (minutes)"), default=30, validators=[MaxValueValidator(240)]
    )
    discussants_per_talk = models.PositiveSmallIntegerField(
        _("discussants per talk"),
        default=1,
        validators=[MaxValueValidator(2)],
        help_text=_("Assigned automatically when the schedule is published; 0 for none."),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("block seminar")
        verbose_name_plural = _("block seminars")

    def __str__(self):
        return str(self.seminar)

    @property
    def timing(self) -> Timing:
        return Timing(
            talk=timedelta(minutes=self.talk_minutes),
            gap=timedelta(minutes=self.gap_minutes),
            break_after=self.break_after,
            break_length=timedelta(minutes=self.break_minutes),
        )


class BlockDay(models.Model):
    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="block_days")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.CharField(_("room"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("block seminar day")
        verbose_name_plural = _("block seminar days")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="day_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.seminar}: {self.starts_at:%Y-%m-%d}"

    @property
    def place(self) -> str:
        return ", ".join(part for part in (self.room, self.online_url) if part)


class Slot(models.Model):
    """One talk. The UID stays the same for the slot's life; calendars see a moved talk as a change."""

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="slots")
    day = models.ForeignKey(BlockDay, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.CharField(_("room"), max_length=200, blank=True)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="talk_slots",
        verbose_name=_("presenter"),
    )
    discussant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="discussed_slots",
        verbose_name=_("discussant"),
    )
    second_discussant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="second_discussed_slots",
        verbose_name=_("second discussant"),
    )
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["starts_at", "room", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.seminar}: {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def discussants(self) -> list:
        return [person for person in (self.discussant, self.second_discussant) if person is not None]


class ScheduleChange(models.Model):
    """A change to a published schedule that touched one student: their talk moved, was given or taken."""

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="schedule_changes")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    old_starts_at = models.DateTimeField(_("was"), null=True, blank=True)
    new_starts_at = models.DateTimeField(_("is now"), null=True, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("changed"))

    class Meta:
        verbose_name = _("schedule change")
        verbose_name_plural = _("schedule changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.student}: {self.old_starts_at} → {self.new_starts_at}"
