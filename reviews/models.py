"""Peer review of a deliverable's reports: the round (its settings, assignment, publication and release)
and each review (who reviews whose counted version, and what they wrote)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from submissions.deadlines import LatePolicy, Rule
from submissions.models import Deliverable, Submission

from .rubric import Criterion, from_data


class ReviewRound(models.Model):
    """Peer review turned on for one deliverable: each student reviews k other students' counted versions.

    Its life: set up (the instructor's settings and rubric), assigned (after the deliverable's deadline;
    the pairs can be changed by hand), published (reviewers see their reports and write), released (the
    authors read the reviews of their report)."""

    class Anonymity(models.TextChoices):
        DOUBLE_BLIND = "double", _("Double-blind: neither sees the other's name")
        SINGLE_BLIND = (
            "single",
            _("Single-blind: the reviewer sees the author's name, not the other way round"),
        )
        OPEN = "open", _("Open: both see each other's names")

    class Policy(models.TextChoices):
        REFUSE = LatePolicy.REFUSE.value, _("Refuse reviews after the due time and the grace period")
        ACCEPT_LATE = LatePolicy.ACCEPT_LATE.value, _("Accept late reviews (marked as late) until a cut-off")

    deliverable = models.OneToOneField(Deliverable, on_delete=models.CASCADE, related_name="review_round")
    reviews_per_student = models.PositiveSmallIntegerField(
        _("reviews per student"), default=1, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    anonymity = models.CharField(
        _("anonymity"), max_length=8, choices=Anonymity.choices, default=Anonymity.DOUBLE_BLIND
    )
    due_at = models.DateTimeField(_("reviews due"))
    grace_minutes = models.PositiveIntegerField(
        _("grace period (minutes)"),
        default=0,
        validators=[MaxValueValidator(7 * 24 * 60)],
        help_text=_("Reviews saved this long after the due time still count as on time."),
    )
    late_policy = models.CharField(
        _("late reviews"), max_length=12, choices=Policy.choices, default=Policy.REFUSE
    )
    late_window_hours = models.PositiveIntegerField(
        _("accept late reviews for (hours)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 365)],
        help_text=_("After the due time and the grace period. Empty: late reviews are accepted at any time."),
    )
    criteria = models.JSONField(_("rubric"), default=list, blank=True)
    seed = models.PositiveIntegerField(_("seed"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("peer review round")
        verbose_name_plural = _("peer review rounds")

    def __str__(self):
        return str(self.deliverable)

    @property
    def seminar(self):
        return self.deliverable.seminar

    @property
    def rule(self) -> Rule:
        return Rule.from_settings(
            grace_minutes=self.grace_minutes,
            late_policy=self.late_policy,
            late_window_hours=self.late_window_hours,
        )

    @property
    def rubric(self) -> list[Criterion]:
        return from_data(self.criteria)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_released(self) -> bool:
        return self.released_at is not None

    @property
    def hides_author(self) -> bool:
        return self.anonymity == self.Anonymity.DOUBLE_BLIND

    @property
    def hides_reviewer(self) -> bool:
        return self.anonymity != self.Anonymity.OPEN


class PeerReview(models.Model):
    """One reviewer's review of one author's counted version (the version that counted when the reviews
    were assigned). Written by the reviewer until its due time; never changed after."""

    class Source(models.TextChoices):
        AUTOMATIC = "automatic", _("assigned automatically")
        MANUAL = "manual", _("assigned by hand")

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="peer_reviews_written"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="peer_reviews_received"
    )
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="peer_reviews")
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.AUTOMATIC)
    ratings = models.JSONField(_("ratings"), default=list, blank=True)
    text = models.TextField(_("review"), blank=True)
    submitted_at = models.DateTimeField(_("first saved"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last saved"), null=True, blank=True)
    is_late = models.BooleanField(_("late"), default=False)

    class Meta:
        verbose_name = _("peer review")
        verbose_name_plural = _("peer reviews")
        ordering = ["round", "author", "reviewer"]
        constraints = [
            models.UniqueConstraint(fields=["round", "reviewer", "author"], name="peer_review_pair_unique"),
            models.CheckConstraint(
                condition=~models.Q(reviewer=models.F("author")), name="peer_review_not_own_report"
            ),
        ]

    def __str__(self):
        return f"{self.reviewer} → {self.author} ({self.round})"

    @property
    def seminar(self):
        return self.round.deliverable.seminar

    @property
    def is_written(self) -> bool:
        return self.submitted_at is not None

    def rated(self) -> list[tuple[Criterion, str | None]]:
        """Each criterion of the rubric with the level the reviewer chose (None: not rated)."""
        found = []
        for index, criterion in enumerate(self.round.rubric):
            level = self.ratings[index] if index < len(self.ratings) else None
            found.append((criterion, criterion.levels[level] if level is not None else None))
        return found
