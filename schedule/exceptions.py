from django.utils.translation import gettext_lazy as _

from seminars.exceptions import SeminarError


class ScheduleError(SeminarError):
    pass


class SlotsTakenError(ScheduleError):
    message = _(
        "Some slots already have presenters. Generating would drop them: edit the slots one by one instead, "
        "or take the presenters out first."
    )


class ConflictsError(ScheduleError):
    message = _("The schedule has conflicts (listed below). Resolve them before publishing.")
