"""An instructor edits the seminar page and settings (seminars:edit and `seminar_update`)."""

import html
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from core.zoned_time import LocalTimeError, localize_strict
from seminars.models import Seminar, Topic
from tests.factories import SeminarFactory, TopicFactory, instructor_of

from .helpers import add_students, edit_form_data, edit_url

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")

pytestmark = pytest.mark.django_db


@pytest.fixture
def seminar():
    seminar = SeminarFactory(title="Kernels", capacity=10, premeeting_start=None)
    for order, title in enumerate(["Alpha", "Beta", "Gamma"], start=1):
        TopicFactory(seminar=seminar, title=title, order=order)
    return seminar


@pytest.fixture
def instructor_client(client, seminar):
    client.force_login(instructor_of(seminar))
    return client


def stored(seminar: Seminar) -> dict:
    """Everything the database holds about the seminar, to show that nothing was saved."""
    return {
        "seminar": Seminar.objects.filter(pk=seminar.pk).values().get(),
        "topics": list(Topic.objects.filter(seminar=seminar).values_list("pk", "title", "order")),
    }


def post(client, seminar, **changes):
    return client.post(edit_url(seminar), edit_form_data(client, seminar, **changes))


def content_of(response) -> str:
    return html.unescape(response.content.decode())


def refused(client, seminar, field: str, **changes) -> list[str]:
    """Posts the changes, checks that nothing was saved and returns the errors of `field`."""
    before = stored(seminar)
    response = post(client, seminar, **changes)
    assert response.status_code == 200
    assert "Nothing was saved yet." in response.content.decode()
    assert stored(seminar) == before
    errors = response.context["form"].errors.get(field, [])
    for error in errors:
        assert error in content_of(response)
    return errors


# Showing and saving ----------------------------------------------------------------------------------------


def test_edit_page_shows_the_meeting_in_the_seminars_zone(client, demo_seminar):
    client.force_login(demo_seminar.memberships.get(role="instructor").user)

    response = client.get(edit_url(demo_seminar))

    content = content_of(response)
    assert 'value="2021-02-08T18:00"' in content
    assert 'value="2021-02-08T19:00"' in content
    assert "In the seminar's time zone (Europe/Berlin)." in content


def test_edit_unchanged_form_changes_nothing(client, demo_seminar):
    client.force_login(demo_seminar.memberships.get(role="instructor").user)
    before = stored(demo_seminar)

    response = post(client, demo_seminar)

    assert response.status_code == 302
    after = stored(demo_seminar)
    assert after["topics"] == before["topics"]
    del before["seminar"]["updated_at"], after["seminar"]["updated_at"]
    assert after == before


def test_edit_saves_page_text_and_the_page_shows_it(instructor_client, seminar):
    response = instructor_client.post(
        edit_url(seminar),
        edit_form_data(
            instructor_client,
            seminar,
            title="Kernels and nets",
            term="Summer term 2027",
            focus="How kernels explain wide networks.",
            topics_intro="We read about:",
            topics_outro="And more.",
            mandatory_prerequisites="Analysis\nProbability (MA2409)",
            recommended_prerequisites="Convex optimisation",
            objectives_intro="You will:",
            objectives="read papers\nwrite a review",
            evaluation="A talk and a report.",
            premeeting_location="Room 00.08.038",
            premeeting_description="Bring questions.",
        ),
        follow=True,
    )

    assert response.redirect_chain == [(seminar.get_absolute_url(), 302)]
    content = content_of(response)
    assert "The seminar page has been saved." in content
    for text in [
        "<h1>Kernels and nets</h1>",
        "Summer term 2027",
        "How kernels explain wide networks.",
        "We read about:",
        "And more.",
        "<li>Analysis</li>",
        "<li>Probability (MA2409)</li>",
        "<li>Convex optimisation</li>",
        "You will:",
        "<li>read papers</li>",
        "<li>write a review</li>",
        "A talk and a report.",
        "Room 00.08.038",
        "Bring questions.",
    ]:
        assert text in content, text
    seminar.refresh_from_db()
    assert seminar.title == "Kernels and nets"
    assert seminar.mandatory_prerequisite_list == ["Analysis", "Probability (MA2409)"]


