"""Peer review in the browser: the reports are handed in, the instructor turns on peer review with a rubric,
assigns the reviewers and gives them their reports; a reviewer downloads the report without its author's
name and writes the review; the instructor releases the reviews and the author reads theirs."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from reviews.models import PeerReview
from submissions import services as submission_services
from tests.factories import PASSWORD, SeminarFactory, instructor_of, student_of
from tests.reviews.helpers import named_pdf
from tests.submissions.helpers import (
    DeliverableFactory,
    submission_storage,  # noqa: F401 - the fixture, used through usefixtures below
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("submission_storage")]


@pytest.fixture
def handed_in():
    seminar = SeminarFactory(title="Learning theory")
    instructor = instructor_of(seminar, user__full_name="Ida Instructor", user__email="ida@uni.example")
    due = timezone.now() - timedelta(days=2)
    deliverable = DeliverableFactory(seminar=seminar, title="Written report", due_at=due)
    students = [
        student_of(seminar, user__full_name=name, user__email=f"{name.split()[0].lower()}@uni.example")
        for name in ("Alma Author", "Bert Bernd", "Cleo Clever")
    ]
    for student in students:
        submission_services.submission_create(
            deliverable=deliverable,
            student=student,
            upload=SimpleUploadedFile(f"{student.email.split('@')[0]}.pdf", named_pdf(student.full_name)),
            received_at=due - timedelta(days=1),
        )
    return seminar, instructor, deliverable, students


def test_reports_are_reviewed_released_and_read(new_page, log_in, handed_in):
    seminar, instructor, deliverable, students = handed_in
    due = timezone.localtime(timezone.now() + timedelta(days=7), seminar.zone)

    staff = new_page()
    log_in(staff, instructor.email, PASSWORD)
    staff.goto(f"/seminars/{seminar.slug}/manage/deliverables/{deliverable.pk}/")
    staff.get_by_role("link", name="Peer review").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Peer review: Written report")
    staff.get_by_label("Reviews due").fill(due.strftime("%Y-%m-%dT%H:%M"))
    staff.get_by_label("Rubric").fill(
        "Understanding: of the paper | excellent / good / insufficient\nClarity | clear / unclear"
    )
    staff.get_by_role("button", name="Turn on peer review").click()
    expect(staff.get_by_role("status")).to_contain_text("The peer review settings were saved.")
    staff.get_by_role("button", name="Assign the reviewers").click()
    expect(staff.get_by_role("status")).to_contain_text("3 reviews assigned.")
    staff.get_by_role("link", name="Give the reviewers their reports…").click()
    expect(staff.get_by_role("main")).to_contain_text(
        "This mails 3 students that they have reports to review."
    )
    staff.get_by_role("button", name="Give out the reports").click()
    expect(staff.get_by_role("status")).to_contain_text("3 reviewers were mailed.")

    review = PeerReview.objects.get(author=students[0])
    reviewer = new_page()
    log_in(reviewer, review.reviewer.email, PASSWORD)
    reviewer.goto(seminar.get_absolute_url())
    reviewer.get_by_role("link", name="Peer review").click()
    reviewer.get_by_role("link", name=f"Written report: report {review.pk}").click()
    expect(reviewer.get_by_role("main")).not_to_contain_text("Alma")
    with reviewer.expect_download() as info:
        reviewer.get_by_role("link", name="Download the report").click()
    assert info.value.suggested_filename == f"report-{review.pk}.pdf"
    assert b"Alma" not in info.value.path().read_bytes()
    reviewer.get_by_role("group", name="Understanding").get_by_label("good").check()
    reviewer.get_by_role("group", name="Clarity").get_by_label("unclear").check()
    reviewer.get_by_label("Your review").fill("Section 3 needs a worked example.")
    reviewer.get_by_role("button", name="Save the review").click()
    expect(reviewer.get_by_role("status")).to_contain_text("Your review was saved.")
    expect(reviewer.get_by_label("Your review")).to_have_value("Section 3 needs a worked example.")

    staff.goto(f"/seminars/{seminar.slug}/manage/deliverables/{deliverable.pk}/peer-review/")
    expect(staff.get_by_role("main")).to_contain_text("1 of 3 reviews written")
    staff.get_by_role("link", name="Release the reviews to the authors…").click()
    expect(staff.get_by_role("main")).to_contain_text("This mails 1 student that the reviews of their report")
    staff.get_by_role("button", name="Release the reviews").click()
    expect(staff.get_by_role("status")).to_contain_text("1 author was mailed.")

    author = new_page()
    log_in(author, students[0].email, PASSWORD)
    author.goto(f"/seminars/{seminar.slug}/grades/")
    author.get_by_role("link", name="Reviews of your reports").click()
    author.get_by_role("link", name="Written report: review 1").click()
    main = author.get_by_role("main")
    expect(main).to_contain_text("Section 3 needs a worked example.")
    expect(main.locator("dl").last).to_have_text("Understanding good Clarity unclear", use_inner_text=True)
    expect(main).not_to_contain_text(review.reviewer.full_name)
