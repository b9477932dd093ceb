"""Examiner feedback: a rubric per component, the rubric filled in with a comment and a file per student and
component, shown to the student with their released grades, and the mails that say it is there."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from grading import feedback as feedback_service
from grading.exceptions import GradingError
from grading.models import Feedback, GradingSettings
from grading.services import grades_release
from tests.submissions.helpers import pdf_bytes, stored_files, submission_storage  # noqa: F401

from .helpers import NOW, REPORT, make_world, set_grade

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("submission_storage")]

RUBRIC_TEXT = "Understanding: of the paper | excellent / good / insufficient\nClarity | clear / unclear"


def feedback_url(world, student=None, key=REPORT):
    return reverse("grading:feedback", args=[world.seminar.slug, (student or world.me).pk, key])


def rubric_url(world, key=REPORT):
    return reverse("grading:rubric", args=[world.seminar.slug, key])


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def with_rubric(world, client):
    client.force_login(world.instructor)
    client.post(rubric_url(world), {"rubric": RUBRIC_TEXT})
    client.logout()
    return world


def test_the_instructor_sets_a_components_rubric(client, world):
    client.force_login(world.instructor)

    response = client.post(rubric_url(world), {"rubric": RUBRIC_TEXT})

    assert response.status_code == 302
    component = feedback_service.component_by_key(world.seminar, REPORT)
    assert [item["name"] for item in component.criteria] == ["Understanding", "Clarity"]
    page = client.get(reverse("grading:components", args=[world.seminar.slug])).content.decode()
    assert "Rubric of Report" in page
    assert "(2 criteria)" in page


def test_a_rubric_that_cannot_be_read_is_named_by_its_line_and_kept(client, world):
    client.force_login(world.instructor)

    response = client.post(rubric_url(world), {"rubric": "Clarity | clear / unclear\nOnly a name"})

    content = response.content.decode()
    assert "Line 2: give at least two levels" in content
    assert "Only a name" in content
    assert feedback_service.component_by_key(world.seminar, REPORT).criteria == []


def test_a_supervisor_gives_their_student_feedback_with_the_rubric_a_comment_and_a_file(
    client,
    with_rubric,
    submission_storage,  # noqa: F811
):
    world = with_rubric
    client.force_login(world.supervisor)

    response = client.post(
        feedback_url(world),
        {
            "criterion_0": "1",
            "criterion_1": "",
            "comment": "Good grasp of the proof.",
            "file": SimpleUploadedFile("annotated.pdf", pdf_bytes(2)),
        },
    )

    assert response.status_code == 302
    feedback = Feedback.objects.get(student=world.me)
    assert feedback.ratings == [1, None]
    assert feedback.comment == "Good grasp of the proof."
    assert feedback.original_name == "annotated.pdf"
    assert feedback.file.name.startswith(f"seminar-{world.seminar.pk}/feedback/")
    assert feedback.examiner == world.supervisor
    assert len(stored_files(submission_storage)) == 1
    assert client.get(feedback_url(world, world.other)).status_code == 403  # not their student


def test_a_refused_file_keeps_the_comment_and_stores_nothing(client, with_rubric, submission_storage):  # noqa: F811
    world = with_rubric
    client.force_login(world.instructor)

    response = client.post(
        feedback_url(world),
        {"comment": "Kept comment", "file": SimpleUploadedFile("notes.docx", b"PK\x03\x04")},
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "A feedback file is a PDF" in content
    assert "Kept comment" in content
    assert not Feedback.objects.exists()
    assert stored_files(submission_storage) == []


def test_a_new_file_replaces_the_old_one_and_removing_it_removes_it(
    client,
    with_rubric,
    submission_storage,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    world = with_rubric
    client.force_login(world.instructor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(feedback_url(world), {"comment": "v1", "file": SimpleUploadedFile("a.pdf", pdf_bytes(1))})
        client.post(feedback_url(world), {"comment": "v2", "file": SimpleUploadedFile("b.pdf", pdf_bytes(1))})
    feedback = Feedback.objects.get()
    assert feedback.original_name == "b.pdf"
    assert (
        stored_files(submission_storage) == [feedback.file.name.split("/")[-1]]
        or len(stored_files(submission_storage)) == 1
    )

    with django_capture_on_commit_callbacks(execute=True):
        client.post(feedback_url(world), {"comment": "v3", "remove_file": "on"})

    feedback.refresh_from_db()
    assert (feedback.file.name, feedback.comment) == ("", "v3")
    assert stored_files(submission_storage) == []


def test_the_student_sees_feedback_only_once_the_grades_are_released_and_is_mailed(
    client, with_rubric, mailoutbox, django_capture_on_commit_callbacks
):
    world = with_rubric
    set_grade(world.seminar, world.me, REPORT, "1,7", grader=world.instructor)
    component = feedback_service.component_by_key(world.seminar, REPORT)
    feedback = feedback_service.feedback_save(
        seminar=world.seminar,
        student=world.me,
        component=component,
        ratings=[0, 1],
        comment="Section 2 is excellent.",
        upload=SimpleUploadedFile("annotated.pdf", pdf_bytes(1)),
        remove_file=False,
        examiner=world.instructor,
        now=NOW,
    )
    client.force_login(world.me)
    file_url = reverse("grading:feedback_file", args=[world.seminar.slug, feedback.pk])

    before = client.get(reverse("grading:mine", args=[world.seminar.slug])).content.decode()
    file_before = client.get(file_url)
    with django_capture_on_commit_callbacks(execute=True):
        grades_release(seminar=world.seminar, released_by=world.instructor, now=NOW)
    after = client.get(reverse("grading:mine", args=[world.seminar.slug])).content.decode()
    file_after = client.get(file_url)

    assert "Section 2 is excellent." not in before
    assert file_before.status_code == 404
    assert "Section 2 is excellent." in after
    assert "Understanding" in after
    assert "excellent" in after
    assert "Feedback file: annotated.pdf" in after
    assert file_after.status_code == 200
    assert file_after["Content-Disposition"] == 'attachment; filename="annotated.pdf"'
    (mail,) = [message for message in mailoutbox if message.to == [world.me.email]]
    assert "Written feedback on your work is there too." in mail.body
    assert "Section 2" not in mail.body


def test_feedback_changed_after_release_is_mailed_without_its_text(
    with_rubric, mailoutbox, django_capture_on_commit_callbacks
):
    world = with_rubric
    GradingSettings.objects.create(seminar=world.seminar, released_at=NOW, released_by=world.instructor)
    component = feedback_service.component_by_key(world.seminar, REPORT)

    with django_capture_on_commit_callbacks(execute=True):
        feedback_service.feedback_save(
            seminar=world.seminar,
            student=world.me,
            component=component,
            ratings=[None, None],
            comment="Secret words",
            upload=None,
            remove_file=False,
            examiner=world.instructor,
            now=NOW,
        )

    (mail,) = mailoutbox
    assert mail.to == [world.me.email]
    assert "there is written feedback on your work" in mail.body
    assert "Secret words" not in mail.body + mail.alternatives[0][0]


def test_feedback_needs_levels_of_the_rubric_and_a_student_of_the_seminar(with_rubric):
    world = with_rubric
    component = feedback_service.component_by_key(world.seminar, REPORT)
    common = {"seminar": world.seminar, "component": component, "comment": "", "upload": None}
    common |= {"remove_file": False, "examiner": world.instructor, "now": NOW}

    with pytest.raises(GradingError):
        feedback_service.feedback_save(student=world.me, ratings=[0, 7], **common)
    with pytest.raises(GradingError):
        feedback_service.feedback_save(student=world.foreign_student, ratings=[0, 0], **common)
    assert not Feedback.objects.exists()


def test_another_student_and_other_supervisors_never_get_the_file(client, with_rubric):
    world = with_rubric
    GradingSettings.objects.create(seminar=world.seminar, released_at=NOW, released_by=world.instructor)
    feedback = feedback_service.feedback_save(
        seminar=world.seminar,
        student=world.me,
        component=feedback_service.component_by_key(world.seminar, REPORT),
        ratings=[None, None],
        comment="",
        upload=SimpleUploadedFile("a.pdf", pdf_bytes(1)),
        remove_file=False,
        examiner=world.instructor,
        now=NOW,
    )
    file_url = reverse("grading:feedback_file", args=[world.seminar.slug, feedback.pk])

    answers = {}
    for name in ("other", "other_supervisor", "supervisor", "instructor", "foreign_instructor"):
        client.force_login(getattr(world, name))
        answers[name] = client.get(file_url).status_code

    assert answers == {
        "other": 404,
        "other_supervisor": 404,
        "supervisor": 200,
        "instructor": 200,
        "foreign_instructor": 403,
    }


def test_verify_submissions_knows_feedback_files(with_rubric, submission_storage):  # noqa: F811
    world = with_rubric
    feedback_service.feedback_save(
        seminar=world.seminar,
        student=world.me,
        component=feedback_service.component_by_key(world.seminar, REPORT),
        ratings=[None, None],
        comment="",
        upload=SimpleUploadedFile("a.pdf", pdf_bytes(1)),
        remove_file=False,
        examiner=world.instructor,
        now=NOW,
    )
    out = io.StringIO()
    call_command("verify_submissions", stdout=out, stderr=io.StringIO())

    assert "orphan" not in out.getvalue()
    assert "1 files checked" in out.getvalue()
