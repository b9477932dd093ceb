"""Exam records and change logs are read-only in the Django admin, for a superuser too: no add, change or
delete page, no bulk delete, and no deleting the seminar or person they belong to (which would take them
along). The portal's services are the only way to change them (they keep the history and tell people)."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import User
from grading.models import Grade, GradeChange, GradingSettings
from grading.services import grade_components_ensure
from papers.models import Allotment, AllotmentChange, AllotmentPublication, AllotmentRun
from schedule.models import BlockSeminar, ScheduleChange
from seminars.models import Seminar
from submissions.models import Extension, Submission
from tests.factories import SeminarFactory, UserFactory, instructor_of, student_of
from tests.papers.helpers import PaperFactory
from tests.submissions.helpers import DeliverableFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 2, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def records():
    seminar = SeminarFactory()
    instructor = instructor_of(seminar)
    student = student_of(seminar)
    paper, other_paper = PaperFactory(seminar=seminar), PaperFactory(seminar=seminar)
    deliverable = DeliverableFactory(seminar=seminar)
    run = AllotmentRun.objects.create(seminar=seminar, mechanism="optimal", seed=1)
    grade = Grade.objects.create(
        seminar=seminar,
        student=student,
        component=grade_components_ensure(seminar=seminar)[1],
        value=Decimal("1.3"),
        grader=instructor,
        updated_at=NOW,
    )
    return {
        "seminar": seminar,
        "student": student,
        Submission: Submission.objects.create(
            deliverable=deliverable,
            student=student,
            version=1,
            file="seminar-1/a.pdf",
            original_name="report.pdf",
            file_type="pdf",
            size=10,
            sha256="0" * 64,
            received_at=NOW,
        ),
        Grade: grade,
        GradeChange: GradeChange.objects.create(
            grade=grade, new_value=Decimal("1.3"), changed_by=instructor, changed_at=NOW
        ),
        AllotmentRun: run,
        Allotment: Allotment.objects.create(
            seminar=seminar, student=student, paper=paper, source=Allotment.Source.AUTOMATIC, run=run
        ),
        AllotmentPublication: AllotmentPublication.objects.create(seminar=seminar, published_at=NOW),
        AllotmentChange: AllotmentChange.objects.create(
            seminar=seminar,
            student=student,
            old_paper=other_paper,
            new_paper=paper,
            changed_by=instructor,
            reason="swap",
            changed_at=NOW,
        ),
        ScheduleChange: ScheduleChange.objects.create(
            seminar=seminar, student=student, new_starts_at=NOW, changed_by=instructor, changed_at=NOW
        ),
        Extension: Extension.objects.create(
            deliverable=deliverable,
            student=student,
            extra_minutes=60,
            reason="ill",
            granted_by=instructor,
            granted_at=NOW,
        ),
    }


RECORDS = [
    Submission,
    Grade,
    GradeChange,
    AllotmentRun,
    Allotment,
    AllotmentPublication,
    AllotmentChange,
    ScheduleChange,
    Extension,
]


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def snapshot(obj) -> dict:
    return {
        field.attname: getattr(type(obj).objects.get(pk=obj.pk), field.attname) for field in obj._meta.fields
    }


@pytest.mark.parametrize("model", RECORDS, ids=lambda model: model.__name__)
def test_admin_shows_an_exam_record_without_a_way_to_change_it(admin_client, records, model):
    record = records[model]

    listing = admin_client.get(admin_url(model, "changelist"))
    page = admin_client.get(admin_url(model, "change", record.pk))

    assert listing.status_code == 200
    assert record in listing.context["cl"].result_list
    assert listing.context["action_form"] is None  # not even "delete selected"
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert 'name="_save"' not in page.content.decode()


@pytest.mark.parametrize("model", RECORDS, ids=lambda model: model.__name__)
def test_admin_refuses_to_add_change_or_delete_an_exam_record(admin_client, records, model):
    record = records[model]
    before = snapshot(record)

    added = admin_client.get(admin_url(model, "add"))
    changed = admin_client.post(admin_url(model, "change", record.pk), {"reason": "edited", "value": "5.0"})
    deleted = admin_client.post(admin_url(model, "delete", record.pk), {"post": "yes"})
    bulk = admin_client.post(
        admin_url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"},
    )

    assert added.status_code == 403
    assert changed.status_code == 403
    assert deleted.status_code == 403
    assert bulk.status_code in (200, 302)
    assert snapshot(record) == before


@pytest.mark.parametrize("target", ["seminar", "student"])
def test_admin_refuses_to_delete_what_exam_records_belong_to(admin_client, records, target):
    obj = records[target]
    model = type(obj)

    page = admin_client.get(admin_url(model, "delete", obj.pk))
    response = admin_client.post(admin_url(model, "delete", obj.pk), {"post": "yes"})

    assert page.status_code == 200
    assert page.context["perms_lacking"] or page.context["protected"]
    # Refused: 403 when records would be deleted with it, the "cannot delete" page when rows protect it.
    assert response.status_code in (200, 403)
    assert model.objects.filter(pk=obj.pk).exists()
    assert Grade.objects.filter(pk=records[Grade].pk).exists()


def test_admin_deletes_a_seminar_without_exam_records(admin_client):
    seminar = SeminarFactory(state=Seminar.State.DRAFT)
    instructor_of(seminar)

    response = admin_client.post(admin_url(Seminar, "delete", seminar.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Seminar.objects.filter(pk=seminar.pk).exists()


@pytest.mark.parametrize(
    ("model", "fields"),
    [(GradingSettings, ["released_at", "released_by"]), (BlockSeminar, ["published_at", "published_by"])],
)
def test_admin_shows_release_and_publication_times_read_only(admin_client, records, model, fields):
    obj = model.objects.create(seminar=records["seminar"])

    page = admin_client.get(admin_url(model, "change", obj.pk))

    form_fields = page.context["adminform"].form.fields
    assert [field for field in fields if field in form_fields] == []
    assert set(fields) <= set(page.context["adminform"].readonly_fields)


def test_admin_user_without_exam_records_can_still_be_deleted(admin_client):
    user = UserFactory()

    response = admin_client.post(admin_url(User, "delete", user.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
