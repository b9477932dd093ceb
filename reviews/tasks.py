from celery import shared_task

from core.tasks import mail_task


@shared_task(name="reviews.assign_due", acks_late=True, ignore_result=True)
def task_reviews_assign_due() -> int:
    """Run by beat: assigns the reviewers of rounds whose deliverable's deadline has passed."""
    from django.utils import timezone

    from .services import reviews_assign_due

    return reviews_assign_due(now=timezone.now())


@mail_task("reviews.reviewer_notify")
def task_reviewer_notify(review_round_id: int, reviewer_id: int) -> None:
    from accounts.models import User

    from .models import ReviewRound
    from .services import reviewer_notify

    review_round = (
        ReviewRound.objects.select_related("deliverable__seminar").filter(pk=review_round_id).first()
    )
    reviewer = User.objects.filter(pk=reviewer_id).first()
    if review_round is not None and reviewer is not None:
        reviewer_notify(review_round=review_round, reviewer=reviewer)


@mail_task("reviews.author_notify")
def task_author_notify(review_round_id: int, author_id: int) -> None:
    from accounts.models import User

    from .models import ReviewRound
    from .services import author_notify

    review_round = (
        ReviewRound.objects.select_related("deliverable__seminar").filter(pk=review_round_id).first()
    )
    author = User.objects.filter(pk=author_id).first()
    if review_round is not None and author is not None:
        author_notify(review_round=review_round, author=author)
