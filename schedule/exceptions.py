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


class AllotmentNotPublishedError(ScheduleError):
    message = _(
        "Publish the allotment first: the program tells who presents when, in the order of the papers' "
        "topics, so it would tell the students their papers before the allotment does."
    )


class DayHasPresentersError(ScheduleError):
    message = _("Slots on this day have presenters. Move or remove them first.")
