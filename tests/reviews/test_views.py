"""The peer review pages: what each person sees and may do, the anonymous download, and the sweep that
searches every page, download, mail and feed a reviewer and an author reach for the other's name."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from calendars.models import CalendarFeed
from reviews.models import PeerReview, ReviewRound
from tests.factories import student_of

from .helpers import (
    AFTER_DEADLINE,
    DAY,
    REVIEWS_DUE,
    assign_and_publish,
    main_text,
    make_world,
    release,
    write,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def now(time_machine):
    time_machine.move_to(AFTER_DEADLINE, tick=False)
    return time_machine


def url(name, world, review=None):
    if review is None:
        return reverse(name, args=[world.seminar.slug])
    return reverse(name, args=[world.seminar.slug, review.pk])


def manage_url(world, name="reviews:manage"):
    return reverse(name, args=[world.seminar.slug, world.deliverable.pk])


def names_of(user) -> list[str]:
    """Every way a page could name a person: the full name, each part of it, the e-mail address."""
    return [user.full_name, *user.full_name.split(), user.email, user.email.split("@")[0]]


def leaks(content: str, user) -> list[str]:
    return [name for name in names_of(user) if re.search(re.escape(name), content, re.IGNORECASE)]


# ------------------------------------------------------------------------------------------- the instructor


def test_instructor_turns_on_peer_review_with_a_rubric_in_the_seminars_zone(client, now):
    world = make_world(2)
    world.review_round.delete()
    client.force_login(world.instructor)

    response = client.post(
        manage_url(world),
        {
            "reviews_per_student": "2",
            "anonymity": "single",
            "due_at": "2026-12-22T23:59",
            "grace_minutes": "15",
            "late_policy": "refuse",
            "late_window_hours": "",
            "rubric": "Clarity: is it easy to follow | excellent / good / poor\nRigour | sound / shaky",
        },
    )

    assert response.status_code == 302
    saved = ReviewRound.objects.get(deliverable=world.deliverable)
    assert saved.reviews_per_student == 2
    assert saved.anonymity == "single"
    assert saved.due_at.isoformat() == "2026-12-22T22:59:00+00:00"  # 23:59 in Europe/Berlin
    assert [criterion.name for criterion in saved.rubric] == ["Clarity", "Rigour"]
    assert saved.rubric[0].levels == ("excellent", "good", "poor")
    page = client.get(manage_url(world))
    assert "Clarity: is it easy to follow | excellent / good / poor" in page.content.decode()


def test_a_rubric_line_without_levels_is_named_and_nothing_is_lost(client, now):
    world = make_world(2)
    client.force_login(world.instructor)

    response = client.post(
        manage_url(world),
        {
            "reviews_per_student": "1",
            "anonymity": "double",
            "due_at": "2026-12-22T23:59",
            "grace_minutes": "0",
            "late_policy": "refuse",
            "rubric": "Clarity | good / poor\nJust a name",
        },
    )

    assert response.status_code == 200
    text = main_text(response)
    assert "Line 2: give at least two levels after a “|”, separated by “/”." in text
    assert "Just a name" in response.content.decode()
    world.review_round.refresh_from_db()
    assert [criterion.name for criterion in world.review_round.rubric] == ["Understanding", "Clarity"]


def test_instructor_assigns_changes_a_reviewer_publishes_and_sees_every_name(
    client, now, mailoutbox, django_capture_on_commit_callbacks
):
    world = make_world(3)
    client.force_login(world.instructor)

    client.post(manage_url(world, "reviews:assign"))
    review = world.review_of(world.students[0])
    other = next(s for s in world.students[1:] if s.pk != review.reviewer_id)
    client.post(url("reviews:reassign", world, review), {"reviewer": other.pk})
    confirm = client.get(manage_url(world, "reviews:publish"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(manage_url(world, "reviews:publish"), {"confirmed": "yes"})

    # The changed reviewer reviews two reports now, the one they replaced none: two reviewers are mailed.
    assert "This mails 2 students that they have reports to review." in main_text(confirm)
    review.refresh_from_db()
    assert review.reviewer == other
    assert len(mailoutbox) == 2
    page = main_text(client.get(manage_url(world)))
    assert "3 reviews assigned" in page
    for student in world.students:
        assert student.full_name in page
    assert "by hand" in page


def test_the_publish_page_without_confirmation_publishes_nothing(client, now):
    world = make_world(3)
    client.force_login(world.instructor)
    client.post(manage_url(world, "reviews:assign"))

    client.post(manage_url(world, "reviews:publish"))

    world.review_round.refresh_from_db()
    assert world.review_round.published_at is None


def test_assigning_before_the_deadline_says_why(client, time_machine):
    world = make_world(3)
    time_machine.move_to(world.deliverable.due_at, tick=False)
    client.force_login(world.instructor)

    response = client.post(manage_url(world, "reviews:assign"), follow=True)

    assert "Reviewers are assigned after the deliverable's deadline." in main_text(response)
    assert not PeerReview.objects.exists()


def test_the_release_page_warns_about_reviews_not_written(client, now):
    world = make_world(3)
    assign_and_publish(world)
    write(world.review_of(world.students[0]))
    client.force_login(world.instructor)

    text = main_text(client.get(manage_url(world, "reviews:release")))

    assert "This mails 1 student that the reviews of their report are there." in text
    assert "2 reviews are not written yet; their authors will not see them." in text


# --------------------------------------------------------------------------------------------- the reviewer


def test_reviewer_writes_the_review_with_the_rubric_and_may_change_it_until_due(client, now):
    world = make_world(3)
    assign_and_publish(world)
    review = world.review_of(world.students[0])
    client.force_login(review.reviewer)

    form = client.get(url("reviews:write", world, review))
    saved = client.post(
        url("reviews:write", world, review), {"criterion_0": "1", "criterion_1": "0", "text": "Well argued."}
    )
    now.move_to(REVIEWS_DUE, tick=False)
    changed = client.post(
        url("reviews:write", world, review), {"criterion_0": "0", "criterion_1": "0", "text": "Even better."}
    )

    assert "Understanding" in main_text(form)
    assert "excellent" in main_text(form)
    assert saved.status_code == changed.status_code == 302
    review.refresh_from_db()
    assert (review.ratings, review.text) == ([0, 0], "Even better.")


def test_a_review_form_missing_a_level_keeps_the_text_and_says_what_is_missing(client, now):
    world = make_world(3)
    assign_and_publish(world)
    review = world.review_of(world.students[0])
    client.force_login(review.reviewer)

    response = client.post(url("reviews:write", world, review), {"criterion_0": "1", "text": "Kept text"})

    assert response.status_code == 200
    assert "Please choose a level for this criterion." in main_text(response)
    assert "Kept text" in response.content.decode()
    review.refresh_from_db()
    assert not review.is_written


def test_after_the_due_time_the_review_is_shown_not_editable(client, now):
    world = make_world(3)
    assign_and_publish(world)
    review = world.review_of(world.students[0])
    write(review, text="My final words")
    client.force_login(review.reviewer)
    now.move_to(REVIEWS_DUE + DAY, tick=False)

    page = client.get(url("reviews:write", world, review))
    post = client.post(
        url("reviews:write", world, review), {"criterion_0": "0", "criterion_1": "0", "text": "Changed"}
    )

    assert "can no longer be changed" in main_text(page)
    assert "My final words" in main_text(page)
    assert "<textarea" not in page.content.decode()
    assert "can no longer be changed" in main_text(post)
    review.refresh_from_db()
    assert review.text == "My final words"


def test_double_blind_download_has_an_anonymous_name_and_no_metadata(client, now):
    world = make_world(3)
    assign_and_publish(world)
    review = world.review_of(world.students[0])
    client.force_login(review.reviewer)

    response = client.get(url("reviews:report", world, review))

    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert response["Content-Disposition"] == f'attachment; filename="report-{review.pk}.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    assert not reader.metadata
    assert b"Alma" not in data
    assert b"Author" not in data


def test_single_blind_reviewer_gets_the_file_as_handed_in_and_sees_the_authors_name(client, now):
    world = make_world(3, anonymity=ReviewRound.Anonymity.SINGLE_BLIND)
    assign_and_publish(world)
    review = world.review_of(world.students[0])
    client.force_login(review.reviewer)

    response = client.get(url("reviews:report", world, review))
    page = main_text(client.get(url("reviews:write", world, review)))

    assert response["Content-Disposition"] == 'attachment; filename="alma-report.pdf"'
    assert "Alma Author" in page


def test_a_report_that_is_no_pdf_is_not_given_out_under_double_blind(client, now):
    world = make_world(3)
    assign_and_publish(world)
    review = world.review_of(world.students[0])
    type(review.submission).objects.filter(pk=review.submission_id).update(file_type="pptx")
    client.force_login(review.reviewer)

    response = client.get(url("reviews:report", world, review), follow=True)

    assert "only PDF reports are given out" in main_text(response)
    assert response.redirect_chain[-1][0] == url("reviews:write", world, review)


# ----------------------------------------------------------------------------------------------- the author


def test_author_sees_nothing_before_release_and_the_review_without_its_writer_after(client, now):
    world = make_world(3)
    assign_and_publish(world)
    review = world.review_of(world.students[0])
    write(review, text="Section 3 needs an example.")
    client.force_login(review.author)

    before = client.get(url("reviews:read", world, review))
    listed_before = main_text(client.get(url("reviews:mine", world)))
    release(world)
    after = client.get(url("reviews:read", world, review))
    listed = main_text(client.get(url("reviews:mine", world)))

    assert before.status_code == 404
    assert "No reviews of your reports have been released yet." in listed_before
    assert after.status_code == 200
    assert "Section 3 needs an example." in main_text(after)
    assert "Understanding excellent Clarity unclear" in main_text(after)  # the levels chosen
    assert "Written report: review 1" in listed
    assert client.get(url("reviews:write", world, review)).status_code == 404
    assert client.get(url("reviews:report", world, review)).status_code == 404


def test_open_review_shows_the_author_the_reviewers_name(client, now):
    world = make_world(3, anonymity=ReviewRound.Anonymity.OPEN)
    assign_and_publish(world)
    review = world.review_of(world.students[0])
    write(review)
    release(world)
    client.force_login(review.author)

    assert review.reviewer.full_name in main_text(client.get(url("reviews:read", world, review)))


def test_another_student_gets_404_on_every_page_of_a_review_not_theirs(client, now):
    world = make_world(3)
    assign_and_publish(world)
    review = world.review_of(world.students[0])
    write(review)
    release(world)
    outsider = student_of(world.seminar, user__full_name="Olga Outsider")
    client.force_login(outsider)

    for name in ("reviews:write", "reviews:report", "reviews:read"):
        assert client.get(url(name, world, review)).status_code == 404
    assert "You have no reports to review." in main_text(client.get(url("reviews:mine", world)))


def test_the_supervisor_has_no_part_in_peer_review(client, now):
    world = make_world(3)
    assign_and_publish(world)
    review = world.review_of(world.students[0])
    client.force_login(world.supervisor)

    for name in ("reviews:write", "reviews:report", "reviews:read"):
        assert client.get(url(name, world, review)).status_code == 403
    assert client.get(url("reviews:mine", world)).status_code == 403
    assert client.get(manage_url(world)).status_code == 403


# ---------------------------------------------------------------------------------- anonymity, everywhere


def _reachable(client, world, user, review) -> list[str]:
    """Every page, download and feed the user can reach about peer review, as text."""
    found = []
    for address in [
        url("reviews:mine", world),
        url("reviews:write", world, review),
        url("reviews:read", world, review),
        url("reviews:report", world, review),
        reverse("grading:mine", args=[world.seminar.slug]),
        reverse("reminders:mine", args=[world.seminar.slug]),
        reverse("submissions:list", args=[world.seminar.slug]),
        reverse("calendars:feed", args=[CalendarFeed.objects.get_or_create(user=user)[0].token]),
    ]:
        response = client.get(address)
        if response.status_code != 200:
            continue
        data = b"".join(response.streaming_content) if response.streaming else response.content
        found.append(f"{address}\n{response.get('Content-Disposition', '')}\n" + data.decode("latin-1"))
    return found


def test_double_blind_neither_side_finds_the_others_name_anywhere(
    client, now, mailoutbox, django_capture_on_commit_callbacks
):
    world = make_world(4)
    with django_capture_on_commit_callbacks(execute=True):
        assign_and_publish(world)
    review = world.review_of(world.students[0])
    reviewer, author = review.reviewer, review.author
    for each in PeerReview.objects.all():
        write(each)
    with django_capture_on_commit_callbacks(execute=True):
        release(world)
    now.move_to(REVIEWS_DUE + 2 * DAY, tick=False)

    client.force_login(reviewer)
    seen_by_reviewer = _reachable(client, world, reviewer, review)
    client.force_login(author)
    seen_by_author = _reachable(client, world, author, review)
    mails = {
        person.pk: [m.subject + m.body + m.alternatives[0][0] for m in mailoutbox if m.to == [person.email]]
        for person in (reviewer, author)
    }

    # The list, the form, their review, the report, the grades, the reminders, the uploads, the feed.
    assert len(seen_by_reviewer) == 8
    assert len(seen_by_author) == 6  # the list, the review, the grades, the reminders, the uploads, the feed
    assert len(mails[reviewer.pk]) == 2  # the reports to review, and the reviews of their own
    assert len(mails[author.pk]) == 2
    for content in seen_by_reviewer + mails[reviewer.pk]:
        assert leaks(content, author) == [], content[:200]
    for content in seen_by_author + mails[author.pk]:
        assert leaks(content, reviewer) == [], content[:200]
    assert "Peer review due" in seen_by_reviewer[-1]


# ------------------------------------------------------------------------------------------- query counts


def _queries(client, address) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["manage", "mine"])
def test_the_lists_cost_the_same_queries_for_3_and_24_students(client, now, page):
    counts = []
    for size in (3, 24):
        world = make_world(size, slug=f"seminar-of-{size}")
        assign_and_publish(world)
        for review in PeerReview.objects.filter(round=world.review_round):
            write(review)
        release(world)
        person = world.instructor if page == "manage" else world.students[0]
        client.force_login(person)
        address = manage_url(world) if page == "manage" else url("reviews:mine", world)
        counts.append(_queries(client, address))

    assert counts[0] == counts[1]
