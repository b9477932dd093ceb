"""Reminders of peer review (reminders.kinds.reviews.ReviewDue): the scan's bulk query and the send task's
single check agree on random states, and a reviewer with a review not written is mailed before its due
time, without the author's name."""

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reminders.kinds import ReviewDue
from reminders.models import Reminder
from reminders.schedule import DAY
from reminders.services import reminder_send, reminders_scan
from reviews.models import PeerReview, ReviewRound
from seminars.models import Membership
from tests.factories import instructor_of
from tests.reminders.helpers import rolled_back
from tests.reminders.test_agreement import (
    AGREEMENT,
    ONE_DAY,
    archive_if,
    fire_times,
    offsets_in,
    own_offsets,
    person,
    rarely,
    seminar_with,
    upload,
    zoned_dues,
)
from tests.submissions.helpers import DeliverableFactory

from .helpers import REVIEWS_DUE, assign_and_publish, make_world, write

pytestmark = pytest.mark.django_db


@st.composite
def review_states(draw):
    zone, due = draw(zoned_dues)
    return {
        "zone": zone,
        "due": due,
        "offsets": draw(own_offsets),
        "published": draw(st.booleans() | st.just(True)),
        "archived": draw(rarely),
        "reviewers": draw(
            st.lists(
                st.tuples(st.sampled_from(["student", "student", "student", "left"]), st.booleans()),
                min_size=1,
                max_size=3,
            )
        ),
        "moments": draw(st.lists(st.timedeltas(min_value=-10 * ONE_DAY, max_value=ONE_DAY), max_size=3)),
    }


@AGREEMENT
@given(state=review_states())
def test_review_due_bulk_query_and_single_check_agree(state):
    with rolled_back():
        seminar = seminar_with(state)
        instructor = instructor_of(seminar)
        deliverable = DeliverableFactory(seminar=seminar, due_at=state["due"] - 7 * ONE_DAY)
        review_round = ReviewRound.objects.create(
            deliverable=deliverable,
            due_at=state["due"],
            published_at=state["due"] - 5 * ONE_DAY if state["published"] else None,
        )
        author = person(seminar, "student")
        upload(deliverable, author)
        submission = deliverable.submissions.get()
        people = [instructor, author]
        for role, written in state["reviewers"]:
            reviewer = person(seminar, role)
            people.append(reviewer)
            PeerReview.objects.create(
                round=review_round,
                reviewer=reviewer,
                author=author,
                submission=submission,
                submitted_at=state["due"] - ONE_DAY if written else None,
            )
        archive_if(seminar, state)
        offsets = offsets_in(state)
        moments = [
            *fire_times([state["due"]], offsets, state["zone"]),
            *(state["due"] + m for m in state["moments"]),
        ]
        from tests.reminders.test_agreement import assert_agree

        assert_agree(ReviewDue, [(seminar, review_round.pk)], people, offsets, moments)


def test_a_reviewer_who_has_not_written_is_reminded_a_day_before_without_the_authors_name(mailoutbox):
    world = make_world(3)
    assign_and_publish(world)
    written = world.review_of(world.students[0])
    write(written)
    now = REVIEWS_DUE - timedelta(minutes=DAY) + timedelta(minutes=5)
    handed = []

    reminders_scan(now=now, enqueue=handed.append)
    for reminder_id in handed:
        reminder_send(reminder_id=reminder_id, now=now)

    reminded = set(Reminder.objects.filter(kind="review").values_list("user_id", flat=True))
    assert written.reviewer_id not in reminded
    assert reminded == {review.reviewer_id for review in PeerReview.objects.filter(submitted_at__isnull=True)}
    assert len(mailoutbox) == len(reminded)
    for message in mailoutbox:
        review = PeerReview.objects.get(reviewer__email=message.to[0])
        assert "your peer review for “Written report”" in message.body
        assert review.author.full_name not in message.body + message.alternatives[0][0]


def test_a_withdrawn_reviewer_is_not_reminded():
    world = make_world(3)
    assign_and_publish(world)
    gone = world.review_of(world.students[0]).reviewer
    Membership.objects.filter(user=gone, seminar=world.seminar).update(withdrawn_at=REVIEWS_DUE - 3 * ONE_DAY)
    now = REVIEWS_DUE - timedelta(minutes=DAY) + timedelta(minutes=5)

    candidates = {candidate.user_id for candidate in ReviewDue().candidates(now)}

    assert gone.pk not in candidates
    assert candidates  # the others are
