from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.core.exceptions import ImproperlyConfigured

from .models import User


@dataclass(frozen=True)
class SsoLink:
    idp: str
    uid: str


def sso_accounts_of(user: User) -> list[SsoLink]:
    """The person's linked IdP accounts, oldest first, with the IdP's name (its id when the IdP is no
    longer configured)."""
    links = []
    for account in SocialAccount.objects.filter(user=user).order_by("date_joined", "pk"):
        try:
            name = account.get_provider().name
        except (SocialApp.DoesNotExist, ImproperlyConfigured):
            name = account.provider
        links.append(SsoLink(idp=name, uid=account.uid))
    return links


def mfa_devices_of(user: User) -> list[Authenticator]:
    """The person's MFA devices (TOTP, security keys, recovery codes), oldest first."""
    return list(Authenticator.objects.filter(user=user).order_by("created_at", "pk"))
