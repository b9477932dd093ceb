"""The grading pages as a user meets them: the sheet (saving, conflicts, history, chart), rules, release."""

import html
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grading.models import Grade, GradingSettings
from tests.factories import student_of

from .helpers import (
    PARTICIPATION,
    PRESENTATION,
    REPORT,
    grade_data,
    history_url,
    main_of,
    make_world,
    my_grades_url,
    release,
    release_url,
    set_grade,
    settings_url,
    sheet_url,
    snapshot,
    three_components,
    value_of,
)

pytestmark = pytest.mark.django_db

BAD_INPUTS = ["6", "0.9", "2.35", "4.3", "NaN", "Infinity", "1e3", "", "gut", "<b>1,0</b>", "x" * 25]


def row_of(content: str, name: str) -> str:
    """The sheet's table row of a student, by the name in its header cell."""
    [row] = [row for row in content.split("<tr") if re.search(rf'<th scope="row"[^>]*>{name}', row)]
    return row.split("</tr>", 1)[0]


def final_cell(content: str, name: str) -> str:
    cell = re.split(r"<td[^>]*>", row_of(content, name))[-1].split("</td>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", cell).split())


def status_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def problems(response) -> list[str]:
    """What the re-rendered sheet's alert lists: one line per grade not saved."""
    return [problem.text for problem in response.context["problems"]]


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def instructor_client(client, world):
    client.force_login(world.instructor)
    return client


# --------------------------------------------------------------------------------------- saving grades


@pytest.mark.parametrize("text", ["2,3", "2.3"])
def test_sheet_post_of_a_grade_stores_it_and_says_so(instructor_client, world, text):
    response = instructor_client.post(
        sheet_url(world.seminar), grade_data(world.me, PRESENTATION, text), follow=True
    )

    assert response.redirect_chain == [(f"{sheet_url(world.seminar)}#row-{world.me.pk}", 302)]
    assert status_messages(response) == ["Saved 1 grade."]
    assert value_of(world.seminar, world.me, PRESENTATION) == Decimal("2.3")
    assert 'value="2.3"' in row_of(response.content.decode(), "Mia Me")


@pytest.mark.parametrize("text", BAD_INPUTS)
def test_sheet_post_of_a_bad_value_is_refused_with_a_message_and_stores_nothing(
    instructor_client, world, text
):
    set_grade(world.seminar, world.me, PRESENTATION, "1,7", grader=world.instructor)
    before = snapshot()

    response = instructor_client.post(
        sheet_url(world.seminar), grade_data(world.me, PRESENTATION, text, version=1)
    )

    assert response.status_code == 200
    [problem] = problems(response)
    assert problem.startswith("Mia Me, Presentation: ")
    assert snapshot() == before


@pytest.mark.parametrize("text", ["6", "4.3", "NaN", "gut"])
def test_sheet_post_of_a_bad_value_names_the_allowed_grades(instructor_client, world, text):
    response = instructor_client.post(sheet_url(world.seminar), grade_data(world.me, PRESENTATION, text))

    [message] = problems(response)
    assert message.startswith("Mia Me, Presentation: ")
    assert "Allowed: 1,0, 1,3, 1,7, 2,0, 2,3, 2,7, 3,0, 3,3, 3,7, 4,0, 5,0." in message
    assert Grade.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"version": "-1"}, "1 grade could not be read and was not saved"),
        ({"version": ""}, "1 grade could not be read and was not saved"),
        ({"version": "x"}, "1 grade could not be read and was not saved"),
        ({"version": "1" * 10}, "1 grade could not be read and was not saved"),
        ({"comment": "c" * 2001}, "Mia Me, Presentation: A comment has at most 2000 characters."),
    ],
)
def test_sheet_post_of_a_broken_cell_is_refused_with_a_message(instructor_client, world, changes, said):
    cell = {"version": 0, "comment": ""} | changes
    data = grade_data(world.me, PRESENTATION, "1,0", **cell)

    response = instructor_client.post(sheet_url(world.seminar), data)

    assert response.status_code == 200
    assert said in main_of(response.content.decode())
    assert Grade.objects.count() == 0


