import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.file_storage import upload_storage
from core.file_types import FileType
from reviews.rubric import Criterion, from_data
from seminars.models import Seminar
from submissions.models import Deliverable

from .scoring import CUT, NEAREST_STEP, STEPS


class GradingSettings(models.Model):
    """A seminar's exam rules and whether its grades are released. Final grades are computed, never stored,
    so a changed rule applies to every final grade at once."""

    class Rounding(models.TextChoices):
        CUT = CUT, _("Cut to one decimal (Bavarian rule for composite grades)")
        NEAREST_STEP = NEAREST_STEP, _("Nearest step of the grade scale")

    seminar = models.OneToOneField(Seminar, on_delete=models.CASCADE, related_name="grading_settings")
    rounding = models.CharField(
        _("rounding of the final grade"), max_length=8, choices=Rounding.choices, default=CUT
    )
    must_pass_all = models.BooleanField(
        _("every component must be passed"),
        default=True,
        help_text=_("A 5,0 in any component makes the final grade 5,0."),
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("grading settings")
        verbose_name_plural = _("grading settings")

    def __str__(self):
        return f"{self.seminar}: {self.get_rounding_display()}"


def name_in_language(name_en: str, name_de: str) -> str:
    """The name in the reader's language, else the other one."""
    if translation.get_language() == "de":
        return name_de or name_en
    return name_en or name_de


class GradeComponent(models.Model):
    """One graded part of a seminar (presentation, report, participation, ...) and its weight in the final
    grade. The weights of a seminar are whole percent and add up to 100; grading.services keeps that rule
    (it spans rows, so no database constraint can). A seminar without rows has the default components
    (grading.selectors.default_components), saved with the first grade or the first edit."""

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="grade_components")
    # Stable while the names change: the sheet posts it, and the two default components are known by it.
    key = models.SlugField(_("key"), max_length=50)
    name_en = models.CharField(_("name in English"), max_length=80, blank=True)
    name_de = models.CharField(_("name in German"), max_length=80, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight (%)"), validators=[MaxValueValidator(100)])
    deliverable = models.ForeignKey(
        Deliverable,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("linked deliverable"),
        help_text=_("The grading sheet links each student's counted file of this deliverable."),
    )
    order = models.PositiveSmallIntegerField(_("position"), default=1)
    # The examiners' rubric for this component (reviews.rubric: criteria with a description and levels).
    criteria = models.JSONField(_("rubric"), default=list, blank=True)

    class Meta:
        verbose_name = _("grade component")
        verbose_name_plural = _("grade components")
        ordering = ["seminar", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["seminar", "key"], name="grade_component_key_unique"),
            models.CheckConstraint(
                condition=models.Q(weight__lte=100), name="grade_component_weight_percent"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return name_in_language(self.name_en, self.name_de)


class Grade(models.Model):
    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="grades")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grades")
    # RESTRICT: a component with grades cannot be deleted on its own, but goes with its seminar.
    component = models.ForeignKey(
        GradeComponent, on_delete=models.RESTRICT, related_name="grades", verbose_name=_("component")
    )
    value = models.DecimalField(
        _("grade"), max_digits=2, decimal_places=1, choices=[(step, f"{step:.1f}") for step in STEPS]
    )
    comment = models.TextField(_("comment"), blank=True)
    grader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised by every change; a save from a stale page is refused.")
    )
    updated_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        ordering = ["seminar", "student__full_name", "component__order"]
        constraints = [
            models.UniqueConstraint(fields=["component", "student"], name="grade_one_per_component"),
            models.CheckConstraint(condition=models.Q(value__in=list(STEPS)), name="grade_value_on_scale"),
        ]

    def __str__(self):
        return f"{self.student} – {self.component}: {self.value}"


class GradeChange(models.Model):
    """The history of a grade: who changed it when, from what to what."""

    grade = models.ForeignKey(Grade, on_delete=models.CASCADE, related_name="changes")
    old_value = models.DecimalField(_("old grade"), max_digits=2, decimal_places=1, null=True, blank=True)
    new_value = models.DecimalField(_("new grade"), max_digits=2, decimal_places=1)
    comment = models.TextField(_("comment"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("grade change")
        verbose_name_plural = _("grade changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.grade}: {self.old_value} → {self.new_value}"


class ExaminerGrade(models.Model):
    """One examiner's own grade of one student's component, where several examiners grade it (two for each
    talk, say). The component grade (Grade) is set from them: their mean on the scale, or by hand with a
    reason (grading.examiners)."""

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="examiner_grades")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    component = models.ForeignKey(
        GradeComponent, on_delete=models.CASCADE, related_name="examiner_grades", verbose_name=_("component")
    )
    examiner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("examiner")
    )
    value = models.DecimalField(
        _("grade"), max_digits=2, decimal_places=1, choices=[(step, f"{step:.1f}") for step in STEPS]
    )
    updated_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("examiner's grade")
        verbose_name_plural = _("examiners' grades")
        ordering = ["seminar", "student", "component__order", "examiner__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["component", "student", "examiner"], name="examiner_grade_one_per_examiner"
            ),
            models.CheckConstraint(condition=models.Q(value__in=list(STEPS)), name="examiner_grade_on_scale"),
        ]

    def __str__(self):
        return f"{self.student} – {self.component} ({self.examiner}): {self.value}"


def feedback_path(instance: "Feedback", filename: str) -> str:
    """A random name under the seminar's folder: the examiner's file name is kept only for display."""
    extension = PurePosixPath(filename).suffix.lower()[:8]
    return f"seminar-{instance.seminar_id}/feedback/{uuid.uuid4().hex}{extension}"


def uploads_storage():
    return upload_storage


class Feedback(models.Model):
    """An examiner's written feedback on one student's work for one component: the component's rubric
    filled in, a comment, and optionally a file (an annotated PDF of the report). The student sees it with
    their grades, once released."""

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="feedback")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback")
    component = models.ForeignKey(
        GradeComponent, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("component")
    )
    ratings = models.JSONField(_("ratings"), default=list, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    file = models.FileField(
        _("feedback file"), storage=uploads_storage, upload_to=feedback_path, max_length=300, blank=True
    )
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_type = models.CharField(_("file type"), max_length=10, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    examiner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["seminar", "student", "component__order"]
        constraints = [
            models.UniqueConstraint(fields=["component", "student"], name="feedback_one_per_component"),
        ]

    def __str__(self):
        return f"{self.student} – {self.component}"

    @property
    def content_type(self) -> str:
        return FileType.CONTENT_TYPES.get(self.file_type, "application/octet-stream")

    def rated(self) -> list[tuple[Criterion, str | None]]:
        """Each criterion of the component's rubric with the level the examiner chose (None: not rated)."""
        found = []
        for index, criterion in enumerate(from_data(self.component.criteria)):
            level = self.ratings[index] if index < len(self.ratings) else None
            valid = level is not None and 0 <= level < len(criterion.levels)
            found.append((criterion, criterion.levels[level] if valid else None))
        return found
