"""A whole matching round in the browser: students rank, a chair ranks, the coordinator runs and publishes,
a student reads their result and finds the seminar on the page they land on after logging in."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from matching import services
from matching.models import Round
from seminars.models import Membership
from tests.factories import PASSWORD, SeminarFactory, UserFactory, instructor_of
from tests.matching.helpers import may_coordinate

pytestmark = pytest.mark.browser
HOUR = timedelta(hours=1)


def _round():
    now = timezone.now()
    deep = SeminarFactory(title="Deep learning theory", mandatory_prerequisites="Linear algebra")
    robotics = SeminarFactory(title="Robotics", mandatory_prerequisites="")
    coordinator = may_coordinate(UserFactory(full_name="Cora Coordinator"))
    matching_round = services.round_create(
        title="Master seminars",
        term="Summer term 2027",
        seats=[(deep, 1), (robotics, 2)],
        students_open_at=now - HOUR,
        students_close_at=now + HOUR,
        chairs_open_at=now - HOUR,
        chairs_close_at=now + 2 * HOUR,
        publish_at=now + 3 * HOUR,
        unranked_acceptable=True,
        created_by=coordinator,
    )
    return matching_round, deep, robotics, coordinator


def _close(matching_round: Round, *windows: str) -> None:
    """Ends a window now, as the clock would."""
    Round.objects.filter(pk=matching_round.pk).update(
        **{f"{window}_close_at": timezone.now() - timedelta(seconds=1) for window in windows}
    )


def _add(page, title: str, *, confirm: bool = False) -> None:
    if confirm:
        page.get_by_label(re.compile(rf"^I meet the mandatory prerequisites\s*: {title}$")).check()
    page.get_by_role("button", name=re.compile(rf"^Add to my ranking\s*: {title}$")).click()
    expect(page.get_by_role("status")).to_contain_text("Your ranking has been saved.")


def _log_in_and_open_the_matching(new_page, log_in, user):
    page = new_page()
    log_in(page, user.email, PASSWORD)
    page.get_by_role("link", name="Seminar matching: rank seminars and read your result").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Seminar matching")
    return page


def test_a_whole_round_from_the_rankings_to_the_students_seminar(new_page, log_in, mailoutbox):
    matching_round, deep, robotics, coordinator = _round()
    ada = UserFactory(full_name="Ada Lovelace")
    bert = UserFactory(full_name="Bert Brandt")
    chair = instructor_of(deep, user__full_name="Chris Chair")

    ada_page = _log_in_and_open_the_matching(new_page, log_in, ada)
    ada_page.get_by_role("link", name="Seminars and your ranking").click()
    expect(ada_page.get_by_role("heading", name="How to rank")).to_be_visible()
    ada_page.get_by_role("button", name=re.compile(r"^Add to my ranking\s*: Deep learning theory$")).click()
    expect(ada_page.get_by_role("status")).to_contain_text("confirm that you meet the mandatory")
    _add(ada_page, "Robotics")
    _add(ada_page, "Deep learning theory", confirm=True)
    ada_page.get_by_role("button", name=re.compile(r"^Move up\s*: Deep learning theory$")).click()
    expect(ada_page.locator("ol.ranking .ranking-title")).to_have_text(["Deep learning theory", "Robotics"])

    bert_page = _log_in_and_open_the_matching(new_page, log_in, bert)
    bert_page.goto(f"/matching/rounds/{matching_round.pk}/rank/")
    _add(bert_page, "Deep learning theory", confirm=True)
    _close(matching_round, "students")

    chair_page = _log_in_and_open_the_matching(new_page, log_in, chair)
    chair_page.get_by_role("link", name="Deep learning theory · Master seminars").click()
    expect(chair_page.get_by_role("heading", level=1)).to_have_text("Applicants of Deep learning theory")
    expect(chair_page.get_by_role("table")).not_to_contain_text("Robotics")
    chair_page.get_by_label("Rank of Ada Lovelace").fill("1")
    chair_page.get_by_label(re.compile(r"^not acceptable\s*: Bert Brandt$")).check()
    chair_page.get_by_role("button", name="Save the ranking").click()
    expect(chair_page.get_by_role("status")).to_contain_text("Please say why Bert Brandt is not acceptable")
    chair_page.get_by_label(re.compile(r"^not acceptable\s*: Bert Brandt$")).check()
    chair_page.get_by_label("Reason for Bert Brandt").fill("The seminar needs linear algebra.")
    chair_page.get_by_label("Rank of Ada Lovelace").fill("1")
    chair_page.get_by_role("button", name="Save the ranking").click()
    expect(chair_page.get_by_role("status")).to_contain_text("2 applicants' marks saved.")
    _close(matching_round, "students", "chairs")

    # Bert reads his mail in German (set in his profile, after he browsed in English).
    User.objects.filter(pk=bert.pk).update(language="de")
    boss = _log_in_and_open_the_matching(new_page, log_in, coordinator)
    boss.get_by_role("link", name="Manage the matching rounds").click()
    boss.get_by_role("link", name="Master seminars").click()
    boss.get_by_label("Lottery seed").fill("2027")
    boss.get_by_role("button", name="Run the matching").click()
    expect(boss.get_by_role("status")).to_contain_text("1 of 2 applicants have a seat")
    boss.get_by_role("link", name="Figures").click()
    expect(boss.get_by_role("img")).to_have_accessible_name(re.compile(r"1st: 1; no seat: 1"))
    boss.go_back()
    boss.get_by_role("link", name="Publish the round").click()
    expect(boss.get_by_role("main")).to_contain_text("This mails 2 applicants their result and why.")
    boss.get_by_role("button", name="Publish the round").click()
    expect(boss.get_by_role("status")).to_contain_text(
        "The round is published: 1 student joined their seminar"
    )

    ada_page.goto("/matching/")
    ada_page.get_by_role("link", name="Your result").click()
    expect(ada_page.get_by_role("main")).to_contain_text("You got your 1st choice: Deep learning theory.")
    ada_page.get_by_role("link", name="You are now a student of the seminar: see your seminars").click()
    card = ada_page.locator(".card").filter(has_text="Deep learning theory")
    expect(card).to_contain_text("Your role: Student")
    bert_page.goto(f"/matching/rounds/{matching_round.pk}/result/")
    expect(bert_page.get_by_role("main")).to_contain_text(
        "did not accept your application: The seminar needs linear algebra."
    )
    expect(bert_page.get_by_role("main")).to_contain_text("still have seats: Robotics (2 left).")

    assert Membership.objects.get(seminar=deep, role="student").user == ada
    assert sorted(message.to[0] for message in mailoutbox) == sorted([ada.email, bert.email])
    german = next(message for message in mailoutbox if message.to == [bert.email])
    assert "Ihr Seminar in Master seminars" in german.subject