@pytest.mark.parametrize("name", ["g-abc-presentation", "g--presentation", "g-1-oral exam", "student"])
def test_sheet_post_of_a_field_that_is_no_cell_is_ignored(instructor_client, world, name):
    response = instructor_client.post(sheet_url(world.seminar), {name: "1,0"}, follow=True)

    assert status_messages(response) == ["No grade was changed."]
    assert Grade.objects.count() == 0


@pytest.mark.parametrize("student", ["supervisor", "foreign_student", "outsider"])
def test_sheet_post_for_someone_who_is_no_student_stores_nothing(instructor_client, world, student):
    response = instructor_client.post(
        sheet_url(world.seminar), grade_data(getattr(world, student), PRESENTATION, "1,0")
    )

    assert response.status_code == 200
    assert problems(response) == ["This person is not a student of this seminar."]
    assert Grade.objects.count() == 0


def test_sheet_post_from_a_stale_page_is_refused_and_names_the_current_value(world):
    first, second = Client(), Client()
    first.force_login(world.instructor)
    second.force_login(world.second_instructor)
    version = f'name="v-{world.me.pk}-{REPORT}" value="0"'
    for grader in (first, second):
        assert version in row_of(grader.get(sheet_url(world.seminar)).content.decode(), "Mia Me")

    first.post(sheet_url(world.seminar), grade_data(world.me, REPORT, "1,3", version=0))
    before = snapshot()
    response = second.post(sheet_url(world.seminar), grade_data(world.me, REPORT, "3,0", version=0))

    [message] = problems(response)
    assert message.startswith("Mia Me, Report: Not saved: Ida Instructor changed this grade to 1.3")
    assert snapshot() == before
    assert value_of(world.seminar, world.me, REPORT) == Decimal("1.3")
    row = row_of(response.content.decode(), "Mia Me")
    assert f'name="v-{world.me.pk}-{REPORT}" value="1"' in row
    assert f'name="g-{world.me.pk}-{REPORT}" value="3,0"' in row


# ----------------------------------------------------------------------------------------- the sheet


def test_sheet_links_the_history_of_a_changed_grade_and_the_page_lists_it(instructor_client, world):
    set_grade(world.seminar, world.me, PRESENTATION, "1,3", grader=world.instructor)
    set_grade(world.seminar, world.me, PRESENTATION, "1,7", grader=world.second_instructor, comment="Better")
    set_grade(world.seminar, world.other, PRESENTATION, "2,0", grader=world.instructor)

    content = instructor_client.get(sheet_url(world.seminar)).content.decode()
    page = instructor_client.get(history_url(world.seminar, world.me)).content.decode()

    assert f'href="{history_url(world.seminar, world.me)}#h-{PRESENTATION}"' in row_of(content, "Mia Me")
    assert "History" not in row_of(content, "Otto Other")  # set once, never changed
    assert '<ul class="history">' not in content
    history = page.split('<ul class="history">', 1)[1].split("</ul>", 1)[0]
    items = [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in history.split("<li>")[1:]]
    assert len(items) == 2
    assert items[0].endswith("Ivo Instructor: 1.3 → 1.7 (Better)")
    assert items[1].endswith("Ida Instructor: — → 1.3")
    # The time of each change in the seminar's zone, named (not the server's zone).
    assert all(f"({world.seminar.time_zone})" in item for item in items)
    assert "Not graded yet." in main_of(page)  # the report


