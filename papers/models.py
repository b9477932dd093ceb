from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from seminars.models import Seminar, Topic

from .years import EARLIEST_PAPER_YEAR, latest_paper_year


class Paper(models.Model):
    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="papers")
    topic = models.ForeignKey(
        Topic,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="papers",
        verbose_name=_("topic"),
    )
    title = models.CharField(_("title"), max_length=500)
    authors = models.CharField(
        _("authors"), max_length=1000, help_text=_("As they should be shown, e.g. “A. Author, B. Author”.")
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(EARLIEST_PAPER_YEAR), MaxValueValidator(latest_paper_year)],
    )
    link = models.URLField(_("link (DOI, arXiv or URL)"), max_length=500, blank=True)
    abstract = models.TextField(_("abstract"), blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("students per paper"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervised_papers",
        verbose_name=_("supervisor"),
    )
    source_key = models.CharField(
        _("import key"),
        max_length=200,
        blank=True,
        help_text=_("The BibTeX key, so that a re-import adds no duplicate."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("paper")
        verbose_name_plural = _("papers")
        ordering = ["topic__order", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["seminar", "source_key"],
                condition=~models.Q(source_key=""),
                name="paper_source_key_unique",
            ),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="paper_capacity_positive"),
        ]

    def __str__(self):
        return self.title


class PreferenceWindow(models.Model):
    """When students of a seminar may rank papers, and how many they rank."""

    seminar = models.OneToOneField(Seminar, on_delete=models.CASCADE, related_name="preference_window")
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    max_choices = models.PositiveSmallIntegerField(
        _("maximum papers per ranking"), default=5, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )

    class Meta:
        verbose_name = _("preference window")
        verbose_name_plural = _("preference windows")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="window_closes_after_opening"
            ),
        ]

    def __str__(self):
        return f"{self.seminar}: {self.opens_at:%Y-%m-%d %H:%M} – {self.closes_at:%Y-%m-%d %H:%M}"

    def is_open(self, now) -> bool:
        """Open from opens_at up to and including closes_at."""
        return self.opens_at <= now <= self.closes_at


class Preference(models.Model):
    """One paper in a student's ranking: rank 1 is the first choice."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences"
    )
    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="preferences")
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="preferences")
    rank = models.PositiveSmallIntegerField(_("rank"), validators=[MinValueValidator(1)])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("preference")
        verbose_name_plural = _("preferences")
        ordering = ["seminar", "student", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["student", "paper"], name="preference_paper_once"),
            models.UniqueConstraint(fields=["student", "seminar", "rank"], name="preference_rank_once"),
        ]

    def __str__(self):
        return f"{self.student} #{self.rank}: {self.paper}"


class AllotmentRun(models.Model):
    """One run of the automatic allotment: how, with which seed, and what came out."""

    class Mechanism(models.TextChoices):
        OPTIMAL = "optimal", _("Optimal (least total rank cost)")
        SERIAL_DICTATORSHIP = "rsd", _("Random serial dictatorship")

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="allotment_runs")
    mechanism = models.CharField(_("mechanism"), max_length=10, choices=Mechanism.choices)
    seed = models.BigIntegerField(_("random seed"))
    summary = models.JSONField(_("summary"), default=dict)
    unassigned = models.JSONField(_("students left without a paper"), default=list)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("allotment run")
        verbose_name_plural = _("allotment runs")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.seminar} – {self.get_mechanism_display()} (seed {self.seed})"


class Allotment(models.Model):
    """The paper a student presents. Visible to the student only once the seminar's allotment is published."""

    class Source(models.TextChoices):
        AUTOMATIC = "automatic", _("Automatic")
        MANUAL = "manual", _("By hand")

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="allotments")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="allotments")
    paper = models.ForeignKey(Paper, on_delete=models.PROTECT, related_name="allotments")
    source = models.CharField(_("how allotted"), max_length=10, choices=Source.choices)
    run = models.ForeignKey(
        AllotmentRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="allotments"
    )
    locked = models.BooleanField(
        _("locked"),
        default=False,
        help_text=_("A locked allotment is kept when the automatic allotment runs again."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("allotment")
        verbose_name_plural = _("allotments")
        ordering = ["seminar", "student__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["seminar", "student"], name="allotment_one_paper_per_student")
        ]

    def __str__(self):
        return f"{self.student} → {self.paper}"


class AllotmentPublication(models.Model):
    seminar = models.OneToOneField(Seminar, on_delete=models.CASCADE, related_name="allotment_publication")
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("allotment publication")
        verbose_name_plural = _("allotment publications")

    def __str__(self):
        return f"{self.seminar} ({self.published_at:%Y-%m-%d %H:%M})"


class AllotmentChange(models.Model):
    """A change to a published allotment: who, when, old paper, new paper, why."""

    seminar = models.ForeignKey(Seminar, on_delete=models.CASCADE, related_name="allotment_changes")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    old_paper = models.ForeignKey(Paper, on_delete=models.SET_NULL, null=True, related_name="+")
    new_paper = models.ForeignKey(Paper, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(_("reason"))
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("allotment change")
        verbose_name_plural = _("allotment changes")
        ordering = ["-changed_at"]

    def __str__(self):
        return f"{self.student}: {self.old_paper} → {self.new_paper}"
