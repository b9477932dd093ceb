from django import forms
from django.utils.translation import gettext_lazy as _

from .models import GradeComponent, GradingSettings, name_in_language
from .services import ComponentSpec


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


class GradeComponentForm(forms.Form):
    """One component on the components page; the rules (weights adding up to 100 and so on) are the
    service's (grading.services.grade_components_set), which sees all components at once."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name_en = forms.CharField(label=_("Name in English"), max_length=80, required=False)
    name_de = forms.CharField(label=_("Name in German"), max_length=80, required=False)
    weight = forms.IntegerField(label=_("Weight (%)"), min_value=0, max_value=100)
    deliverable = forms.TypedChoiceField(
        label=_("Linked deliverable"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("The grading sheet links each student's counted file of it."),
    )
    position = forms.IntegerField(
        label=_("Position"), min_value=1, max_value=99, required=False, help_text=_("1 comes first.")
    )

    def __init__(self, *args, deliverables: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deliverable"].choices = [("", _("none")), *deliverables]

    @property
    def legend(self) -> str:
        if self.initial:
            return name_in_language(self.initial.get("name_en", ""), self.initial.get("name_de", ""))
        return str(_("New component"))

    def spec(self) -> ComponentSpec:
        data = self.cleaned_data
        return ComponentSpec(
            pk=data.get("id"),
            name_en=data.get("name_en", ""),
            name_de=data.get("name_de", ""),
            weight=data.get("weight"),
            deliverable_id=data.get("deliverable"),
            position=data.get("position"),
            remove=data.get("DELETE", False),
        )


class BaseGradeComponentFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this component")

    def specs(self) -> list[ComponentSpec]:
        """Every shown component and each filled-in new one; a new row left empty is no component."""
        return [form.spec() for form in self.forms if form.cleaned_data]


GradeComponentFormSet = forms.formset_factory(
    GradeComponentForm,
    formset=BaseGradeComponentFormSet,
    extra=1,
    can_delete=True,
    can_delete_extra=False,
    max_num=20,
    validate_max=True,
)


def component_initial(components: list[GradeComponent]) -> list[dict]:
    return [
        {
            "id": component.pk,
            "name_en": component.name_en,
            "name_de": component.name_de,
            "weight": component.weight,
            "deliverable": component.deliverable_id,
            "position": component.order,
        }
        for component in components
    ]