def test_edit_saves_settings(instructor_client, seminar):
    response = post(
        instructor_client,
        seminar,
        capacity=25,
        state=Seminar.State.CLOSED,
        time_zone="Europe/London",
        premeeting_url="https://meet.example.org/room",
    )

    assert response.status_code == 302
    seminar.refresh_from_db()
    assert (seminar.capacity, seminar.state, seminar.time_zone) == (25, "closed", "Europe/London")
    assert seminar.premeeting_url == "https://meet.example.org/room"
    content = content_of(instructor_client.get(seminar.get_absolute_url()))
    assert "Enrolment closed" in content


def test_edit_does_not_change_the_address(instructor_client, seminar):
    slug = seminar.slug
    data = edit_form_data(instructor_client, seminar)

    instructor_client.post(edit_url(seminar), {**data, "slug": "taken-over", "created_at": "2000-01-01"})

    seminar.refresh_from_db()
    assert seminar.slug == slug


def test_edit_link_without_scheme_means_https(instructor_client, seminar):
    post(instructor_client, seminar, premeeting_slides_url="www.example.org/slides.pdf")

    seminar.refresh_from_db()
    assert seminar.premeeting_slides_url == "https://www.example.org/slides.pdf"


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,hi", "not a link"])
def test_edit_refuses_a_link_that_is_not_a_web_address(instructor_client, seminar, link):
    errors = refused(instructor_client, seminar, "premeeting_url", premeeting_url=link)

    assert errors == ["Enter a valid URL."]


def test_edit_without_a_title_is_refused(instructor_client, seminar):
    errors = refused(instructor_client, seminar, "title", title="")

    assert errors == ["This field is required."]


def test_edit_to_draft_hides_the_seminar_from_the_public(instructor_client, seminar):
    post(instructor_client, seminar, state=Seminar.State.DRAFT)

    assert instructor_client.get(seminar.get_absolute_url()).status_code == 200
    instructor_client.logout()
    assert instructor_client.get(seminar.get_absolute_url()).status_code == 404


# Grade components and capacity ----------------------------------------------------------------------------


def test_edit_page_links_the_grade_components_instead_of_weight_fields(instructor_client, seminar):
    response = instructor_client.get(edit_url(seminar))

    form = response.context["form"]
    assert "weight_presentation" not in form.fields
    assert "weight_report" not in form.fields
    assert f'href="/seminars/{seminar.slug}/manage/grades/components/"' in response.content.decode()


def test_edit_capacity_below_the_enrolled_students_is_refused(instructor_client, seminar):
    add_students(seminar, 3)

    errors = refused(instructor_client, seminar, "capacity", capacity=2)

    assert errors == ["3 students are already enrolled; the capacity cannot be smaller."]


def test_edit_capacity_equal_to_the_enrolled_students_is_saved(instructor_client, seminar):
    add_students(seminar, 3)

    post(instructor_client, seminar, capacity=3)

    seminar.refresh_from_db()
    assert seminar.capacity == 3


def test_edit_capacity_counts_only_students(instructor_client, seminar):
    instructor_of(seminar)
    add_students(seminar, 1)

    post(instructor_client, seminar, capacity=1)

    seminar.refresh_from_db()
    assert seminar.capacity == 1


def test_edit_capacity_zero_is_refused(instructor_client, seminar):
    errors = refused(instructor_client, seminar, "capacity", capacity=0)

    assert errors == ["Ensure this value is greater than or equal to 1."]


# Time zone and the pre-course meeting ----------------------------------------------------------------------


def test_edit_unknown_time_zone_is_refused(instructor_client, seminar):
    errors = refused(instructor_client, seminar, "time_zone", time_zone="Mars/Olympus_Mons")

    assert errors == ["Select a valid choice. Mars/Olympus_Mons is not one of the available choices."]


