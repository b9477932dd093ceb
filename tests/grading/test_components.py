"""Grade components as data: the defaults, grade_components_set's rules (all or nothing), the final grade
following the components, and the page on which instructors edit them."""

import threading
import time
from dataclasses import replace
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import translation

from grading import selectors, services
from grading.exceptions import GradeComponentsError, UnknownComponentError
from grading.models import Grade, GradeComponent
from grading.services import ComponentSpec
from submissions.models import Deliverable
from tests.factories import SeminarFactory, UserFactory
from tests.submissions.helpers import DeliverableFactory

from .helpers import (
    PARTICIPATION,
    PRESENTATION,
    REPORT,
    components_url,
    main_of,
    make_world,
    release,
    set_grade,
    sheet_url,
    snapshot,
    specs_of,
    stored_components,
    three_components,
    value_of,
)

pytestmark = pytest.mark.django_db


def refused(seminar, components) -> list[str]:
    """Saves the components, checks that nothing changed and returns the problems named."""
    before = (stored_components(seminar), snapshot())
    with pytest.raises(GradeComponentsError) as error:
        services.grade_components_set(seminar=seminar, components=components)
    assert (stored_components(seminar), snapshot()) == before
    return [str(message) for message in error.value.messages]


def final_of(world, student):
    [row] = [
        row
        for row in selectors.grading_sheet(world.seminar, world.instructor).rows
        if row.membership.user == student
    ]
    return row.final


# ------------------------------------------------------------------------------------------ the defaults


def test_components_of_a_seminar_without_rows_are_presentation_60_and_report_40_unsaved():
    seminar = SeminarFactory()

    components = selectors.components_of(seminar)

    assert [(c.pk, c.key, c.name_en, c.name_de, c.weight) for c in components] == [
        (None, PRESENTATION, "Presentation", "Vortrag", 60),
        (None, REPORT, "Report", "Ausarbeitung", 40),
    ]
    assert not GradeComponent.objects.exists()


def test_default_components_link_the_first_slides_and_the_first_report_deliverable():
    seminar = SeminarFactory()
    DeliverableFactory(seminar=seminar, kind=Deliverable.Kind.OTHER, title="Handout", order=1)
    report = DeliverableFactory(seminar=seminar, title="Report", order=2)
    DeliverableFactory(seminar=seminar, title="Second report", order=3)
    slides = DeliverableFactory(seminar=seminar, kind=Deliverable.Kind.SLIDES, title="Slides", order=4)

    components = selectors.components_of(seminar, linked=True)

    assert [component.deliverable for component in components] == [slides, report]


def test_grade_set_on_a_seminar_without_components_saves_the_defaults_first():
    world = make_world()

    grade = set_grade(world.seminar, world.me, REPORT, "2,0", grader=world.instructor)

    assert [(key, weight) for _pk, key, _en, _de, weight, *_ in stored_components(world.seminar)] == [
        (PRESENTATION, 60),
        (REPORT, 40),
    ]
    assert grade.component == GradeComponent.objects.get(seminar=world.seminar, key=REPORT)


def test_grade_components_ensure_twice_saves_the_defaults_once():
    seminar = SeminarFactory()

    first = services.grade_components_ensure(seminar=seminar)
    second = services.grade_components_ensure(seminar=seminar)

    assert [component.pk for component in first] == [component.pk for component in second]
    assert GradeComponent.objects.count() == 2


def test_grade_set_for_an_unknown_component_is_refused_and_stores_nothing():
    world = make_world()

    with pytest.raises(UnknownComponentError):
        set_grade(world.seminar, world.me, "oral-exam", "1,0", grader=world.instructor)

    assert not Grade.objects.exists()


def test_component_name_is_in_the_readers_language_and_falls_back_to_the_other():
    both = GradeComponent(name_en="Report", name_de="Ausarbeitung")
    german_only = GradeComponent(name_en="", name_de="Mitarbeit")
    english_only = GradeComponent(name_en="Discussion", name_de="")

    with translation.override("de"):
        assert [both.name, german_only.name, english_only.name] == ["Ausarbeitung", "Mitarbeit", "Discussion"]
    with translation.override("en"):
        assert [both.name, german_only.name, english_only.name] == ["Report", "Mitarbeit", "Discussion"]


