from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Grade, GradingSettings


class GradeForm(forms.Form):
    """One cell of the grading sheet. The value is parsed by the service (grading.scoring.parse_grade)."""

    student = forms.IntegerField(widget=forms.HiddenInput)
    component = forms.ChoiceField(choices=Grade.Component.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    value = forms.CharField(label=_("Grade"), max_length=200, required=False)
    comment = forms.CharField(label=_("Comment"), max_length=2000, required=False)


class GradingSettingsForm(forms.ModelForm):
    class Meta:
        model = GradingSettings
        fields = ["rounding", "must_pass_all"]
        widgets = {"rounding": forms.RadioSelect}


class ExportForm(forms.Form):
    file_format = forms.ChoiceField(
        label=_("Format"), choices=[("csv", "CSV"), ("xlsx", "Excel (.xlsx)")], initial="csv"
    )
    decimal = forms.ChoiceField(
        label=_("Decimal mark"),
        choices=[("comma", _("Comma (2,3)")), ("point", _("Point (2.3)"))],
        initial="comma",
        help_text=_(
            "CSV: with a comma, fields are separated by semicolons and dates written 15.02.2027; with a "
            "point, by commas and 2027-02-15. Excel: grades are numbers, shown with the decimal mark of the "
            "spreadsheet program's language."
        ),
    )
