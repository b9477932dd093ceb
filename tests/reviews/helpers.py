"""A seminar whose students handed in their reports (PDFs whose metadata name them), with peer review on."""

import html
import io
import re
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from accounts.models import User
from reviews import services
from reviews.models import PeerReview, ReviewRound
from seminars.models import Seminar
from submissions import services as submission_services
from submissions.models import Deliverable
from tests.factories import SeminarFactory, instructor_of, student_of, supervisor_of
from tests.submissions.helpers import DUE, DeliverableFactory

DAY = timedelta(days=1)
AFTER_DEADLINE = DUE + DAY
REVIEWS_DUE = DUE + 7 * DAY
RUBRIC = [
    {"name": "Understanding", "description": "of the paper", "levels": ["excellent", "good", "insufficient"]},
    {"name": "Clarity", "description": "", "levels": ["clear", "unclear"]},
]


def named_pdf(name: str) -> bytes:
    """A report whose document information names its author, as LaTeX and Word write it."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata(
        {"/Author": name, "/Creator": f"LaTeX with hyperref ({name})", "/Title": f"Report by {name}"}
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass
class ReviewWorld:
    seminar: Seminar
    instructor: User
    supervisor: User
    students: list[User]
    deliverable: Deliverable
    review_round: ReviewRound

    def review_of(self, author: User) -> PeerReview:
        return PeerReview.objects.select_related("round__deliverable__seminar").get(
            round=self.review_round, author=author
        )


NAMES = ["Alma Author", "Bert Bernd", "Cleo Clever", "Dora Dorn", "Emil Eck", "Fritz Falk"]


def make_world(
    students: int = 4,
    *,
    anonymity=ReviewRound.Anonymity.DOUBLE_BLIND,
    handed_in=None,
    slug="learning-theory",
    **round_fields,
):
    seminar = SeminarFactory(title="Learning theory", slug=slug)
    instructor = instructor_of(seminar, user__full_name="Ida Instructor")
    supervisor = supervisor_of(seminar, user__full_name="Sue Supervisor")
    people = [
        student_of(seminar, user__full_name=NAMES[i] if i < len(NAMES) else f"Student Number{i}")
        for i in range(students)
    ]
    deliverable = DeliverableFactory(seminar=seminar)
    for student in people[: handed_in if handed_in is not None else students]:
        submission_services.submission_create(
            deliverable=deliverable,
            student=student,
            upload=SimpleUploadedFile(
                f"{student.full_name.split()[0].lower()}-report.pdf", named_pdf(student.full_name)
            ),
            received_at=DUE - DAY,
        )
    review_round = ReviewRound.objects.create(
        deliverable=deliverable, anonymity=anonymity, due_at=REVIEWS_DUE, criteria=RUBRIC, **round_fields
    )
    return ReviewWorld(seminar, instructor, supervisor, people, deliverable, review_round)


def assign_and_publish(world: ReviewWorld, *, seed: int = 1) -> None:
    services.reviews_assign(review_round=world.review_round, now=AFTER_DEADLINE, seed=seed)
    services.reviews_publish(review_round=world.review_round, by=world.instructor, now=AFTER_DEADLINE)
    world.review_round.refresh_from_db()


def write(
    review: PeerReview, *, text: str = "A clear report; section 3 needs an example.", now=AFTER_DEADLINE
):
    return services.review_save(review=review, reviewer=review.reviewer, ratings=[0, 1], text=text, now=now)


def release(world: ReviewWorld, now=REVIEWS_DUE + DAY) -> None:
    services.reviews_release(review_round=world.review_round, by=world.instructor, now=now)
    world.review_round.refresh_from_db()


def main_text(response) -> str:
    """The words of a page's main content (what a screen reader reads there)."""
    content = response.content.decode()
    main = content[content.find("<main") : content.find("</main>")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())
