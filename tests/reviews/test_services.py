"""The peer review services: assignment after the deadline, changes by hand, publication, the deadline rule
of a review, release, and their mails."""

from collections import Counter
from datetime import timedelta
from types import SimpleNamespace

import pytest

from reviews import assignment, services
from reviews.exceptions import ReviewError
from reviews.models import PeerReview, ReviewRound
from seminars.models import Membership, Seminar
from submissions.models import Submission

from .helpers import AFTER_DEADLINE, DAY, DUE, REVIEWS_DUE, assign_and_publish, make_world, release, write

pytestmark = pytest.mark.django_db


def test_assigning_before_the_deliverables_deadline_is_refused_and_assigns_nothing():
    world = make_world()

    with pytest.raises(ReviewError, match="after the deliverable's deadline"):
        services.reviews_assign(review_round=world.review_round, now=DUE)

    assert not PeerReview.objects.exists()


def test_assigning_gives_each_student_k_reports_of_others_and_each_report_k_reviews():
    world = make_world(5, reviews_per_student=2)

    count = services.reviews_assign(review_round=world.review_round, now=AFTER_DEADLINE)

    reviews = list(PeerReview.objects.all())
    assert count == len(reviews) == 10
    assert all(review.reviewer_id != review.author_id for review in reviews)
    assert set(Counter(review.reviewer_id for review in reviews).values()) == {2}
    assert set(Counter(review.author_id for review in reviews).values()) == {2}
    world.review_round.refresh_from_db()
    assert world.review_round.seed is not None
    assert world.review_round.assigned_at == AFTER_DEADLINE


def test_each_review_is_of_the_authors_counted_version():
    world = make_world(3)
    author = world.students[0]
    # A second, on-time version: it counts, not the first.
    services_file = Submission.objects.get(student=author)
    newer = Submission.objects.create(
        deliverable=world.deliverable,
        student=author,
        version=2,
        file=services_file.file.name,
        original_name="alma-v2.pdf",
        file_type="pdf",
        size=services_file.size,
        sha256=services_file.sha256,
        received_at=DUE - timedelta(hours=1),
    )

    services.reviews_assign(review_round=world.review_round, now=AFTER_DEADLINE, seed=3)

    assert {review.submission_id for review in PeerReview.objects.filter(author=author)} == {newer.pk}


def test_the_same_seed_gives_the_same_pairs_and_assigning_again_replaces_them():
    world = make_world(6)

    services.reviews_assign(review_round=world.review_round, now=AFTER_DEADLINE, seed=42)
    first = set(PeerReview.objects.values_list("reviewer_id", "author_id"))
    services.reviews_assign(review_round=world.review_round, now=AFTER_DEADLINE, seed=42)

    assert set(PeerReview.objects.values_list("reviewer_id", "author_id")) == first
    assert PeerReview.objects.count() == 6


def test_a_student_who_did_not_hand_in_reviews_but_is_not_reviewed():
    world = make_world(4, handed_in=3)
    missing = world.students[3]

    services.reviews_assign(review_round=world.review_round, now=AFTER_DEADLINE, seed=5)

    assert not PeerReview.objects.filter(author=missing).exists()
    assert PeerReview.objects.filter(reviewer=missing).count() == 1


def test_a_withdrawn_student_neither_reviews_nor_is_reviewed():
    world = make_world(4)
    gone = world.students[3]
    Membership.objects.filter(user=gone).update(withdrawn_at=AFTER_DEADLINE - DAY)

    services.reviews_assign(review_round=world.review_round, now=AFTER_DEADLINE, seed=5)

    assert not PeerReview.objects.filter(reviewer=gone).exists()
    assert not PeerReview.objects.filter(author=gone).exists()


def test_a_reviewer_is_changed_by_hand_before_publication_and_marked_so():
    world = make_world(3)
    services.reviews_assign(review_round=world.review_round, now=AFTER_DEADLINE, seed=1)
    review = world.review_of(world.students[0])
    other = next(s for s in world.students[1:] if s.pk != review.reviewer_id)

    services.review_reassign(review=review, reviewer=other)

    review.refresh_from_db()
    assert review.reviewer == other
    assert review.source == PeerReview.Source.MANUAL


