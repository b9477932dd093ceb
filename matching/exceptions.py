"""Domain errors of the matching rounds, with messages a coordinator, chair or student understands. Each is
raised before anything is written, so a refused action changes nothing."""

from django.utils.translation import gettext_lazy as _

from seminars.exceptions import SeminarError


class MatchingError(SeminarError):
    pass


class RankingClosedError(MatchingError):
    message = _("Ranking is not possible now: the students' ranking window of this round is closed.")


class ChairRankingClosedError(MatchingError):
    message = _("Ranking applicants is not possible now: the chairs' ranking window of this round is closed.")


class AlreadyRunError(MatchingError):
    message = _("This round has already been run; a round runs once. Its result stays as it is.")


class NotRunError(MatchingError):
    message = _("The round has not been run yet: run it, check the result, then publish it.")


class AlreadyPublishedError(MatchingError):
    message = _("This round has already been published.")
