import zoneinfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import LocalDateTimeField
from core.zoned_time import LocalTimeError, localize_strict

from .running import SEED_LIMIT

TIMES = ("students_open_at", "students_close_at", "chairs_open_at", "chairs_close_at", "publish_at")


class RoundForm(forms.Form):
    """A round's title, windows and setting, and one seats field per offered seminar (empty: it does not
    take part). Times are typed in the portal's zone."""

    title = forms.CharField(label=_("Title"), max_length=200)
    term = forms.CharField(label=_("Term"), max_length=60, help_text=_("For example “Summer term 2027”."))
    students_open_at = LocalDateTimeField(label=_("Students rank from"))
    students_close_at = LocalDateTimeField(label=_("Students rank until"))
    chairs_open_at = LocalDateTimeField(label=_("Chairs rank from"))
    chairs_close_at = LocalDateTimeField(label=_("Chairs rank until"))
    publish_at = LocalDateTimeField(label=_("Results published on"))
    unranked_acceptable = forms.BooleanField(
        label=_("Applicants a chair did not rank are acceptable (at the lowest rank)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, seminars, seats=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        for name in TIMES:
            self.fields[name].help_text = _("In the portal's time zone (%(zone)s).") % {"zone": self.zone.key}
        self.seminars = list(seminars)
        seats = seats or {}
        for seminar in self.seminars:
            self.fields[f"seats_{seminar.pk}"] = forms.IntegerField(
                label=_("Seats in %(seminar)s") % {"seminar": seminar.display_title},
                required=False,
                min_value=0,
                initial=seats.get(seminar.pk),
                help_text=_("Empty: the seminar does not take part."),
            )

    def clean(self):
        cleaned = super().clean()
        for name in TIMES:
            if cleaned.get(name) is not None:
                try:
                    cleaned[name] = localize_strict(cleaned[name], self.zone)
                except LocalTimeError as error:
                    self.add_error(name, str(error))
        return cleaned

    @property
    def round_fields(self) -> list:
        return [self[name] for name in ("title", "term", *TIMES, "unranked_acceptable")]

    @property
    def seat_fields(self) -> list:
        return [self[f"seats_{seminar.pk}"] for seminar in self.seminars]

    def seats(self) -> list:
        """(seminar, seats) of the seminars given a number, 0 included (the service refuses it)."""
        return [
            (seminar, self.cleaned_data[f"seats_{seminar.pk}"])
            for seminar in self.seminars
            if self.cleaned_data.get(f"seats_{seminar.pk}") is not None
        ]

    def round_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("title", "term", *TIMES, "unranked_acceptable")}


class RunForm(forms.Form):
    seed = forms.IntegerField(
        label=_("Lottery seed"),
        required=False,
        min_value=0,
        max_value=SEED_LIMIT - 1,
        help_text=_(
            "Empty: the portal draws one. It is recorded; the same data and seed give the same matching."
        ),
    )