def test_history_page_costs_the_same_queries_for_2_and_20_changes(
    instructor_client, world, django_assert_num_queries
):
    for value in ("1,3", "1,7"):
        set_grade(world.seminar, world.me, PRESENTATION, value, grader=world.instructor)
    url = history_url(world.seminar, world.me)
    instructor_client.get(url)
    with CaptureQueriesContext(connection) as few:
        instructor_client.get(url)

    for value in ["2,0", "2,3", "2,7", "3,0", "3,3", "3,7", "4,0", "1,0", "1,3"] * 2:
        set_grade(world.seminar, world.me, PRESENTATION, value, grader=world.second_instructor)
        set_grade(world.seminar, world.me, REPORT, value, grader=world.instructor)
    with django_assert_num_queries(len(few)):
        response = instructor_client.get(url)

    assert response.content.decode().count(" → ") == 38  # one line per change


def test_sheet_shows_the_final_grade_and_band(instructor_client, world):
    set_grade(world.seminar, world.me, PRESENTATION, "1,3", grader=world.instructor)
    set_grade(world.seminar, world.me, REPORT, "2,0", grader=world.instructor)

    content = instructor_client.get(sheet_url(world.seminar)).content.decode()

    assert final_cell(content, "Mia Me") == "1.5 sehr gut"


def test_sheet_while_a_component_is_missing_shows_incomplete(instructor_client, world):
    set_grade(world.seminar, world.me, PRESENTATION, "1,0", grader=world.instructor)

    content = instructor_client.get(sheet_url(world.seminar)).content.decode()

    assert final_cell(content, "Mia Me") == "incomplete"
    assert final_cell(content, "Otto Other") == "incomplete"
    assert "2 final grades are incomplete." in content


def test_sheet_in_german_shows_grades_with_a_decimal_comma(instructor_client, world):
    set_grade(world.seminar, world.me, PRESENTATION, "1,3", grader=world.instructor)
    set_grade(world.seminar, world.me, REPORT, "2,0", grader=world.instructor)

    content = instructor_client.get(sheet_url(world.seminar), HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert 'value="1,3"' in row_of(content, "Mia Me")
    assert final_cell(content, "Mia Me") == "1,5 sehr gut"


def test_sheet_chart_title_counts_the_final_grades_per_band(instructor_client, world):
    grades = {
        world.me: ("1,3", "2,0"),  # 1.5
        world.other: ("1,0", "5,0"),  # 5.0: a failed component
        student_of(world.seminar, user__full_name="Tom Third"): ("2,7", "3,3"),  # 2.94 -> 2.9
        student_of(world.seminar, user__full_name="Fay Fourth"): ("2,0", "2,0"),  # 2.0
        student_of(world.seminar, user__full_name="Ned Nograde"): ("4,0", None),  # incomplete
    }
    for student, (presentation, report) in grades.items():
        set_grade(world.seminar, student, PRESENTATION, presentation, grader=world.instructor)
        if report:
            set_grade(world.seminar, student, REPORT, report, grader=world.instructor)

    content = instructor_client.get(sheet_url(world.seminar)).content.decode()

    title = re.search(r'<title id="distribution-title">(.*?)</title>', content, re.S).group(1)
    assert html.unescape(title) == "1,0–1,5: 1; 1,6–2,5: 1; 2,6–3,5: 1; 3,6–4,0: 0; > 4,0: 1"
    assert "1 final grade is incomplete." in content


def test_sheet_chart_without_grades_counts_zero_everywhere(instructor_client, world):
    content = instructor_client.get(sheet_url(world.seminar)).content.decode()

    title = re.search(r'<title id="distribution-title">(.*?)</title>', content, re.S).group(1)
    assert html.unescape(title) == "1,0–1,5: 0; 1,6–2,5: 0; 2,6–3,5: 0; 3,6–4,0: 0; > 4,0: 0"


def test_sheet_with_three_components_has_a_column_and_a_form_for_each(instructor_client, world):
    three_components(world.seminar)
    for key, text in ((PRESENTATION, "1,0"), (REPORT, "2,0"), (PARTICIPATION, "3,0")):
        set_grade(world.seminar, world.me, key, text, grader=world.instructor)

    content = instructor_client.get(sheet_url(world.seminar)).content.decode()

    header = content.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', header)[2:] == [
        "Presentation",
        "Report",
        "Participation",
        "Final grade",
    ]
    row = row_of(content, "Mia Me")
    assert re.findall(r'name="v-\d+-([^"]*)"', row) == [PRESENTATION, REPORT, PARTICIPATION]
    # Each field is named by its column's header and its row's (the student).
    assert '<th scope="col" id="k3">Participation</th>' in header
    field = f'name="g-{world.me.pk}-{PARTICIPATION}" value="3.0" inputmode="decimal"'
    assert f'{field} aria-labelledby="k3 s{world.me.pk}"' in row
    assert f'<th scope="row" id="s{world.me.pk}">Mia Me' in row
    assert final_cell(content, "Mia Me") == "1.7 gut"  # 0.5 + 0.6 + 0.6
    assert final_cell(content, "Otto Other") == "incomplete"
    assert (
        "The final grade will depend on: Presentation (50 %), Report (30 %), Participation (20 %)." in content
    )


