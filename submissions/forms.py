from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from core.file_types import FileType
from core.forms import LocalDateTimeField, ZonedTimesMixin
from seminars.models import Seminar
from seminars.rules import student_users

from .models import Deliverable, ExtraUnit

DEFAULT_TYPES = {
    Deliverable.Kind.REPORT: [FileType.PDF],
    Deliverable.Kind.SLIDES: [FileType.PDF, FileType.PPTX],
    Deliverable.Kind.OTHER: [FileType.PDF],
}


class DeliverableForm(ZonedTimesMixin, forms.ModelForm):
    zoned_fields = ("due_at",)
    due_at = LocalDateTimeField(label=_("Due"), required=False)
    allowed_types = forms.MultipleChoiceField(
        label=_("Accepted file types"),
        choices=[(FileType.PDF, "PDF"), (FileType.PPTX, "PowerPoint (PPTX)")],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Checked by the file's content, not only its name. Macro-enabled files are refused."),
    )
    max_size_mb = forms.IntegerField(label=_("Size limit (MB)"), min_value=1, initial=20)

    class Meta:
        model = Deliverable
        fields = [
            "kind",
            "title",
            "title_de",
            "instructions",
            "instructions_de",
            "order",
            "due_mode",
            "due_at",
            "days_before_talk",
            "grace_minutes",
            "late_policy",
            "late_window_hours",
            "late_replaces_on_time",
            "allowed_types",
            "max_size_mb",
            "max_pages",
            "allow_active_content",
        ]
        widgets = {
            "instructions": forms.Textarea(attrs={"rows": 5}),
            "instructions_de": forms.Textarea(attrs={"rows": 5}),
            "due_mode": forms.RadioSelect,
        }

    def __init__(self, *args, seminar: Seminar, **kwargs):
        super().__init__(*args, **kwargs)
        self.seminar = seminar
        self.show_in_zone(seminar.zone)
        limit = settings.SUBMISSION_MAX_MB
        self.fields["max_size_mb"].max_value = limit
        self.fields["max_size_mb"].validators.append(MaxValueValidator(limit))
        self.fields["max_size_mb"].help_text = _("At most %(limit)d MB.") % {"limit": limit}
        self.fields["days_before_talk"].help_text = _(
            "For example 14: due two weeks before the student's talk, at the time the talk starts."
        )
        if not self.instance.pk and not self.is_bound:
            kind = self.initial.get("kind", Deliverable.Kind.REPORT)
            if not self.initial.get("allowed_types"):
                self.initial["allowed_types"] = DEFAULT_TYPES.get(kind, [FileType.PDF])

    def clean(self):
        cleaned = super().clean()
        self.place_in_zone(cleaned, self.seminar.zone)
        mode = cleaned.get("due_mode")
        if mode == Deliverable.DueMode.FIXED and not cleaned.get("due_at") and "due_at" not in self.errors:
            self.add_error("due_at", _("Please give the due time."))
        if mode == Deliverable.DueMode.BEFORE_TALK and cleaned.get("days_before_talk") is None:
            self.add_error("days_before_talk", _("Please give how many days before the talk it is due."))
        return cleaned


class UploadForm(forms.Form):
    """Only the file: who uploads and when are taken from the request, never from the form."""

    file = forms.FileField(label=_("File"), allow_empty_file=True)

    def __init__(self, *args, deliverable: Deliverable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = deliverable.accept_attribute
        self.fields["file"].help_text = _("%(types)s, at most %(size)d MB.") % {
            "types": deliverable.allowed_types_label,
            "size": deliverable.max_size_mb,
        }
        if deliverable.max_pages:
            self.fields["file"].help_text += " " + _("At most %(pages)d pages.") % {
                "pages": deliverable.max_pages
            }


class ExtensionForm(ZonedTimesMixin, forms.Form):
    zoned_fields = ("new_due_at",)
    MODES = [("extra", _("Extra time")), ("new_due", _("A new due time"))]

    student = forms.ModelChoiceField(label=_("Student"), queryset=None)
    mode = forms.ChoiceField(
        label=_("Kind of extension"), choices=MODES, widget=forms.RadioSelect, initial="extra"
    )
    extra_time = forms.DecimalField(
        label=_("How much extra time"),
        required=False,
        min_value=0.25,
        max_value=24 * 90,
        decimal_places=2,
        help_text=_("Added to the deliverable's due time, also if that time changes later."),
    )
    extra_unit = forms.ChoiceField(
        label=_("in"), choices=ExtraUnit.choices, initial=ExtraUnit.HOURS, required=False
    )
    new_due_at = LocalDateTimeField(label=_("New due time"), required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)

    def __init__(self, *args, seminar: Seminar, **kwargs):
        super().__init__(*args, **kwargs)
        self.seminar = seminar
        self.fields["student"].queryset = student_users(seminar)
        self.fields["student"].label_from_instance = lambda user: f"{user.get_full_name()} ({user.email})"
        self.fields["new_due_at"].help_text = _("In the seminar's time zone (%(zone)s).") % {
            "zone": seminar.time_zone
        }

    def clean(self):
        cleaned = super().clean()
        self.place_in_zone(cleaned, self.seminar.zone)
        if (
            cleaned.get("mode") == "extra"
            and not cleaned.get("extra_time")
            and "extra_time" not in self.errors
        ):
            self.add_error("extra_time", _("Please give the extra time."))
        unit = cleaned["extra_unit"] = cleaned.get("extra_unit") or ExtraUnit.HOURS
        if cleaned.get("extra_time") and cleaned["extra_time"] * ExtraUnit(unit).minutes > 90 * 24 * 60:
            self.add_error("extra_time", _("At most 90 days of extra time."))
        if (
            cleaned.get("mode") == "new_due"
            and not cleaned.get("new_due_at")
            and "new_due_at" not in self.errors
        ):
            self.add_error("new_due_at", _("Please give the new due time."))
        return cleaned