def test_edit_meeting_time_is_entered_in_the_seminars_zone(instructor_client, seminar):
    post(
        instructor_client,
        seminar,
        time_zone="Europe/Berlin",
        premeeting_start="2021-02-08T18:00",
        premeeting_end="2021-02-08T19:00",
    )

    seminar.refresh_from_db()
    assert seminar.premeeting_start == datetime(2021, 2, 8, 17, 0, tzinfo=UTC)
    assert seminar.premeeting_end == datetime(2021, 2, 8, 18, 0, tzinfo=UTC)


def test_edit_meeting_time_in_summer_is_entered_in_summer_time(instructor_client, seminar):
    post(instructor_client, seminar, time_zone="Europe/Berlin", premeeting_start="2021-07-08T18:00")

    seminar.refresh_from_db()
    assert seminar.premeeting_start == datetime(2021, 7, 8, 16, 0, tzinfo=UTC)


def test_edit_meeting_time_follows_the_zone_posted_with_it(instructor_client, seminar):
    post(instructor_client, seminar, time_zone="America/New_York", premeeting_start="2021-02-08T12:00")

    seminar.refresh_from_db()
    assert seminar.premeeting_start == datetime(2021, 2, 8, 17, 0, tzinfo=UTC)
    assert 'value="2021-02-08T12:00"' in instructor_client.get(edit_url(seminar)).content.decode()


@pytest.mark.parametrize("local", ["2026-03-29T02:30", "2026-10-25T02:30"])
def test_edit_meeting_at_a_time_the_clock_change_skips_or_repeats_is_refused(
    instructor_client, seminar, local
):
    errors = refused(instructor_client, seminar, "premeeting_start", premeeting_start=local)

    assert len(errors) == 1


def local_time_error(local: str, zone: ZoneInfo) -> str:
    with pytest.raises(LocalTimeError) as raised:
        localize_strict(datetime.fromisoformat(local), zone)
    return str(raised.value)


@pytest.mark.parametrize(
    ("local", "clock_change"),
    [("2026-03-29T02:30", "put forward"), ("2026-10-25T02:30", "put back")],
)
def test_edit_meeting_at_a_time_the_clock_change_skips_or_repeats_says_why(
    instructor_client, seminar, local, clock_change
):
    errors = refused(
        instructor_client, seminar, "premeeting_start", time_zone="Europe/Berlin", premeeting_start=local
    )

    assert errors == [local_time_error(local, BERLIN)]
    assert f"the clocks are {clock_change} that night" in errors[0]


@pytest.mark.parametrize(
    ("local", "clock_change"),
    [("2026-03-08T02:30", "put forward"), ("2026-11-01T01:30", "put back")],
)
def test_edit_meeting_at_a_clock_change_of_the_seminars_zone_says_why(
    instructor_client, seminar, local, clock_change
):
    errors = refused(
        instructor_client, seminar, "premeeting_start", time_zone="America/New_York", premeeting_start=local
    )

    assert errors == [local_time_error(local, NEW_YORK)]
    assert f"America/New_York: the clocks are {clock_change} that night" in errors[0]


def test_edit_meeting_at_a_time_berlin_skips_is_fine_for_a_seminar_in_new_york(instructor_client, seminar):
    response = post(
        instructor_client, seminar, time_zone="America/New_York", premeeting_start="2026-03-29T02:30"
    )

    assert response.status_code == 302
    seminar.refresh_from_db()
    assert seminar.premeeting_start == datetime(2026, 3, 29, 6, 30, tzinfo=UTC)


def test_edit_meeting_ending_before_it_starts_is_refused(instructor_client, seminar):
    errors = refused(
        instructor_client,
        seminar,
        "premeeting_end",
        premeeting_start="2021-02-08T18:00",
        premeeting_end="2021-02-08T17:00",
    )

    assert errors == ["The meeting must end after it starts."]


def test_edit_meeting_ending_when_it_starts_is_refused(instructor_client, seminar):
    errors = refused(
        instructor_client,
        seminar,
        "premeeting_end",
        premeeting_start="2021-02-08T18:00",
        premeeting_end="2021-02-08T18:00",
    )

    assert errors == ["The meeting must end after it starts."]


def test_edit_meeting_end_without_start_is_refused(instructor_client, seminar):
    errors = refused(
        instructor_client, seminar, "premeeting_start", premeeting_start="", premeeting_end="2021-02-08T18:00"
    )

    assert errors == ["Please give the start as well as the end."]


