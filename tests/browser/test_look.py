"""The look at a phone's 390 px and a desktop's 1280 px: the main pages never scroll sideways (the document is
as wide as the viewport), the header keeps one line, and each page leaves a screenshot in the test output
(test-output/screenshots/, beside the junit file a CI run keeps)."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from demo.seminar import DEMO_LOGINS, DEMO_SLUG
from reminders.models import Reminder
from schedule.models import BlockDay, BlockSeminar, Slot
from seminars.models import Membership, Seminar
from submissions.models import Deliverable
from tests.factories import PASSWORD, SeminarFactory, UserFactory, instructor_of
from tests.matching.helpers import coordinator, open_round, rank

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
STUDENT = next(login for login in DEMO_LOGINS if login.role == "student")
INSTRUCTOR = next(login for login in DEMO_LOGINS if login.role == "instructor")
# The header's one line: the brand (2 rem logo or text), the menu button of 44 px, the padding.
ONE_LINE_PX = 76


def demo_with_student() -> Seminar:
    """The demo of `make run`, the demo student enrolled, and a published program: the student's talk at the
    first day's start and another after a break."""
    call_command("load_demo", stdout=io.StringIO())
    seminar = Seminar.objects.get(slug=DEMO_SLUG)
    student = User.objects.get(email=STUDENT.email)
    Membership.objects.get_or_create(
        user=student, seminar=seminar, defaults={"role": Membership.Role.STUDENT}
    )
    day = BlockDay.objects.filter(seminar=seminar).order_by("starts_at").first()
    other = (
        Membership.objects.filter(seminar=seminar, role=Membership.Role.STUDENT).exclude(user=student).first()
    )
    for presenter, minutes in ((student, 0), (other.user, 120)):
        start = day.starts_at + timedelta(minutes=minutes)
        Slot.objects.create(
            seminar=seminar,
            day=day,
            starts_at=start,
            ends_at=start + timedelta(minutes=30),
            presenter=presenter,
        )
    BlockSeminar.objects.update_or_create(seminar=seminar, defaults={"published_at": timezone.now()})
    return seminar


def remind_the_student(seminar: Seminar) -> None:
    """Two reminders of the demo student's for the reminder tables: one sent, one failed with its error."""
    student = User.objects.get(email=STUDENT.email)
    deliverable = Deliverable.objects.filter(seminar=seminar).order_by("due_at").first()
    now = timezone.now()
    for offset, state in ((24 * 60, Reminder.State.SENT), (60, Reminder.State.FAILED)):
        Reminder.objects.create(
            seminar=seminar,
            user=student,
            kind=Reminder.Kind.DELIVERABLE,
            object_id=deliverable.pk,
            offset_minutes=offset,
            title=deliverable.title,
            due_at=deliverable.due_at,
            fire_at=now,
            state=state,
            last_error="SMTPRecipientsRefused: 550 5.1.1 mailbox unavailable" if state == "failed" else "",
            created_at=now,
            sent_at=now if state == "sent" else None,
        )


def look_at(page, name: str, size: str) -> None:
    """No sideways scrolling, one header line, and a screenshot of the whole page."""
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{name} at {size}: the document is {widths[0]} px wide in {widths[1]} px"
    if size == "phone":
        # On a phone a table may not scroll sideways inside its box either: it becomes cards (stack-table).
        # (At 1280 px a dense staff table, the roster's nine columns, may still scroll in its own box.)
        scrolling = page.evaluate(
            "() => [...document.querySelectorAll('.table-scroll')]"
            ".filter(box => box.scrollWidth > box.clientWidth)"
            ".map(box => box.querySelector('caption, table').textContent.trim().slice(0, 40))"
        )
        assert scrolling == [], f"{name} at {size}: these tables scroll sideways: {scrolling}"
        rows = page.locator(".stack-table tbody tr")
        displays = rows.evaluate_all("rows => rows.map(row => getComputedStyle(row).display)")
        assert set(displays) <= {"block"}, f"{name} at {size}: table rows are not cards: {displays}"
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= ONE_LINE_PX, f"{name} at {size}: the header takes {header['height']} px"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{size}.png"), full_page=True)


@pytest.mark.parametrize("size", list(SIZES))
def test_student_pages_fit_the_screen(new_page, log_in, size):
    seminar = demo_with_student()
    deliverable = Deliverable.objects.filter(seminar=seminar).order_by("due_at").first()
    page = new_page(viewport=SIZES[size], is_mobile=size == "phone", has_touch=size == "phone")
    log_in(page, STUDENT.email, STUDENT.password)

    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.get_by_role("heading", name="Your seminars")).to_be_visible()
    expect(page.get_by_text("Next due")).to_be_visible()
    expect(page.locator(".countdown").first).to_contain_text("left")
    look_at(page, "dashboard-student", size)

    page.goto(f"/seminars/{seminar.slug}/deliverables/{deliverable.pk}/")
    look_at(page, "deliverable", size)

    page.goto(f"/seminars/{seminar.slug}/program/")
    expect(page.get_by_text("Break", exact=True)).to_be_visible()
    expect(page.get_by_text("Sam Student")).to_be_visible()
    look_at(page, "program", size)

    remind_the_student(seminar)
    page.goto(f"/seminars/{seminar.slug}/reminders/")
    expect(page.locator(".stack-table tbody tr")).to_have_count(2)
    look_at(page, "my-reminders", size)


