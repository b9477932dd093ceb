"""Family and given name for the exam office: the split of a full name (accounts.names), the two optional
fields of the User, and where a person enters them (sign-up, profile)."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import User
from accounts.names import split_full_name
from tests.factories import UserFactory

from .allauth_flows import STRONG_PASSWORD

PROFILE = reverse("accounts:profile")


@pytest.mark.parametrize(
    ("full_name", "parts"),
    [
        ("Mia Me", ("Me", "Mia")),
        ("Ada  Augusta   King", ("King", "Ada Augusta")),
        ("Ludwig van Beethoven", ("van Beethoven", "Ludwig")),
        ("Johann Wolfgang von Goethe", ("von Goethe", "Johann Wolfgang")),
        ("Karl-Theodor von und zu Guttenberg", ("von und zu Guttenberg", "Karl-Theodor")),
        ("Vincent van der Berg", ("van der Berg", "Vincent")),
        ("mia me", ("me", "mia")),
        ("Lovelace, Ada", ("Lovelace", "Ada")),
        ("van Beethoven,  Ludwig ", ("van Beethoven", "Ludwig")),
        ("Jürgen Groß-Müller", ("Groß-Müller", "Jürgen")),
        ("Plato", ("Plato", "")),
        ("", ("", "")),
        ("   ", ("", "")),
    ],
)
def test_split_full_name_by_the_documented_rule(full_name, parts):
    assert split_full_name(full_name) == parts


WORD = st.text(st.characters(categories=["L", "Pd"]), min_size=1, max_size=12)


@given(words=st.lists(WORD, min_size=1, max_size=6))
def test_split_full_name_without_a_comma_loses_no_word(words):
    family, given_name = split_full_name(" ".join(words))

    assert " ".join(part for part in (given_name, family) if part).split() == words
    assert family
    assert not given_name or given_name.split()[0] == words[0]


@given(family=WORD, given_name=WORD)
def test_split_full_name_with_a_comma_gives_family_then_given(family, given_name):
    assert split_full_name(f"{family}, {given_name}") == (family, given_name)


def test_user_family_and_given_name_takes_the_fields_before_the_split():
    user = User(full_name="Kim Jong-un", family_name="Kim", given_name="Jong-un")

    assert user.family_and_given_name == ("Kim", "Jong-un")


def test_user_family_and_given_name_with_only_a_family_name_keeps_the_given_name_empty():
    user = User(full_name="Sukarno Putra", family_name="Sukarno")

    assert user.family_and_given_name == ("Sukarno", "")


def test_user_family_and_given_name_without_fields_splits_the_full_name():
    assert User(full_name="Ludwig van Beethoven").family_and_given_name == ("van Beethoven", "Ludwig")


@pytest.mark.django_db
def test_signup_stores_given_and_family_name(client, mailoutbox):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "ada@example.org",
            "full_name": "Ada Lovelace",
            "given_name": " Augusta  Ada ",
            "family_name": "King",
            "password1": STRONG_PASSWORD,
            "password2": STRONG_PASSWORD,
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="ada@example.org")
    assert (user.full_name, user.given_name, user.family_name) == ("Ada Lovelace", "Augusta Ada", "King")


@pytest.mark.django_db
def test_profile_shows_and_saves_given_and_family_name(client):
    user = UserFactory(full_name="Ada Lovelace", given_name="Ada", family_name="Lovelace")
    client.force_login(user)

    form = client.get(PROFILE).context["form"]
    assert (form["given_name"].value(), form["family_name"].value()) == ("Ada", "Lovelace")
    response = client.post(
        PROFILE,
        {
            "full_name": "Ada King",
            "given_name": "Augusta Ada",
            "family_name": " King ",
            "matriculation_number": "",
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.given_name, user.family_name) == ("Ada King", "Augusta Ada", "King")


@pytest.mark.django_db
def test_profile_with_too_long_family_name_shows_error(client):
    user = UserFactory(full_name="Ada Lovelace", family_name="Lovelace")
    client.force_login(user)

    response = client.post(
        PROFILE, {"full_name": "Ada", "family_name": "x" * 151, "matriculation_number": ""}
    )

    assert response.status_code == 200
    assert "family_name" in response.context["form"].errors
    user.refresh_from_db()
    assert user.family_name == "Lovelace"
