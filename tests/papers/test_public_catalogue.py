"""The paper catalogue for visitors: shown when the chair makes it public (Seminar.papers_public), else the
seminar page asks them to log in; a draft's catalogue stays hidden whatever the setting."""

import pytest
from django.urls import reverse

from seminars.models import Seminar
from tests.factories import SeminarFactory, UserFactory, instructor_of

from .helpers import PaperFactory, list_url

pytestmark = pytest.mark.django_db


def test_a_public_catalogue_is_shown_to_visitors(client):
    seminar = SeminarFactory(papers_public=True)
    PaperFactory(seminar=seminar, title="Neural tangent kernels")

    response = client.get(list_url(seminar))

    assert response.status_code == 200
    assert "Neural tangent kernels" in response.content.decode()
    assert "Rank papers" not in response.content.decode()
    detail = client.get(seminar.get_absolute_url()).content.decode()
    assert f'<a href="{list_url(seminar)}">The papers on offer</a>' in detail


def test_a_public_catalogue_is_shown_to_people_of_other_seminars(client):
    seminar = SeminarFactory(papers_public=True)
    PaperFactory(seminar=seminar, title="Neural tangent kernels")
    client.force_login(UserFactory())

    assert "Neural tangent kernels" in client.get(list_url(seminar)).content.decode()


def test_a_closed_catalogue_asks_visitors_to_log_in(client):
    seminar = SeminarFactory()
    PaperFactory(seminar=seminar, title="Neural tangent kernels")

    response = client.get(list_url(seminar))
    detail = client.get(seminar.get_absolute_url()).content.decode()

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "Log in to see the papers" in detail
    assert "Neural tangent kernels" not in detail


def test_a_closed_catalogue_tells_a_logged_in_non_member_who_sees_it(client):
    seminar = SeminarFactory()
    client.force_login(UserFactory())

    assert client.get(list_url(seminar)).status_code == 403
    assert "Members of the seminar see the papers." in client.get(seminar.get_absolute_url()).content.decode()


def test_a_drafts_catalogue_stays_hidden_even_when_public(client):
    seminar = SeminarFactory(papers_public=True, state=Seminar.State.DRAFT)

    assert client.get(list_url(seminar)).status_code == 302


def test_the_seminar_page_names_its_instructors_and_contact(client):
    seminar = SeminarFactory(contact_email="dl-seminar@uni.example")
    instructor_of(seminar, user__full_name="Ida Instructor")
    instructor_of(seminar, user__full_name="Ivo Instructor")

    page = client.get(seminar.get_absolute_url()).content.decode()

    assert "<dt>Taught by</dt>" in page
    assert "<dd>Ida Instructor, Ivo Instructor</dd>" in page
    assert '<a href="mailto:dl-seminar@uni.example">dl-seminar@uni.example</a>' in page
