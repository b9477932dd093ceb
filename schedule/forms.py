from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import LocalDateTimeField, ZonedTimesMixin
from seminars.models import Seminar
from seminars.rules import student_users

from .models import BlockDay, BlockSeminar, Slot


class BlockSeminarForm(forms.ModelForm):
    class Meta:
        model = BlockSeminar
        fields = ["talk_minutes", "gap_minutes", "break_after", "break_minutes", "discussants_per_talk"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["discussants_per_talk"].required = False

    def clean_discussants_per_talk(self):
        """Empty: one discussant per talk, the default."""
        value = self.cleaned_data.get("discussants_per_talk")
        return 1 if value is None else value


class BlockDayForm(ZonedTimesMixin, forms.ModelForm):
    zoned_fields = ("starts_at", "ends_at")
    starts_at = LocalDateTimeField(label=_("Starts"))
    ends_at = LocalDateTimeField(label=_("Ends"))

    class Meta:
        model = BlockDay
        fields = ["starts_at", "ends_at", "room", "online_url"]

    def __init__(self, *args, seminar: Seminar, **kwargs):
        super().__init__(*args, **kwargs)
        self.seminar = seminar
        self.show_in_zone(seminar.zone)

    def clean(self):
        cleaned = super().clean()
        self.place_in_zone(cleaned, self.seminar.zone)
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end <= start and "ends_at" not in self.errors:
            self.add_error("ends_at", _("The day must end after it starts."))
        return cleaned


class SlotForm(ZonedTimesMixin, forms.ModelForm):
    zoned_fields = ("starts_at", "ends_at")
    starts_at = LocalDateTimeField(label=_("Starts"))
    ends_at = LocalDateTimeField(label=_("Ends"))

    class Meta:
        model = Slot
        fields = ["day", "starts_at", "ends_at", "room", "presenter", "discussant", "second_discussant"]

    def __init__(self, *args, seminar: Seminar, **kwargs):
        super().__init__(*args, **kwargs)
        self.seminar = seminar
        self.show_in_zone(seminar.zone)
        self.fields["day"].queryset = BlockDay.objects.filter(seminar=seminar)
        self.fields["day"].label = _("Day")
        self.fields["day"].label_from_instance = lambda day: (
            f"{day.starts_at.astimezone(seminar.zone):%Y-%m-%d}"
        )
        self.fields["presenter"].queryset = student_users(seminar)
        self.fields["presenter"].required = False
        self.fields["presenter"].label_from_instance = lambda user: f"{user.get_full_name()} ({user.email})"
        for name in ("discussant", "second_discussant"):
            self.fields[name].queryset = student_users(seminar)
            self.fields[name].required = False
            self.fields[name].label_from_instance = self.fields["presenter"].label_from_instance

    def clean(self):
        cleaned = super().clean()
        self.place_in_zone(cleaned, self.seminar.zone)
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end <= start and "ends_at" not in self.errors:
            self.add_error("ends_at", _("A talk must end after it starts."))
        presenter, first, second = (
            cleaned.get(name) for name in ("presenter", "discussant", "second_discussant")
        )
        for name, person in (("discussant", first), ("second_discussant", second)):
            if person is not None and person == presenter:
                self.add_error(name, _("The presenter does not discuss their own talk."))
        if second is not None and second == first:
            self.add_error("second_discussant", _("Choose two different discussants, or one."))
        return cleaned
