"""Every page, file and feed a student or a visitor can open, walked with an allotment that is run but not
published and grades that are set but not released: none of them shows a trace of either.

The traces looked for are strings that only those records carry: the supervisor of an allotted paper
(shown to a student together with their paper), a grade's comment, and on the pages that are not the
paper catalogue the allotted papers' titles."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from calendars.services import calendar_feed_get
from grading.models import Grade
from grading.services import grade_components_ensure
from papers.models import Allotment
from schedule.models import BlockDay, BlockSeminar, Slot
from submissions.models import Submission
from tests.factories import SeminarFactory, UserFactory, instructor_of, student_of, supervisor_of
from tests.papers.helpers import PaperFactory, PreferenceWindowFactory, rank
from tests.submissions.helpers import DeliverableFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 4, 1, 8, 0, tzinfo=UTC)
SUPERVISOR = "Sigrid Secretsupervisor"
COMMENT = "GRADE-COMMENT-NOT-RELEASED"
TITLES = ["Kernel regimes and lazy training", "Mean-field limits of two-layer nets"]
CATALOGUE_PAGES = {"papers:list", "papers:preferences"}


@pytest.fixture
def seminar_state():
    with time_machine.travel(NOW, tick=False):
        seminar = SeminarFactory(slug="deep")
        instructor = instructor_of(seminar)
        supervisor = supervisor_of(seminar, user__full_name=SUPERVISOR)
        students = [student_of(seminar) for _ in TITLES]
        day = BlockDay.objects.create(
            seminar=seminar, starts_at=NOW + timedelta(days=30), ends_at=NOW + timedelta(days=30, hours=6)
        )
        PreferenceWindowFactory(
            seminar=seminar, opens_at=NOW - timedelta(days=9), closes_at=NOW - timedelta(days=2)
        )
        deliverable = DeliverableFactory(seminar=seminar, due_at=NOW + timedelta(days=10))
        for index, (student, title) in enumerate(zip(students, TITLES, strict=True)):
            paper = PaperFactory(seminar=seminar, title=title, supervisor=supervisor)
            rank(seminar, student, [paper])
            Allotment.objects.create(
                seminar=seminar, student=student, paper=paper, source=Allotment.Source.AUTOMATIC
            )
            start = day.starts_at + timedelta(minutes=45 * index)
            Slot.objects.create(
                seminar=seminar,
                day=day,
                starts_at=start,
                ends_at=start + timedelta(minutes=30),
                presenter=student,
            )
            for component in grade_components_ensure(seminar=seminar):
                Grade.objects.create(
                    seminar=seminar,
                    student=student,
                    component=component,
                    value=Decimal("2.7"),
                    comment=COMMENT,
                    grader=instructor,
                    updated_at=NOW,
                )
        # The state of the defect: a schedule published before its allotment.
        BlockSeminar.objects.create(seminar=seminar, published_at=NOW, published_by=instructor)
        submission = Submission.objects.create(
            deliverable=deliverable,
            student=students[0],
            version=1,
            file="seminar-x/receipt.pdf",
            original_name="report.pdf",
            file_type="pdf",
            size=100,
            sha256="0" * 64,
            received_at=NOW,
            due_at=deliverable.due_at,
        )
    return {"seminar": seminar, "students": students, "deliverable": deliverable, "submission": submission}


def pages(state, user) -> dict[str, str]:
    seminar, deliverable = state["seminar"], state["deliverable"]
    urls = {
        "seminars:list": reverse("seminars:list"),
        "seminars:detail": reverse("seminars:detail", args=[seminar.slug]),
        "papers:list": reverse("papers:list", args=[seminar.slug]),
        "papers:preferences": reverse("papers:preferences", args=[seminar.slug]),
        "schedule:program": reverse("schedule:program", args=[seminar.slug]),
        "schedule:program_ics": reverse("schedule:program_ics", args=[seminar.slug]),
        "submissions:list": reverse("submissions:list", args=[seminar.slug]),
        "submissions:deliverable": reverse("submissions:deliverable", args=[seminar.slug, deliverable.pk]),
        "grading:mine": reverse("grading:mine", args=[seminar.slug]),
        "reminders:mine": reverse("reminders:mine", args=[seminar.slug]),
        "calendars:mine": reverse("calendars:mine"),
        "accounts:profile": reverse("accounts:profile"),
    }
    if user is not None:
        urls["calendars:feed"] = reverse("calendars:feed", args=[calendar_feed_get(user=user).token])
        if user == state["submission"].student:
            urls["submissions:receipt"] = reverse(
                "submissions:receipt", args=[seminar.slug, deliverable.pk, state["submission"].pk]
            )
    return urls


@pytest.mark.parametrize("who", ["student", "other student", "visitor", "signed-in outsider"])
def test_no_page_shows_an_unpublished_allotment_or_unreleased_grades(client, seminar_state, who):
    user = {
        "student": seminar_state["students"][0],
        "other student": seminar_state["students"][1],
        "visitor": None,
        "signed-in outsider": UserFactory(),
    }[who]
    opened = []
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        if user is not None:
            client.force_login(user)
        for name, url in pages(seminar_state, user).items():
            response = client.get(url)
            if response.status_code != 200:
                continue
            opened.append(name)
            text = response.content.decode()
            assert SUPERVISOR not in text, name
            assert COMMENT not in text, name
            assert "2,7" not in text, name
            assert "2.7" not in text, name
            if name not in CATALOGUE_PAGES:
                assert [title for title in TITLES if title in text] == [], name
    # The walk reached the pages that carry these records once published or released.
    assert {"schedule:program", "schedule:program_ics", "seminars:detail"} <= set(opened)
    if who in ("student", "other student"):
        assert {"papers:list", "grading:mine", "calendars:feed", "submissions:deliverable"} <= set(opened)
