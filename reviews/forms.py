from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import LocalDateTimeField, ZonedTimesMixin
from seminars.models import Seminar
from seminars.rules import student_users

from .models import PeerReview, ReviewRound
from .rubric import RubricError, from_data, parse, text_of


class ReviewRoundForm(ZonedTimesMixin, forms.ModelForm):
    """Turning peer review on for a deliverable, or changing its settings. How many reviews each student
    writes and the anonymity are fixed once the reviewers have their reports (the round is published)."""

    zoned_fields = ("due_at",)
    due_at = LocalDateTimeField(label=_("Reviews due"))
    rubric = forms.CharField(
        label=_("Rubric"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One criterion per line: name, optionally “: description”, then “|” and the levels separated by "
            "“/”, best first. For example: Clarity: is the argument easy to follow | excellent / good / "
            "adequate / insufficient"
        ),
    )

    class Meta:
        model = ReviewRound
        fields = [
            "reviews_per_student",
            "anonymity",
            "due_at",
            "grace_minutes",
            "late_policy",
            "late_window_hours",
        ]
        widgets = {"anonymity": forms.RadioSelect, "late_policy": forms.RadioSelect}

    def __init__(self, *args, seminar: Seminar, **kwargs):
        super().__init__(*args, **kwargs)
        self.seminar = seminar
        self.show_in_zone(seminar.zone)
        self.initial.setdefault("rubric", text_of(from_data(self.instance.criteria)))
        if self.instance.pk and self.instance.is_published:
            for name in ("reviews_per_student", "anonymity"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Fixed once the reviewers have their reports.")

    def clean_rubric(self):
        try:
            return [criterion.as_data() for criterion in parse(self.cleaned_data["rubric"])]
        except RubricError as error:
            raise forms.ValidationError(error.problems) from error

    def clean(self):
        cleaned = super().clean()
        self.place_in_zone(cleaned, self.seminar.zone)
        return cleaned

    def save(self, commit=True):
        self.instance.criteria = self.cleaned_data["rubric"]
        return super().save(commit=commit)


class ReviewForm(forms.Form):
    """The reviewer's form: one choice per criterion of the rubric (all required) and the free text."""

    text = forms.CharField(
        label=_("Your review"),
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=20000,
        help_text=_("What is good, what should be better, and how. Be specific and kind."),
    )

    def __init__(self, *args, review: PeerReview, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = review.round.rubric
        for index, criterion in enumerate(self.criteria):
            field = forms.TypedChoiceField(
                label=criterion.name,
                help_text=criterion.description,
                choices=list(enumerate(criterion.levels)),
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Please choose a level for this criterion.")},
            )
            self.fields[f"criterion_{index}"] = field
            if index < len(review.ratings) and review.ratings[index] is not None:
                self.initial[f"criterion_{index}"] = review.ratings[index]
        self.order_fields([*(f"criterion_{index}" for index in range(len(self.criteria))), "text"])
        self.initial.setdefault("text", review.text)

    @property
    def ratings(self) -> list[int]:
        return [self.cleaned_data[f"criterion_{index}"] for index in range(len(self.criteria))]


class ReassignForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=None)

    def __init__(self, *args, seminar: Seminar, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = student_users(seminar)
