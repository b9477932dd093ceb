"""grading.services: the value on the scale, stale pages, history, mails, rules and release."""

import threading
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction

from grading import selectors, services
from grading.exceptions import GradeConflictError, NotAStudentError, NotYourStudentError
from grading.models import Grade, GradeChange
from grading.scoring import GradeInputError

from .helpers import NOW, PRESENTATION, REPORT, make_world, release, set_grade, snapshot

pytestmark = pytest.mark.django_db

BAD_INPUTS = [
    "6",
    "0.9",
    "2.35",
    "4.3",
    "NaN",
    "Infinity",
    "1e3",
    "",
    "   ",
    "gut",
    "-1",
    "2,3,",
    "1,0,0",
    "²",
]


def final_of(world, student):
    [row] = [
        row
        for row in selectors.grading_sheet(world.seminar, world.instructor).rows
        if row.membership.user == student
    ]
    return row.final


# ----------------------------------------------------------------------------------------- the value


@pytest.mark.parametrize("text", ["2,3", "2.3", " 2,3 "])
def test_grade_set_accepts_decimal_comma_and_point(text):
    world = make_world()

    grade = set_grade(world.seminar, world.me, PRESENTATION, text, grader=world.instructor)

    grade.refresh_from_db()
    assert grade.value == Decimal("2.3")
    assert grade.version == 1


@pytest.mark.parametrize("text", BAD_INPUTS)
def test_grade_set_with_a_value_off_the_scale_is_refused_and_stores_nothing(text):
    world = make_world()

    with pytest.raises(GradeInputError) as refused:
        set_grade(world.seminar, world.me, PRESENTATION, text, grader=world.instructor)

    message = str(refused.value)
    assert "1,0, 1,3, 1,7, 2,0, 2,3, 2,7, 3,0, 3,3, 3,7, 4,0, 5,0" in message
    assert Grade.objects.count() == 0
    assert GradeChange.objects.count() == 0


@pytest.mark.parametrize("text", ["6", "0.9", "gut"])
def test_grade_set_with_a_bad_value_keeps_the_existing_grade(text):
    world = make_world()
    set_grade(world.seminar, world.me, PRESENTATION, "1,7", grader=world.instructor)
    before = snapshot()

    with pytest.raises(GradeInputError):
        set_grade(world.seminar, world.me, PRESENTATION, text, grader=world.instructor)

    assert snapshot() == before


def test_grade_set_off_the_scale_names_the_typed_value():
    world = make_world()

    with pytest.raises(GradeInputError) as refused:
        set_grade(world.seminar, world.me, PRESENTATION, "4.3", grader=world.instructor)

    assert "4,3 is not a step of the grade scale" in str(refused.value)


def test_grade_set_empty_asks_for_a_grade():
    world = make_world()

    with pytest.raises(GradeInputError) as refused:
        set_grade(world.seminar, world.me, PRESENTATION, "", grader=world.instructor)

    assert "Please enter a grade" in str(refused.value)


def test_grade_set_on_the_production_database_stores_the_grade():
    world = make_world()

    set_grade(world.seminar, world.me, PRESENTATION, "1,0", grader=world.instructor)
    set_grade(world.seminar, world.me, PRESENTATION, "1,3", grader=world.instructor)

    assert Grade.objects.get().value == Decimal("1.3")


# ------------------------------------------------------------------------------------------ stale page


def test_grade_set_from_a_stale_page_is_refused_and_names_the_current_value():
    world = make_world()
    set_grade(world.seminar, world.me, PRESENTATION, "1,3", grader=world.instructor, version=0)
    before = snapshot()

    with pytest.raises(GradeConflictError) as refused:
        set_grade(world.seminar, world.me, PRESENTATION, "2,7", grader=world.second_instructor, version=0)

    assert "Ida Instructor changed this grade to 1.3" in refused.value.message
    assert snapshot() == before


def test_grade_set_with_an_old_version_after_a_change_is_refused():
    world = make_world()
    set_grade(world.seminar, world.me, PRESENTATION, "1,3", grader=world.instructor)
    set_grade(world.seminar, world.me, PRESENTATION, "1,7", grader=world.instructor, version=1)
    before = snapshot()

    with pytest.raises(GradeConflictError):
        set_grade(world.seminar, world.me, PRESENTATION, "3,0", grader=world.second_instructor, version=1)

    assert snapshot() == before
    assert Grade.objects.get().value == Decimal("1.7")


