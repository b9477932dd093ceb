"""Domain errors of papers, preferences and allotment, with messages students and instructors understand."""

from django.utils.translation import gettext_lazy as _

from seminars.exceptions import SeminarError


class PapersError(SeminarError):
    pass


class PreferenceWindowClosedError(PapersError):
    message = _("Ranking papers is not possible now: the preference window is closed.")


class InvalidRankingError(PapersError):
    pass


class NotAStudentError(PapersError):
    message = _("Only enrolled students of this seminar can rank its papers.")


class AllotmentPublishedError(PapersError):
    message = _(
        "The allotment is already published. Move or swap students by hand; each change is recorded "
        "and the student is told."
    )


class PaperFullError(PapersError):
    pass


class ReasonRequiredError(PapersError):
    message = _("The allotment is published: please give a reason for this change; the student will read it.")


class NothingToPublishError(PapersError):
    message = _("There is no allotment to publish yet. Run the allotment or assign papers by hand first.")


class PaperInUseError(PapersError):
    message = _("This paper is allotted to a student and cannot be deleted. Move the student first.")
