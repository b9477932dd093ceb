import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from demo.papers import DEMO_STUDENTS, demo_papers_load
from demo.seminar import DEMO_LOGINS, demo_load
from papers.models import Allotment, AllotmentPublication, Paper, Preference
from seminars.models import Membership

pytestmark = pytest.mark.browser

STUDENT = next(login for login in DEMO_LOGINS if login.role == "student")
INSTRUCTOR = next(login for login in DEMO_LOGINS if login.role == "instructor")


def _demo_with_enrolled_student():
    seminar = demo_load()
    demo_papers_load(seminar=seminar, now=timezone.now())
    student = User.objects.get(email=STUDENT.email)
    Membership.objects.create(user=student, seminar=seminar, role=Membership.Role.STUDENT)
    return seminar, student


def _button(action: str, paper) -> re.Pattern:
    """A ranking button by its accessible name: the action, then the visually hidden paper title."""
    return re.compile(rf"^{action}\s*: {re.escape(paper.title)}$")


def _rank_three_and_move_the_last_up(page, seminar, papers):
    page.goto(f"/seminars/{seminar.slug}/papers/")
    page.get_by_role("link", name="Rank papers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Rank the papers of {seminar.title}")
    for paper in papers:
        page.get_by_role("button", name=_button("Add to my ranking", paper)).click()
        expect(page.get_by_role("status")).to_contain_text("Your ranking has been saved.")
    page.get_by_role("button", name=_button("Move up", papers[2])).click()
    expect(page.get_by_role("status")).to_contain_text("Your ranking has been saved.")


def test_student_ranks_instructor_allots_and_publishes_student_sees_paper(new_page, log_in, mailoutbox):
    seminar, student = _demo_with_enrolled_student()
    first, second, third = Paper.objects.filter(seminar=seminar).order_by("title")[:3]
    student_page = new_page()
    log_in(student_page, STUDENT.email, STUDENT.password)

    _rank_three_and_move_the_last_up(student_page, seminar, [first, second, third])

    expect(student_page.locator("ol.ranking .ranking-title")).to_have_text(
        [first.title, third.title, second.title]
    )
    assert list(
        Preference.objects.filter(student=student).order_by("rank").values_list("paper", flat=True)
    ) == [first.pk, third.pk, second.pk]

    instructor_page = new_page()
    log_in(instructor_page, INSTRUCTOR.email, INSTRUCTOR.password)
    instructor_page.goto(seminar.get_absolute_url())
    instructor_page.get_by_role("link", name="Allotment").click()
    expect(instructor_page.get_by_role("heading", level=1)).to_have_text(f"Allotment of {seminar.title}")
    instructor_page.get_by_label("Optimal (least total rank cost)").check()
    instructor_page.get_by_label(re.compile(r"^Random seed")).fill("2021")
    instructor_page.get_by_role("button", name="Run the allotment").click()
    expect(instructor_page.get_by_role("status")).to_contain_text("Allotment proposed (seed 2021).")
    students = DEMO_STUDENTS + 1
    expect(instructor_page.locator(".summary")).to_contain_text(f"of {students} got choice no. 1")
    assert Allotment.objects.filter(seminar=seminar).count() == students

    free = Paper.objects.filter(seminar=seminar, allotments__isnull=True).order_by("title").first()
    instructor_page.get_by_label(re.compile(r"^Student:?$")).select_option(
        label=f"{student.full_name} <{student.email}>"
    )
    instructor_page.get_by_label(re.compile(r"^Paper:?$")).select_option(label=free.title)
    instructor_page.get_by_role("button", name="Move", exact=True).click()
    expect(instructor_page.get_by_role("status")).to_contain_text(
        f"{student.full_name} now has “{free.title}” (locked: a new run keeps it)."
    )
    row = instructor_page.get_by_role("row").filter(has_text=student.full_name)
    expect(row).to_contain_text(free.title)
    expect(row).to_contain_text("By hand")
    expect(row.get_by_role("button", name=f"Unlock {student.full_name}")).to_be_visible()

    instructor_page.get_by_role("link", name="Publish the allotment…").click()
    expect(instructor_page.get_by_role("main")).to_contain_text(
        f"This mails {students} students their paper and its supervisor."
    )
    assert not AllotmentPublication.objects.filter(seminar=seminar).exists()
    instructor_page.get_by_role("button", name="Publish the allotment").click()
    expect(instructor_page.get_by_role("status")).to_contain_text("The allotment is published")
    expect(instructor_page.get_by_role("link", name="Publish the allotment…")).to_have_count(0)
    assert AllotmentPublication.objects.filter(seminar=seminar).exists()
    assert len(mailoutbox) == students
    [mail] = [mail for mail in mailoutbox if mail.to == [student.email]]
    assert free.title in mail.body

    student_page.goto(f"/seminars/{seminar.slug}/papers/")
    panel = student_page.get_by_role("region", name="Your paper")
    expect(panel).to_contain_text(free.title)
    expect(panel).to_contain_text("Supervisor: Sebastian Supervisor")
    expect(panel.get_by_role("link", name="supervisor@example.org")).to_be_visible()


def test_student_sees_no_paper_before_publishing(new_page, log_in):
    seminar, student = _demo_with_enrolled_student()
    paper = Paper.objects.filter(seminar=seminar).order_by("title").first()
    Allotment.objects.create(seminar=seminar, student=student, paper=paper, source="manual")
    page = new_page()
    log_in(page, STUDENT.email, STUDENT.password)

    page.goto(f"/seminars/{seminar.slug}/papers/")

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Papers of {seminar.title}")
    expect(page.get_by_role("region", name="Your paper")).to_have_count(0)