@pytest.mark.parametrize("size", list(SIZES))
def test_instructor_pages_fit_the_screen(new_page, log_in, size):
    seminar = demo_with_student()
    page = new_page(viewport=SIZES[size], is_mobile=size == "phone", has_touch=size == "phone")
    log_in(page, INSTRUCTOR.email, INSTRUCTOR.password)

    expect(page.get_by_role("heading", name="What needs your action")).to_be_visible()
    look_at(page, "dashboard-staff", size)

    page.goto(f"/seminars/{seminar.slug}/manage/grades/")
    look_at(page, "grading-sheet", size)

    page.goto(f"/seminars/{seminar.slug}/manage/allotment/")
    look_at(page, "allotment", size)

    deliverable = Deliverable.objects.filter(seminar=seminar).order_by("due_at").first()
    page.goto(f"/seminars/{seminar.slug}/manage/deliverables/{deliverable.pk}/")
    look_at(page, "deliverable-overview", size)


@pytest.mark.parametrize("size", list(SIZES))
def test_instructor_tables_become_cards_on_a_phone(new_page, log_in, size):
    """The staff's tables a person checks on the way (people, students, schedule, reminders, deliverables):
    at 390 px each row is a card naming its columns, at 1280 px a dense table; neither scrolls sideways."""
    seminar = demo_with_student()
    remind_the_student(seminar)
    page = new_page(viewport=SIZES[size], is_mobile=size == "phone", has_touch=size == "phone")
    log_in(page, INSTRUCTOR.email, INSTRUCTOR.password)
    pages = {
        "people": ("people", "Role"),
        "students": ("students", "Matriculation number"),
        "schedule-manage": ("schedule", "Presenter"),
        "reminders-manage": ("reminders", "Before the deadline"),
        "deliverables-manage": ("deliverables", "Files"),
    }
    for name, (path, label) in pages.items():
        page.goto(f"/seminars/{seminar.slug}/manage/{path}/")
        cell = page.locator(f'.stack-table td[data-label="{label}"]').first
        expect(cell).to_be_visible()
        shown = cell.evaluate("cell => getComputedStyle(cell, '::before').content")
        assert shown == (f'"{label}: "' if size == "phone" else "none"), f"{name} at {size}: {shown}"
        look_at(page, name, size)


@pytest.mark.parametrize("size", list(SIZES))
def test_the_matching_pages_fit_the_screen(new_page, log_in, size):
    """The department's matching: the coordinator's rounds and round, a student's ranking, and the chair's
    applicants, whose rank and reason inputs sit in one card per applicant on a phone."""
    deep = SeminarFactory(title="Deep learning theory", mandatory_prerequisites="Linear algebra")
    robotics = SeminarFactory(title="Robotics")
    chair = instructor_of(deep, user__full_name="Chris Chair")
    boss = coordinator()
    matching_round = open_round([(deep, 2), (robotics, 1)], by=boss, start=timezone.now() - timedelta(days=8))
    ada = UserFactory(full_name="Ada Lovelace", matriculation_number="4711")
    for student in (ada, UserFactory(full_name="Bert Brandt")):
        rank(matching_round, student, [deep, robotics], now=timezone.now() - timedelta(days=7))
    page = new_page(viewport=SIZES[size], is_mobile=size == "phone", has_touch=size == "phone")

    log_in(page, chair.email, PASSWORD)
    page.goto(reverse("matching:applicants", args=[matching_round.pk, deep.slug]))
    expect(page.get_by_label("Rank of Ada Lovelace")).to_be_editable()
    look_at(page, "matching-applicants", size)

    page = new_page(viewport=SIZES[size], is_mobile=size == "phone", has_touch=size == "phone")
    log_in(page, boss.email, PASSWORD)
    page.goto(reverse("matching:rounds"))
    look_at(page, "matching-rounds", size)
    page.goto(reverse("matching:round", args=[matching_round.pk]))
    look_at(page, "matching-round", size)


def test_phone_header_opens_its_menu_and_the_desktop_header_shows_the_links(new_page, log_in):
    demo_with_student()
    phone = new_page(viewport=SIZES["phone"], is_mobile=True, has_touch=True)
    log_in_through_menu = phone.goto("/accounts/login/")
    assert log_in_through_menu.ok
    expect(phone.get_by_role("link", name="Log in")).to_be_hidden()
    phone.get_by_text("Menu").click()
    expect(phone.get_by_role("link", name="Log in")).to_be_visible()
    expect(phone.get_by_label("Language")).to_be_visible()

    desktop = new_page(viewport=SIZES["desktop"])
    desktop.goto("/accounts/login/")
    expect(desktop.get_by_role("link", name="Log in")).to_be_visible()
    expect(desktop.get_by_text("Menu")).to_be_hidden()


def test_german_reader_reads_the_demo_seminar_in_german(new_page, log_in):
    """A browser set to German reads the demo seminar, entered in both languages, in German: the title,
    the texts, the topics, a deliverable's name and instructions; the header and dashboard speak German."""
    seminar = demo_with_student()
    page = new_page(locale="de-DE", extra_http_headers={"Accept-Language": "de-DE,de;q=0.9"})
    page.goto(seminar.get_absolute_url())

    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text("Theoretische Fortschritte im Deep Learning")
    expect(page.get_by_role("main")).to_contain_text("Neuronale Netze, insbesondere tiefe Netze")
    expect(page.get_by_role("listitem").filter(has_text="Robustheit neuronaler Netze")).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("Robustness of neural networks")

    log_in_german(page)
    expect(page.get_by_role("heading", name="Übersicht", level=1)).to_be_visible()
    page.get_by_role("link", name="Ausarbeitung").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ausarbeitung")
    expect(page.get_by_role("main")).to_contain_text("Schreiben Sie eine Ausarbeitung von 8 bis 10 Seiten")


def log_in_german(page) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-Mail-Adresse").fill(STUDENT.email)
    page.get_by_label("Passwort").fill(STUDENT.password)
    page.get_by_role("button", name="Anmeldung").click()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
