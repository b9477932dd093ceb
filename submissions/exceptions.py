"""Domain errors of submissions, with messages a student or instructor understands."""

from django.utils.translation import gettext_lazy as _

from seminars.exceptions import SeminarError


class SubmissionError(SeminarError):
    pass


class DeadlinePassedError(SubmissionError):
    message = _(
        "The deadline has passed: this upload arrived too late and was not accepted. "
        "If you have a good reason, ask the instructors for an extension."
    )


class NotAStudentError(SubmissionError):
    message = _("Only enrolled students of this seminar can upload to it.")


class FileRejectedError(SubmissionError):
    pass


class ExtensionError(SubmissionError):
    pass
