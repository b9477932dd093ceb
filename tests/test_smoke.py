import pytest

from tests.factories import SeminarFactory, instructor_of


@pytest.mark.django_db
def test_seminar_page_shows_title_for_anonymous(client):
    seminar = SeminarFactory(title="Kernels and nets")
    instructor_of(seminar)
    response = client.get(seminar.get_absolute_url())
    assert response.status_code == 200
    assert "Kernels and nets" in response.content.decode()
