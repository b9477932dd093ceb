"""The migration from two weight fields to grade components (grading 0002-0004, seminars 0005), run on a
database with grades: forward, every final grade is what the old rule (scoring.final_grade with the
seminar's two weights) gave; backward, the weights and component strings come back, and a seminar with a
third component refuses before anything changes."""

import random
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.exceptions import IrreversibleError
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F

from grading import selectors, services
from grading.models import Grade, GradeComponent, GradingSettings
from grading.scoring import CUT, NEAREST_STEP, STEPS, final_grade
from seminars.models import Membership, Seminar
from tests.factories import SeminarFactory, instructor_of, student_of

from .helpers import PARTICIPATION, PRESENTATION, REPORT, set_grade, three_components

# core's outbox migration follows the seminar migrations that remove the weights: back before them, core too.
BEFORE = [("seminars", "0004_outbox_keyword_arguments"), ("grading", "0001_initial"), ("core", None)]
NOW = datetime(2027, 2, 15, 10, 0, tzinfo=UTC)
# (weight of the presentation, of the report, rounding, every component must be passed)
OLD_SEMINARS = [
    (60, 40, CUT, True),
    (50, 50, NEAREST_STEP, True),
    (100, 0, CUT, False),
    (0, 100, NEAREST_STEP, False),
    (70, 30, CUT, True),
    (35, 65, NEAREST_STEP, False),
]
STUDENTS = 15

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets):
    """Migrates the test database to `targets` and returns the models as they are then (the other apps'
    at their latest migration)."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    graph = executor.loader.graph
    migrated = {app for app, _name in targets}
    at = [target for target in targets if target[1] is not None]
    applied = {node for target in at for node in graph.forwards_plan(target)}
    # An app that needs a later migration of a migrated app (matching needs the seminars' latest) is left
    # out: its state would carry the migrated app's models forward.
    others = [
        node
        for node in graph.leaf_nodes()
        if node[0] not in migrated
        and all(step in applied for step in graph.forwards_plan(node) if step[0] in migrated)
    ]
    return executor.loader.project_state([*at, *others]).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def back_to_latest():
    """Whatever the test leaves, the database ends on the latest migrations for the tests after it."""
    yield
    migrate(latest())


def finals_now() -> dict[tuple[str, str], tuple]:
    """(seminar, student) -> (final grade, band) as the grading sheet computes it now."""
    finals = {}
    for seminar in Seminar.objects.all():
        # The sheet as an instructor sees it: every student (an instructor is added for the reading).
        for row in selectors.grading_sheet(seminar, instructor_of(seminar)).rows:
            finals[(seminar.slug, row.membership.user.email)] = (row.final.value, row.final.band)
    return finals


def old_finals(apps) -> dict[tuple[str, str], tuple]:
    """The same with the old rule: scoring.final_grade with the seminar's two weight fields."""
    Grade, Membership, GradingSettings = (
        apps.get_model(*name.split("."))
        for name in ("grading.Grade", "seminars.Membership", "grading.GradingSettings")
    )
    rules = {settings.seminar_id: settings for settings in GradingSettings.objects.all()}
    grades = {(g.seminar_id, g.student_id, g.component): g.value for g in Grade.objects.all()}
    finals = {}
    for membership in Membership.objects.filter(role="student").select_related("seminar", "user"):
        seminar = membership.seminar
        result = final_grade(
            {key: grades.get((seminar.pk, membership.user_id, key)) for key in (PRESENTATION, REPORT)},
            {PRESENTATION: seminar.weight_presentation, REPORT: seminar.weight_report},
            rounding=rules[seminar.pk].rounding if seminar.pk in rules else CUT,
            must_pass_all=rules[seminar.pk].must_pass_all if seminar.pk in rules else True,
        )
        finals[(seminar.slug, membership.user.email)] = (result.value, result.band)
    return finals


def fill_old_database(apps) -> None:
    """Seminars with every pair of weights and rule, students with random grades (some missing, some
    failed), deliverables in the first seminar; all with the models as they were before components."""
    rng = random.Random(13)
    User, Seminar, Membership, Grade, GradingSettings, Deliverable = (
        apps.get_model(*name.split("."))
        for name in (
            "accounts.User",
            "seminars.Seminar",
            "seminars.Membership",
            "grading.Grade",
            "grading.GradingSettings",
            "submissions.Deliverable",
        )
    )
    for index, (presentation, report, rounding, must_pass_all) in enumerate(OLD_SEMINARS):
        seminar = Seminar.objects.create(
            title=f"Old {index}",
            slug=f"old-{index}",
            term="Winter term 2026/27",
            weight_presentation=presentation,
            weight_report=report,
        )
        if index > 0:  # the first seminar keeps the default rules (no row)
            GradingSettings.objects.create(seminar=seminar, rounding=rounding, must_pass_all=must_pass_all)
        for number in range(STUDENTS):
            student = User.objects.create(email=f"s{index}-{number}@uni.example", full_name=f"S {number}")
            Membership.objects.create(user=student, seminar=seminar, role="student")
            for component in (PRESENTATION, REPORT):
                value = rng.choice([None, *STEPS, Decimal("5.0")])
                if value is not None:
                    Grade.objects.create(
                        seminar=seminar, student=student, component=component, value=value, updated_at=NOW
                    )
    first = Seminar.objects.get(slug="old-0")
    for order, (kind, title) in enumerate(
        [("other", "Handout"), ("slides", "Slides"), ("report", "Report"), ("report", "Second report")]
    ):
        Deliverable.objects.create(seminar=first, kind=kind, title=title, order=order, due_at=NOW)


