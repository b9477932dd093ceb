"""A copy to a new term takes a deliverable's peer review settings along (dates moved), never the reviews."""

import pytest

from copying.services import seminar_copy
from reviews.models import PeerReview, ReviewRound

from .helpers import DAY, REVIEWS_DUE, assign_and_publish, make_world, release, write

pytestmark = pytest.mark.django_db


def test_the_copy_takes_the_round_settings_moved_and_no_review_or_state():
    world = make_world(3, grace_minutes=10)
    assign_and_publish(world)
    write(world.review_of(world.students[0]))
    release(world)

    result = seminar_copy(
        source=world.seminar,
        by=world.instructor,
        title="Next",
        slug="next",
        term="SS 27",
        days=182,
        with_papers=False,
    )

    copied = ReviewRound.objects.get(deliverable__seminar=result.seminar)
    assert (
        copied.due_at.astimezone(world.seminar.zone).time()
        == REVIEWS_DUE.astimezone(world.seminar.zone).time()
    )
    assert (copied.due_at - REVIEWS_DUE) // DAY in (181, 182)  # the same clock time, across a DST change
    assert copied.criteria == world.review_round.criteria
    assert (copied.grace_minutes, copied.anonymity) == (10, world.review_round.anonymity)
    assert (copied.seed, copied.assigned_at, copied.published_at, copied.released_at) == (
        None,
        None,
        None,
        None,
    )
    assert not PeerReview.objects.filter(round=copied).exists()
