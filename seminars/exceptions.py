"""Domain errors with messages a student or instructor understands."""

from django.utils.translation import gettext_lazy as _

from core.imports import RowError


class SeminarError(Exception):
    message = _("This action is not possible.")

    def __init__(self, message=None):
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class EnrolmentClosedError(SeminarError):
    message = _("Enrolment for this seminar is not open.")


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
