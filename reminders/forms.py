from django import forms
from django.utils.translation import gettext_lazy as _

from .schedule import MAX_OFFSETS, OffsetError, format_offsets, parse_offsets


class ReminderSettingsForm(forms.Form):
    offsets = forms.CharField(
        label=_("Remind students this long before each deadline"),
        max_length=200,
        help_text=_(
            "For example “7d, 1d, 3h”: d = days, h = hours, m = minutes. Leave empty for no reminders."
        ),
        required=False,
    )
    instructor_summary = forms.BooleanField(
        label=_("Send the instructors a summary after each deadline"), required=False
    )

    def __init__(self, *args, reminder_settings=None, **kwargs):
        super().__init__(*args, **kwargs)
        if reminder_settings is not None and not self.is_bound:
            self.initial = {
                "offsets": format_offsets(reminder_settings.offsets),
                "instructor_summary": reminder_settings.instructor_summary,
            }

    def clean_offsets(self):
        try:
            return parse_offsets(self.cleaned_data["offsets"])
        except OffsetError as error:
            raise forms.ValidationError(
                _(
                    "“%(part)s” is not a reminder time. Use at most %(max)d times between 5 minutes and 60 "
                    "days, such as “7d, 1d, 3h”."
                )
                % {"part": error.args[0], "max": MAX_OFFSETS}
            ) from None
