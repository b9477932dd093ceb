"""Every write of peer review: the round's settings, the assignment (and changes by hand), publication,
each review, and the release to the authors."""

import logging
import secrets
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.languages import in_reader_language
from core.mail import mail_send, portal_link
from core.outbox import enqueue_many_on_commit
from papers.models import Allotment
from seminars.models import Seminar
from seminars.rules import is_enrolled, student_memberships
from submissions import selectors as submission_selectors
from submissions.deadlines import Verdict, judge
from submissions.models import Deliverable, Submission

from . import assignment
from .exceptions import ReviewError
from .models import PeerReview, ReviewRound
from .tasks import task_author_notify, task_reviewer_notify

logger = logging.getLogger(__name__)


def _locked(review_round: ReviewRound) -> ReviewRound:
    locked = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
    locked.deliverable = review_round.deliverable
    return locked


def review_round_save(*, deliverable: Deliverable, review_round: ReviewRound) -> ReviewRound:
    """Turns peer review on for a deliverable with a fixed due time, or saves its settings (the form has
    validated them and keeps k and the anonymity once the round is published)."""
    if deliverable.due_mode != Deliverable.DueMode.FIXED:
        raise ReviewError(_("Peer review needs a deliverable with a fixed due time."))
    review_round.deliverable = deliverable
    review_round.save()
    return review_round


def deadline_passed(deliverable: Deliverable, now: datetime) -> bool:
    """The deliverable's deadline (due + grace) is over: the reports that count are known."""
    return deliverable.due_at is not None and now > deliverable.due_at + deliverable.rule.grace


def _counted_versions(deliverable: Deliverable, student_ids: list[int]) -> dict:
    """student id -> their counted version of the deliverable (students without one left out)."""
    by_student: dict[int, list[Submission]] = {}
    for submission in Submission.objects.filter(deliverable=deliverable, student_id__in=student_ids).order_by(
        "student_id", "version"
    ):
        by_student.setdefault(submission.student_id, []).append(submission)
    counted = {
        student_id: submission_selectors.versions_from(items, deliverable).counted
        for student_id, items in by_student.items()
    }
    return {student_id: version for student_id, version in counted.items() if version is not None}


@transaction.atomic
def reviews_assign(*, review_round: ReviewRound, now: datetime, seed: int | None = None) -> int:
    """Assigns the reviewers (reviews.assignment: never one's own report, k each, evenly spread, same topic
    preferred, reproducible by the seed, which is stored). Allowed after the deliverable's deadline and
    before the round is published; an earlier assignment of the round is replaced. Every current student
    reviews; every student with a counted version is reviewed, that version. Locks the round row, so two
    instructors assigning at once (or an instructor and the beat's reviews_assign_due) do not mix their
    pairs. Returns the number of reviews."""
    review_round = _locked(review_round)
    deliverable = review_round.deliverable
    if review_round.is_published:
        raise ReviewError(_("The reviewers have their reports already; the assignment cannot change."))
    if not deadline_passed(deliverable, now):
        raise ReviewError(_("Reviewers are assigned after the deliverable's deadline."))
    students = list(student_memberships(deliverable.seminar).values_list("user_id", flat=True))
    counted = _counted_versions(deliverable, students)
    topics = dict(
        Allotment.objects.filter(seminar=deliverable.seminar, student_id__in=students).values_list(
            "student_id", "paper__topic_id"
        )
    )
    seed = seed if seed is not None else secrets.randbelow(2**31)
    try:
        pairs = assignment.assign(
            reviewers=students, authors=counted, k=review_round.reviews_per_student, seed=seed, topics=topics
        )
    except assignment.AssignmentFailedError:
        logger.exception("review round %s: the assignment failed", review_round.pk)
        raise ReviewError(
            _("The reviewers could not be assigned this time. Please try again, or give reviews by hand.")
        ) from None
    review_round.reviews.all().delete()
    PeerReview.objects.bulk_create(
        PeerReview(
            round=review_round,
            reviewer_id=pair.reviewer,
            author_id=pair.author,
            submission=counted[pair.author],
            source=PeerReview.Source.AUTOMATIC,
        )
        for pair in pairs
    )
    review_round.seed, review_round.assigned_at = seed, now
    review_round.save(update_fields=["seed", "assigned_at"])
    return len(pairs)


def reviews_assign_due(*, now: datetime) -> int:
    """Run by beat: assigns the reviewers of every round whose deliverable's deadline (due + grace) has
    passed and that has no assignment yet (each in a transaction of its own, by reviews_assign), so the
    pairs are ready for the instructor to check, change and publish. Returns how many rounds it assigned."""
    rounds = ReviewRound.objects.filter(
        assigned_at__isnull=True,
        published_at__isnull=True,
        deliverable__due_mode=Deliverable.DueMode.FIXED,
        deliverable__due_at__lt=now,
    ).exclude(deliverable__seminar__state=Seminar.State.ARCHIVED)
    done = 0
    for review_round in rounds.select_related("deliverable__seminar"):
        if deadline_passed(review_round.deliverable, now):
            try:
                with transaction.atomic():
                    if ReviewRound.objects.select_for_update().get(pk=review_round.pk).assigned_at is None:
                        reviews_assign(review_round=review_round, now=now)
                        done += 1
            except ReviewError:
                continue  # logged by reviews_assign; the next beat tries again, the other rounds go on
    return done


