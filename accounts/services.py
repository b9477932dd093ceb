from django.conf import settings
from django.db import transaction

from .models import User


@transaction.atomic
def user_profile_update(
    *,
    user: User,
    full_name: str,
    given_name: str,
    family_name: str,
    matriculation_number: str,
    language: str = "",
) -> User:
    """Changes the name (also in its two parts, for the exam office) and matriculation number a person shows
    to instructors and the exam office, and the language of their mail (unchanged when not given)."""
    user.full_name = full_name
    user.given_name = given_name
    user.family_name = family_name
    user.matriculation_number = matriculation_number
    if language:
        user.language = language
    user.save(update_fields=["full_name", "given_name", "family_name", "matriculation_number", "language"])
    return user


def user_language_set(*, user: User, language: str) -> None:
    """Remembers the language a person chose in the portal, for the mail they get later."""
    if language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
