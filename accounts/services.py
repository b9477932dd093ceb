from django.conf import settings
from django.db import transaction

from .models import User
from .sso import Identity


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


@transaction.atomic
def user_sso_update(*, user: User, identity: Identity) -> User:
    """What the IdP says at each SSO login wins: name (and its two parts), e-mail (verified, the IdP
    vouches for it) and matriculation number, each only when the IdP sends one and, for e-mail and
    matriculation number, no other account has it. Locks the user row."""
    from allauth.account.models import EmailAddress

    user = User.objects.select_for_update().get(pk=user.pk)
    others = User.objects.exclude(pk=user.pk)
    if identity.full_name:
        user.full_name = identity.full_name
        user.given_name = identity.given_name
        user.family_name = identity.family_name
    if (
        identity.matriculation_number
        and not others.filter(matriculation_number=identity.matriculation_number).exists()
    ):
        user.matriculation_number = identity.matriculation_number
    if identity.email and not others.filter(email__iexact=identity.email).exists():
        user.email = identity.email
        EmailAddress.objects.filter(user=user).exclude(email__iexact=identity.email).update(primary=False)
        EmailAddress.objects.update_or_create(
            user=user, email=identity.email, defaults={"verified": True, "primary": True}
        )
    user.save(update_fields=["full_name", "given_name", "family_name", "matriculation_number", "email"])
    return user