def test_sheet_post_of_a_grade_of_a_new_component_stores_it(instructor_client, world):
    three_components(world.seminar)

    response = instructor_client.post(
        sheet_url(world.seminar), grade_data(world.me, PARTICIPATION, "1,3"), follow=True
    )

    assert status_messages(response) == ["Saved 1 grade."]
    assert value_of(world.seminar, world.me, PARTICIPATION) == Decimal("1.3")


def test_sheet_post_for_a_component_removed_since_is_refused_with_a_message(instructor_client, world):
    set_grade(world.seminar, world.me, PRESENTATION, "1,0", grader=world.instructor)
    before = snapshot()

    response = instructor_client.post(sheet_url(world.seminar), grade_data(world.me, "discussion", "1,3"))

    assert problems(response) == ["Mia Me: This grade component no longer exists. Please reload the page."]
    assert snapshot() == before


@pytest.mark.parametrize("page", ["grading:components", "grading:import"])
def test_sheet_links_the_components_and_import_pages_for_instructors_only(client, world, page):
    url = reverse(page, kwargs={"slug": world.seminar.slug})
    client.force_login(world.instructor)
    instructor_page = client.get(sheet_url(world.seminar)).content.decode()
    client.force_login(world.supervisor)
    supervisor_page = client.get(sheet_url(world.seminar)).content.decode()

    assert f'href="{url}"' in instructor_page
    assert url not in supervisor_page


# -------------------------------------------------------------------------------------------- the rules


def test_settings_post_of_nearest_step_changes_the_final_grades_on_the_sheet(instructor_client, world):
    for student, presentation, report in ((world.me, "1,3", "2,0"), (world.other, "2,7", "3,3")):
        set_grade(world.seminar, student, PRESENTATION, presentation, grader=world.instructor)
        set_grade(world.seminar, student, REPORT, report, grader=world.instructor)

    response = instructor_client.post(
        settings_url(world.seminar), {"rounding": "step", "must_pass_all": "on"}, follow=True
    )

    content = response.content.decode()
    assert response.redirect_chain == [(sheet_url(world.seminar), 302)]
    # 1.58 and 2.94: cut 1.5 and 2.9 before, nearest step 1.7 and 3.0 now
    assert final_cell(content, "Mia Me") == "1.7 gut"
    assert final_cell(content, "Otto Other") == "3.0 befriedigend"
    assert GradingSettings.objects.get(seminar=world.seminar).rounding == "step"


def test_settings_post_without_must_pass_all_averages_a_failed_component(instructor_client, world):
    set_grade(world.seminar, world.me, PRESENTATION, "1,0", grader=world.instructor)
    set_grade(world.seminar, world.me, REPORT, "5,0", grader=world.instructor)
    assert final_cell(instructor_client.get(sheet_url(world.seminar)).content.decode(), "Mia Me") == (
        "5.0 nicht ausreichend"
    )

    response = instructor_client.post(settings_url(world.seminar), {"rounding": "cut"}, follow=True)

    # 0.6 x 1.0 + 0.4 x 5.0 = 2.6
    assert final_cell(response.content.decode(), "Mia Me") == "2.6 befriedigend"


