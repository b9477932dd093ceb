from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from seminars.models import Seminar


class Round(models.Model):
    """A department's matching round for one term: the seminars taking part, the two ranking windows, the
    publication date; once run, the lottery's seed; once published, who published it and when. A second
    round (`previous` set) offers the seats left to the students without one."""

    title = models.CharField(_("title"), max_length=200)
    term = models.CharField(_("term"), max_length=60)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("first round"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_rounds",
    )
    students_open_at = models.DateTimeField(_("students rank from"))
    students_close_at = models.DateTimeField(_("students rank until"))
    chairs_open_at = models.DateTimeField(_("chairs rank from"))
    chairs_close_at = models.DateTimeField(_("chairs rank until"))
    publish_at = models.DateTimeField(_("results published on"))
    unranked_acceptable = models.BooleanField(
        _("applicants a chair did not rank are acceptable"),
        default=True,
        help_text=_("At the lowest rank. Otherwise an applicant the chair did not rank gets no seat there."),
    )
    seed = models.BigIntegerField(_("lottery seed"), null=True, blank=True)
    run_at = models.DateTimeField(_("run at"), null=True, blank=True)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("matching round")
        verbose_name_plural = _("matching rounds")
        ordering = ["-created_at", "-pk"]
        # A site permission, given in the Django admin to a department's coordinators (a person or a group):
        # asked by the access policy as matching.coordinate (matching/rules.py).
        permissions = [("coordinate_matching", "Can run the department's matching rounds")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(students_close_at__gt=models.F("students_open_at")),
                name="round_students_window_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(chairs_close_at__gt=models.F("chairs_open_at")),
                name="round_chairs_window_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.term})"

    def students_may_rank(self, now) -> bool:
        return self.run_at is None and self.students_open_at <= now <= self.students_close_at

    def chairs_may_rank(self, now) -> bool:
        return self.run_at is None and self.chairs_open_at <= now <= self.chairs_close_at


class RoundSeminar(models.Model):
    """A seminar taking part in a round, with the seats the round fills."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="round_seminars")
    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="round_entries")
    capacity = models.PositiveIntegerField(_("seats"), validators=[MinValueValidator(1)])
    # Written by the run: the seats the matching left empty (what an unmatched student's explanation names).
    free_seats = models.PositiveIntegerField(_("seats left by the matching"), null=True, blank=True)

    class Meta:
        verbose_name = _("seminar in a round")
        verbose_name_plural = _("seminars in a round")
        ordering = ["round", "seminar__title"]
        constraints = [
            models.UniqueConstraint(fields=["round", "seminar"], name="round_seminar_once"),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="round_seminar_capacity_positive"
            ),
        ]

    def __str__(self):
        return f"{self.seminar} – {self.round}"


class Application(models.Model):
    """A student's ranking of one seminar of a round (rank 1: their first choice) and, once the chair
    ranked it, the chair's rank of the student (ties allowed) or the reason they do not accept them."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="applications")
    round_seminar = models.ForeignKey(RoundSeminar, on_delete=models.CASCADE, related_name="applications")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seminar_applications"
    )
    rank = models.PositiveSmallIntegerField(_("student's rank"), validators=[MinValueValidator(1)])
    # As the student gave it on their ranking page (the portal's accounts know no study programme).
    study_programme = models.CharField(_("study programme"), max_length=120, blank=True)
    prerequisites_confirmed_at = models.DateTimeField(_("prerequisites confirmed at"), null=True, blank=True)
    chair_rank = models.PositiveSmallIntegerField(
        _("chair's rank"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    not_acceptable_reason = models.TextField(_("not acceptable because"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["round", "student", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["round_seminar", "student"], name="application_once_per_seminar"),
            models.CheckConstraint(
                condition=models.Q(chair_rank__isnull=True) | models.Q(not_acceptable_reason=""),
                name="application_ranked_or_not_acceptable",
            ),
        ]
        indexes = [models.Index(fields=["round", "student"])]

    def __str__(self):
        return f"{self.student} – {self.round_seminar.seminar} ({self.rank})"

    @property
    def is_not_acceptable(self) -> bool:
        return bool(self.not_acceptable_reason)


class Result(models.Model):
    """One applicant's result of a run: the seminar (none: no seat), its place on their list, and the
    evidence of their explanation (matching.matching.Refusal as [round seminar id, reason], in the order
    of their list). Students see it once the round is published."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="results")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    round_seminar = models.ForeignKey(
        RoundSeminar, on_delete=models.CASCADE, null=True, blank=True, related_name="results"
    )
    choice = models.PositiveSmallIntegerField(_("choice"), null=True, blank=True)
    refusals = models.JSONField(default=list)

    class Meta:
        verbose_name = _("matching result")
        verbose_name_plural = _("matching results")
        ordering = ["round", "student"]
        constraints = [models.UniqueConstraint(fields=["round", "student"], name="result_once_per_student")]

    def __str__(self):
        return f"{self.student} – {self.round}"
