"""Domain errors with messages a student or instructor understands."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.imports import RowError


class SeminarError(Exception):
    message = _("This action is not possible.")

    def __init__(self, message=None):
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class EnrolmentClosedError(SeminarError):
    message = _("Enrolment for this seminar is not open.")


class PlacesByMatchingError(SeminarError):
    message = _(
        "Places in this seminar are given by the department's matching, not first come, first served: "
        "please rank it in the matching round."
    )


class SeminarFullError(SeminarError):
    message = _("This seminar is full: all places are taken. Please contact the instructors.")


class AlreadyMemberError(SeminarError):
    message = _("You are already a member of this seminar.")


class PrerequisitesNotConfirmedError(SeminarError):
    message = _("Please confirm that you meet the mandatory prerequisites.")


class CapacityBelowEnrolmentError(SeminarError):
    pass


class StudentImportError(SeminarError):
    """Raised with every problem of an uploaded list; nothing of the list is imported."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(_("The list was not imported. Please correct these lines and upload it again."))


class InvitationError(SeminarError):
    """An address that cannot be invited as staff; the message names it."""


class NameNeededError(SeminarError):
    message = _(
        "No account has this address yet. Please give the person's name as well, for the new account."
    )


class StudentNotStaffError(SeminarError):
    message = _("A student of the seminar cannot be made an instructor or supervisor here.")


class LastInstructorError(SeminarError):
    message = _("The seminar needs at least one instructor. Make someone else an instructor first.")


class StillSupervisesError(SeminarError):
    pass


class NotAStudentError(SeminarError):
    message = _("This person is not a student of the seminar (any more).")


class WithdrawalClosedError(SeminarError):
    message = _("The withdrawal deadline has passed. Only an instructor can withdraw you now.")


class NotWithdrawnError(SeminarError):
    message = _("This student has not withdrawn.")


class NoRecipientsError(SeminarError):
    message = _("Nobody would receive this message: the chosen group has no one in it.")


class AudienceChangedError(SeminarError):
    """The group changed between the confirmation page and the sending; `count` is its size now."""

    def __init__(self, count: int):
        self.count = count
        super().__init__(
            ngettext(
                "The group changed since you looked: it now has %(count)d person. Please confirm again.",
                "The group changed since you looked: it now has %(count)d people. Please confirm again.",
                count,
            )
            % {"count": count}
        )


class SlugTakenError(SeminarError):
    """Another seminar has this address already (two creations with one slug: the second gets this)."""

    def __init__(self, slug: str, suggestion: str):
        self.slug, self.suggestion = slug, suggestion
        super().__init__(
            _(
                "The address “%(slug)s” is taken by another seminar. Please choose another, for example "
                "“%(free)s”."
            )
            % {"slug": slug, "free": suggestion}
        )


class MaterialFileError(SeminarError):
    """An uploaded material's file was refused (its message says why); nothing was stored."""
