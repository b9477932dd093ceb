import zoneinfo
from datetime import UTC

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.zoned_time import LocalTimeError, local_naive, localize_strict

from .models import Seminar


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time without a zone; the form places it in the seminar's zone itself, strictly."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        # Parsed under UTC, which has no gaps or repeats, so that only the seminar's zone judges the time.
        with timezone.override(UTC):
            result = super().to_python(value)
        return result.replace(tzinfo=None) if result is not None else None

    def prepare_value(self, value):
        return value


class ZonedTimesMixin:
    """For a form with LocalDateTimeFields: shows the instance's times as wall-clock times in the seminar's
    zone, and places what was typed back in that zone strictly (a DST gap or overlap is a field error)."""

    zoned_fields: tuple[str, ...] = ()

    def show_in_zone(self, zone) -> None:
        for name in self.zoned_fields:
            self.initial[name] = local_naive(getattr(self.instance, name, None), zone)
            self.fields[name].help_text = _("In the seminar's time zone (%(zone)s).") % {"zone": zone.key}

    def place_in_zone(self, cleaned: dict, zone) -> None:
        for name in self.zoned_fields:
            if cleaned.get(name) is not None:
                try:
                    cleaned[name] = localize_strict(cleaned[name], zone)
                except LocalTimeError as error:
                    self.add_error(name, str(error))


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
