from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import LocalDateTimeField, ZonedTimesMixin
from seminars.models import Seminar
from seminars.rules import staff_users, student_memberships

from .models import AllotmentRun, Paper, PreferenceWindow
from .years import EARLIEST_PAPER_YEAR, latest_paper_year


class PaperForm(forms.ModelForm):
    # The model's limits, checked by the form so that every error shows in one round.
    capacity = forms.IntegerField(label=_("Students per paper"), min_value=1, max_value=50, initial=1)

    class Meta:
        model = Paper
        fields = ["title", "authors", "venue", "year", "link", "abstract", "topic", "capacity", "supervisor"]
        widgets = {"abstract": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, seminar: Seminar, **kwargs):
        super().__init__(*args, **kwargs)
        # The latest year moves with the calendar, so the field is made for each form.
        self.fields["year"] = forms.IntegerField(
            label=_("Year"), min_value=EARLIEST_PAPER_YEAR, max_value=latest_paper_year(), required=False
        )
        self.fields["topic"].queryset = seminar.topics.all()
        self.fields["supervisor"].queryset = staff_users(seminar)
        self.fields["supervisor"].label_from_instance = lambda user: user.get_full_name()

    def _post_clean(self):
        # The model is validated by the service (full_clean); the form parses and checks its own fields.
        pass


class PaperImportForm(forms.Form):
    paper_file = forms.FileField(
        label=_("BibTeX or CSV file"),
        help_text=_(
            "A .bib file (the keywords field names the topic) or a CSV with the columns title, authors, "
            "venue, year, link, abstract, topic, capacity, supervisor. At most 2 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".bib,.csv,text/csv,text/x-bibtex"}),
    )
    MAX_BYTES = 2 * 1024 * 1024

    def clean_paper_file(self):
        upload = self.cleaned_data["paper_file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        name = upload.name.lower()
        data = upload.read()
        if name.endswith(".bib") or (not name.endswith(".csv") and data.lstrip()[:1] in (b"@", b"%")):
            return "bibtex", data
        return "csv", data


class PreferenceWindowForm(ZonedTimesMixin, forms.ModelForm):
    zoned_fields = ("opens_at", "closes_at")
    opens_at = LocalDateTimeField(label=_("Opens"))
    closes_at = LocalDateTimeField(label=_("Closes"))

    class Meta:
        model = PreferenceWindow
        fields = ["opens_at", "closes_at", "max_choices"]

    def __init__(self, *args, seminar: Seminar, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = seminar.zone
        self.show_in_zone(self.zone)

    def clean(self):
        cleaned = super().clean()
        self.place_in_zone(cleaned, self.zone)
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens and "closes_at" not in self.errors:
            self.add_error("closes_at", _("The window must close after it opens."))
        return cleaned

    def _post_clean(self):
        pass


class AllotmentRunForm(forms.Form):
    mechanism = forms.ChoiceField(
        label=_("Mechanism"),
        choices=AllotmentRun.Mechanism.choices,
        initial=AllotmentRun.Mechanism.OPTIMAL,
        widget=forms.RadioSelect,
    )
    seed = forms.IntegerField(
        label=_("Random seed (optional)"),
        required=False,
        min_value=0,
        max_value=2**62,
        help_text=_("Leave empty for a new random seed. The same data and seed give the same allotment."),
    )


class _StudentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, membership):
        return f"{membership.user.get_full_name()} <{membership.user.email}>"


class AllotmentMoveForm(forms.Form):
    student = _StudentChoiceField(label=_("Student"), queryset=None)
    paper = forms.ModelChoiceField(label=_("Paper"), queryset=None)
    reason = forms.CharField(
        label=_("Reason (required once published; the student reads it)"), required=False
    )

    def __init__(self, *args, seminar: Seminar, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = student_memberships(seminar)
        self.fields["paper"].queryset = Paper.objects.filter(seminar=seminar).order_by("title")


class AllotmentSwapForm(forms.Form):
    first = _StudentChoiceField(label=_("First student"), queryset=None)
    second = _StudentChoiceField(label=_("Second student"), queryset=None)
    reason = forms.CharField(
        label=_("Reason (required once published; the students read it)"), required=False
    )

    def __init__(self, *args, seminar: Seminar, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first"].queryset = student_memberships(seminar)
        self.fields["second"].queryset = student_memberships(seminar)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("first") and cleaned.get("first") == cleaned.get("second"):
            self.add_error("second", _("Choose two different students."))
        return cleaned
