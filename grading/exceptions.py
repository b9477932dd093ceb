from django.utils import translation
from django.utils.translation import gettext_lazy as _

from seminars.exceptions import SeminarError

from .scoring import format_grade


class GradingError(SeminarError):
    pass


class NotYourStudentError(GradingError):
    message = _("You can grade only the students whose paper you supervise.")


class NotAStudentError(GradingError):
    message = _("This person is not a student of this seminar.")


class GradeConflictError(GradingError):
    """Someone saved this grade after the page was loaded; nothing is overwritten."""

    def __init__(self, current):
        self.current = current
        if current is None:
            message = _("This grade was removed since you opened the page. Please reload and try again.")
        else:
            message = _(
                "Not saved: %(name)s changed this grade to %(value)s since you opened the page. "
                "Check it and save again if yours should replace it."
            ) % {
                "name": current.grader.get_full_name() if current.grader else "?",
                "value": format_grade(current.value, decimal_comma=translation.get_language() == "de"),
            }
        super().__init__(message)


class UnknownComponentError(GradingError):
    message = _("This grade component no longer exists. Please reload the page.")


class GradeComponentsError(GradingError):
    """The components an instructor saved break a rule; nothing was saved. One message per problem."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__(" ".join(str(message) for message in messages))
