"""Copying a seminar to a new term (copying:copy, copying:copied, copying.services.seminar_copy): what comes
along, what never does, the dates moved at the same clock time across a DST change, and who may copy."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from copying.services import seminar_copy
from grading.models import Grade, GradeComponent, GradingSettings
from grading.services import grade_components_ensure
from papers.models import Allotment, Paper, Preference, PreferenceWindow
from reminders.models import Reminder, ReminderSettings
from schedule.models import BlockDay, BlockSeminar, Slot
from seminars.exceptions import SlugTakenError
from seminars.models import Announcement, Membership, Seminar, Topic
from submissions.models import Deliverable, Extension, Submission
from tests.factories import (
    SeminarFactory,
    TopicFactory,
    UserFactory,
    instructor_of,
    may_run_seminars,
    student_of,
    supervisor_of,
)
from tests.papers.helpers import PaperFactory
from tests.submissions.helpers import DeliverableFactory

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
# Summer term (summer time, UTC+2) to winter term (standard time, UTC+1): 182 days later.
DAYS = 182


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


@pytest.fixture
def source():
    """A summer-term seminar with one of everything, people and their records included."""
    seminar = SeminarFactory(
        title="Kernel methods",
        slug="kernels-ss26",
        term="Summer term 2026",
        capacity=14,
        focus="Kernels, from RKHS to NTK.",
        objectives="Read a paper\nPresent it",
        evaluation="Report and talk.",
        module_number="IN2107",
        premeeting_start=berlin(2026, 4, 20, 18, 0),
        premeeting_end=berlin(2026, 4, 20, 19, 0),
        premeeting_url="https://bbb.example.org/kernels",
        premeeting_recording_url="https://recordings.example.org/kernels-2026",
        premeeting_slides_url="https://example.org/kernels-2026.pdf",
        withdrawal_deadline=berlin(2026, 5, 15, 23, 59),
        exam_date=date(2026, 7, 24),
    )
    instructor = may_run_seminars(instructor_of(seminar, user__full_name="Ida Instructor"))
    co_instructor = instructor_of(seminar)
    supervisor = supervisor_of(seminar)
    student = student_of(seminar)
    kernels = TopicFactory(seminar=seminar, title="Kernels", order=1)
    TopicFactory(seminar=seminar, title="Neural tangents", order=2)
    report = DeliverableFactory(
        seminar=seminar, kind=Deliverable.Kind.REPORT, title="Report", due_at=berlin(2026, 6, 15, 10, 0)
    )
    DeliverableFactory(
        seminar=seminar,
        kind=Deliverable.Kind.SLIDES,
        title="Slides",
        due_mode=Deliverable.DueMode.BEFORE_TALK,
        due_at=None,
        days_before_talk=7,
        grace_minutes=30,
    )
    components = grade_components_ensure(seminar=seminar)
    GradingSettings.objects.create(
        seminar=seminar, rounding="step", must_pass_all=False, released_at=berlin(2026, 8, 1, 9, 0)
    )
    ReminderSettings.objects.create(seminar=seminar, offsets=[2 * 24 * 60, 60], instructor_summary=False)
    PreferenceWindow.objects.create(
        seminar=seminar,
        opens_at=berlin(2026, 4, 21, 9, 0),
        closes_at=berlin(2026, 4, 28, 23, 59),
        max_choices=3,
    )
    BlockSeminar.objects.create(
        seminar=seminar, talk_minutes=40, gap_minutes=20, break_after=2, break_minutes=45,
        published_at=berlin(2026, 7, 1, 12, 0), published_by=instructor,
    )  # fmt: skip
    day = BlockDay.objects.create(
        seminar=seminar,
        starts_at=berlin(2026, 7, 20, 9, 0),
        ends_at=berlin(2026, 7, 20, 17, 0),
        room="MI HS 1",
    )
    paper = PaperFactory(seminar=seminar, topic=kernels, supervisor=supervisor, title="On kernels")
    PaperFactory(seminar=seminar, topic=None, title="Untopical")
    Preference.objects.create(seminar=seminar, student=student, paper=paper, rank=1)
    Allotment.objects.create(seminar=seminar, student=student, paper=paper, source=Allotment.Source.MANUAL)
    Slot.objects.create(
        seminar=seminar, day=day, starts_at=day.starts_at, ends_at=day.starts_at + timedelta(minutes=40),
        presenter=student,
    )  # fmt: skip
    Submission.objects.create(
        deliverable=report, student=student, version=1, file="x.pdf", original_name="x.pdf", file_type="pdf",
        size=1, sha256="0" * 64, received_at=berlin(2026, 6, 14, 12, 0),
    )  # fmt: skip
    Extension.objects.create(
        deliverable=report, student=student, extra_minutes=60, reason="Ill", granted_by=instructor,
        granted_at=berlin(2026, 6, 10, 12, 0),
    )  # fmt: skip
    Grade.objects.create(
        seminar=seminar, student=student, component=components[0], value=Decimal("1.3"), grader=instructor,
        updated_at=berlin(2026, 7, 25, 12, 0),
    )  # fmt: skip
    Announcement.objects.create(
        seminar=seminar, author=instructor, author_name="Ida", reply_to="ida@uni.example",
        audience=Announcement.Audience.STUDENTS, subject="Room", body="MI HS 1", recipient_count=1,
        sent_at=berlin(2026, 5, 1, 9, 0),
    )  # fmt: skip
    Reminder.objects.create(
        seminar=seminar, user=student, kind=Reminder.Kind.DELIVERABLE, object_id=report.pk, offset_minutes=60,
        title="Report", due_at=report.due_at, fire_at=report.due_at, created_at=report.due_at,
    )  # fmt: skip
    seminar.people = {
        "instructor": instructor,
        "co-instructor": co_instructor,
        "supervisor": supervisor,
        "student": student,
    }
    return seminar


def copy(source, *, with_papers=True, days=DAYS, slug="kernels-ws26"):
    return seminar_copy(
        source=source,
        by=source.people["instructor"],
        title="Kernel methods",
        slug=slug,
        term="Winter term 2026/27",
        days=days,
        with_papers=with_papers,
    )


def local(when: datetime) -> datetime:
    return when.astimezone(BERLIN).replace(tzinfo=None)


def test_every_date_moves_by_the_days_at_the_same_clock_time_across_the_dst_change(source):
    new = copy(source).seminar

    assert local(new.premeeting_start) == datetime(2026, 10, 19, 18, 0)
    assert local(new.premeeting_end) == datetime(2026, 10, 19, 19, 0)
    assert local(new.withdrawal_deadline) == datetime(2026, 11, 13, 23, 59)
    assert new.exam_date == date(2027, 1, 22)
    due = Deliverable.objects.get(seminar=new, title="Report").due_at
    assert local(due) == datetime(2026, 12, 14, 10, 0)
    # Summer time to standard time: the instant is an hour more than 182 days later.
    assert due - Deliverable.objects.get(seminar=source, title="Report").due_at == timedelta(
        days=DAYS, hours=1
    )
    assert due.astimezone(UTC) == datetime(2026, 12, 14, 9, 0, tzinfo=UTC)
    window = PreferenceWindow.objects.get(seminar=new)
    assert (local(window.opens_at), local(window.closes_at)) == (
        datetime(2026, 10, 20, 9, 0),
        datetime(2026, 10, 27, 23, 59),
    )
    day = BlockDay.objects.get(seminar=new)
    assert (local(day.starts_at), local(day.ends_at), day.room) == (
        datetime(2027, 1, 18, 9, 0),
        datetime(2027, 1, 18, 17, 0),
        "MI HS 1",
    )


def test_a_deadline_relative_to_the_talk_is_kept_as_it_is(source):
    new = copy(source).seminar

    slides = Deliverable.objects.get(seminar=new, title="Slides")
    assert (slides.due_mode, slides.due_at, slides.days_before_talk, slides.grace_minutes) == (
        Deliverable.DueMode.BEFORE_TALK,
        None,
        7,
        30,
    )


def test_the_copy_takes_the_texts_topics_settings_and_timing(source):
    result = copy(source)
    new = result.seminar

    assert (new.title, new.slug, new.term, new.state) == (
        "Kernel methods",
        "kernels-ws26",
        "Winter term 2026/27",
        Seminar.State.DRAFT,
    )
    assert (new.focus, new.objectives, new.evaluation, new.module_number, new.capacity) == (
        "Kernels, from RKHS to NTK.",
        "Read a paper\nPresent it",
        "Report and talk.",
        "IN2107",
        14,
    )
    assert new.premeeting_url == "https://bbb.example.org/kernels"
    assert (new.premeeting_recording_url, new.premeeting_slides_url) == ("", "")
    assert list(Topic.objects.filter(seminar=new).values_list("title", "order")) == [
        ("Kernels", 1),
        ("Neural tangents", 2),
    ]
    settings = ReminderSettings.objects.get(seminar=new)
    assert (settings.offsets, settings.instructor_summary) == ([2 * 24 * 60, 60], False)
    grading = GradingSettings.objects.get(seminar=new)
    assert (grading.rounding, grading.must_pass_all, grading.released_at) == ("step", False, None)
    block = BlockSeminar.objects.get(seminar=new)
    assert (block.talk_minutes, block.gap_minutes, block.break_after, block.break_minutes) == (40, 20, 2, 45)
    assert (block.published_at, block.published_by) == (None, None)
    assert (
        result.topics,
        result.deliverables,
        result.grade_components,
        result.papers,
        result.block_days,
    ) == (
        2,
        2,
        2,
        2,
        1,
    )


def test_the_copy_takes_the_german_texts_but_not_the_old_german_title(source):
    Seminar.objects.filter(pk=source.pk).update(
        title_de="Kernmethoden", focus_de="Kerne, von RKHS bis NTK.", objectives_de="Ein Paper lesen"
    )
    Topic.objects.filter(seminar=source, title="Kernels").update(title_de="Kerne")
    Deliverable.objects.filter(seminar=source, title="Report").update(
        title_de="Ausarbeitung", instructions_de="Höchstens zehn Seiten."
    )

    new = copy(source).seminar

    assert (new.title_de, new.focus_de, new.objectives_de) == (
        "",
        "Kerne, von RKHS bis NTK.",
        "Ein Paper lesen",
    )
    assert Topic.objects.get(seminar=new, title="Kernels").title_de == "Kerne"
    report = Deliverable.objects.get(seminar=new, title="Report")
    assert (report.title_de, report.instructions_de) == ("Ausarbeitung", "Höchstens zehn Seiten.")


def test_grade_components_link_the_copied_deliverables(source):
    new = copy(source).seminar

    components = GradeComponent.objects.filter(seminar=new).select_related("deliverable").order_by("order")
    assert [(c.key, c.weight, c.deliverable.title, c.deliverable.seminar_id) for c in components] == [
        ("presentation", 60, "Slides", new.pk),
        ("report", 40, "Report", new.pk),
    ]


def test_papers_come_with_their_topics_and_without_supervisors(source):
    new = copy(source).seminar

    papers = {paper.title: paper for paper in Paper.objects.filter(seminar=new).select_related("topic")}
    assert set(papers) == {"On kernels", "Untopical"}
    assert papers["On kernels"].topic.seminar_id == new.pk
    assert papers["On kernels"].topic.title == "Kernels"
    assert papers["Untopical"].topic is None
    assert {paper.supervisor for paper in papers.values()} == {None}


def test_papers_stay_behind_unless_asked_for(source):
    result = copy(source, with_papers=False)

    assert result.papers == 0
    assert not Paper.objects.filter(seminar=result.seminar).exists()


def test_no_people_and_none_of_their_records_come_along(source):
    new = copy(source).seminar

    assert list(Membership.objects.filter(seminar=new).values_list("user", "role")) == [
        (source.people["instructor"].pk, Membership.Role.INSTRUCTOR)
    ]
    for model in (Preference, Allotment, Slot, Grade, Announcement, Reminder):
        assert not model.objects.filter(seminar=new).exists(), model.__name__
    assert not Submission.objects.filter(deliverable__seminar=new).exists()
    assert not Extension.objects.filter(deliverable__seminar=new).exists()
    # The source keeps everything.
    assert Membership.objects.filter(seminar=source).count() == 4
    assert Grade.objects.filter(seminar=source).count() == 1


def test_the_copy_is_a_draft_only_its_staff_see(source, client):
    new = copy(source).seminar
    detail = reverse("seminars:detail", kwargs={"slug": new.slug})

    for who in ("student", "supervisor", "co-instructor"):
        client.force_login(source.people[who])
        assert client.get(detail).status_code == 404, who
    client.force_login(source.people["instructor"])
    assert client.get(detail).status_code == 200


def test_a_taken_address_leaves_no_half_copy(source):
    SeminarFactory(slug="kernels-ws26")

    with pytest.raises(SlugTakenError):
        copy(source)

    assert Seminar.objects.filter(title="Kernel methods").count() == 1
    assert Topic.objects.filter(title="Kernels").count() == 1


def test_zero_days_keeps_every_date(source):
    new = copy(source, days=0).seminar

    assert new.premeeting_start == source.premeeting_start
    assert Deliverable.objects.get(seminar=new, title="Report").due_at == berlin(2026, 6, 15, 10, 0)


# ----------------------------------------------------------------------------------------------- the pages


def copy_url(seminar) -> str:
    return reverse("copying:copy", kwargs={"slug": seminar.slug})


def form_data(**changes) -> dict:
    return {
        "title": "Kernel methods",
        "slug": "kernels-ws26",
        "term": "Winter term 2026/27",
        "days": "182",
    } | changes


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("student", 403),
        ("supervisor", 403),
        ("instructor without the permission", 403),
        ("instructor of another seminar, with the permission", 403),
        ("instructor with the permission", 200),
    ],
)
def test_only_an_instructor_of_the_seminar_who_may_run_seminars_copies_it(source, client, who, status):
    other = SeminarFactory()
    person = {
        "student": source.people["student"],
        "supervisor": source.people["supervisor"],
        "instructor without the permission": source.people["co-instructor"],
        "instructor of another seminar, with the permission": may_run_seminars(instructor_of(other)),
        "instructor with the permission": source.people["instructor"],
    }[who]
    client.force_login(person)

    page = client.get(copy_url(source))
    posted = client.post(copy_url(source), form_data())

    assert page.status_code == status
    assert posted.status_code == (302 if status == 200 else 403)
    assert Seminar.objects.filter(slug="kernels-ws26").exists() == (status == 200)
    assert ("Copy to a new term" in client.get(source.get_absolute_url()).content.decode()) == (status == 200)


def test_anonymous_visitors_are_sent_to_the_login(source, client):
    assert client.get(copy_url(source))["Location"].startswith(reverse("account_login"))


def test_the_form_is_prefilled_with_the_title_and_names_the_meeting(source, client):
    client.force_login(source.people["instructor"])

    page = client.get(copy_url(source)).content.decode()

    assert 'value="Kernel methods"' in page
    assert "New date of the pre-course meeting" in page
    assert "Never people or their records" in page


def test_copying_shows_what_was_copied_and_links_the_edit_page(source, client):
    client.force_login(source.people["instructor"])

    response = client.post(copy_url(source), form_data(with_papers="on"), follow=True)

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("copying:copied", kwargs={"slug": "kernels-ws26"})
    assert "Copied from Kernel methods" in page
    for line in ("2 topics", "2 deliverables", "2 grade components", "2 papers", "1 block seminar day"):
        assert f"<li>{line}</li>" in page
    assert "Every date moved by 182 days, at the same time of day." in page
    assert f'href="{reverse("seminars:edit", kwargs={"slug": "kernels-ws26"})}"' in page


def test_the_summary_page_of_another_seminar_goes_on_to_its_edit_page(source, client):
    mine = SeminarFactory()
    instructor_of(mine, user=source.people["instructor"])
    client.force_login(source.people["instructor"])
    client.post(copy_url(source), form_data())

    response = client.get(reverse("copying:copied", kwargs={"slug": mine.slug}))

    assert response["Location"] == reverse("seminars:edit", kwargs={"slug": mine.slug})


def test_the_new_date_of_the_meeting_gives_the_days(source, client):
    client.force_login(source.people["instructor"])

    client.post(copy_url(source), form_data(days="", premeeting_date="2026-10-19"))

    new = Seminar.objects.get(slug="kernels-ws26")
    assert local(new.premeeting_start) == datetime(2026, 10, 19, 18, 0)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"days": ""}, "Please give the new date of the pre-course meeting or the number of days"),
        (
            {"premeeting_date": "2026-10-19"},
            "Please give either the new date or the number of days, not both.",
        ),
        ({"term": ""}, "This field is required."),
    ],
)
def test_an_incomplete_form_copies_nothing_and_says_why(source, client, changes, message):
    client.force_login(source.people["instructor"])

    response = client.post(copy_url(source), form_data(**changes))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Seminar.objects.filter(slug="kernels-ws26").exists()


def test_a_taken_address_is_refused_with_the_form_kept(source, client):
    client.force_login(source.people["instructor"])

    response = client.post(copy_url(source), form_data(slug="kernels-ss26", term="Winter term 2030"))

    page = response.content.decode()
    assert "The address “kernels-ss26” is taken by another seminar" in page
    assert "“kernels-ss26-2”" in page
    assert 'value="Winter term 2030"' in page
    assert Seminar.objects.count() == 1


def test_a_seminar_without_a_meeting_asks_for_the_days_only(client):
    seminar = SeminarFactory(premeeting_start=None)
    client.force_login(may_run_seminars(instructor_of(seminar)))

    page = client.get(copy_url(seminar)).content.decode()
    response = client.post(copy_url(seminar), form_data(days=""))

    assert "New date of the pre-course meeting" not in page
    assert "Please say by how many days the dates move (0 keeps them)." in response.content.decode()


def test_an_empty_address_is_made_from_the_new_title(source, client):
    client.force_login(source.people["instructor"])

    client.post(copy_url(source), form_data(slug="", title="Kernel methods WS"))

    assert Seminar.objects.filter(slug="kernel-methods-ws", title="Kernel methods WS").exists()


def test_a_user_who_is_no_member_of_a_draft_gets_404(client):
    draft = SeminarFactory(state=Seminar.State.DRAFT)
    client.force_login(may_run_seminars(UserFactory()))

    assert client.get(copy_url(draft)).status_code == 404


def _seminar_with(count: int) -> Seminar:
    seminar = SeminarFactory()
    may_run_seminars(instructor_of(seminar))
    topic = TopicFactory(seminar=seminar)
    for n in range(count):
        PaperFactory(seminar=seminar, topic=topic)
        DeliverableFactory(seminar=seminar, title=f"Part {n}")
    return seminar


def _copy_all(seminar: Seminar, slug: str):
    return seminar_copy(
        source=seminar,
        by=seminar.memberships.get().user,
        title="Copy",
        slug=slug,
        term="WS",
        days=7,
        with_papers=True,
    )


def test_a_copy_costs_the_same_queries_for_3_and_30_papers_and_deliverables(django_assert_num_queries):
    few, many = _seminar_with(3), _seminar_with(30)
    with CaptureQueriesContext(connection) as captured:
        _copy_all(few, "few")

    with django_assert_num_queries(len(captured)):
        result = _copy_all(many, "many")

    assert (result.papers, result.deliverables) == (30, 30)
