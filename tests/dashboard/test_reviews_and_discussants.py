"""The dashboard's peer review, discussant and feedback lines: what a student has to review (never whose
report under double-blind), the reviews of their report once released, the talks they discuss once the
schedule is published, and that written feedback is there once the grades are released."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grading.models import Feedback, GradeComponent, GradingSettings
from reviews.models import PeerReview, ReviewRound
from submissions.models import Deliverable
from tests.dashboard.test_views import hand_in, talk
from tests.factories import SeminarFactory, UserFactory, instructor_of, student_of
from tests.submissions.helpers import DeliverableFactory

pytestmark = pytest.mark.django_db
URL = reverse("dashboard:home")


def soon(**delta):
    return timezone.now() + timedelta(**delta)


def review_round(seminar, reviewer, author, *, published=True, released=False, written=False):
    deliverable = DeliverableFactory(seminar=seminar, kind=Deliverable.Kind.REPORT, due_at=soon(days=-3))
    submission = hand_in(deliverable, author)
    round_ = ReviewRound.objects.create(
        deliverable=deliverable,
        anonymity=ReviewRound.Anonymity.DOUBLE_BLIND,
        due_at=soon(days=4),
        criteria=[{"name": "Clarity", "description": "", "levels": ["clear", "unclear"]}],
        seed=1,
        assigned_at=soon(days=-2),
        published_at=soon(days=-2) if published else None,
        released_at=soon(hours=-1) if released else None,
    )
    return PeerReview.objects.create(
        round=round_,
        reviewer=reviewer,
        author=author,
        submission=submission,
        ratings=[0] if written else [],
        text="Clear." if written else "",
        submitted_at=soon(hours=-2) if written else None,
        updated_at=soon(hours=-2) if written else None,
    )


def page_of(client, user) -> str:
    client.force_login(user)
    return client.get(URL).content.decode()


def test_a_reviewer_sees_what_to_review_and_when_but_not_whose_report(client):
    seminar = SeminarFactory()
    reviewer = student_of(seminar, user__full_name="Rita Reviewer")
    author = student_of(seminar, user__full_name="Alma Author")
    review_round(seminar, reviewer, author)

    page = page_of(client, reviewer)

    assert "1 report to review" in page
    assert "not written yet" in page
    assert reverse("reviews:mine", args=[seminar.slug]) in page
    assert "Alma" not in page
    assert "Author" not in page


def test_nothing_of_a_review_round_shows_before_it_is_published(client):
    seminar = SeminarFactory()
    reviewer, author = student_of(seminar), student_of(seminar)
    review_round(seminar, reviewer, author, published=False)

    page = page_of(client, reviewer)

    assert "to review" not in page
    assert reverse("reviews:mine", args=[seminar.slug]) not in page


def test_the_author_sees_the_reviews_of_their_report_only_once_released_and_written(client):
    seminar = SeminarFactory()
    reviewer = student_of(seminar, user__full_name="Rita Reviewer")
    author = student_of(seminar)
    review = review_round(seminar, reviewer, author, written=True)
    assert "review to read" not in page_of(client, author)

    ReviewRound.objects.filter(pk=review.round_id).update(released_at=soon(hours=-1))
    page = page_of(client, author)

    assert "1 review to read" in page
    assert "Rita" not in page
    assert "Reviewer" not in page


def test_a_discussant_sees_the_talk_they_discuss_once_the_schedule_is_published(client):
    seminar = SeminarFactory()
    presenter = student_of(seminar, user__full_name="Paul Presenter")
    discussant = student_of(seminar)
    slot = talk(seminar, presenter, soon(days=5), published=False)
    slot.discussant = discussant
    slot.save()
    assert "You discuss" not in page_of(client, discussant)

    seminar.block_seminar.published_at = timezone.now()
    seminar.block_seminar.save()
    page = page_of(client, discussant)

    assert "You discuss" in page
    assert "the talk of Paul Presenter" in page
    assert "You discuss" not in page_of(client, presenter)


def test_written_feedback_is_announced_only_once_the_grades_are_released(client):
    seminar = SeminarFactory()
    student = student_of(seminar)
    component = GradeComponent.objects.create(
        seminar=seminar, key="report", name_en="Report", name_de="Bericht", weight=100, order=1
    )
    Feedback.objects.create(
        seminar=seminar,
        student=student,
        component=component,
        comment="Well argued.",
        examiner=instructor_of(seminar),
        updated_at=timezone.now(),
    )
    settings = GradingSettings.objects.create(seminar=seminar)
    assert "with written feedback" not in page_of(client, student)

    settings.released_at = timezone.now()
    settings.save()

    assert "with written feedback" in page_of(client, student)
    assert "Well argued." not in page_of(
        client, student
    )  # the grade page shows it, the dashboard says it is there


def test_a_student_of_another_seminar_sees_none_of_it(client):
    seminar = SeminarFactory()
    reviewer, author = student_of(seminar), student_of(seminar)
    review_round(seminar, reviewer, author, released=True, written=True)
    stranger = UserFactory()
    student_of(SeminarFactory(), user=stranger)

    page = page_of(client, stranger)

    assert "to review" not in page
    assert "to read" not in page
