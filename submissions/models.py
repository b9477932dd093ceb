import uuid
from datetime import UTC, datetime, timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.file_storage import upload_storage
from core.file_types import FileType
from core.languages import DisplayTitle
from core.pdf_checks import PdfFeature
from seminars.models import Seminar

from .deadlines import LatePolicy, Rule


def submissions_storage():
    """Uploads live in their own storage, outside any public path (S3 in a scaled-out deployment)."""
    return upload_storage


def submission_path(instance: "Submission", filename: str) -> str:
    """A random name: the student's file name is kept only for display."""
    extension = PurePosixPath(filename).suffix.lower()[:8]
    return f"seminar-{instance.deliverable.seminar_id}/{uuid.uuid4().hex}{extension}"


class Deliverable(DisplayTitle, models.Model):
    class Kind(models.TextChoices):
        REPORT = "report", _("Written report")
        SLIDES = "slides", _("Slides")
        OTHER = "other", _("Other")

    class DueMode(models.TextChoices):
        FIXED = "fixed", _("A fixed time")
        BEFORE_TALK = "before_talk", _("Days before the student's talk")

    class Policy(models.TextChoices):
        REFUSE = LatePolicy.REFUSE.value, _("Refuse uploads after the due time and the grace period")
        ACCEPT_LATE = LatePolicy.ACCEPT_LATE.value, _("Accept late uploads (marked as late) until a cut-off")

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="deliverables")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REPORT)
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("instructions"), blank=True)
    # German versions (core.languages): a reader sees their language, else the other one.
    title_de = models.CharField(_("title in German"), max_length=200, blank=True)
    instructions_de = models.TextField(_("instructions in German"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    due_mode = models.CharField(_("due time"), max_length=12, choices=DueMode.choices, default=DueMode.FIXED)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    days_before_talk = models.PositiveSmallIntegerField(
        _("days before the talk"), null=True, blank=True, validators=[MaxValueValidator(365)]
    )
    grace_minutes = models.PositiveIntegerField(
        _("grace period (minutes)"),
        default=0,
        validators=[MaxValueValidator(7 * 24 * 60)],
        help_text=_("Uploads this long after the due time still count as on time."),
    )
    late_policy = models.CharField(
        _("late uploads"), max_length=12, choices=Policy.choices, default=Policy.REFUSE
    )
    late_window_hours = models.PositiveIntegerField(
        _("accept late uploads for (hours)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 365)],
        help_text=_("After the due time and the grace period. Empty: late uploads are accepted at any time."),
    )
    late_replaces_on_time = models.BooleanField(
        _("a late version replaces an on-time one"),
        default=False,
        help_text=_(
            "Otherwise the latest on-time version counts, and a late one only when there is no other."
        ),
    )
    allowed_types = models.JSONField(_("accepted file types"), default=list)
    max_size_mb = models.PositiveIntegerField(
        _("size limit (MB)"), default=20, validators=[MinValueValidator(1)]
    )
    max_pages = models.PositiveIntegerField(
        _("page limit (PDF)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    allow_active_content = models.BooleanField(
        _("accept PDFs with scripts"),
        default=False,
        help_text=_(
            "PDFs with JavaScript, launch actions, rich media or XFA forms are refused unless this is on; "
            "accepted ones are marked on the overview, as are PDFs with embedded files."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["order", "due_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(due_mode="fixed", due_at__isnull=False))
                | (models.Q(due_mode="before_talk", days_before_talk__isnull=False)),
                name="deliverable_due_time_given",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def max_bytes(self) -> int:
        return self.max_size_mb * 1024 * 1024

    @property
    def rule(self) -> Rule:
        return Rule.from_settings(
            grace_minutes=self.grace_minutes,
            late_policy=self.late_policy,
            late_window_hours=self.late_window_hours,
        )

    @property
    def allowed_types_label(self) -> str:
        return " / ".join(FileType.LABELS.get(kind, kind.upper()) for kind in self.allowed_types)

    @property
    def accept_attribute(self) -> str:
        return ",".join(f".{kind},{FileType.CONTENT_TYPES[kind]}" for kind in self.allowed_types)

    def base_due_for(self, talk_start: datetime | None) -> datetime | None:
        """The deliverable's due time for one student: fixed, or counted back from their talk (None while
        the student has no talk scheduled)."""
        if self.due_mode == self.DueMode.FIXED:
            return self.due_at
        if talk_start is None:
            return None
        # Calendar days in the seminar's zone: the same clock time, also across a DST change.
        zone = self.seminar.zone
        local = talk_start.astimezone(zone).replace(tzinfo=None) - timedelta(days=self.days_before_talk)
        return local.replace(tzinfo=zone).astimezone(UTC)


class ExtraUnit(models.TextChoices):
    """The unit an instructor gave extra time in; it is shown in that unit ("48 hours", "3 days")."""

    HOURS = "hours", _("hours")
    DAYS = "days", _("days")

    @property
    def minutes(self) -> int:
        return {"hours": 60, "days": 24 * 60}[self.value]


class Extension(models.Model):
    """More time for one student on one deliverable. At most one is active; revoking keeps the record."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="extensions")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="extensions")
    new_due_at = models.DateTimeField(_("new due time"), null=True, blank=True)
    extra_minutes = models.PositiveIntegerField(_("extra time (minutes)"), null=True, blank=True)
    extra_unit = models.CharField(
        _("extra time given in"), max_length=8, choices=ExtraUnit.choices, default=ExtraUnit.HOURS
    )
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="extensions_granted"
    )
    granted_at = models.DateTimeField(_("granted"))
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="extensions_revoked",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["-granted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["deliverable", "student"],
                condition=models.Q(revoked_at__isnull=True),
                name="extension_one_active",
            ),
            models.CheckConstraint(
                condition=(models.Q(new_due_at__isnull=False, extra_minutes__isnull=True))
                | (models.Q(new_due_at__isnull=True, extra_minutes__gt=0)),
                name="extension_new_due_or_extra_time",
            ),
        ]

    def __str__(self):
        return f"{self.student} – {self.deliverable}"

    @property
    def extra(self) -> timedelta | None:
        return timedelta(minutes=self.extra_minutes) if self.extra_minutes else None

    @property
    def extra_label(self) -> str:
        """The extra time in the unit it was given in: "48 hours", "3 days", "1.5 hours"."""
        if not self.extra_minutes:
            return ""
        amount = self.extra_minutes / ExtraUnit(self.extra_unit).minutes
        whole = amount == int(amount)
        shown = formats.number_format(amount, decimal_pos=0 if whole else 2)
        count = int(amount) if whole else 2  # a fraction takes the plural ("1.5 hours")
        if self.extra_unit == ExtraUnit.DAYS:
            return ngettext("%(amount)s day", "%(amount)s days", count) % {"amount": shown}
        return ngettext("%(amount)s hour", "%(amount)s hours", count) % {"amount": shown}

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Submission(models.Model):
    """One uploaded version. Never changed or deleted by a student; which version counts is computed."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.PROTECT, related_name="submissions")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submissions"
    )
    version = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), storage=submissions_storage, upload_to=submission_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    file_type = models.CharField(_("file type"), max_length=10)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField("SHA-256", max_length=64)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    pdf_features = models.JSONField(
        _("PDF contents to look at"),
        default=list,
        blank=True,
        help_text=_("Embedded files, and scripts where the deliverable accepts them."),
    )
    received_at = models.DateTimeField(_("received"))
    due_at = models.DateTimeField(_("due time that applied"), null=True, blank=True)
    is_late = models.BooleanField(_("late"), default=False)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["deliverable", "student", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["deliverable", "student", "version"], name="submission_version_unique"
            )
        ]
        indexes = [models.Index(fields=["deliverable", "student", "received_at"])]

    def __str__(self):
        return f"{self.original_name} (v{self.version})"

    @property
    def content_type(self) -> str:
        return FileType.CONTENT_TYPES.get(self.file_type, "application/octet-stream")

    @property
    def pdf_feature_labels(self) -> list[str]:
        return [
            str(PdfFeature.LABELS[feature]) for feature in self.pdf_features if feature in PdfFeature.LABELS
        ]