def test_grade_set_with_the_current_version_replaces_the_grade():
    world = make_world()
    set_grade(world.seminar, world.me, PRESENTATION, "1,3", grader=world.instructor, version=0)

    grade = set_grade(world.seminar, world.me, PRESENTATION, "2,0", grader=world.second_instructor, version=1)

    assert (grade.value, grade.version, grade.grader) == (Decimal("2.0"), 2, world.second_instructor)


# --------------------------------------------------------------------------------------------- history


def test_grade_set_records_every_change_with_old_new_who_and_when():
    world = make_world()
    later = NOW + timedelta(hours=3)

    set_grade(world.seminar, world.me, REPORT, "2,0", grader=world.instructor, now=NOW)
    set_grade(world.seminar, world.me, REPORT, "1,7", grader=world.supervisor, now=later, comment="regraded")

    changes = list(
        GradeChange.objects.order_by("changed_at").values_list(
            "old_value", "new_value", "changed_by", "changed_at", "comment"
        )
    )
    assert changes == [
        (None, Decimal("2.0"), world.instructor.pk, NOW, ""),
        (Decimal("2.0"), Decimal("1.7"), world.supervisor.pk, later, "regraded"),
    ]


def test_grade_set_with_the_same_value_and_comment_records_nothing():
    world = make_world()
    set_grade(world.seminar, world.me, REPORT, "2,0", grader=world.instructor)

    grade = set_grade(world.seminar, world.me, REPORT, "2.0", grader=world.instructor)

    assert grade.version == 1
    assert GradeChange.objects.count() == 1


# ------------------------------------------------------------------------------------------ who grades


def test_grade_set_by_the_supervisor_of_the_students_paper_is_stored():
    world = make_world()

    set_grade(world.seminar, world.me, REPORT, "1,0", grader=world.supervisor)

    assert Grade.objects.get().grader == world.supervisor


def test_grade_set_by_the_supervisor_of_another_student_is_refused():
    world = make_world()

    with pytest.raises(NotYourStudentError):
        set_grade(world.seminar, world.other, REPORT, "1,0", grader=world.supervisor)

    assert Grade.objects.count() == 0


@pytest.mark.parametrize("grader", ["me", "foreign_instructor", "outsider"])
def test_grade_set_by_someone_who_is_no_grader_is_refused(grader):
    world = make_world()

    with pytest.raises(NotYourStudentError):
        set_grade(world.seminar, world.other, REPORT, "1,0", grader=getattr(world, grader))

    assert Grade.objects.count() == 0


@pytest.mark.parametrize("student", ["supervisor", "instructor", "foreign_student", "outsider"])
def test_grade_set_for_someone_who_is_no_student_of_the_seminar_is_refused(student):
    world = make_world()

    with pytest.raises(NotAStudentError):
        set_grade(world.seminar, getattr(world, student), REPORT, "1,0", grader=world.instructor)

    assert Grade.objects.count() == 0


# ----------------------------------------------------------------------------------------------- mails


def test_grade_set_before_release_mails_nobody(mailoutbox, django_capture_on_commit_callbacks):
    world = make_world()

    with django_capture_on_commit_callbacks(execute=True):
        set_grade(world.seminar, world.me, PRESENTATION, "1,3", grader=world.instructor)
        set_grade(world.seminar, world.me, PRESENTATION, "1,7", grader=world.instructor)

    assert mailoutbox == []


def test_grades_release_mails_each_graded_student_once(mailoutbox, django_capture_on_commit_callbacks):
    world = make_world()
    set_grade(world.seminar, world.me, PRESENTATION, "1,3", grader=world.instructor)
    set_grade(world.seminar, world.me, REPORT, "2,0", grader=world.instructor)

    with django_capture_on_commit_callbacks(execute=True):
        release(world.seminar, world.instructor)
        release(world.seminar, world.instructor)

    assert [mail.to for mail in mailoutbox] == [["mia@uni.example"]]


def test_grade_set_after_release_mails_the_student_without_the_grade(
    mailoutbox, django_capture_on_commit_callbacks
):
    world = make_world()
    set_grade(world.seminar, world.me, PRESENTATION, "1,3", grader=world.instructor)
    release(world.seminar, world.instructor)

    with django_capture_on_commit_callbacks(execute=True):
        set_grade(
            world.seminar, world.me, PRESENTATION, "2,7", grader=world.instructor, comment="Late slides"
        )

    [mail] = mailoutbox
    assert mail.to == ["mia@uni.example"]
    assert f"/seminars/{world.seminar.slug}/grades/" in mail.body
    html = mail.alternatives[0][0]
    for text in (mail.subject, mail.body, html):
        for shown in ("2,7", "2.7", "1,3", "1.3", "Late slides"):
            assert shown not in text


