from django import forms
from django.utils.translation import gettext_lazy as _

from seminars.forms import NewSeminarFieldsMixin, slug_field
from seminars.models import Seminar

from .dates import days_between

# Ten years either way: more is a typo.
MAX_DAYS = 3660


class SeminarCopyForm(NewSeminarFieldsMixin, forms.Form):
    """The new seminar's name and term, and how far its dates move: by the new date of the pre-course
    meeting (when the source has one) or by a number of days."""

    title = forms.CharField(label=_("Title"), max_length=200)
    slug = slug_field()
    term = forms.CharField(label=_("Term"), max_length=60, help_text=_("For example “Winter term 2026/27”."))
    premeeting_date = forms.DateField(
        label=_("New date of the pre-course meeting"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Every date of the seminar moves by as many days, at the same time of day."),
    )
    days = forms.IntegerField(
        label=_("Or: move every date by (days)"),
        required=False,
        min_value=-MAX_DAYS,
        max_value=MAX_DAYS,
        help_text=_("For example 182 for half a year. 0 keeps the dates."),
    )
    with_papers = forms.BooleanField(
        label=_("Copy the papers too (without supervisors, rankings or allotments)"), required=False
    )

    def __init__(self, *args, source: Seminar, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        self.initial.setdefault("title", source.title)
        if source.premeeting_start is None:
            del self.fields["premeeting_date"]
            self.fields["days"].label = _("Move every date by (days)")

    def clean(self):
        cleaned = super().clean()
        new_day, days = cleaned.get("premeeting_date"), cleaned.get("days")
        if "days" in self.errors or "premeeting_date" in self.errors:
            return cleaned
        if new_day is not None and days is not None:
            self.add_error("days", _("Please give either the new date or the number of days, not both."))
        elif new_day is not None:
            cleaned["days"] = days_between(self.source.premeeting_start, new_day, zone=self.source.zone)
        elif days is None and "premeeting_date" in self.fields:
            self.add_error(
                "premeeting_date",
                _("Please give the new date of the pre-course meeting or the number of days the dates move."),
            )
        elif days is None:
            self.add_error("days", _("Please say by how many days the dates move (0 keeps them)."))
        return cleaned

    def copy_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("title", "slug", "term", "days", "with_papers")}
