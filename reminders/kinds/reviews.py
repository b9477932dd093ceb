"""Reminders of peer review: a reviewer who has not written a review of a published round, at the
seminar's offsets before the review's due time."""

from datetime import datetime

from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from core.languages import in_reader_language
from core.mail import portal_link
from reviews.models import PeerReview, ReviewRound
from seminars.models import Seminar

from ..models import Reminder
from ..registry import register
from .base import LOOKAHEAD, Obligation, OffsetKind, offsets_of
from .roles import students_of


@register
class ReviewDue(OffsetKind):
    """A student of the seminar with a review not written yet in a published round, by the round's due
    time. One reminder per round, however many reports the reviewer has; the mail names no author."""

    key = Reminder.Kind.REVIEW
    label = _("Peer review due")
    subject = _("Reminder: your peer review for “%(title)s” is due")
    template = "reminders/email/review"

    def objects(self) -> QuerySet:
        # `seminar_id` as the other kinds' objects have it (the send task looks a round up by it).
        return (
            ReviewRound.objects.filter(published_at__isnull=False)
            .exclude(deliverable__seminar__state=Seminar.State.ARCHIVED)
            .annotate(seminar_id=F("deliverable__seminar_id"))
            .select_related("deliverable__seminar__reminder_settings")
        )

    def around(self, objects: QuerySet, now: datetime) -> QuerySet:
        return objects.filter(due_at__gt=now, due_at__lte=now + LOOKAHEAD)

    def obligations(self, items, now, user_id=None):
        students = students_of({item.deliverable.seminar_id for item in items}, user_id)
        enrolled = {(seminar_id, student) for seminar_id, ids in students.items() for student in ids}
        unwritten = PeerReview.objects.filter(round__in=items, submitted_at__isnull=True)
        if user_id is not None:
            unwritten = unwritten.filter(reviewer_id=user_id)
        owing = set(unwritten.order_by().values_list("round_id", "reviewer_id").distinct())
        for review_round in items:
            seminar = review_round.deliverable.seminar
            for round_id, reviewer_id in sorted(owing):
                if round_id != review_round.pk or (seminar.pk, reviewer_id) not in enrolled:
                    continue
                yield Obligation(
                    seminar=seminar,
                    user_id=reviewer_id,
                    item=review_round,
                    title=self.title_of(review_round),
                    due=review_round.due_at,
                    offsets=offsets_of(seminar),
                )

    def title_of(self, item):
        return in_reader_language(item.deliverable, "title")

    def link(self, obligation):
        return portal_link("reviews:mine", obligation.seminar.slug)

    def context(self, obligation, user):
        return {"review_round": obligation.item, "deliverable": obligation.item.deliverable}
