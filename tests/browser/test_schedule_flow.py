"""The block seminar schedule in the browser: the instructor adds a day, sets the talk timing, generates the
slots, fills them in topic order and publishes (each presenter gets a mail); a student sees their talk, their
slides due time counted back from it and their calendar address; a visitor sees the program without names;
before publishing, a due time relative to the talk is not set yet."""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import strip_tags
from playwright.sync_api import expect

from core.templatetags.zoned import zoned_plain, zoned_range, zoned_range_short
from papers.models import Allotment
from schedule import services
from schedule.models import BlockDay, Slot
from tests.factories import PASSWORD, SeminarFactory, TopicFactory, instructor_of, student_of
from tests.papers.helpers import PaperFactory, publish_allotment
from tests.submissions.helpers import DeliverableFactory

pytestmark = pytest.mark.browser

BERLIN = ZoneInfo("Europe/Berlin")
SLIDES_DAYS_BEFORE = 14
# Talk timing: 30-minute talks, 15 minutes after each, a 30-minute break after every second talk. A day from
# 09:00 to 12:30 then holds four talks (09:00, 09:45, 11:00, 11:45), one more than there are presenters.
TIMING = {"talk_minutes": 30, "gap_minutes": 15, "break_after": 2, "break_minutes": 30}
TALK_TIMES = [(time(9, 0), time(9, 30)), (time(9, 45), time(10, 15)), (time(11, 0), time(11, 30))]
FREE_TALK = (time(11, 45), time(12, 15))
# name, e-mail, paper, topic: created in an order that is neither topic order nor name order.
PRESENTERS = [
    ("Anna Adler", "anna@uni.example", "Benign overfitting in linear regression", "Generalisation"),
    ("Zoe Zimmer", "zoe@uni.example", "Implicit bias of gradient descent", "Optimisation"),
    ("Max Maier", "max@uni.example", "Adaptive methods converge", "Optimisation"),
]
# Topic order (Optimisation before Generalisation), then paper title within a topic.
IN_TOPIC_ORDER = ["Max Maier", "Zoe Zimmer", "Anna Adler"]
TOPIC_ORDER = {"Optimisation": 1, "Generalisation": 2}


def _block_date():
    """A weekday six weeks or more ahead."""
    day = timezone.localdate(timezone.now(), BERLIN) + timedelta(days=42)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _at(day, clock: time) -> datetime:
    return datetime.combine(day, clock, BERLIN)


