"""The module number and exam date an instructor sets on the seminar edit page (for the grade export)."""

import re
from datetime import date

import pytest

from seminars.models import Seminar
from tests.factories import SeminarFactory, instructor_of

from .helpers import edit_form_data, edit_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def seminar():
    return SeminarFactory(title="Kernels", premeeting_start=None)


@pytest.fixture
def instructor_client(client, seminar):
    client.force_login(instructor_of(seminar))
    return client


def test_edit_saves_module_number_and_exam_date(instructor_client, seminar):
    data = edit_form_data(instructor_client, seminar, module_number=" IN2107 ", exam_date="2027-02-15")

    response = instructor_client.post(edit_url(seminar), data)

    assert response.status_code == 302
    seminar.refresh_from_db()
    assert (seminar.module_number, seminar.exam_date) == ("IN2107", date(2027, 2, 15))


def test_edit_page_shows_the_exam_date_in_a_date_field(instructor_client, seminar):
    Seminar.objects.filter(pk=seminar.pk).update(module_number="IN2107", exam_date=date(2027, 2, 15))

    content = instructor_client.get(edit_url(seminar)).content.decode()

    assert re.search(r'<input type="date" name="exam_date" value="2027-02-15"', content)
    assert 'name="module_number" value="IN2107"' in content


def test_edit_with_both_fields_empty_saves_none(instructor_client, seminar):
    Seminar.objects.filter(pk=seminar.pk).update(module_number="IN2107", exam_date=date(2027, 2, 15))
    data = edit_form_data(instructor_client, seminar, module_number="", exam_date="")

    assert instructor_client.post(edit_url(seminar), data).status_code == 302

    seminar.refresh_from_db()
    assert (seminar.module_number, seminar.exam_date) == ("", None)


def test_edit_with_an_impossible_exam_date_is_refused(instructor_client, seminar):
    data = edit_form_data(instructor_client, seminar, exam_date="2027-02-30")

    response = instructor_client.post(edit_url(seminar), data)

    assert response.status_code == 200
    assert "exam_date" in response.context["form"].errors
    seminar.refresh_from_db()
    assert seminar.exam_date is None