def test_edit_meeting_can_be_removed(client, demo_seminar):
    client.force_login(demo_seminar.memberships.get(role="instructor").user)

    post(client, demo_seminar, premeeting_start="", premeeting_end="")

    demo_seminar.refresh_from_db()
    assert (demo_seminar.premeeting_start, demo_seminar.premeeting_end) == (None, None)


def test_edit_meeting_with_a_time_that_is_not_a_time_is_refused(instructor_client, seminar):
    errors = refused(instructor_client, seminar, "premeeting_start", premeeting_start="tomorrow at six")

    assert errors == ["Enter a valid date/time."]


# Topics ----------------------------------------------------------------------------------------------------


def topic_rows(seminar: Seminar) -> list[tuple[str, int]]:
    return [(topic.title, topic.pk) for topic in Topic.objects.filter(seminar=seminar).order_by("order")]


def test_edit_topics_are_shown_one_per_line(instructor_client, seminar):
    form = instructor_client.get(edit_url(seminar)).context["form"]

    assert form["topics"].value() == "Alpha\nBeta\nGamma"


def test_edit_reordering_topics_keeps_their_rows(instructor_client, seminar):
    ids = dict(topic_rows(seminar))

    post(instructor_client, seminar, topics="Gamma\nAlpha\nBeta")

    assert topic_rows(seminar) == [("Gamma", ids["Gamma"]), ("Alpha", ids["Alpha"]), ("Beta", ids["Beta"])]
    orders = Topic.objects.filter(seminar=seminar).order_by("order").values_list("order", flat=True)
    assert list(orders) == [1, 2, 3]


def test_edit_removing_a_topic_line_deletes_the_topic(instructor_client, seminar):
    ids = dict(topic_rows(seminar))

    post(instructor_client, seminar, topics="Alpha\nGamma")

    assert topic_rows(seminar) == [("Alpha", ids["Alpha"]), ("Gamma", ids["Gamma"])]
    assert not Topic.objects.filter(pk=ids["Beta"]).exists()


def test_edit_adding_and_renaming_topics(instructor_client, seminar):
    ids = dict(topic_rows(seminar))

    post(instructor_client, seminar, topics="Delta\nAlpha\nBeta revised")

    rows = topic_rows(seminar)
    assert [title for title, _ in rows] == ["Delta", "Alpha", "Beta revised"]
    assert rows[1] == ("Alpha", ids["Alpha"])
    assert not Topic.objects.filter(pk__in=[ids["Beta"], ids["Gamma"]]).exists()


def test_edit_topics_ignore_blank_lines_duplicates_and_extra_spaces(instructor_client, seminar):
    post(instructor_client, seminar, topics="\r\n  Alpha  \r\n\r\nNew   topic\r\nAlpha\r\n   \r\n")

    assert [title for title, _ in topic_rows(seminar)] == ["Alpha", "New topic"]


def test_edit_no_topics_removes_them_all(instructor_client, seminar):
    post(instructor_client, seminar, topics="")

    assert topic_rows(seminar) == []


def test_edit_topics_of_one_seminar_leave_others_alone(instructor_client, seminar):
    other = SeminarFactory()
    TopicFactory(seminar=other, title="Alpha")
    TopicFactory(seminar=other, title="Beta")
    before = list(other.topics.values_list("pk", "title", "order"))

    post(instructor_client, seminar, topics="Beta")

    assert list(other.topics.values_list("pk", "title", "order")) == before


def test_edit_topic_over_200_characters_is_refused(instructor_client, seminar):
    errors = refused(instructor_client, seminar, "topics", topics="Alpha\n" + "x" * 201)

    assert errors == ["A topic may have at most 200 characters."]


def test_edit_topic_order_is_shown_on_the_page(instructor_client, seminar):
    post(instructor_client, seminar, topics="Gamma\nAlpha\nBeta")

    content = instructor_client.get(seminar.get_absolute_url()).content.decode()
    assert "<li>Gamma</li><li>Alpha</li><li>Beta</li>" in content