# ------------------------------------------------------------------------------ grade_components_set


def test_grade_components_set_adds_renames_reweighs_and_reorders():
    seminar = SeminarFactory()
    services.grade_components_ensure(seminar=seminar)
    presentation, report = specs_of(seminar)

    services.grade_components_set(
        seminar=seminar,
        components=[
            replace(presentation, name_en="Talk", name_de="Referat", weight=50, position=2),
            replace(report, weight=30, position=3),
            ComponentSpec(None, " Participation ", "Mitarbeit", 20, position=1),
        ],
    )

    assert [row[1:] for row in stored_components(seminar)] == [
        (PARTICIPATION, "Participation", "Mitarbeit", 20, None, 1),
        (PRESENTATION, "Talk", "Referat", 50, None, 2),
        (REPORT, "Report", "Ausarbeitung", 30, None, 3),
    ]


def test_grade_components_set_on_the_unsaved_defaults_saves_them():
    seminar = SeminarFactory()
    presentation, report = (
        ComponentSpec(None, c.name_en, c.name_de, c.weight) for c in selectors.components_of(seminar)
    )

    services.grade_components_set(
        seminar=seminar, components=[replace(presentation, weight=70), replace(report, weight=30)]
    )

    assert [row[1:5] for row in stored_components(seminar)] == [
        (PRESENTATION, "Presentation", "Vortrag", 70),
        (REPORT, "Report", "Ausarbeitung", 30),
    ]


def test_grade_components_set_without_position_puts_a_new_component_last():
    seminar = SeminarFactory()

    three_components(seminar)

    assert [row[1] for row in stored_components(seminar)] == [PRESENTATION, REPORT, PARTICIPATION]


@pytest.mark.parametrize(("presentation", "report", "total"), [(60, 30, 90), (70, 40, 110), (0, 0, 0)])
def test_grade_components_set_with_weights_not_adding_up_to_100_is_refused_with_their_sum(
    presentation, report, total
):
    seminar = SeminarFactory()
    services.grade_components_ensure(seminar=seminar)
    first, second = specs_of(seminar)

    problems = refused(seminar, [replace(first, weight=presentation), replace(second, weight=report)])

    assert problems == [f"The weights must add up to 100 %; they add up to {total} %."]


@pytest.mark.parametrize(("presentation", "report"), [(100, 0), (0, 100), (50, 50)])
def test_grade_components_set_with_weights_adding_up_to_100_saves_them(presentation, report):
    seminar = SeminarFactory()
    services.grade_components_ensure(seminar=seminar)
    first, second = specs_of(seminar)

    services.grade_components_set(
        seminar=seminar, components=[replace(first, weight=presentation), replace(second, weight=report)]
    )

    assert [row[4] for row in stored_components(seminar)] == [presentation, report]


@pytest.mark.parametrize("weight", [-10, 101, 150, "60"])
def test_grade_components_set_with_a_weight_that_is_no_whole_percentage_is_refused(weight):
    seminar = SeminarFactory()
    services.grade_components_ensure(seminar=seminar)
    first, second = specs_of(seminar)

    problems = refused(seminar, [replace(first, weight=weight), replace(second, weight=40)])

    assert problems == ["A weight is a whole percentage from 0 to 100."]


def test_grade_components_set_removing_a_component_with_grades_is_refused_and_loses_nothing():
    world = make_world()
    set_grade(world.seminar, world.me, REPORT, "2,0", grader=world.instructor)
    set_grade(world.seminar, world.other, REPORT, "3,0", grader=world.instructor)
    presentation, report = specs_of(world.seminar)

    problems = refused(world.seminar, [replace(presentation, weight=100), replace(report, remove=True)])

    assert problems == ["“Report” cannot be removed: 2 students have a grade for it."]
    assert value_of(world.seminar, world.me, REPORT) == Decimal("2.0")


def test_grade_components_set_removing_a_component_with_one_grade_names_one_student():
    world = make_world()
    set_grade(world.seminar, world.me, REPORT, "2,0", grader=world.instructor)
    presentation, report = specs_of(world.seminar)

    problems = refused(world.seminar, [replace(presentation, weight=100), replace(report, remove=True)])

    assert problems == ["“Report” cannot be removed: 1 student has a grade for it."]


