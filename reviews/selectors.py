"""Reads of peer review; each returns only what the asking user may see (reviews/rules.py)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.permissions import may
from seminars.models import Seminar
from seminars.selectors import get_seminar_for_user, get_seminar_with
from submissions.models import Deliverable

from .models import PeerReview, ReviewRound
from .rules import reviews_received_by, reviews_written_by

REVIEW_RELATIONS = ("round__deliverable__seminar", "reviewer", "author", "submission")


def get_review_with(
    user, slug: str, pk: int, permission: str, *, seminar_permission: str | None = None
) -> tuple[Seminar, PeerReview]:
    """A page about one review: 404 for a hidden seminar; 403 for a person without `seminar_permission` in
    the seminar (by default: who takes no part in its peer review, neither a student nor an instructor);
    404 for a review of another seminar or one the policy does not give them `permission` on, so that
    review ids reveal nothing."""
    seminar = get_seminar_for_user(user, slug)
    if seminar_permission is not None:
        allowed = may(user, seminar_permission, seminar)
    else:
        allowed = may(user, "reviews.view_own", seminar) or may(user, "reviews.manage", seminar)
    if not allowed:
        raise PermissionDenied
    review = (
        PeerReview.objects.select_related(*REVIEW_RELATIONS).filter(
            pk=pk, round__deliverable__seminar=seminar
        )
    ).first()
    if review is None:
        raise Http404
    review.round.deliverable.seminar = seminar
    if not may(user, permission, review):
        raise Http404
    return seminar, review


def get_round_with(user, slug: str, pk: int) -> tuple[Seminar, Deliverable, ReviewRound | None]:
    """The peer review page of a deliverable, for the seminar's instructors; the round is None while peer
    review is off."""
    seminar = get_seminar_with(user, slug, "reviews.manage")
    deliverable = get_object_or_404(Deliverable, seminar=seminar, pk=pk)
    deliverable.seminar = seminar
    review_round = ReviewRound.objects.filter(deliverable=deliverable).first()
    if review_round is not None:
        review_round.deliverable = deliverable
    return seminar, deliverable, review_round


def round_reviews(review_round: ReviewRound) -> list[PeerReview]:
    """Every review of the round with its reviewer, author and version, by author: two queries."""
    reviews = list(
        review_round.reviews.select_related("reviewer", "author", "submission").order_by(
            "author__full_name", "author_id", "reviewer__full_name"
        )
    )
    for review in reviews:
        review.round = review_round
    return reviews


@dataclass(frozen=True)
class RoundCounts:
    reviews: int
    written: int
    late: int


def round_counts(reviews: list[PeerReview]) -> RoundCounts:
    return RoundCounts(
        reviews=len(reviews),
        written=sum(review.is_written for review in reviews),
        late=sum(review.is_late for review in reviews),
    )


def _with_relations(reviews, seminar: Seminar) -> list[PeerReview]:
    found = list(reviews.select_related(*REVIEW_RELATIONS).order_by("round__due_at", "pk"))
    for review in found:
        review.round.deliverable.seminar = seminar
    return found


def my_reviews(user, seminar: Seminar) -> tuple[list[PeerReview], list[PeerReview]]:
    """The reviews a student writes and the reviews of their reports released to them, two queries."""
    return (
        _with_relations(reviews_written_by(user, seminar), seminar),
        _with_relations(reviews_received_by(user, seminar), seminar),
    )


def reviews_written_for_grading(
    user, seminar: Seminar, student_ids: list[int]
) -> dict[int, list[PeerReview]]:
    """The reviews each of the students wrote (or has to write) in the seminar's rounds, by reviewer id,
    as far as `user` may read them (reviews.read: the instructors read every review, supervisors none):
    for grading "peer review quality". One query however many students."""
    found: dict[int, list[PeerReview]] = {}
    reviews = PeerReview.objects.filter(
        round__deliverable__seminar=seminar, reviewer_id__in=student_ids
    ).select_related("round__deliverable", "author")
    for review in reviews.order_by("round__due_at", "round_id", "author__full_name", "pk"):
        review.round.deliverable.seminar = seminar
        if may(user, "reviews.read", review):
            found.setdefault(review.reviewer_id, []).append(review)
    return found