def test_migrating_forward_keeps_every_final_grade(back_to_latest):
    old = migrate(BEFORE)
    fill_old_database(old)
    before = old_finals(old)
    assert len(before) == len(OLD_SEMINARS) * STUDENTS
    assert {value for value, _band in before.values()} > {None, Decimal("5.0")}

    migrate(latest())

    assert finals_now() == before
    for seminar, (presentation, report, *_rules) in zip(
        Seminar.objects.order_by("slug"), OLD_SEMINARS, strict=True
    ):
        assert [
            (c.key, c.name_en, c.name_de, c.weight, c.order)
            for c in GradeComponent.objects.filter(seminar=seminar).order_by("order")
        ] == [
            (PRESENTATION, "Presentation", "Vortrag", presentation, 1),
            (REPORT, "Report", "Ausarbeitung", report, 2),
        ]


def test_migrating_forward_points_every_grade_to_its_component_and_links_the_first_deliverables(
    back_to_latest,
):
    old = migrate(BEFORE)
    fill_old_database(old)
    OldGrade = old.get_model("grading", "Grade")
    before = sorted(OldGrade.objects.values_list("seminar__slug", "student__email", "component", "value"))

    migrate(latest())

    after = sorted(Grade.objects.values_list("seminar__slug", "student__email", "component__key", "value"))
    assert after == before
    assert not Grade.objects.exclude(component__seminar=F("seminar")).exists()
    links = GradeComponent.objects.filter(seminar__slug="old-0").order_by("order")
    assert [component.deliverable.title for component in links] == ["Slides", "Report"]
    assert (
        not GradeComponent.objects.exclude(seminar__slug="old-0").filter(deliverable__isnull=False).exists()
    )


def test_migrating_back_restores_the_weights_and_component_strings(back_to_latest):
    reweighed = SeminarFactory(slug="reweighed")
    defaults = SeminarFactory(slug="defaults")
    untouched = SeminarFactory(slug="untouched")  # no components saved: the defaults
    instructor = instructor_of(reweighed)
    Membership.objects.create(user=instructor, seminar=defaults, role=Membership.Role.INSTRUCTOR)
    GradingSettings.objects.create(seminar=defaults, rounding=NEAREST_STEP, must_pass_all=False)
    for seminar in (reweighed, defaults, untouched):
        for number, (presentation, report) in enumerate([("1,3", "2,0"), ("5,0", "1,0"), ("2,7", None)]):
            student = student_of(seminar, user__email=f"{seminar.slug}-{number}@uni.example")
            if seminar is not untouched:
                set_grade(seminar, student, PRESENTATION, presentation, grader=instructor)
                if report:
                    set_grade(seminar, student, REPORT, report, grader=instructor)
    presentation, report = services.grade_components_ensure(seminar=reweighed)
    services.grade_components_set(
        seminar=reweighed,
        components=[
            services.ComponentSpec(presentation.pk, "Talk", "Referat", 30, position=2),
            services.ComponentSpec(report.pk, "Report", "Ausarbeitung", 70, position=1),
        ],
    )
    before = finals_now()

    old = migrate(BEFORE)

    OldSeminar, OldGrade = old.get_model("seminars", "Seminar"), old.get_model("grading", "Grade")
    assert sorted(OldSeminar.objects.values_list("slug", "weight_presentation", "weight_report")) == [
        ("defaults", 60, 40),
        ("reweighed", 30, 70),
        ("untouched", 60, 40),
    ]
    assert set(
        OldGrade.objects.filter(seminar__slug="reweighed").values_list("student__email", "component")
    ) == {
        ("reweighed-0@uni.example", PRESENTATION),
        ("reweighed-0@uni.example", REPORT),
        ("reweighed-1@uni.example", PRESENTATION),
        ("reweighed-1@uni.example", REPORT),
        ("reweighed-2@uni.example", PRESENTATION),
    }
    assert old_finals(old) == before


def test_migrating_back_with_a_third_component_is_refused_before_anything_changes(back_to_latest):
    seminar = SeminarFactory(slug="three-parts")
    instructor = instructor_of(seminar)
    student = student_of(seminar)
    three_components(seminar)
    set_grade(seminar, student, PARTICIPATION, "1,3", grader=instructor)
    # The columns the refused migration leaves (the rubric's column, added after it, goes on the way back).
    columns = [field.attname for field in GradeComponent._meta.concrete_fields if field.name != "criteria"]
    components = list(GradeComponent.objects.values(*columns))
    grades = list(Grade.objects.values())

    with pytest.raises(IrreversibleError, match="three-parts"):
        migrate(BEFORE)

    # The grading and seminar migrations stay applied (only those that come after them, the outbox's move
    # to core, the later seminar ones, the matching's, the feedback's and the examiners', were undone on the
    # way: they move no data).
    left = [migration for migration, _ in MigrationExecutor(connection).migration_plan(latest())]
    assert {(migration.app_label, migration.name) for migration in left} <= {
        ("seminars", "0006_outbox_to_core"),
        ("seminars", "0007_withdrawal_and_announcements"),
        ("seminars", "0008_seminar_run_permission_and_creator"),
        ("seminars", "0009_materials"),
        ("seminars", "0010_seminar_places_by_matching_alter_membership_source"),
        ("seminars", "0011_german_texts"),
        ("seminars", "0012_contact_and_public_papers"),
        ("matching", "0001_initial"),
        ("grading", "0005_feedback"),
        ("grading", "0006_examiner_grades"),
        ("core", "0001_initial"),
    }
    assert list(GradeComponent.objects.values(*columns)) == components
    assert list(Grade.objects.values()) == grades