def test_settings_page_shows_the_current_rules(instructor_client, world):
    GradingSettings.objects.create(seminar=world.seminar, rounding="step", must_pass_all=False)

    response = instructor_client.get(settings_url(world.seminar))

    assert response.status_code == 200
    form = response.context["form"]
    assert (form["rounding"].value(), form["must_pass_all"].value()) == ("step", False)


def test_settings_post_of_an_unknown_rounding_changes_nothing(instructor_client, world):
    response = instructor_client.post(settings_url(world.seminar), {"rounding": "half-up"})

    assert response.status_code == 200
    assert not GradingSettings.objects.exists()


# ------------------------------------------------------------------------------------------- release


def test_release_confirmed_post_releases_and_mails_the_graded_students(
    instructor_client, world, mailoutbox, django_capture_on_commit_callbacks
):
    set_grade(world.seminar, world.me, PRESENTATION, "1,3", grader=world.instructor)

    with django_capture_on_commit_callbacks(execute=True):
        response = instructor_client.post(release_url(world.seminar), {"confirmed": "yes"}, follow=True)

    assert status_messages(response) == ["The grades are released: each student now sees their own."]
    assert GradingSettings.objects.get(seminar=world.seminar).released_by == world.instructor
    assert [mail.to for mail in mailoutbox] == [["mia@uni.example"]]
    content = response.content.decode()
    assert "Release the grades to the students" not in content
    assert "Released: students see their grades." in content


def test_release_get_and_unconfirmed_post_ask_first_and_release_nothing(instructor_client, world, mailoutbox):
    set_grade(world.seminar, world.me, PRESENTATION, "1,3", grader=world.instructor)

    for response in (
        instructor_client.get(release_url(world.seminar)),
        instructor_client.post(release_url(world.seminar)),
    ):
        assert response.status_code == 200
        assert "This mails 1 student that their grades are released" in response.content.decode()
    assert not GradingSettings.objects.exists()
    assert mailoutbox == []


def test_sheet_post_after_release_mails_the_student_without_the_grade(
    instructor_client, world, mailoutbox, django_capture_on_commit_callbacks
):
    set_grade(world.seminar, world.me, PRESENTATION, "1,3", grader=world.instructor)
    release(world.seminar, world.instructor)

    with django_capture_on_commit_callbacks(execute=True):
        instructor_client.post(sheet_url(world.seminar), grade_data(world.me, PRESENTATION, "3,7", version=1))

    [mail] = mailoutbox
    assert mail.to == ["mia@uni.example"]
    assert "3,7" not in mail.body
    assert "3.7" not in mail.body
    assert "3,7" not in mail.alternatives[0][0]
    assert "3.7" not in mail.alternatives[0][0]