@pytest.mark.parametrize("who", ["author", "supervisor", "duplicate"])
def test_a_change_by_hand_that_breaks_a_rule_is_refused(who):
    world = make_world(3, reviews_per_student=2)
    services.reviews_assign(review_round=world.review_round, now=AFTER_DEADLINE, seed=1)
    author = world.students[0]
    review, second = PeerReview.objects.filter(author=author)
    reviewer = {"author": author, "supervisor": world.supervisor, "duplicate": second.reviewer}[who]

    with pytest.raises(ReviewError):
        services.review_reassign(review=review, reviewer=reviewer)

    review.refresh_from_db()
    assert review.source == PeerReview.Source.AUTOMATIC


def test_publishing_mails_each_reviewer_once_naming_no_author(mailoutbox, django_capture_on_commit_callbacks):
    world = make_world(4)
    services.reviews_assign(review_round=world.review_round, now=AFTER_DEADLINE, seed=1)

    with django_capture_on_commit_callbacks(execute=True):
        count = services.reviews_publish(
            review_round=world.review_round, by=world.instructor, now=AFTER_DEADLINE
        )
        again = services.reviews_publish(
            review_round=world.review_round, by=world.instructor, now=AFTER_DEADLINE
        )

    assert (count, again) == (4, 0)
    assert sorted(message.to[0] for message in mailoutbox) == sorted(s.email for s in world.students)
    for message in mailoutbox:
        reviewer = next(s for s in world.students if s.email == message.to[0])
        author = world.review_round.reviews.get(reviewer=reviewer).author
        body = message.body + message.alternatives[0][0]
        assert "you have 1 report to review" in message.body
        assert author.full_name not in body
        assert author.email not in body


def test_after_publication_the_assignment_cannot_change():
    world = make_world(3)
    assign_and_publish(world)

    with pytest.raises(ReviewError, match="cannot change"):
        services.reviews_assign(review_round=world.review_round, now=AFTER_DEADLINE)
    with pytest.raises(ReviewError, match="cannot change"):
        services.review_reassign(review=world.review_of(world.students[0]), reviewer=world.students[2])


def test_a_review_is_saved_and_changed_until_its_due_time_and_is_immutable_after():
    world = make_world(3)
    assign_and_publish(world)
    review = world.review_of(world.students[0])

    write(review, text="First thoughts")
    write(review, text="Exactly at the due time", now=REVIEWS_DUE)

    review.refresh_from_db()
    assert review.text == "Exactly at the due time"
    assert review.submitted_at == AFTER_DEADLINE
    assert review.updated_at == REVIEWS_DUE
    assert not review.is_late
    with pytest.raises(ReviewError, match="due time has passed"):
        write(review, text="Too late", now=REVIEWS_DUE + timedelta(seconds=1))
    review.refresh_from_db()
    assert review.text == "Exactly at the due time"


def test_within_the_grace_period_a_review_is_on_time():
    world = make_world(3, grace_minutes=30)
    assign_and_publish(world)

    review = write(world.review_of(world.students[0]), now=REVIEWS_DUE + timedelta(minutes=30))

    assert not review.is_late


def test_a_late_review_is_accepted_once_marked_late_when_the_rule_accepts_late_work():
    world = make_world(3, late_policy=ReviewRound.Policy.ACCEPT_LATE, late_window_hours=24)
    assign_and_publish(world)
    review = world.review_of(world.students[0])

    saved = write(review, now=REVIEWS_DUE + timedelta(hours=2))

    assert saved.is_late
    with pytest.raises(ReviewError):
        write(review, text="A second late try", now=REVIEWS_DUE + timedelta(hours=3))
    with pytest.raises(ReviewError):
        write(world.review_of(world.students[1]), now=REVIEWS_DUE + timedelta(hours=25))


def test_a_review_needs_every_criterion_and_a_text_and_only_its_reviewer_writes_it():
    world = make_world(3)
    assign_and_publish(world)
    review = world.review_of(world.students[0])

    with pytest.raises(ReviewError, match="every criterion"):
        services.review_save(
            review=review, reviewer=review.reviewer, ratings=[0], text="x", now=AFTER_DEADLINE
        )
    with pytest.raises(ReviewError, match="every criterion"):
        services.review_save(
            review=review, reviewer=review.reviewer, ratings=[0, 5], text="x", now=AFTER_DEADLINE
        )
    with pytest.raises(ReviewError, match="write your review"):
        services.review_save(
            review=review, reviewer=review.reviewer, ratings=[0, 1], text="  ", now=AFTER_DEADLINE
        )
    with pytest.raises(ReviewError, match="not yours"):
        services.review_save(
            review=review, reviewer=review.author, ratings=[0, 1], text="x", now=AFTER_DEADLINE
        )
    review.refresh_from_db()
    assert not review.is_written


