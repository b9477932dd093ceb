"""The pages everyone sees: the seminar list and a seminar's page."""

import html
import re

import pytest
from django.conf import settings
from django.urls import reverse

from seminars.models import Seminar
from tests.factories import (
    SeminarFactory,
    TopicFactory,
    UserFactory,
    instructor_of,
    student_of,
    supervisor_of,
)

from .helpers import add_students, edit_url, enrol_url, roster_url

LIST_URL = reverse("seminars:list")

pytestmark = pytest.mark.django_db


def page(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


# The seminar list ------------------------------------------------------------------------------------------


def test_seminar_list_shows_open_and_closed_seminars_to_anonymous(client):
    SeminarFactory(title="Open kernels", state=Seminar.State.OPEN)
    SeminarFactory(title="Closed kernels", state=Seminar.State.CLOSED)

    content = page(client.get(LIST_URL))

    assert "Open kernels" in content
    assert "Closed kernels" in content
    assert "Open for enrolment" in content
    assert "Enrolment closed" in content


def test_seminar_list_links_to_each_seminar_page(client):
    seminar = SeminarFactory(title="Linked")

    content = page(client.get(LIST_URL))

    assert f'href="{seminar.get_absolute_url()}"' in content


def test_seminar_list_hides_drafts_from_anonymous(client):
    SeminarFactory(title="Visible seminar")
    draft = SeminarFactory(title="Secret draft", state=Seminar.State.DRAFT)
    instructor_of(draft)

    content = page(client.get(LIST_URL))

    assert "Visible seminar" in content
    assert "Secret draft" not in content
    assert draft.get_absolute_url() not in content


def test_seminar_list_hides_drafts_from_non_members(client):
    draft = SeminarFactory(title="Secret draft", state=Seminar.State.DRAFT)
    instructor_of(draft)
    other = SeminarFactory(title="Another seminar")
    client.force_login(instructor_of(other))

    content = page(client.get(LIST_URL))

    assert "Another seminar" in content
    assert "Secret draft" not in content


@pytest.mark.parametrize("make_member", [instructor_of, supervisor_of, student_of])
def test_seminar_list_shows_drafts_to_their_members(client, make_member):
    draft = SeminarFactory(title="Draft in progress", state=Seminar.State.DRAFT)
    client.force_login(make_member(draft))

    content = page(client.get(LIST_URL))

    assert "Draft in progress" in content
    assert "Draft (only its members see it)" in content


def test_seminar_list_shows_a_draft_once_although_it_has_many_members(client):
    draft = SeminarFactory(title="Crowded draft", state=Seminar.State.DRAFT)
    instructor = instructor_of(draft)
    supervisor_of(draft)
    add_students(draft, 3)
    client.force_login(instructor)

    response = client.get(LIST_URL)

    assert [seminar.title for seminar in response.context["seminars"]] == ["Crowded draft"]


@pytest.mark.parametrize("who", ["anonymous", "instructor", "student"])
def test_seminar_list_hides_archived_seminars(client, who):
    archived = SeminarFactory(title="Old seminar", state=Seminar.State.ARCHIVED)
    if who == "instructor":
        client.force_login(instructor_of(archived))
    elif who == "student":
        client.force_login(student_of(archived))

    content = page(client.get(LIST_URL))

    assert "Old seminar" not in content
    assert "No seminars are open at the moment." in content


def test_seminar_list_without_seminars_says_so(client):
    content = page(client.get(LIST_URL))

    assert "No seminars are open at the moment." in content


def test_seminar_list_shows_places_taken_counting_only_students(client):
    seminar = SeminarFactory(title="Counted", capacity=5)
    add_students(seminar, 2)
    instructor_of(seminar)
    supervisor_of(seminar)
    client.force_login(UserFactory())

    content = page(client.get(LIST_URL))

    assert "2 of 5 places taken" in content


def test_seminar_list_counts_students_per_seminar(client):
    small = SeminarFactory(title="Small", capacity=4)
    large = SeminarFactory(title="Large", capacity=30)
    add_students(small, 3)
    add_students(large, 12)

    response = client.get(LIST_URL)

    counts = {seminar.title: seminar.student_count for seminar in response.context["seminars"]}
    assert counts == {"Small": 3, "Large": 12}
    content = page(response)
    assert "3 of 4 places taken" in content
    assert "12 of 30 places taken" in content


def test_seminar_list_with_one_student_says_places_in_the_plural(client):
    seminar = SeminarFactory(capacity=20)
    student_of(seminar)

    content = page(client.get(LIST_URL))

    assert "1 of 20 places taken" in content


@pytest.mark.parametrize(
    ("make_member", "label"),
    [(student_of, "Student"), (supervisor_of, "Supervisor"), (instructor_of, "Instructor")],
)
def test_seminar_list_shows_the_users_role(client, make_member, label):
    mine = SeminarFactory(title="Mine")
    SeminarFactory(title="Not mine")
    client.force_login(make_member(mine))

    response = client.get(LIST_URL)

    roles = {seminar.title: seminar.my_role for seminar in response.context["seminars"]}
    assert roles == {"Mine": make_member.__name__.removesuffix("_of"), "Not mine": None}
    content = page(response)
    assert content.count("Your role:") == 1
    assert f"Your role: {label}" in content


def test_seminar_list_shows_no_role_to_anonymous(client):
    seminar = SeminarFactory()
    instructor_of(seminar)

    content = page(client.get(LIST_URL))

    assert "Your role:" not in content


def test_seminar_list_role_is_per_seminar(client):
    taught = SeminarFactory(title="Taught")
    attended = SeminarFactory(title="Attended")
    user = instructor_of(taught)
    student_of(attended, user=user)
    client.force_login(user)

    response = client.get(LIST_URL)

    roles = {seminar.title: seminar.my_role for seminar in response.context["seminars"]}
    assert roles == {"Taught": "instructor", "Attended": "student"}


def test_seminar_list_shows_newest_seminar_first(client):
    SeminarFactory(title="First created")
    SeminarFactory(title="Second created")

    response = client.get(LIST_URL)

    assert [seminar.title for seminar in response.context["seminars"]] == ["Second created", "First created"]


# The seminar page: the seed description --------------------------------------------------------------------

# /work/shared/seed/seminar-description.txt, as the demo seminar stores it.
SEED_TEXTS = [
    "Theoretical advances in deep learning",
    "Summer term 2021",
    "We will use this meeting to discuss the focus of the seminar and the structure in more detail.",
    # Focus of the seminar
    "Neural networks, particularly deep networks, have achieved unprecedented popularity over the past "
    "decade. While the empirical success of neural networks has reached new heights, one of the major "
    "achievements in recent years has been new theoretical studies on the statistical performance of "
    "neural networks.",
    "This seminar will look at the following important topics on neural networks from a mathematical "
    "perspective:",
    "Several recent papers from top machine learning conferences will be discussed during the seminar.",
    # Prerequisites
    "Prior knowledge of Machine learning (IN2064 or equivalent)",
    "Experience of Statistical foundations of learning (IN2378)",
    "Introduction to deep learning (IN2346)",
    # Objective
    "Upon completion of this module, the students will:",
    # Evaluation
    "Each student will be allotted a research paper.",
    "The student will have to submit a report/review on the paper (submission deadline in the middle of the "
    "semester).",
    "held together as a block seminar.",
    "The slides have to be submitted",
    "weeks before the presentation.",
    "The final grade will depend on: Presentation (60 %), Report (40 %).",
]
SEED_TOPICS = [
    "Generalization error for neural networks and related concepts from learning theory",
    "Optimization and convergence rates for neural networks",
    "Sample complexity and hardness results",
    "Connection of deep learning to other learning approaches (kernel methods etc)",
    "Robustness of neural networks",
]
SEED_OBJECTIVES = [
    "have acquired knowledge on the current trends in deep learning theory.",
    "be familiar with recent theoretical works from top machine learning conferences",
    "be able to apply mathematical tools to analyze performance of neural networks",
]
SEED_LINKS = [
    'href="https://bbb.example.org/rooms/dl-theory-premeeting"',
    'href="https://recordings.example.org/dl-theory-premeeting-2021"',
    'href="https://www.example.org/teaching/dl-theory/premeeting-slides.pdf"',
]
SEED_MEETING = ['datetime="2021-02-08T17:00:00+00:00"', 'datetime="2021-02-08T18:00:00+00:00"']
# Visible text: 8 Feb 2021 in any of the usual formats; the time in the seminar's zone, which is named.
SEED_MEETING_DATE = re.compile(r"(8 February 2021|08\.02\.2021)")
SEED_MEETING_ZONE = re.compile(r"(p\.m\.|\d)\s*CET \(Europe/Berlin\)")
# The seed's own 24-hour clock: "18:00 - 19:00".
SEED_CLOCK = re.compile(r"\b18:00\s*[–-]\s*19:00 CET \(Europe/Berlin\)")


def visible_text(content: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", content).split())


def assert_seed_sections(content: str) -> None:
    for text in SEED_TEXTS + SEED_LINKS + SEED_MEETING:
        assert text in content, text
    assert SEED_MEETING_DATE.search(visible_text(content))
    assert SEED_MEETING_ZONE.search(visible_text(content))
    for topic in SEED_TOPICS:
        assert f"<li>{topic}</li>" in content, topic
    for objective in SEED_OBJECTIVES:
        assert f"<li>{objective}</li>" in content, objective
    assert "<li>Prior knowledge of Machine learning (IN2064 or equivalent)</li>" in content
    mandatory = content.index(">Mandatory<")
    preferred = content.index(">Preferred<")
    assert mandatory < content.index("IN2064") < preferred < content.index("IN2378")
    assert preferred < content.index("IN2346")


def test_seminar_page_shows_every_section_of_the_seed_description(client, demo_seminar):
    content = page(client.get(demo_seminar.get_absolute_url()))

    assert_seed_sections(content)
    assert SEED_CLOCK.search(visible_text(content)), visible_text(content)


def test_seminar_page_shows_the_seed_description_apart_from_the_clock_format(client, demo_seminar):
    content = page(client.get(demo_seminar.get_absolute_url()))

    assert_seed_sections(content)
    assert "<h1>Theoretical advances in deep learning</h1>" in content


def test_seminar_page_in_german_shows_the_meeting_on_the_24_hour_clock(client, demo_seminar):
    content = page(client.get(demo_seminar.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de"))

    assert "8. Februar 2021, 18:00–19:00 CET (Europe/Berlin)" in visible_text(content)


def test_seminar_page_topics_are_in_their_order(client, demo_seminar):
    content = page(client.get(demo_seminar.get_absolute_url()))

    positions = [content.index(topic) for topic in SEED_TOPICS]
    assert positions == sorted(positions)


def test_seminar_page_shows_a_summer_meeting_in_cest(client):
    seminar = SeminarFactory(
        premeeting_start="2021-07-08T16:00:00+00:00", premeeting_end="2021-07-08T17:00:00+00:00"
    )

    content = page(client.get(seminar.get_absolute_url()))

    assert "8 July 2021" in content
    assert "CEST (Europe/Berlin)" in content


def test_seminar_page_shows_the_meeting_in_the_seminars_own_zone(client):
    seminar = SeminarFactory(
        time_zone="America/New_York",
        premeeting_start="2021-02-08T17:00:00+00:00",
        premeeting_end="2021-02-08T18:00:00+00:00",
    )

    content = page(client.get(seminar.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de"))

    assert "8. Februar 2021, 12:00–13:00 EST (America/New_York)" in visible_text(content)


def test_seminar_page_escapes_text_from_instructors(client):
    seminar = SeminarFactory(focus="<script>alert('x')</script>", title="<b>Bold</b>")
    TopicFactory(seminar=seminar, title="<img src=x onerror=alert(1)>")

    content = client.get(seminar.get_absolute_url()).content.decode()

    assert "<script>alert" not in content
    assert "&lt;script&gt;" in content
    assert "<b>Bold</b>" not in content
    assert "<img src=x" not in content


def test_seminar_page_without_description_still_shows_the_grade_weights(client):
    seminar = SeminarFactory(mandatory_prerequisites="", premeeting_start=None)

    content = page(client.get(seminar.get_absolute_url()))

    assert "Pre-course meeting" not in content
    assert "Prerequisites" not in content
    assert "The final grade will depend on: Presentation (60 %), Report (40 %)." in content


# The seminar page: who sees what ---------------------------------------------------------------------------


def test_seminar_page_shows_places_taken_and_enrol_link_to_visitors(client):
    seminar = SeminarFactory(capacity=10)
    add_students(seminar, 4)
    instructor_of(seminar)

    content = page(client.get(seminar.get_absolute_url()))

    assert "4 of 10 places taken" in content
    assert f'href="{enrol_url(seminar)}"' in content


def test_seminar_page_of_a_full_seminar_offers_no_enrolment(client):
    seminar = SeminarFactory(capacity=2)
    add_students(seminar, 2)
    client.force_login(UserFactory())

    content = page(client.get(seminar.get_absolute_url()))

    assert "This seminar is full" in content
    assert enrol_url(seminar) not in content


@pytest.mark.parametrize("state", [Seminar.State.CLOSED, Seminar.State.ARCHIVED])
def test_seminar_page_of_a_seminar_not_open_offers_no_enrolment(client, state):
    seminar = SeminarFactory(state=state)

    content = page(client.get(seminar.get_absolute_url()))

    assert "Enrolment for this seminar is not open." in content
    assert enrol_url(seminar) not in content


def test_seminar_page_tells_a_student_they_are_enrolled(client):
    seminar = SeminarFactory()
    client.force_login(student_of(seminar))

    content = page(client.get(seminar.get_absolute_url()))

    assert "You are enrolled in this seminar." in content
    assert enrol_url(seminar) not in content
    assert edit_url(seminar) not in content
    assert roster_url(seminar) not in content


def test_seminar_page_tells_a_supervisor_their_role(client):
    seminar = SeminarFactory()
    client.force_login(supervisor_of(seminar))

    content = page(client.get(seminar.get_absolute_url()))

    assert "You are a supervisor in this seminar." in content
    assert edit_url(seminar) not in content
    assert roster_url(seminar) not in content


def test_seminar_page_gives_an_instructor_the_management_links(client):
    seminar = SeminarFactory()
    client.force_login(instructor_of(seminar))

    content = page(client.get(seminar.get_absolute_url()))

    assert "You are an instructor of this seminar." in content
    assert f'href="{edit_url(seminar)}"' in content
    assert f'href="{roster_url(seminar)}"' in content


def test_seminar_page_role_in_another_seminar_does_not_count(client):
    seminar = SeminarFactory()
    other = SeminarFactory()
    client.force_login(instructor_of(other))

    content = page(client.get(seminar.get_absolute_url()))

    assert "You are an instructor" not in content
    assert edit_url(seminar) not in content
    assert f'href="{enrol_url(seminar)}"' in content


def test_seminar_page_of_a_draft_is_404_for_anonymous(client):
    draft = SeminarFactory(state=Seminar.State.DRAFT, title="Hidden draft")
    instructor_of(draft)

    response = client.get(draft.get_absolute_url())

    assert response.status_code == 404
    assert "Hidden draft" not in response.content.decode()


def test_seminar_page_of_a_draft_is_404_for_a_non_member(client):
    draft = SeminarFactory(state=Seminar.State.DRAFT, title="Hidden draft")
    instructor_of(draft)
    other = SeminarFactory()
    client.force_login(instructor_of(other))

    response = client.get(draft.get_absolute_url())

    assert response.status_code == 404
    assert "Hidden draft" not in response.content.decode()


@pytest.mark.parametrize("make_member", [instructor_of, supervisor_of, student_of])
def test_seminar_page_of_a_draft_is_shown_to_its_members(client, make_member):
    draft = SeminarFactory(state=Seminar.State.DRAFT, title="Draft in progress")
    client.force_login(make_member(draft))

    content = page(client.get(draft.get_absolute_url()))

    assert "<h1>Draft in progress</h1>" in content


def test_seminar_page_of_an_unknown_seminar_is_404(client):
    response = client.get(reverse("seminars:detail", kwargs={"slug": "no-such-seminar"}))

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


# Language --------------------------------------------------------------------------------------------------


def test_seminar_page_is_english_by_default(client, demo_seminar):
    content = page(client.get(demo_seminar.get_absolute_url()))

    assert '<html lang="en">' in content


def test_seminar_page_follows_the_browsers_language(client, demo_seminar):
    content = page(client.get(demo_seminar.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de"))

    assert '<html lang="de">' in content


def test_seminar_page_follows_the_language_cookie(client, demo_seminar):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"

    content = page(client.get(demo_seminar.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"))

    assert '<html lang="de">' in content


def test_seminar_list_language_switch_sets_german(client):
    response = client.post(reverse("set_language"), {"language": "de", "next": LIST_URL}, follow=True)

    assert '<html lang="de">' in page(response)