def test_sheet_post_before_release_mails_nobody(
    instructor_client, world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        instructor_client.post(sheet_url(world.seminar), grade_data(world.me, PRESENTATION, "3,7"))

    assert value_of(world.seminar, world.me, PRESENTATION) == Decimal("3.7")
    assert mailoutbox == []


# --------------------------------------------------------------------------------- the student's page


def graded_world(world):
    set_grade(world.seminar, world.me, PRESENTATION, "1,3", grader=world.instructor, comment="Clear slides")
    set_grade(world.seminar, world.me, REPORT, "2,0", grader=world.supervisor)
    set_grade(
        world.seminar, world.other, PRESENTATION, "3,7", grader=world.instructor, comment="Otto-comment"
    )
    set_grade(world.seminar, world.other, REPORT, "4,0", grader=world.other_supervisor)


def test_my_grades_before_release_shows_no_grade(client, world):
    graded_world(world)
    client.force_login(world.me)

    response = client.get(my_grades_url(world.seminar))

    content = main_of(response.content.decode())
    assert response.status_code == 200
    assert "Your grades have not been released yet." in content
    for hidden in ("1.3", "2.0", "1.5", "sehr gut", "Clear slides", "Final grade", "3.7", "Otto"):
        assert hidden not in content


def test_seminar_page_before_release_shows_no_grade(client, world):
    graded_world(world)
    client.force_login(world.me)

    content = main_of(client.get(world.seminar.get_absolute_url()).content.decode())

    assert "Your grades" in content
    for hidden in ("1.3", "1,3", "1.5", "sehr gut", "Clear slides", "3.7", "Otto-comment"):
        assert hidden not in content


def test_my_grades_after_release_shows_own_components_final_grade_and_band(client, world):
    graded_world(world)
    release(world.seminar, world.instructor)
    client.force_login(world.me)

    content = main_of(client.get(my_grades_url(world.seminar)).content.decode())

    facts = " ".join(
        re.sub(r"<[^>]+>", " ", content.split('<dl class="facts">', 1)[1].split("</dl>")[0]).split()
    )
    assert facts == "Presentation 1.3 — Clear slides Report 2.0 Final grade 1.5 (sehr gut)"


def test_my_grades_after_release_never_shows_another_students_grades(client, world):
    graded_world(world)
    release(world.seminar, world.instructor)
    client.force_login(world.me)

    content = main_of(client.get(my_grades_url(world.seminar)).content.decode())

    for hidden in ("3.7", "4.0", "Otto", "otto@uni.example", "Otto-comment", "3.8", "ausreichend)"):
        assert hidden not in content


def test_my_grades_after_release_with_a_missing_component_shows_incomplete(client, world):
    set_grade(world.seminar, world.me, PRESENTATION, "1,3", grader=world.instructor)
    release(world.seminar, world.instructor)
    client.force_login(world.me)

    content = main_of(client.get(my_grades_url(world.seminar)).content.decode())

    assert "not graded yet" in content
    assert "incomplete" in content
    assert "sehr gut" not in content


def test_my_grades_after_release_follows_changed_rules(client, world):
    graded_world(world)
    release(world.seminar, world.instructor)
    GradingSettings.objects.filter(seminar=world.seminar).update(rounding="step")
    client.force_login(world.me)

    content = main_of(client.get(my_grades_url(world.seminar)).content.decode())

    assert "<strong>1.7</strong> (gut)" in content


def test_my_grades_after_release_with_three_components_lists_each_in_order(client, world):
    three_components(world.seminar)
    for key, text in ((PRESENTATION, "1,0"), (PARTICIPATION, "3,0")):
        set_grade(world.seminar, world.me, key, text, grader=world.instructor)
    release(world.seminar, world.instructor)
    client.force_login(world.me)

    content = main_of(client.get(my_grades_url(world.seminar), HTTP_ACCEPT_LANGUAGE="de").content.decode())

    facts = " ".join(
        re.sub(r"<[^>]+>", " ", content.split('<dl class="facts">', 1)[1].split("</dl>")[0]).split()
    )
    assert facts == "Vortrag 1,0 Ausarbeitung noch nicht benotet Mitarbeit 3,0 Endnote unvollständig"
    assert "Vortrag (50 %), Ausarbeitung (30 %), Mitarbeit (20 %)" in content


def test_seminar_page_names_the_components_with_their_weights_in_the_readers_language(client, world):
    three_components(world.seminar)

    english = client.get(world.seminar.get_absolute_url()).content.decode()
    german = client.get(world.seminar.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert (
        "The final grade will depend on: Presentation (50 %), Report (30 %), Participation (20 %)." in english
    )
    assert "Vortrag (50 %), Ausarbeitung (30 %), Mitarbeit (20 %)" in german
