import zoneinfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import LocalDateTimeField, ZonedTimesMixin

from .models import Seminar


class EnrolForm(forms.Form):
    confirm_prerequisites = forms.BooleanField(
        label=_("I meet the mandatory prerequisites listed above."), required=False
    )

    def __init__(self, *args, seminar: Seminar, **kwargs):
        super().__init__(*args, **kwargs)
        self.seminar = seminar
        if not seminar.mandatory_prerequisite_list:
            del self.fields["confirm_prerequisites"]

    def clean_confirm_prerequisites(self):
        if not self.cleaned_data["confirm_prerequisites"]:
            raise forms.ValidationError(_("Please confirm that you meet the mandatory prerequisites."))
        return True


def _time_zone_choices():
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class SeminarForm(ZonedTimesMixin, forms.ModelForm):
    zoned_fields = ("premeeting_start", "premeeting_end")
    topics = forms.CharField(
        label=_("Topics"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("One topic per line, in the order they are shown."),
    )
    premeeting_start = LocalDateTimeField(label=_("Pre-course meeting starts"), required=False)
    premeeting_end = LocalDateTimeField(label=_("Pre-course meeting ends"), required=False)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_time_zone_choices)

    fieldsets = [
        (_("The seminar"), ["title", "term", "state", "capacity"]),
        (
            _("Pre-course meeting"),
            [
                "premeeting_start",
                "premeeting_end",
                "premeeting_location",
                "premeeting_url",
                "premeeting_recording_url",
                "premeeting_slides_url",
                "premeeting_description",
            ],
        ),
        (_("Page text"), ["focus", "topics_intro", "topics", "topics_outro"]),
        (
            _("Prerequisites and objectives"),
            ["mandatory_prerequisites", "recommended_prerequisites", "objectives_intro", "objectives"],
        ),
        (
            _("Evaluation and grading"),
            ["evaluation", "module_number", "exam_date"],
        ),
        (_("Time"), ["time_zone"]),
    ]

    class Meta:
        model = Seminar
        fields = [
            "title",
            "term",
            "state",
            "capacity",
            "premeeting_start",
            "premeeting_end",
            "premeeting_location",
            "premeeting_url",
            "premeeting_recording_url",
            "premeeting_slides_url",
            "premeeting_description",
            "focus",
            "topics_intro",
            "topics_outro",
            "mandatory_prerequisites",
            "recommended_prerequisites",
            "objectives_intro",
            "objectives",
            "evaluation",
            "module_number",
            "exam_date",
            "time_zone",
        ]
        widgets = {
            "exam_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        } | {
            name: forms.Textarea(attrs={"rows": 4})
            for name in [
                "focus",
                "topics_intro",
                "topics_outro",
                "mandatory_prerequisites",
                "recommended_prerequisites",
                "objectives_intro",
                "objectives",
                "evaluation",
                "premeeting_description",
            ]
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.show_in_zone(self.instance.zone)
        self.initial["topics"] = "\n".join(self.instance.topics.values_list("title", flat=True))

    def clean_topics(self):
        titles = []
        for line in self.cleaned_data["topics"].splitlines():
            title = " ".join(line.split())
            if len(title) > 200:
                raise forms.ValidationError(_("A topic may have at most 200 characters."))
            if title and title not in titles:
                titles.append(title)
        return titles

    def clean(self):
        cleaned = super().clean()
        zone_name = cleaned.get("time_zone")
        if zone_name:
            self.place_in_zone(cleaned, zoneinfo.ZoneInfo(zone_name))
        start, end = cleaned.get("premeeting_start"), cleaned.get("premeeting_end")
        if start and end and end <= start and "premeeting_end" not in self.errors:
            self.add_error("premeeting_end", _("The meeting must end after it starts."))
        if end and not start and "premeeting_start" not in self.errors:
            self.add_error("premeeting_start", _("Please give the start as well as the end."))
        return cleaned

    def _post_clean(self):
        # Model validation happens in the service (full_clean); the form only parses and checks its fields.
        pass

    def grouped_fields(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.fieldsets]

    def seminar_fields(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "topics"}


class StudentImportForm(forms.Form):
    student_list = forms.FileField(
        label=_("Student list (CSV)"),
        help_text=_(
            "First line: e-mail, name, matriculation number (optional). Comma or semicolon separated, "
            "UTF-8 or Windows encoding, at most 1 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_student_list(self):
        upload = self.cleaned_data["student_list"]
        if upload.size > settings.SEMINAR_IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB. Is it really a student list?"))
        return upload.read()