def test_grade_components_set_removing_a_component_without_grades_removes_it():
    world = make_world()
    set_grade(world.seminar, world.me, PRESENTATION, "2,0", grader=world.instructor)
    presentation, report = specs_of(world.seminar)

    services.grade_components_set(
        seminar=world.seminar, components=[replace(presentation, weight=100), replace(report, remove=True)]
    )

    assert [row[1:5] for row in stored_components(world.seminar)] == [
        (PRESENTATION, "Presentation", "Vortrag", 100)
    ]
    assert final_of(world, world.me).value == Decimal("2.0")


def test_grade_components_set_names_every_problem_at_once():
    world = make_world()
    set_grade(world.seminar, world.me, REPORT, "2,0", grader=world.instructor)
    presentation, report = specs_of(world.seminar)

    problems = refused(
        world.seminar,
        [
            replace(presentation, weight=50),
            replace(report, remove=True),
            ComponentSpec(None, "", " ", 20),
            ComponentSpec(None, "presentation", "Diskussion", 10),
        ],
    )

    assert problems == [
        "Every component needs a name, in English, in German or in both.",
        "Two components have the name “Presentation”.",
        "The weights must add up to 100 %; they add up to 80 %.",
        "“Report” cannot be removed: 1 student has a grade for it.",
    ]


def test_grade_components_set_with_a_name_longer_than_80_characters_is_refused():
    seminar = SeminarFactory()
    services.grade_components_ensure(seminar=seminar)
    presentation, report = specs_of(seminar)

    problems = refused(seminar, [replace(presentation, name_de="x" * 81), report])

    assert problems == ["A name has at most 80 characters."]


def test_grade_components_set_removing_every_component_is_refused():
    seminar = SeminarFactory()
    services.grade_components_ensure(seminar=seminar)

    problems = refused(seminar, [replace(spec, remove=True) for spec in specs_of(seminar)])

    assert problems[0] == "A seminar needs at least one grade component."


def test_grade_components_set_from_a_stale_page_is_refused():
    seminar = SeminarFactory()
    services.grade_components_ensure(seminar=seminar)
    presentation, report = specs_of(seminar)

    missing = refused(seminar, [replace(presentation, weight=100)])
    unsaved_defaults = refused(seminar, [replace(presentation, pk=None), replace(report, pk=None)])

    stale = ["The components were changed since you opened this page. Please reload it and try again."]
    assert missing == unsaved_defaults == stale


def test_grade_components_set_with_another_seminars_component_is_refused():
    seminar, other = SeminarFactory(), SeminarFactory()
    services.grade_components_ensure(seminar=seminar)
    [foreign, _] = services.grade_components_ensure(seminar=other)
    presentation, report = specs_of(seminar)

    problems = refused(seminar, [presentation, replace(report, pk=foreign.pk)])

    assert problems == [
        "The components were changed since you opened this page. Please reload it and try again."
    ]
    assert GradeComponent.objects.get(pk=foreign.pk).seminar == other


def test_grade_components_set_linking_another_seminars_deliverable_is_refused():
    seminar = SeminarFactory()
    foreign = DeliverableFactory(seminar=SeminarFactory())
    services.grade_components_ensure(seminar=seminar)
    presentation, report = specs_of(seminar)

    problems = refused(seminar, [presentation, replace(report, deliverable_id=foreign.pk)])

    assert problems == ["A linked deliverable is not one of this seminar's."]


def test_grade_components_set_links_a_deliverable_of_the_seminar():
    seminar = SeminarFactory()
    handout = DeliverableFactory(seminar=seminar, kind=Deliverable.Kind.OTHER, title="Handout")

    three_components(seminar, deliverable=handout)

    assert GradeComponent.objects.get(seminar=seminar, key=PARTICIPATION).deliverable == handout


def test_grade_components_set_gives_a_new_component_a_key_no_other_has():
    seminar = SeminarFactory()
    services.grade_components_ensure(seminar=seminar)
    presentation, report = specs_of(seminar)

    services.grade_components_set(
        seminar=seminar,
        components=[
            replace(presentation, weight=50),
            replace(report, name_en="Paper", weight=30),
            ComponentSpec(None, "Report", "Bericht", 10),
            ComponentSpec(None, "", "Übung", 10),
        ],
    )

    assert [row[1] for row in stored_components(seminar)] == [PRESENTATION, REPORT, "report-2", "ubung"]


