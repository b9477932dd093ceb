"""The profile page: a logged-in person edits their own full name and matriculation number."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")


@pytest.fixture
def student(client):
    user = UserFactory(email="student@example.org", full_name="Ada Lovelace", matriculation_number="111")
    client.force_login(user)
    return user


def test_profile_requires_login(client):
    response = client.get(PROFILE)

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={PROFILE}"


def test_profile_post_requires_login(client):
    user = UserFactory(full_name="Ada Lovelace")

    response = client.post(PROFILE, {"full_name": "Mallory", "matriculation_number": ""})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.full_name == "Ada Lovelace"


def test_profile_shows_current_values_and_login_email(client, student):
    response = client.get(PROFILE)

    assert response.status_code == 200
    page = response.content.decode()
    assert "student@example.org" in page
    assert 'value="Ada Lovelace"' in page
    assert 'value="111"' in page


def test_profile_saves_full_name_and_matriculation_number(client, student):
    response = client.post(PROFILE, {"full_name": "  Ada   King ", "matriculation_number": " 03712345 "})

    assert response.status_code == 302
    assert response.url == PROFILE
    student.refresh_from_db()
    assert student.full_name == "Ada King"
    assert student.matriculation_number == "03712345"
    assert "Your profile has been saved." in client.get(PROFILE).content.decode()


def test_profile_clears_matriculation_number(client, student):
    client.post(PROFILE, {"full_name": "Ada Lovelace", "matriculation_number": ""})

    student.refresh_from_db()
    assert student.matriculation_number == ""


def test_profile_keeps_own_matriculation_number(client, student):
    response = client.post(PROFILE, {"full_name": "Ada King", "matriculation_number": "111"})

    assert response.status_code == 302
    student.refresh_from_db()
    assert student.full_name == "Ada King"


def test_profiles_of_two_people_may_both_lack_matriculation_number(client, student):
    UserFactory(matriculation_number="")

    response = client.post(PROFILE, {"full_name": "Ada", "matriculation_number": ""})

    assert response.status_code == 302


@pytest.mark.parametrize("full_name", ["", "   "])
def test_profile_without_full_name_shows_error(client, student, full_name):
    response = client.post(PROFILE, {"full_name": full_name, "matriculation_number": "111"})

    assert response.status_code == 200
    assert response.context["form"].errors["full_name"] == ["This field is required."]
    assert "This field is required." in response.content.decode()
    student.refresh_from_db()
    assert student.full_name == "Ada Lovelace"


def test_profile_with_letters_in_matriculation_number_shows_error(client, student):
    response = client.post(PROFILE, {"full_name": "Ada", "matriculation_number": "03A12345"})

    assert response.status_code == 200
    assert "A matriculation number has digits only." in response.content.decode()
    student.refresh_from_db()
    assert student.matriculation_number == "111"
    assert student.full_name == "Ada Lovelace"


def test_profile_with_matriculation_number_of_another_account_shows_error(client, student):
    UserFactory(matriculation_number="222")

    response = client.post(PROFILE, {"full_name": "Ada", "matriculation_number": "222"})

    assert response.status_code == 200
    assert response.context["form"].errors["matriculation_number"] == [
        "This matriculation number belongs to another account."
    ]
    assert "This matriculation number belongs to another account." in response.content.decode()
    student.refresh_from_db()
    assert student.matriculation_number == "111"


def test_profile_with_too_long_matriculation_number_shows_error(client, student):
    response = client.post(PROFILE, {"full_name": "Ada", "matriculation_number": "1" * 21})

    assert response.status_code == 200
    assert "matriculation_number" in response.context["form"].errors
    student.refresh_from_db()
    assert student.matriculation_number == "111"


def test_profile_post_with_another_users_id_changes_only_own_profile(client, student):
    other = UserFactory(full_name="Bob Other", matriculation_number="222", email="bob@example.org")

    client.post(
        PROFILE,
        {
            "id": other.pk,
            "pk": other.pk,
            "user": other.pk,
            "email": "bob@example.org",
            "full_name": "Hijacked",
            "matriculation_number": "999",
        },
    )

    other.refresh_from_db()
    assert (other.full_name, other.matriculation_number, other.email) == (
        "Bob Other",
        "222",
        "bob@example.org",
    )
    student.refresh_from_db()
    assert (student.full_name, student.matriculation_number) == ("Hijacked", "999")


def test_profile_post_cannot_change_email_or_staff_flags(client, student):
    client.post(
        PROFILE,
        {
            "full_name": "Ada",
            "matriculation_number": "111",
            "email": "elsewhere@example.org",
            "is_staff": "on",
            "is_superuser": "on",
        },
    )

    student.refresh_from_db()
    assert student.email == "student@example.org"
    assert not student.is_staff
    assert not student.is_superuser


def test_profile_page_of_another_user_by_query_shows_own_profile(client, student):
    other = UserFactory(full_name="Bob Other")

    response = client.get(PROFILE, {"id": other.pk, "user": other.pk})

    assert "Bob Other" not in response.content.decode()
    assert 'value="Ada Lovelace"' in response.content.decode()
