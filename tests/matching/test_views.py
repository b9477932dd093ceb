"""The matching pages through the Django test client: what each person sees and may do, each bad input's
message with nothing changed, and the query counts of the list pages at two sizes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching import running
from matching.models import Application, Result, Round
from seminars.models import Membership
from tests.factories import SeminarFactory, TopicFactory, UserFactory, instructor_of
from tests.matching.helpers import (
    AFTER,
    CHAIRS_RANK,
    START,
    STUDENTS_RANK,
    coordinator,
    entry_of,
    everything,
    open_round,
    rank,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    deep = SeminarFactory(
        title="Deep learning theory",
        mandatory_prerequisites="Linear algebra",
        evaluation="Report and talk",
        premeeting_url="https://meet.example/deep",
    )
    TopicFactory(seminar=deep, title="Generalisation")
    robotics = SeminarFactory(title="Robotics", mandatory_prerequisites="")
    other = SeminarFactory(title="Not in the round")
    boss = coordinator()
    matching_round = open_round([(deep, 1), (robotics, 2)], by=boss)
    return {
        "round": matching_round,
        "deep": deep,
        "robotics": robotics,
        "coordinator": boss,
        "chair": instructor_of(deep, user__full_name="Chris Chair"),
        "foreign_chair": instructor_of(other),
        "student": UserFactory(full_name="Sami Student", matriculation_number="03712345"),
    }


def login(client, user):
    client.force_login(user)
    return client


def url(name, matching_round, *args):
    return reverse(f"matching:{name}", args=[matching_round.pk, *args])


def test_a_student_finds_the_round_and_an_instructor_their_applicants(client, world, time_machine):
    time_machine.move_to(STUDENTS_RANK, tick=False)

    page = login(client, world["student"]).get(reverse("matching:open")).content.decode()
    assert "Master seminars" in page
    assert url("rank", world["round"]) in page
    assert f'href="{reverse("matching:rounds")}"' not in page
    chair_page = login(client, world["chair"]).get(reverse("matching:open")).content.decode()
    assert url("applicants", world["round"], world["deep"].slug) in chair_page


def test_the_seminar_page_and_enrolment_send_students_to_the_matching(client, world):
    login(client, world["student"])

    for page in (world["deep"].get_absolute_url(), reverse("seminars:enrol", args=[world["deep"].slug])):
        text = client.get(page).content.decode()
        assert "Places in this seminar are given by the department" in text
        assert reverse("matching:open") in text
    response = client.post(reverse("seminars:enrol", args=[world["deep"].slug]), {"prerequisites": "on"})
    assert not Membership.objects.filter(seminar=world["deep"], user=world["student"]).exists()
    assert response.status_code == 200


def test_the_ranking_page_shows_the_seminars_facts_and_why_truthful_ranking_is_best(
    client, world, time_machine
):
    time_machine.move_to(STUDENTS_RANK, tick=False)

    page = login(client, world["student"]).get(url("rank", world["round"])).content.decode()

    assert "Generalisation" in page
    assert "https://meet.example/deep" in page
    assert "Linear algebra" in page
    assert "Report and talk" in page
    assert "strategy-proof" in page
    assert "ranking more seminars only adds chances" in page


def test_a_student_ranks_confirming_the_prerequisites_and_moves_a_seminar_up(client, world, time_machine):
    time_machine.move_to(STUDENTS_RANK, tick=False)
    login(client, world["student"])
    deep, robotics = entry_of(world["round"], world["deep"]), entry_of(world["round"], world["robotics"])

    client.post(url("rank", world["round"]), {"entry": robotics.pk, "action": "add"})
    refused = client.post(url("rank", world["round"]), {"entry": deep.pk, "action": "add"}, follow=True)
    assert (
        "confirm that you meet the mandatory prerequisites of Deep learning theory"
        in refused.content.decode()
    )
    client.post(url("rank", world["round"]), {"entry": deep.pk, "action": "add", "confirm": "yes"})
    client.post(url("rank", world["round"]), {"entry": deep.pk, "action": "up"})

    ranking = Application.objects.filter(student=world["student"]).order_by("rank")
    assert [application.round_seminar for application in ranking] == [deep, robotics]
    assert ranking[0].prerequisites_confirmed_at is not None


def test_a_ranking_after_the_window_is_refused_with_its_message(client, world, time_machine):
    time_machine.move_to(CHAIRS_RANK, tick=False)
    before = everything()

    response = login(client, world["student"]).post(
        url("rank", world["round"]),
        {"entry": entry_of(world["round"], world["robotics"]).pk, "action": "add"},
        follow=True,
    )

    assert "students&#x27; ranking window of this round is closed" in response.content.decode()
    assert everything() == before


def test_instructors_see_their_applicants_without_any_ranking_and_rank_them(client, world, time_machine):
    time_machine.move_to(STUDENTS_RANK, tick=False)
    rank(world["round"], world["student"], [world["robotics"], world["deep"]], programme="M.Sc. Informatics")
    rival = UserFactory(full_name="Rita Rival")
    rank(world["round"], rival, [world["deep"]])
    time_machine.move_to(CHAIRS_RANK, tick=False)
    login(client, world["chair"])
    address = url("applicants", world["round"], world["deep"].slug)

    page = client.get(address).content.decode()
    assert "Sami Student" in page
    assert "03712345" in page
    assert "M.Sc. Informatics" in page
    assert "Robotics" not in page  # nothing of the student's other seminars, nor their rank of this one
    response = client.post(
        address,
        {
            "student": [world["student"].pk, rival.pk],
            f"rank-{world['student'].pk}": "1",
            f"rank-{rival.pk}": "1",
        },
        follow=True,
    )
    assert "2 applicants&#x27; marks saved." in response.content.decode()
    assert set(
        Application.objects.filter(round_seminar__seminar=world["deep"]).values_list("chair_rank", flat=True)
    ) == {1}


def test_a_not_acceptable_mark_without_reason_is_refused_on_the_page(client, world, time_machine):
    time_machine.move_to(STUDENTS_RANK, tick=False)
    rank(world["round"], world["student"], [world["deep"]])
    time_machine.move_to(CHAIRS_RANK, tick=False)
    before = everything()

    response = login(client, world["chair"]).post(
        url("applicants", world["round"], world["deep"].slug),
        {"student": [world["student"].pk], f"reject-{world['student'].pk}": "yes"},
        follow=True,
    )

    assert "Please say why Sami Student is not acceptable" in response.content.decode()
    assert everything() == before


def test_an_instructor_of_another_seminar_and_a_student_may_not_see_the_applicants(client, world):
    address = url("applicants", world["round"], world["deep"].slug)

    assert login(client, world["foreign_chair"]).get(address).status_code == 403
    assert login(client, world["student"]).get(address).status_code == 403
    assert (
        login(client, world["chair"]).get(url("applicants", world["round"], "no-such-seminar")).status_code
        == 404
    )


@pytest.mark.parametrize("name", ["round", "publish", "figures", "second_round"])
def test_the_coordinators_pages_are_theirs(client, world, name):
    for person in (world["student"], world["chair"]):
        assert login(client, person).get(url(name, world["round"])).status_code == 403
    assert login(client, world["student"]).get(reverse("matching:rounds")).status_code == 403
    assert login(client, world["coordinator"]).get(reverse("matching:rounds")).status_code == 200


def seats_form(taking_part, left_out) -> dict:
    return {
        "title": "Winter matching",
        "term": "Winter term 2027/28",
        "students_open_at": "2027-09-01T09:00",
        "students_close_at": "2027-09-08T09:00",
        "chairs_open_at": "2027-09-08T09:00",
        "chairs_close_at": "2027-09-14T09:00",
        "publish_at": "2027-09-15T09:00",
        "unranked_acceptable": "on",
        f"seats_{taking_part.pk}": "5",
        f"seats_{left_out.pk}": "",
    }


def test_a_coordinator_opens_a_round_and_a_capacity_of_zero_is_refused(client, world):
    fresh, spare = SeminarFactory(title="Compilers"), SeminarFactory(title="Databases")
    login(client, world["coordinator"])
    form = client.get(reverse("matching:round_create")).content.decode()
    assert "Seats in Compilers" in form
    data = seats_form(fresh, spare)
    before = everything()

    refused = client.post(reverse("matching:round_create"), {**data, f"seats_{fresh.pk}": "0"})
    assert "Compilers needs at least one seat" in refused.content.decode()
    assert everything() == before
    created = client.post(reverse("matching:round_create"), data)
    new_round = Round.objects.get(title="Winter matching")
    assert created["Location"] == url("round", new_round)
    assert [(entry.seminar, entry.capacity) for entry in new_round.round_seminars.all()] == [(fresh, 5)]
    fresh.refresh_from_db()
    spare.refresh_from_db()
    assert fresh.places_by_matching
    assert not spare.places_by_matching


def run_round(client, world, time_machine, seed="42"):
    time_machine.move_to(STUDENTS_RANK, tick=False)
    rank(world["round"], world["student"], [world["deep"], world["robotics"]])
    rank(world["round"], UserFactory(full_name="Rita Rival"), [world["deep"]])
    time_machine.move_to(AFTER, tick=False)
    return login(client, world["coordinator"]).post(url("round", world["round"]), {"seed": seed}, follow=True)


def test_the_coordinator_runs_once_and_a_second_run_is_refused(client, world, time_machine):
    first = run_round(client, world, time_machine)
    assert "2 of 2 applicants have a seat" in first.content.decode()
    assert "lottery seed 42" in first.content.decode()
    before = everything()

    again = client.post(url("round", world["round"]), {"seed": "7"}, follow=True)

    assert "a round runs once" in again.content.decode()
    assert everything() == before


def test_running_before_the_windows_closed_is_refused(client, world, time_machine):
    time_machine.move_to(STUDENTS_RANK, tick=False)
    before = everything()

    response = login(client, world["coordinator"]).post(url("round", world["round"]), {}, follow=True)

    assert "Students can still rank" in response.content.decode()
    assert everything() == before


def test_publishing_asks_first_and_refuses_before_the_run(client, world, time_machine):
    time_machine.move_to(AFTER, tick=False)
    login(client, world["coordinator"])
    before = everything()

    page = client.get(url("publish", world["round"])).content.decode()
    refused = client.post(url("publish", world["round"]), {"confirmed": "yes"}, follow=True)

    assert "has not been run yet" in page
    assert "has not been run yet" in refused.content.decode()
    assert everything() == before


def test_publishing_admits_the_students_and_they_read_their_result(
    client, world, time_machine, django_capture_on_commit_callbacks, mailoutbox
):
    run_round(client, world, time_machine)
    page = client.get(url("publish", world["round"])).content.decode()
    assert "This mails 2 applicants their result and why." in page
    assert url("result", world["round"]) not in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("publish", world["round"]), {"confirmed": "yes"})

    assert Membership.objects.filter(source=Membership.Source.MATCHING).count() == 2
    assert len(mailoutbox) == 2
    result = login(client, world["student"]).get(url("result", world["round"])).content.decode()
    placed = Result.objects.get(student=world["student"]).round_seminar.seminar.title
    assert f"choice: {placed}." in result
    assert "Rita" not in result
    listing = client.get(reverse("seminars:list")).content.decode()
    assert "Your role:" in listing
    staff_page = login(client, world["chair"]).get(url("applicants", world["round"], world["deep"].slug))
    assert "Your students from the matching" in staff_page.content.decode()


def test_the_result_page_before_publication_says_so(client, world, time_machine):
    run_round(client, world, time_machine)

    page = login(client, world["student"]).get(url("result", world["round"])).content.decode()

    assert "not published yet" in page


def test_the_figures_page_draws_the_choices_and_each_seminars_fill(client, world, time_machine):
    run_round(client, world, time_machine)

    page = client.get(url("figures", world["round"])).content.decode()

    assert "<svg" in page
    assert "1st: " in page
    assert "no seat: 0" in page
    assert "Deep learning theory" in page
    assert "100 %" in page


def test_a_second_round_offers_the_seats_left(
    client, world, time_machine, django_capture_on_commit_callbacks
):
    run_round(client, world, time_machine)
    with django_capture_on_commit_callbacks(execute=True):
        running.round_publish(matching_round=world["round"], published_by=world["coordinator"], now=AFTER)

    page = client.get(url("second_round", world["round"])).content.decode()

    assert "Seats in Robotics" in page
    assert 'value="1"' in page
    assert "Seats in Deep learning theory" not in page


def queries_for(client, address) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return len(captured)


def add_applicants(matching_round, seminars, count, prefix):
    for n in range(count):
        rank(matching_round, UserFactory(full_name=f"{prefix} {n}"), seminars)


@pytest.mark.parametrize("page", ["figures", "round", "applicants", "rank", "result", "open", "rounds"])
def test_the_pages_cost_the_same_queries_for_3_and_30_applicants(client, page, time_machine):
    counts = []
    for size in (3, 30):
        seminars = [SeminarFactory(mandatory_prerequisites="") for _ in range(size // 3 + 1)]
        teacher = instructor_of(seminars[0])
        boss = coordinator()
        matching_round = open_round([(seminar, 1) for seminar in seminars], by=boss, start=START)
        time_machine.move_to(STUDENTS_RANK, tick=False)
        add_applicants(matching_round, seminars[:3], size, f"S{size}")
        time_machine.move_to(AFTER, tick=False)
        running.round_run(matching_round=matching_round, run_by=boss, now=AFTER, seed=1)
        running.round_publish(matching_round=matching_round, published_by=boss, now=AFTER)
        matching_round.refresh_from_db()
        # An applicant without a seat (one seat each): their result names the seminars with seats left.
        unmatched = Result.objects.filter(round=matching_round, round_seminar__isnull=True).first().student
        viewer = {"applicants": teacher, "rank": unmatched, "result": unmatched, "open": unmatched}
        login(client, viewer.get(page, boss))
        address = {
            "applicants": url("applicants", matching_round, seminars[0].slug),
            "open": reverse("matching:open"),
            "rounds": reverse("matching:rounds"),
        }.get(page) or url(page, matching_round)
        counts.append(queries_for(client, address))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("typed", ["0", "first", "-2", "1.5", "99999"])
def test_a_rank_that_is_no_whole_number_of_one_or_more_is_refused(client, world, time_machine, typed):
    time_machine.move_to(STUDENTS_RANK, tick=False)
    rank(world["round"], world["student"], [world["deep"]])
    time_machine.move_to(CHAIRS_RANK, tick=False)
    before = everything()

    response = login(client, world["chair"]).post(
        url("applicants", world["round"], world["deep"].slug),
        {"student": [world["student"].pk], f"rank-{world['student'].pk}": typed},
        follow=True,
    )

    assert "The rank of Sami Student must be a whole number, 1 or more" in response.content.decode()
    assert everything() == before