# ------------------------------------------------------------------------ the final grade follows them


def test_final_grade_with_three_components_is_their_weighted_mean():
    world = make_world()
    three_components(world.seminar)
    for key, text in ((PRESENTATION, "1,3"), (REPORT, "1,7"), (PARTICIPATION, "2,0")):
        set_grade(world.seminar, world.me, key, text, grader=world.instructor)
    set_grade(world.seminar, world.other, PRESENTATION, "1,0", grader=world.instructor)
    set_grade(world.seminar, world.other, REPORT, "1,0", grader=world.instructor)

    # 0.5 x 1.3 + 0.3 x 1.7 + 0.2 x 2.0 = 1.56
    assert (final_of(world, world.me).value, final_of(world, world.me).band) == (Decimal("1.5"), "sehr gut")
    assert final_of(world, world.other).incomplete


def test_final_grade_follows_reweighed_components_at_once():
    world = make_world()
    set_grade(world.seminar, world.me, PRESENTATION, "1,0", grader=world.instructor)
    set_grade(world.seminar, world.me, REPORT, "3,0", grader=world.instructor)
    assert final_of(world, world.me).value == Decimal("1.8")  # 0.6 + 1.2
    presentation, report = specs_of(world.seminar)

    services.grade_components_set(
        seminar=world.seminar, components=[replace(presentation, weight=20), replace(report, weight=80)]
    )

    assert final_of(world, world.me).value == Decimal("2.6")  # 0.2 + 2.4


def test_released_grades_of_a_student_follow_the_three_components():
    world = make_world()
    three_components(world.seminar)
    for key, text in ((PRESENTATION, "1,0"), (REPORT, "2,0"), (PARTICIPATION, "3,0")):
        set_grade(world.seminar, world.me, key, text, grader=world.instructor)
    release(world.seminar, world.instructor)

    released = selectors.released_grades_for(world.seminar, world.me)

    assert [component.key for component in released.components] == [PRESENTATION, REPORT, PARTICIPATION]
    assert released.final.value == Decimal("1.7")  # 0.5 + 0.6 + 0.6


# --------------------------------------------------------------------------------------- concurrency


@pytest.mark.django_db(transaction=True)
def test_grade_components_set_removing_a_component_while_its_first_grade_is_saved_is_refused():
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent transactions (PostgreSQL)")
    world = make_world()
    three_components(world.seminar)
    saved = threading.Event()

    def grader():
        try:
            with transaction.atomic():
                set_grade(world.seminar, world.me, PARTICIPATION, "1,3", grader=world.instructor, version=0)
                saved.set()
                time.sleep(1)  # the instructor's removal meets this uncommitted grade
        finally:
            connection.close()

    thread = threading.Thread(target=grader)
    thread.start()
    try:
        assert saved.wait(timeout=10)
        presentation, report, participation = specs_of(world.seminar)
        with pytest.raises(GradeComponentsError) as error:
            services.grade_components_set(
                seminar=world.seminar,
                components=[replace(presentation, weight=60), replace(report, weight=40)]
                + [replace(participation, remove=True)],
            )
    finally:
        thread.join()

    assert error.value.messages == ["“Participation” cannot be removed: 1 student has a grade for it."]
    assert value_of(world.seminar, world.me, PARTICIPATION) == Decimal("1.3")


# ------------------------------------------------------------------------------------------- the page


def form_data(components: list[dict], *, initial: int) -> dict[str, str]:
    """The components page's formset as a browser posts it."""
    data = {
        "components-TOTAL_FORMS": str(len(components)),
        "components-INITIAL_FORMS": str(initial),
        "components-MIN_NUM_FORMS": "0",
        "components-MAX_NUM_FORMS": "20",
    }
    for index, component in enumerate(components):
        data |= {f"components-{index}-{name}": str(value) for name, value in component.items()}
    return data


def shown(seminar) -> list[dict]:
    """The saved components as the page shows them."""
    return [
        {
            "id": c.pk or "",
            "name_en": c.name_en,
            "name_de": c.name_de,
            "weight": c.weight,
            "deliverable": c.deliverable_id or "",
            "position": c.order,
        }
        for c in selectors.components_of(seminar)
    ]


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def instructor_client(client, world):
    client.force_login(world.instructor)
    return client


