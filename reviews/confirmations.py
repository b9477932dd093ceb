"""The pages that ask before peer review mails people: what happens, how many it mails, what looks wrong."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.confirm import Confirmation

from . import selectors
from .models import ReviewRound


def publish_confirmation(review_round: ReviewRound, back: str) -> Confirmation:
    reviewers = len({review.reviewer_id for review in selectors.round_reviews(review_round)})
    blockers = [] if reviewers else [_("Assign the reviewers first.")]
    if review_round.is_published:
        blockers.append(_("The reviewers have their reports already."))
    confirmation = Confirmation(
        title=_("Give the reviewers their reports"),
        consequences=[
            ngettext(
                "This mails %(count)d student that they have reports to review.",
                "This mails %(count)d students that they have reports to review.",
                reviewers,
            )
            % {"count": reviewers},
            _("After this the assignment cannot change."),
        ],
        action_label=_("Give out the reports"),
        cancel_url=back,
        blockers=blockers,
    )
    return confirmation


def release_confirmation(review_round: ReviewRound, back: str) -> Confirmation:
    reviews = selectors.round_reviews(review_round)
    authors = len({review.author_id for review in reviews if review.is_written})
    counts = selectors.round_counts(reviews)
    blockers = []
    if not review_round.is_published:
        blockers.append(_("Give the reviewers their reports first."))
    if review_round.is_released:
        blockers.append(_("The reviews are released already."))
    warnings = []
    if counts.written < counts.reviews:
        missing = counts.reviews - counts.written
        warnings.append(
            ngettext(
                "%(count)d review is not written yet; its author will not see it.",
                "%(count)d reviews are not written yet; their authors will not see them.",
                missing,
            )
            % {"count": missing}
        )
    confirmation = Confirmation(
        title=_("Release the reviews to the authors"),
        consequences=[
            ngettext(
                "This mails %(count)d student that the reviews of their report are there.",
                "This mails %(count)d students that the reviews of their report are there.",
                authors,
            )
            % {"count": authors}
        ],
        action_label=_("Release the reviews"),
        cancel_url=back,
        blockers=blockers,
        warnings=warnings,
    )
    return confirmation