@transaction.atomic
def review_reassign(*, review: PeerReview, reviewer: User) -> PeerReview:
    """Gives one review another reviewer by hand, before the round is published: a current student of the
    seminar, not the author, who does not review this report already. Locks the round row."""
    review_round = _locked(review.round)
    review = PeerReview.objects.select_for_update().get(pk=review.pk)
    if review_round.is_published:
        raise ReviewError(_("The reviewers have their reports already; the assignment cannot change."))
    if reviewer.pk == review.author_id:
        raise ReviewError(_("Nobody reviews their own report."))
    if not is_enrolled(review_round.deliverable.seminar, reviewer):
        raise ReviewError(_("Reviewers are students of this seminar."))
    twice = PeerReview.objects.filter(round=review_round, reviewer=reviewer, author_id=review.author_id)
    if twice.exclude(pk=review.pk).exists():
        raise ReviewError(_("This student reviews that report already."))
    review.reviewer, review.source = reviewer, PeerReview.Source.MANUAL
    review.save(update_fields=["reviewer", "source"])
    return review


@transaction.atomic
def reviews_publish(*, review_round: ReviewRound, by: User, now: datetime) -> int:
    """Gives the reviewers their reports: from now on each sees the counted version they review and writes
    the review until its due time. Each reviewer is mailed once (the mail names no author). Locks the
    round row; publishing twice mails nobody twice. Returns the number of reviewers mailed."""
    review_round = _locked(review_round)
    if review_round.is_published:
        return 0
    reviewers = sorted(set(review_round.reviews.values_list("reviewer_id", flat=True)))
    if not reviewers:
        raise ReviewError(_("Assign the reviewers first."))
    review_round.published_at, review_round.published_by = now, by
    review_round.save(update_fields=["published_at", "published_by"])
    enqueue_many_on_commit(
        task_reviewer_notify,
        [{"review_round_id": review_round.pk, "reviewer_id": reviewer} for reviewer in reviewers],
    )
    return len(reviewers)


def review_open(review: PeerReview, now: datetime) -> bool:
    """Whether the reviewer may save the review at `now` (the rule of review_save)."""
    verdict = judge(now, review.round.due_at, review.round.rule)
    return verdict == Verdict.ON_TIME or (verdict == Verdict.LATE and not review.is_written)


@transaction.atomic
def review_save(*, review: PeerReview, reviewer: User, ratings: list[int], text: str, now: datetime):
    """Saves a review by the deadline rule of uploads (submissions.deadlines.judge with the round's due
    time, grace and late rule), `now` being when the request reached the server: on time, a review may be
    saved and changed again and again; after the due time and the grace, a review not written yet may be
    written once, marked late, if the late rule accepts it; otherwise, and for every review already
    written, nothing changes any more. Locks the review row."""
    review = (
        PeerReview.objects.select_for_update().select_related("round__deliverable__seminar").get(pk=review.pk)
    )
    if review.reviewer_id != reviewer.pk or not review.round.is_published:
        raise ReviewError(_("This review is not yours to write."))
    criteria = review.round.rubric
    if len(ratings) != len(criteria) or any(
        not 0 <= level < len(criterion.levels) for level, criterion in zip(ratings, criteria, strict=False)
    ):
        raise ReviewError(_("Please choose a level for every criterion."))
    if not text.strip():
        raise ReviewError(_("Please write your review."))
    verdict = judge(now, review.round.due_at, review.round.rule)
    if not review_open(review, now):
        raise ReviewError(_("The review's due time has passed; it can no longer be changed."))
    review.ratings, review.text = ratings, text.strip()
    review.is_late = verdict == Verdict.LATE
    review.submitted_at = review.submitted_at or now
    review.updated_at = now
    review.save(update_fields=["ratings", "text", "is_late", "submitted_at", "updated_at"])
    return review


@transaction.atomic
def reviews_release(*, review_round: ReviewRound, by: User, now: datetime) -> int:
    """Shows the authors the written reviews of their reports and mails each author who has one (the mail
    says the reviews are there, not what they say). Only after publication; releasing twice mails nobody
    twice. Locks the round row. Returns the number of authors mailed."""
    review_round = _locked(review_round)
    if not review_round.is_published:
        raise ReviewError(_("Give the reviewers their reports first."))
    if review_round.is_released:
        return 0
    authors = sorted(
        set(review_round.reviews.filter(submitted_at__isnull=False).values_list("author_id", flat=True))
    )
    review_round.released_at, review_round.released_by = now, by
    review_round.save(update_fields=["released_at", "released_by"])
    enqueue_many_on_commit(
        task_author_notify, [{"review_round_id": review_round.pk, "author_id": author} for author in authors]
    )
    return len(authors)


def reviewer_notify(*, review_round: ReviewRound, reviewer: User) -> None:
    """Tells a reviewer they have reports to review and by when. Names no author, whatever the anonymity."""
    seminar = review_round.deliverable.seminar
    count = review_round.reviews.filter(reviewer=reviewer).count()
    if not count:
        return
    mail_send(
        to=reviewer,
        subject=gettext_lazy("Peer review in %(seminar)s"),
        subject_params={"seminar": in_reader_language(seminar, "title")},
        template="reviews/email/assigned",
        context={
            "reviewer": reviewer,
            "seminar": seminar,
            "review_round": review_round,
            "count": count,
            "reviews_url": portal_link("reviews:mine", seminar.slug),
        },
        zone=seminar.time_zone,
    )


def author_notify(*, review_round: ReviewRound, author: User) -> None:
    """Tells an author that the reviews of their report are there (not what they say, nor who wrote them)."""
    seminar = review_round.deliverable.seminar
    mail_send(
        to=author,
        subject=gettext_lazy("Reviews of your report in %(seminar)s"),
        subject_params={"seminar": in_reader_language(seminar, "title")},
        template="reviews/email/released",
        context={
            "author": author,
            "seminar": seminar,
            "review_round": review_round,
            "reviews_url": portal_link("reviews:mine", seminar.slug),
        },
        zone=seminar.time_zone,
    )
