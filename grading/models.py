from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from seminars.models import Seminar

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


class Grade(models.Model):
    class Component(models.TextChoices):
        PRESENTATION = "presentation", _("Presentation")
        REPORT = "report", _("Report")

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="grades")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grades")
    component = models.CharField(_("component"), max_length=16, choices=Component.choices)
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
        ordering = ["seminar", "student__full_name", "component"]
        constraints = [
            models.UniqueConstraint(
                fields=["seminar", "student", "component"], name="grade_one_per_component"
            ),
            models.CheckConstraint(condition=models.Q(value__in=list(STEPS)), name="grade_value_on_scale"),
        ]

    def __str__(self):
        return f"{self.student} – {self.get_component_display()}: {self.value}"


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