def test_grade_set_after_release_of_only_the_comment_mails_nobody(
    mailoutbox, django_capture_on_commit_callbacks
):
    world = make_world()
    set_grade(world.seminar, world.me, PRESENTATION, "1,3", grader=world.instructor)
    release(world.seminar, world.instructor)

    with django_capture_on_commit_callbacks(execute=True):
        set_grade(world.seminar, world.me, PRESENTATION, "1,3", grader=world.instructor, comment="typo fixed")

    assert mailoutbox == []


# --------------------------------------------------------------------------------------- rules, finals


def test_final_grade_with_default_rules_cuts_after_the_first_decimal():
    world = make_world()
    set_grade(world.seminar, world.me, PRESENTATION, "1,3", grader=world.instructor)
    set_grade(world.seminar, world.me, REPORT, "2,0", grader=world.instructor)

    # 0.6 x 1.3 + 0.4 x 2.0 = 1.58
    assert (final_of(world, world.me).value, final_of(world, world.me).band) == (Decimal("1.5"), "sehr gut")


def test_grading_settings_set_to_nearest_step_changes_every_final_grade():
    world = make_world()
    for student, presentation, report in ((world.me, "1,3", "2,0"), (world.other, "2,7", "3,3")):
        set_grade(world.seminar, student, PRESENTATION, presentation, grader=world.instructor)
        set_grade(world.seminar, student, REPORT, report, grader=world.instructor)
    # 1.58 -> cut 1.5, nearest step 1.7; 0.6 x 2.7 + 0.4 x 3.3 = 2.94 -> cut 2.9, nearest step 3.0
    assert [final_of(world, student).value for student in (world.me, world.other)] == [
        Decimal("1.5"),
        Decimal("2.9"),
    ]

    services.grading_settings_set(seminar=world.seminar, rounding="step", must_pass_all=True)

    assert (final_of(world, world.me).value, final_of(world, world.me).band) == (Decimal("1.7"), "gut")
    assert (final_of(world, world.other).value, final_of(world, world.other).band) == (
        Decimal("3.0"),
        "befriedigend",
    )


def test_grading_settings_set_without_must_pass_all_averages_a_failed_component():
    world = make_world()
    set_grade(world.seminar, world.me, PRESENTATION, "1,0", grader=world.instructor)
    set_grade(world.seminar, world.me, REPORT, "5,0", grader=world.instructor)
    assert final_of(world, world.me).value == Decimal("5.0")

    services.grading_settings_set(seminar=world.seminar, rounding="cut", must_pass_all=False)

    # 0.6 x 1.0 + 0.4 x 5.0 = 2.6
    assert (final_of(world, world.me).value, final_of(world, world.me).band) == (
        Decimal("2.6"),
        "befriedigend",
    )


def test_final_grade_while_a_component_is_missing_is_incomplete():
    world = make_world()
    set_grade(world.seminar, world.me, PRESENTATION, "1,0", grader=world.instructor)

    final = final_of(world, world.me)

    assert final.incomplete
    assert (final.value, final.band) == (None, None)


def test_released_grades_before_release_are_none():
    world = make_world()
    set_grade(world.seminar, world.me, PRESENTATION, "1,0", grader=world.instructor)

    assert selectors.released_grades_for(world.seminar, world.me) is None


def test_released_grades_after_release_are_the_students_own():
    world = make_world()
    set_grade(world.seminar, world.me, PRESENTATION, "1,0", grader=world.instructor)
    set_grade(world.seminar, world.other, PRESENTATION, "4,0", grader=world.instructor)
    release(world.seminar, world.instructor)

    released = selectors.released_grades_for(world.seminar, world.me)

    assert {key: grade.value for key, grade in released.grades.items()} == {PRESENTATION: Decimal("1.0")}
    assert released.final.incomplete


@pytest.mark.django_db(transaction=True)
def test_grade_set_racing_another_first_save_of_the_same_grade_is_refused_as_a_conflict():
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent transactions (PostgreSQL)")
    world = make_world()
    saved = threading.Event()

    def first_grader():
        try:
            with transaction.atomic():
                set_grade(world.seminar, world.me, REPORT, "1,3", grader=world.instructor, version=0)
                saved.set()
                time.sleep(1)  # the second grader's save meets this uncommitted grade
        finally:
            connection.close()

    thread = threading.Thread(target=first_grader)
    thread.start()
    try:
        assert saved.wait(timeout=10)
        with pytest.raises(GradeConflictError):
            set_grade(world.seminar, world.me, REPORT, "2,7", grader=world.second_instructor, version=0)
    finally:
        thread.join()

    assert Grade.objects.get().value == Decimal("1.3")