def test_components_page_shows_the_defaults_and_saves_nothing(instructor_client, world):
    response = instructor_client.get(components_url(world.seminar))

    content = main_of(response.content.decode())
    assert response.status_code == 200
    assert "<legend>Presentation</legend>" in content
    assert "<legend>Report</legend>" in content
    assert "<legend>New component</legend>" in content
    assert 'value="60"' in content
    assert 'value="Ausarbeitung"' in content
    assert not GradeComponent.objects.exists()


def test_components_page_post_adds_a_component_and_the_sheet_shows_it(instructor_client, world):
    presentation, report = shown(world.seminar)
    new = {
        "name_en": "Participation",
        "name_de": "Mitarbeit",
        "weight": 20,
        "deliverable": "",
        "position": "",
    }

    response = instructor_client.post(
        components_url(world.seminar),
        form_data([presentation | {"weight": 50}, report | {"weight": 30}, new], initial=2),
        follow=True,
    )

    assert response.redirect_chain == [(sheet_url(world.seminar), 302)]
    content = response.content.decode()
    assert "The grade components are saved; every final grade follows them." in content
    assert '<th scope="col" id="k3">Participation</th>' in content
    assert "Presentation (50 %), Report (30 %), Participation (20 %)" in content
    assert [row[1:5] for row in stored_components(world.seminar)][-1] == (
        PARTICIPATION,
        "Participation",
        "Mitarbeit",
        20,
    )


def test_components_page_post_of_weights_not_adding_up_says_so_and_saves_nothing(instructor_client, world):
    presentation, report = shown(world.seminar)

    response = instructor_client.post(
        components_url(world.seminar), form_data([presentation | {"weight": 70}, report], initial=2)
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in content
    assert "Nothing was saved." in content
    assert "The weights must add up to 100 %; they add up to 110 %." in content
    assert 'value="70"' in content  # what the instructor typed stays on the page
    assert not GradeComponent.objects.exists()


def test_components_page_post_removing_a_graded_component_says_why_and_keeps_it(instructor_client, world):
    set_grade(world.seminar, world.me, REPORT, "2,0", grader=world.instructor)
    presentation, report = shown(world.seminar)
    before = (stored_components(world.seminar), snapshot())

    response = instructor_client.post(
        components_url(world.seminar),
        form_data([presentation | {"weight": 100}, report | {"DELETE": "on"}], initial=2),
    )

    assert "“Report” cannot be removed: 1 student has a grade for it." in response.content.decode()
    assert (stored_components(world.seminar), snapshot()) == before


@pytest.mark.parametrize(
    ("change", "field"),
    [({"weight": "12.5"}, "weight"), ({"weight": ""}, "weight"), ({"name_en": "x" * 81}, "name_en")],
)
def test_components_page_post_of_a_bad_field_marks_it_and_saves_nothing(
    instructor_client, world, change, field
):
    presentation, report = shown(world.seminar)

    response = instructor_client.post(
        components_url(world.seminar), form_data([presentation | change, report], initial=2)
    )

    assert response.status_code == 200
    assert field in response.context["formset"].forms[0].errors
    assert "Nothing was saved yet. Please correct the fields marked below." in response.content.decode()
    assert not GradeComponent.objects.exists()


def test_components_page_offers_only_the_seminars_deliverables(instructor_client, world):
    DeliverableFactory(seminar=world.seminar, title="Written report")
    DeliverableFactory(seminar=world.foreign_seminar, title="Foreign report")

    content = instructor_client.get(components_url(world.seminar)).content.decode()

    assert ">Written report</option>" in content
    assert "Foreign report" not in content


def test_components_page_in_german_names_the_components_in_german(instructor_client, world):
    content = instructor_client.get(components_url(world.seminar), HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert "<legend>Vortrag</legend>" in content
    assert "<legend>Neuer Bestandteil</legend>" in content


def test_admin_deletes_a_seminar_with_components_but_without_grades(client):
    seminar = SeminarFactory(state="draft")
    services.grade_components_ensure(seminar=seminar)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post(reverse("admin:seminars_seminar_delete", args=[seminar.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not GradeComponent.objects.exists()
