"""Who may do what with peer reviews. Reviewers are a kind of person of their own: the reviewer of a report
sees that report's counted version (through the review, never through submissions.download) and nothing
else of its author's: no grades, no other versions, no other reviews of it, and under double-blind review
not the author's name.

- A reviewer (of a review) is its reviewer while they are a student of the seminar, once the round is
  published.
- The author reads the reviews of their report once the round is released and a review is written.
- The seminar's instructors see and manage everything, with every name. Supervisors have no part in peer
  review (their students' reports reach them through the submissions pages).
`reviews_written_by` and `reviews_received_by` are the same rules as querysets, for the lists."""

import rules
from django.db.models import QuerySet

from seminars.rules import is_instructor_of, is_student_of

from .models import PeerReview, ReviewRound


@rules.predicate
def is_reviewer_of(user, review: PeerReview) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and review.reviewer_id == user.pk
        and review.round.is_published
        and is_student_of(user, review.seminar)
    )


@rules.predicate
def is_author_of_released(user, review: PeerReview) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and review.author_id == user.pk
        and review.round.is_released
        and review.is_written
        and is_student_of(user, review.seminar)
    )


@rules.predicate
def round_hides_author(user, review: PeerReview) -> bool:
    return review.round.hides_author


@rules.predicate
def round_hides_reviewer(user, review: PeerReview) -> bool:
    return review.round.hides_reviewer


def reviews_written_by(user, seminar) -> QuerySet[PeerReview]:
    """The reviews `user` writes in `seminar`: those of published rounds, while they are a student."""
    if not is_student_of(user, seminar):
        return PeerReview.objects.none()
    return PeerReview.objects.filter(
        reviewer=user, round__deliverable__seminar=seminar, round__published_at__isnull=False
    )


def reviews_received_by(user, seminar) -> QuerySet[PeerReview]:
    """The written reviews of `user`'s reports in released rounds of `seminar`."""
    if not is_student_of(user, seminar):
        return PeerReview.objects.none()
    return PeerReview.objects.filter(
        author=user,
        round__deliverable__seminar=seminar,
        round__released_at__isnull=False,
        submitted_at__isnull=False,
    )


def rounds_of(seminar) -> QuerySet[ReviewRound]:
    return ReviewRound.objects.filter(deliverable__seminar=seminar)


# The seminar's pages: a student's own list; the instructors' setup, assignment, publication and release.
rules.add_perm("reviews.view_own", is_student_of)
rules.add_perm("reviews.manage", is_instructor_of)
# Pages about one review (asked of the review; everyone else in the seminar gets 404).
rules.add_perm("reviews.write", is_reviewer_of)
rules.add_perm("reviews.download_report", is_reviewer_of | is_instructor_of)
rules.add_perm("reviews.read", is_reviewer_of | is_author_of_released | is_instructor_of)
rules.add_perm("reviews.see_author_name", is_instructor_of | (is_reviewer_of & ~round_hides_author))
rules.add_perm(
    "reviews.see_reviewer_name", is_instructor_of | (is_author_of_released & ~round_hides_reviewer)
)