def test_releasing_mails_the_authors_with_a_written_review_once(
    mailoutbox, django_capture_on_commit_callbacks
):
    world = make_world(3)
    assign_and_publish(world)
    write(world.review_of(world.students[0]))
    write(world.review_of(world.students[1]))

    with django_capture_on_commit_callbacks(execute=True):
        count = services.reviews_release(
            review_round=world.review_round, by=world.instructor, now=REVIEWS_DUE
        )
        again = services.reviews_release(
            review_round=world.review_round, by=world.instructor, now=REVIEWS_DUE
        )

    assert (count, again) == (2, 0)
    assert sorted(message.to[0] for message in mailoutbox) == sorted(s.email for s in world.students[:2])
    for message in mailoutbox:
        assert "the reviews of your report" in message.body
        reviewer = world.review_round.reviews.get(author__email=message.to[0]).reviewer
        assert reviewer.full_name not in message.body + message.alternatives[0][0]
        assert "section 3" not in message.body  # the mail says the reviews are there, not what they say


def test_releasing_before_publication_is_refused():
    world = make_world(3)

    with pytest.raises(ReviewError):
        release(world)
    world.review_round.refresh_from_db()
    assert world.review_round.released_at is None


def test_peer_review_needs_a_fixed_due_time():
    world = make_world(2)
    world.deliverable.due_mode, world.deliverable.days_before_talk = "before_talk", 3

    with pytest.raises(ReviewError, match="fixed due time"):
        services.review_round_save(deliverable=world.deliverable, review_round=world.review_round)


def test_the_beat_assigns_each_round_once_after_its_deliverables_deadline():
    world = make_world(4)

    before = services.reviews_assign_due(now=DUE)
    first = services.reviews_assign_due(now=AFTER_DEADLINE)
    pairs = set(PeerReview.objects.values_list("reviewer_id", "author_id"))
    again = services.reviews_assign_due(now=AFTER_DEADLINE + DAY)

    assert (before, first, again) == (0, 1, 0)
    assert PeerReview.objects.count() == 4
    assert set(PeerReview.objects.values_list("reviewer_id", "author_id")) == pairs
    world.review_round.refresh_from_db()
    assert world.review_round.assigned_at == AFTER_DEADLINE


def test_a_solver_failure_refuses_with_a_message_and_the_beat_goes_on_to_the_next_round(monkeypatch, caplog):
    """HiGHS answering with an error status (scipy's linprog, replaced here: a library, not the portal's
    code) is refused with a message for the instructor; the beat leaves that round for its next scan and
    assigns the others."""
    failing, working = make_world(3, slug="failing"), make_world(4, slug="working")
    real_linprog = assignment.linprog
    # The failing class's programme: a variable per pair (3 students, 2 others each), 3 tiers per report.
    failing_size = 3 * 2 + 3 * 3

    def linprog(cost, **kwargs):
        if len(cost) == failing_size:
            return SimpleNamespace(status=4, message="numerical difficulties", x=None)
        return real_linprog(cost, **kwargs)

    monkeypatch.setattr(assignment, "linprog", linprog)
    with pytest.raises(ReviewError, match="could not be assigned this time"):
        services.reviews_assign(review_round=failing.review_round, now=AFTER_DEADLINE)

    assert services.reviews_assign_due(now=AFTER_DEADLINE) == 1
    assert not PeerReview.objects.filter(round=failing.review_round).exists()
    assert PeerReview.objects.filter(round=working.review_round).count() == 4
    assert "the assignment failed" in caplog.text


def test_the_beat_leaves_archived_seminars_alone():
    world = make_world(3)
    Seminar.objects.filter(pk=world.seminar.pk).update(state=Seminar.State.ARCHIVED)

    assert services.reviews_assign_due(now=AFTER_DEADLINE) == 0
    assert not PeerReview.objects.exists()


def test_the_beat_runs_the_assignment_task():
    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULE["reviews-assign-due"]["task"] == "reviews.assign_due"