def _local_input(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M")


def _range_text(start: datetime, end: datetime) -> str:
    with translation.override("en"):
        return strip_tags(zoned_range(start, end, "Europe/Berlin"))


def _slot_text(start: datetime, end: datetime) -> str:
    """A slot's row on the planning page: date and times, the zone named once in the table's caption."""
    with translation.override("en"):
        return strip_tags(zoned_range_short(start, end, "Europe/Berlin"))


def _clock_range(start: time, end: time) -> str:
    """A talk's row in the program: clock times only (the day is the heading, the zone the page's caption)."""
    return f"{start:%H:%M}–{end:%H:%M}"


def _time_text(value: datetime) -> str:
    with translation.override("en"):
        return zoned_plain(value, "Europe/Berlin")


def _course():
    """A seminar with an instructor, two topics, three students with allotted papers and a slides
    deliverable due 14 days before each student's talk; no schedule yet."""
    seminar = SeminarFactory(title="Theoretical advances in deep learning")
    instructor = instructor_of(seminar, user__full_name="Ida Instructor", user__email="ida@uni.example")
    # The later topic is created first, so that topic order is not creation order.
    topics = {
        title: TopicFactory(seminar=seminar, title=title, order=order)
        for title, order in sorted(TOPIC_ORDER.items(), key=lambda item: -item[1])
    }
    students = {}
    for name, email, title, topic in PRESENTERS:
        student = student_of(seminar, user__full_name=name, user__email=email)
        Allotment.objects.create(
            seminar=seminar,
            student=student,
            paper=PaperFactory(seminar=seminar, title=title, topic=topics[topic]),
            source=Allotment.Source.MANUAL,
        )
        students[name] = student
    publish_allotment(seminar)
    DeliverableFactory(
        seminar=seminar,
        kind="slides",
        due_mode="before_talk",
        due_at=None,
        days_before_talk=SLIDES_DAYS_BEFORE,
        title="Slides",
    )
    return seminar, instructor, students


def _plan(seminar, instructor, day, *, publish: bool) -> None:
    """The schedule the instructor's flow makes in the browser, made through the services."""
    services.block_seminar_set(seminar=seminar, **TIMING)
    services.block_day_save(
        seminar=seminar,
        day=BlockDay(starts_at=_at(day, time(9)), ends_at=_at(day, time(12, 30)), room="MI HS 1"),
    )
    services.slots_generate(seminar=seminar)
    services.slots_fill(seminar=seminar, changed_by=instructor, now=timezone.now())
    if publish:
        services.schedule_publish(seminar=seminar, published_by=instructor, now=timezone.now())


def _slides_card(page):
    return (
        page.get_by_role("main").get_by_role("listitem").filter(has=page.get_by_role("link", name="Slides"))
    )


def _due_fact(page):
    """The <dd> after "Due" in the deliverable page's facts list."""
    return page.locator("dl.facts dt:text-is('Due') + dd")


def _title_of(name: str) -> str:
    return next(title for presenter, _, title, _ in PRESENTERS if presenter == name)


def test_instructor_plans_fills_in_topic_order_and_publishes(page, log_in, mailoutbox):
    seminar, instructor, students = _course()
    day = _block_date()
    log_in(page, instructor.email, PASSWORD)

    page.goto(seminar.get_absolute_url())
    page.get_by_role("link", name="Block seminar schedule").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Block seminar schedule: {seminar.title}")
    expect(page.get_by_role("region", name="Days")).to_contain_text("No days yet.")
    page.get_by_role("link", name="Add a day").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Block seminar day")
    page.get_by_label(re.compile(r"^Starts:?$")).fill(_local_input(_at(day, time(9))))
    page.get_by_label(re.compile(r"^Ends:?$")).fill(_local_input(_at(day, time(12, 30))))
    page.get_by_label(re.compile(r"^Room:?$")).fill("MI HS 1")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("The day is saved.")
    days = page.get_by_role("region", name="Days")
    expect(days).to_contain_text(_range_text(_at(day, time(9)), _at(day, time(12, 30))))
    expect(days).to_contain_text("MI HS 1")
    stored = BlockDay.objects.get(seminar=seminar)
    assert (stored.starts_at, stored.ends_at, stored.room) == (
        _at(day, time(9)),
        _at(day, time(12, 30)),
        "MI HS 1",
    )

    page.get_by_label(re.compile(r"^Talk length \(minutes\):?$")).fill("30")
    page.get_by_label(re.compile(r"^After each talk \(minutes\):?$")).fill("15")
    page.get_by_label(re.compile(r"^A break after every … talks:?$")).fill("2")
    page.get_by_label(re.compile(r"^Break length \(minutes\):?$")).fill("30")
    page.get_by_role("button", name="Save the timing").click()
    expect(page.get_by_role("status")).to_contain_text("The talk timing is saved.")

    page.get_by_role("button", name="Generate the slots").click()
    expect(page.get_by_role("status")).to_contain_text("4 slots are laid out.")
    conflicts = page.get_by_role("region", name="Conflicts")
    expect(conflicts.get_by_role("listitem")).to_have_text(
        [f"{name} has no slot." for name in sorted(students)]
    )

    page.get_by_role("button", name="Fill the free slots in topic order").click()
    expect(page.get_by_role("status")).to_contain_text("3 students were placed in topic order.")
    slots = page.get_by_role("region", name="Slots", exact=True)
    times = [*TALK_TIMES, FREE_TALK]
    expect(slots.get_by_role("rowheader")).to_have_text(
        [_slot_text(_at(day, start), _at(day, end)) for start, end in times]
    )
    expect(slots.locator("tbody td:nth-of-type(2)")).to_have_text([*IN_TOPIC_ORDER, "free"])
    expect(slots.locator("tbody td:nth-of-type(4)")).to_have_text(
        [*(_title_of(name) for name in IN_TOPIC_ORDER), "—"]
    )
    expect(conflicts).to_contain_text("No conflicts.")
    assert mailoutbox == []

    page.get_by_role("link", name="Publish the schedule…").click()
    expect(page.get_by_role("main")).to_contain_text("This mails 3 presenters their slot.")
    page.get_by_role("button", name="Publish the schedule").click()
    expect(page.get_by_role("status")).to_contain_text(
        "The schedule is published; each presenter gets their slot by mail."
    )
    expect(page.get_by_role("main")).to_contain_text(
        "Published: changes are mailed to the students they touch and recorded."
    )
    expect(page.get_by_role("link", name="Publish the schedule…")).to_have_count(0)

    mails = {mail.to[0]: mail for mail in mailoutbox}
    assert len(mailoutbox) == 3
    assert sorted(mails) == sorted(student.email for student in students.values())
    for name, (start, _) in zip(IN_TOPIC_ORDER, TALK_TIMES, strict=True):
        mail = mails[students[name].email]
        assert mail.subject == f"[Seminar portal] Your talk in {seminar.title}"
        assert f"Your talk: {_time_text(_at(day, start))}, MI HS 1" in mail.body
        assert f"Paper: {_title_of(name)}" in mail.body


def test_student_sees_their_talk_slides_due_time_and_calendar_address(page, log_in, live_server):
    seminar, instructor, students = _course()
    day = _block_date()
    _plan(seminar, instructor, day, publish=True)
    student = students["Zoe Zimmer"]
    talk = Slot.objects.get(seminar=seminar, presenter=student)
    assert talk.starts_at == _at(day, TALK_TIMES[1][0])
    # 14 calendar days before, at the talk's clock time (also across a daylight-saving change).
    due_text = _time_text(_at(day - timedelta(days=SLIDES_DAYS_BEFORE), TALK_TIMES[1][0]))
    log_in(page, student.email, PASSWORD)

    page.goto(seminar.get_absolute_url())
    page.get_by_role("link", name="Program of the block seminar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Program: {seminar.title}")
    row = page.get_by_role("row").filter(has_text="Implicit bias of gradient descent")
    expect(row.get_by_role("rowheader")).to_have_text("Implicit bias of gradient descent")
    local = (
        talk.starts_at.astimezone(ZoneInfo("Europe/Berlin")),
        talk.ends_at.astimezone(ZoneInfo("Europe/Berlin")),
    )
    # Time, presenter and the discussant the publication assigned (another student, never the presenter).
    cells = row.get_by_role("cell")
    expect(cells).to_have_count(3)
    expect(cells.nth(0)).to_have_text(_clock_range(local[0].time(), local[1].time()))
    expect(cells.nth(1)).to_have_text("Zoe Zimmer")
    expect(cells.nth(2)).to_have_text(re.compile(r"^(Max Maier|Anna Adler)$"))

    page.get_by_role("link", name="Back to the seminar page").click()
    page.get_by_role("link", name="Reports and slides").click()
    card = _slides_card(page)
    expect(card).to_contain_text(f"Due: {due_text}")
    expect(card).to_contain_text("(Europe/Berlin)")
    card.get_by_role("link", name="Slides").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Slides")
    expect(_due_fact(page)).to_contain_text(due_text)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Calendar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your calendar")
    address = page.get_by_label("Your private calendar address")
    expect(address).not_to_be_editable()
    expect(address).to_have_value(re.compile(rf"^{re.escape(live_server.url)}/calendar/[^/]+\.ics$"))
    feed = page.request.get(address.input_value())
    assert feed.ok
    assert "SUMMARY:Due: Slides (Theoretical advances in deep learning)" in feed.text()


def test_visitor_sees_program_times_and_titles_without_names(page):
    seminar, instructor, students = _course()
    day = _block_date()
    _plan(seminar, instructor, day, publish=True)

    page.goto(f"/seminars/{seminar.slug}/program/")

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Program: {seminar.title}")
    # One heading per day (its date), the day's real span from the first talk to the last, the zone once.
    with translation.override("en"):
        expect(page.get_by_role("heading", level=2)).to_have_text(date_format(day, "l, j F Y"))
    expect(page.get_by_role("main")).to_contain_text("09:00 to 11:30 · Room: MI HS 1")
    expect(page.get_by_role("main")).to_contain_text("Times in Europe/Berlin (CET/CEST)")
    expect(page.get_by_role("rowheader")).to_have_text([_title_of(name) for name in IN_TOPIC_ORDER])
    expect(page.locator("tbody tr:not(.program-break) td")).to_have_text(
        [_clock_range(start, end) for start, end in TALK_TIMES]
    )
    # 10:15 to 11:00 is longer than the changeover after a talk: a break.
    expect(page.locator("tr.program-break")).to_have_text(["10:15–11:00 Break"])
    expect(page.get_by_role("columnheader", name="Presenter")).to_have_count(0)
    for name in students:
        expect(page.get_by_role("main")).not_to_contain_text(name)


def test_slides_due_time_is_not_set_before_the_schedule_is_published(page, log_in):
    seminar, instructor, students = _course()
    _plan(seminar, instructor, _block_date(), publish=False)
    student = students["Anna Adler"]
    assert Slot.objects.filter(seminar=seminar, presenter=student).exists()
    log_in(page, student.email, PASSWORD)

    page.goto(seminar.get_absolute_url())
    page.get_by_role("link", name="Program of the block seminar").click()
    expect(page.get_by_role("main")).to_contain_text(
        "The schedule of the block seminar is not published yet."
    )
    expect(page.get_by_role("table")).to_have_count(0)

    page.get_by_role("link", name="Back to the seminar page").click()
    page.get_by_role("link", name="Reports and slides").click()
    card = _slides_card(page)
    expect(card).to_contain_text("14 days before your talk — not set yet")
    card.get_by_role("link", name="Slides").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Slides")
    expect(_due_fact(page)).to_have_text(
        "14 days before your talk — not set yet: your talk is not scheduled."
    )
