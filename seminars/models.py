import uuid
import zoneinfo
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.file_storage import uploads_storage
from core.file_types import FileType
from core.languages import DisplayTitle


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(zone)s” is not a time zone. Use a name such as Europe/Berlin."), params={"zone": value}
        )


# Addresses of the portal's own under /seminars/ (seminars:create); no seminar may take them as its slug.
RESERVED_SLUGS = frozenset({"new"})


def validate_slug_not_reserved(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is a word the portal's addresses use. Please choose another."),
            params={"slug": value},
        )


class Seminar(DisplayTitle, models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft (only its members see it)")
        OPEN = "open", _("Open for enrolment")
        CLOSED = "closed", _("Enrolment closed")
        ARCHIVED = "archived", _("Archived")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("short name in the address"), max_length=80, unique=True, validators=[validate_slug_not_reserved]
    )
    term = models.CharField(_("term"), max_length=60, help_text=_("For example “Summer term 2021”."))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)

    focus = models.TextField(_("focus of the seminar"), blank=True)
    topics_intro = models.TextField(
        _("introduction to the topics"), blank=True, help_text=_("Shown above the list of topics.")
    )
    topics_outro = models.TextField(
        _("text after the topics"), blank=True, help_text=_("Shown below the list of topics.")
    )
    mandatory_prerequisites = models.TextField(
        _("mandatory prerequisites"),
        blank=True,
        help_text=_("One per line. Students confirm these when they enrol."),
    )
    recommended_prerequisites = models.TextField(
        _("recommended prerequisites"), blank=True, help_text=_("One per line.")
    )
    objectives_intro = models.TextField(_("introduction to the objectives"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True, help_text=_("One per line."))
    evaluation = models.TextField(
        _("evaluation"),
        blank=True,
        help_text=_("How students are assessed. The grade weights are added below this text."),
    )

    # The German versions of the page's texts (core.languages): a reader sees their language, else the other.
    title_de = models.CharField(_("title in German"), max_length=200, blank=True)
    focus_de = models.TextField(_("focus of the seminar in German"), blank=True)
    topics_intro_de = models.TextField(_("introduction to the topics in German"), blank=True)
    topics_outro_de = models.TextField(_("text after the topics in German"), blank=True)
    mandatory_prerequisites_de = models.TextField(
        _("mandatory prerequisites in German"), blank=True, help_text=_("One per line.")
    )
    recommended_prerequisites_de = models.TextField(
        _("recommended prerequisites in German"), blank=True, help_text=_("One per line.")
    )
    objectives_intro_de = models.TextField(_("introduction to the objectives in German"), blank=True)
    objectives_de = models.TextField(_("objectives in German"), blank=True, help_text=_("One per line."))
    evaluation_de = models.TextField(_("evaluation in German"), blank=True)
    premeeting_description_de = models.TextField(_("about the pre-course meeting in German"), blank=True)

    premeeting_start = models.DateTimeField(_("pre-course meeting starts"), null=True, blank=True)
    premeeting_end = models.DateTimeField(_("pre-course meeting ends"), null=True, blank=True)
    premeeting_location = models.CharField(
        _("pre-course meeting place"), max_length=200, blank=True, help_text=_("For example “online (BBB)”.")
    )
    premeeting_url = models.URLField(_("pre-course meeting online link"), blank=True)
    premeeting_recording_url = models.URLField(_("pre-course meeting recording"), blank=True)
    premeeting_slides_url = models.URLField(_("pre-course meeting slides"), blank=True)
    premeeting_description = models.TextField(_("about the pre-course meeting"), blank=True)

    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Berlin", validators=[validate_time_zone]
    )
    capacity = models.PositiveIntegerField(
        _("places for students"), default=20, validators=[MinValueValidator(1)]
    )
    # What the exam office books the grades under; both printed on every line of the grade export.
    module_number = models.CharField(
        _("module number"),
        max_length=40,
        blank=True,
        help_text=_("The module or exam number in the campus system, for example “IN2107”."),
    )
    exam_date = models.DateField(
        _("exam date"),
        null=True,
        blank=True,
        help_text=_("The date the exam office records the grades under, for example the last day of talks."),
    )
    withdrawal_deadline = models.DateTimeField(
        _("students may withdraw until"),
        null=True,
        blank=True,
        help_text=_(
            "Until then a student can withdraw from the seminar on its page; afterwards only an instructor "
            "can withdraw them. Empty: only an instructor can."
        ),
    )

    # Set by a department's matching round the seminar takes part in (the matching app, above this one):
    # its places are given by the matching, so first-come enrolment refuses.
    places_by_matching = models.BooleanField(
        _("places given by the department's matching"),
        default=False,
        help_text=_("Students rank the seminar in a matching round; nobody enrols first come, first served."),
    )

    contact_email = models.EmailField(
        _("contact address"),
        blank=True,
        help_text=_("Shown on the seminar page for questions, e.g. the chair's seminar address."),
    )
    papers_public = models.BooleanField(
        _("paper catalogue is public"),
        default=False,
        help_text=_("Visitors and students of other seminars see the papers; otherwise only members do."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("seminar")
        verbose_name_plural = _("seminars")
        ordering = ["-created_at", "title"]
        # A site permission, given in the Django admin to a person or a group (a chair's staff): asked by
        # the access policy as seminars.create and seminars.copy (seminars/rules.py).
        permissions = [("run_seminars", "Can create and copy seminars")]
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="seminar_capacity_positive"),
            models.CheckConstraint(
                condition=models.Q(premeeting_end__isnull=True)
                | models.Q(premeeting_start__isnull=True)
                | models.Q(premeeting_end__gt=models.F("premeeting_start")),
                name="seminar_premeeting_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.term})"

    def get_absolute_url(self):
        return reverse("seminars:detail", kwargs={"slug": self.slug})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_public(self) -> bool:
        return self.state != self.State.DRAFT

    @property
    def is_open_for_enrolment(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def mandatory_prerequisite_list(self) -> list[str]:
        return _lines(self.mandatory_prerequisites)

    @property
    def recommended_prerequisite_list(self) -> list[str]:
        return _lines(self.recommended_prerequisites)

    @property
    def objective_list(self) -> list[str]:
        return _lines(self.objectives)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class Topic(DisplayTitle, models.Model):
    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(_("title"), max_length=200)
    title_de = models.CharField(_("title in German"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["seminar", "order", "title"]
        constraints = [models.UniqueConstraint(fields=["seminar", "title"], name="topic_title_unique")]

    def __str__(self):
        return self.title


class MembershipQuerySet(models.QuerySet):
    def current(self):
        """Without withdrawn students: the memberships that make a person part of the seminar now."""
        return self.filter(withdrawn_at__isnull=True)


class Membership(models.Model):
    """A person's role in one seminar. Rights never carry over from one seminar to another.

    A student who withdraws keeps the row (with when and by whom), so their uploads and grades stay for the
    exam office; from then on the access policy no longer counts them as a student (seminars.rules)."""

    class Role(models.TextChoices):
        STUDENT = "student", _("Student")
        SUPERVISOR = "supervisor", _("Supervisor")
        INSTRUCTOR = "instructor", _("Instructor")

    class Source(models.TextChoices):
        ENROLMENT = "enrolment", _("Enrolled themselves")
        IMPORT = "import", _("Imported from a list")
        ADMIN = "admin", _("Added by an administrator")
        INVITATION = "invitation", _("Invited by an instructor")
        CREATED = "created", _("Created the seminar")
        MATCHING = "matching", _("Given a place by the department's matching")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.STUDENT)
    source = models.CharField(
        _("how they joined"), max_length=12, choices=Source.choices, default=Source.ADMIN
    )
    prerequisites_confirmed_at = models.DateTimeField(_("prerequisites confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("joined at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["seminar", "role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "seminar"], name="membership_one_role_per_seminar"),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True) | models.Q(role="student"),
                name="membership_only_students_withdraw",
            ),
        ]
        indexes = [models.Index(fields=["seminar", "role"])]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.seminar}"


class Announcement(models.Model):
    """A message an instructor mailed to some of the seminar's people; kept as the seminar's archive."""

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("All participants (students, supervisors and instructors)")
        STUDENTS = "students", _("All students")
        TOPIC = "topic", _("The students of one topic (by their allotted paper)")

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="announcements")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_name = models.CharField(_("from"), max_length=200)
    reply_to = models.EmailField(_("replies go to"))
    audience = models.CharField(_("to"), max_length=10, choices=Audience.choices)
    topic = models.ForeignKey(Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Kept as it was when the message went out: a topic may be renamed or removed later.
    topic_title = models.CharField(_("topic"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    subject_de = models.CharField(_("subject in German"), max_length=200, blank=True)
    body_de = models.TextField(_("message in German"), blank=True)
    recipient_count = models.PositiveIntegerField(_("recipients"))
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["seminar", "-sent_at"])]

    def __str__(self):
        return self.subject


def material_path(instance: "Material", filename: str) -> str:
    """A random name in the seminar's folder of the uploads storage: the original name is kept only for
    the download (the orphan check in submissions/integrity.py knows this folder)."""
    extension = PurePosixPath(filename).suffix.lower()[:8]
    return f"seminar-{instance.seminar_id}/materials/{uuid.uuid4().hex}{extension}"


class Material(DisplayTitle, models.Model):
    """A file the instructors hand to everyone in the seminar (a LaTeX template, slides, a reading list),
    checked and stored as submissions are."""

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    title_de = models.CharField(_("title in German"), max_length=200, blank=True)
    description_de = models.TextField(_("description in German"), blank=True)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Materials are listed by this number, the smallest first.")
    )
    file = models.FileField(_("file"), storage=uploads_storage, upload_to=material_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    file_type = models.CharField(_("file type"), max_length=10)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"))

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["order", "title", "pk"]
        indexes = [models.Index(fields=["seminar", "order"])]

    def __str__(self):
        return self.title

    @property
    def content_type(self) -> str:
        return FileType.CONTENT_TYPES.get(self.file_type, "application/octet-stream")

    @property
    def type_label(self) -> str:
        return FileType.LABELS.get(self.file_type, self.file_type.upper())
