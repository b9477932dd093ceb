"""A student's result in words, from the evidence the matching kept (matching.matching.Outcome), in the
active language. It names the student's own seminars, places and the chair's reason given to them, and
nobody else: never another applicant, their rank or the lottery's numbers."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .matching import Reason


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th ... (German: 1., 2., ...)."""
    if 10 <= number % 100 <= 20 or number % 10 not in (1, 2, 3):
        text = _("%(n)dth")
    elif number % 10 == 1:
        text = _("%(n)dst")
    elif number % 10 == 2:
        text = _("%(n)dnd")
    else:
        text = _("%(n)drd")
    return text % {"n": number}


@dataclass(frozen=True)
class RefusalView:
    place: int  # on the student's list, 1 = first choice
    seminar_title: str
    reason: str  # a matching.Reason value
    chair_reason: str = ""  # what the chair wrote when marking them not acceptable


@dataclass(frozen=True)
class ResultView:
    seminar_title: str | None
    choice: int | None
    refusals: list[RefusalView] = field(default_factory=list)
    seats_left: list[tuple[str, int]] = field(default_factory=list)  # seminars with seats after the matching

    def lines(self) -> list[str]:
        """The explanation, sentence by sentence, in the active language."""
        lines = []
        if self.seminar_title is not None:
            lines.append(
                _("You got your %(ordinal)s choice: %(seminar)s.")
                % {"ordinal": ordinal(self.choice), "seminar": self.seminar_title}
            )
        else:
            lines.append(_("You have no seat in this round."))
        lines.extend(_refusal_line(refusal) for refusal in self.refusals)
        if self.seminar_title is None:
            if self.seats_left:
                names = ", ".join(
                    _("%(seminar)s (%(seats)d left)") % {"seminar": title, "seats": seats}
                    for title, seats in self.seats_left
                )
                lines.append(_("These seminars still have seats: %(seminars)s.") % {"seminars": names})
            else:
                lines.append(_("No seminar of this round has a seat left."))
        return lines


def _refusal_line(refusal: RefusalView) -> str:
    values = {"ordinal": ordinal(refusal.place), "seminar": refusal.seminar_title}
    if refusal.reason == Reason.RANKED_HIGHER:
        return (
            _(
                "Your %(ordinal)s choice, %(seminar)s, filled all its seats with applicants its chair ranked "
                "higher than you."
            )
            % values
        )
    if refusal.reason == Reason.LOTTERY:
        return (
            _(
                "Your %(ordinal)s choice, %(seminar)s, filled all its seats with applicants its chair ranked "
                "higher than you or equally, and the lottery drew those ranked equally before you."
            )
            % values
        )
    if refusal.chair_reason:
        return _("Your %(ordinal)s choice, %(seminar)s, did not accept your application: %(reason)s") % {
            **values,
            "reason": refusal.chair_reason,
        }
    return (
        _(
            "Your %(ordinal)s choice, %(seminar)s, takes only applicants its chair ranked, and its chair did "
            "not rank you."
        )
        % values
    )
