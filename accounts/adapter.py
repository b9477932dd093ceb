from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.stagekit import clear_login
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _

from core.mail import language_of, portal_link
from core.outbox import enqueue_on_commit
from core.tasks import task_message_send

from .middleware import SSO_MFA_SESSION_KEY
from .models import User
from .saml_provider import AUTHN_CONTEXTS
from .services import user_sso_update
from .sso import Identity, counts_as_mfa, identity_from_oidc, identity_from_saml


class PortalSite:
    """What allauth's mail templates call the site: the portal's name and public address, not the host
    of whatever request triggered the mail ("Hello from 127.0.0.1:18200!")."""

    def __init__(self):
        self.name = settings.PORTAL_NAME
        self.domain = settings.PORTAL_URL.split("://", 1)[-1]


class AccountAdapter(DefaultAccountAdapter):
    """Keeps allauth's behaviour; stores e-mail addresses in lower case so that logins match, takes the
    language a person signed up in as the language of their mail, and sends allauth's account mails the
    portal's way: in the recipient's mail language, naming the portal, through core.mail."""

    def is_open_for_signup(self, request):
        """Sign-up with e-mail and password only while local accounts are on (SSO_LOCAL_ACCOUNTS)."""
        return settings.SSO_LOCAL_ACCOUNTS == "on"

    def authenticate(self, request, **credentials):
        """A password login, refused with a clear message for everyone when local accounts are off and
        for everyone but site staff when they are "staff" (SSO_LOCAL_ACCOUNTS)."""
        user = super().authenticate(request, **credentials)
        if user is not None and not local_login_allowed(user):
            raise forms.ValidationError(local_login_refusal())
        return user

    def pre_login(self, request, user, **kwargs):
        """Every login that is not an SSO one (a password, a password reset, a confirmed e-mail, a mailed
        code) under the same rule as the password form (SSO_LOCAL_ACCOUNTS): allauth signs in after a
        reset without asking `authenticate`, so the rule is asked here too."""
        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        if sociallogin is None and not local_login_allowed(user):
            clear_login(request)
            messages.error(request, local_login_refusal())
            return redirect("account_login")
        return super().pre_login(request, user, **kwargs)

    def post_login(self, request, user, **kwargs):
        """Remembers for the session whether this login was multi-factor by the IdP's word (an SSO login
        whose AuthnContext or acr is in SSO_MFA_CONTEXTS); set only once the login succeeded, and
        cleared by every other login."""
        response = super().post_login(request, user, **kwargs)
        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        request.session[SSO_MFA_SESSION_KEY] = sociallogin is not None and counts_as_mfa(
            authn_contexts_of(sociallogin), settings.SSO_MFA_CONTEXTS
        )
        return response

    def clean_email(self, email):
        return super().clean_email(email).strip().lower()

    def save_user(self, request, user, form, commit=True):
        language = translation.get_language()
        if language in dict(settings.LANGUAGES):
            user.language = language
        return super().save_user(request, user, form, commit=commit)

    def format_email_subject(self, subject):
        return str(subject)  # core.mail.message_send adds the portal's one prefix

    def send_mail(self, template_prefix, email, context):
        user = context.get("user") or User.objects.filter(email__iexact=email).first()
        language = language_of(user) if user is not None else translation.get_language()
        with translation.override(language):
            message = self.render_mail(
                template_prefix,
                email,
                {
                    "email": email,
                    "current_site": PortalSite(),
                    "portal_name": settings.PORTAL_NAME,
                    "portal_url": settings.PORTAL_URL,
                    **context,
                },
            )
            alternatives = getattr(message, "alternatives", [])
            html = next((body for body, kind in alternatives if kind == "text/html"), None)
        # Sent by a worker after commit, like every other mail: a slow SMTP server never holds the page.
        enqueue_on_commit(task_message_send, to=email, subject=message.subject, text=message.body, html=html)

    def get_reset_password_from_key_url(self, key):
        return on_portal(super().get_reset_password_from_key_url(key))

    def get_email_confirmation_url(self, request, emailconfirmation):
        return on_portal(super().get_email_confirmation_url(request, emailconfirmation))

    def send_account_already_exists_mail(self, email):
        context = {
            "signup_url": portal_link("account_signup"),
            "password_reset_url": portal_link("account_reset_password"),
        }
        self.send_mail("account/email/account_already_exists", email, context)


def on_portal(url: str) -> str:
    """An address allauth built from the request's host, on the portal's public address instead (the
    request may have come through an internal name; the link in a mail must work from anywhere)."""
    parts = urlsplit(url)
    return settings.PORTAL_URL + parts.path + (f"?{parts.query}" if parts.query else "")


def local_login_allowed(user) -> bool:
    mode = settings.SSO_LOCAL_ACCOUNTS
    return mode == "on" or (mode == "staff" and user.is_staff)


def local_login_refusal() -> str:
    if settings.SSO_LOCAL_ACCOUNTS == "off":
        return _("Log in with your university account; this portal takes no passwords.")
    return _("Log in with your university account; password login is reserved for site staff.")


def identity_of(sociallogin) -> Identity:
    """What the IdP of this login says about the person (accounts.sso maps attributes and claims)."""
    data = sociallogin.account.extra_data or {}
    if sociallogin.account.get_provider().id == "saml":
        return identity_from_saml(data, matriculation_attribute=settings.SSO_MATRICULATION_ATTRIBUTE)
    claims = data.get("userinfo") or data.get("id_token") or data
    return identity_from_oidc(claims, matriculation_claim=settings.SSO_MATRICULATION_CLAIM)


def authn_contexts_of(sociallogin) -> list[str]:
    """What the IdP said about how the person authenticated: SAML's AuthnContextClassRef values (kept by
    accounts.saml_provider), OIDC's `acr`."""
    data = sociallogin.account.extra_data or {}
    if sociallogin.account.get_provider().id == "saml":
        return [str(value) for value in data.get(AUTHN_CONTEXTS) or []]
    acr = (data.get("id_token") or {}).get("acr")
    return [str(acr)] if acr else []


def unclaimed(user: User) -> bool:
    """An account nobody has used yet: created by a student-list import or an invitation, never logged
    into, no password set, no SSO account linked. It has no owner who could prove anything, so the IdP's
    word (the same matriculation number or e-mail) is the only proof there can be."""
    return user.last_login is None and not user.has_usable_password() and not user.socialaccount_set.exists()


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """SSO logins (allauth's SAML and OpenID Connect providers). A first login creates the account from
    the IdP's attributes (e-mail verified, as the IdP vouches for it), later ones update name and e-mail.
    An existing account is linked without proof only when it is unclaimed (see `unclaimed`: imported
    students are matched by matriculation number, then e-mail) or when its owner may not log in locally
    (SSO_LOCAL_ACCOUNTS staff or off: no password or reset could prove anything, the IdP's word is the only
    proof there can be); any other account with the same e-mail or matriculation number is never linked
    silently: its owner logs in with the password once and links the university account on the profile
    page."""

    def is_open_for_signup(self, request, sociallogin):
        return True

    def is_email_verified(self, provider, email):
        return True

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        identity = identity_of(sociallogin)
        user.email = identity.email or user.email
        user.full_name = identity.full_name or user.email
        user.given_name = identity.given_name
        user.family_name = identity.family_name
        user.matriculation_number = identity.matriculation_number
        user.language = (
            translation.get_language() if translation.get_language() in dict(settings.LANGUAGES) else "en"
        )
        return user

    def pre_social_login(self, request, sociallogin):
        identity = identity_of(sociallogin)
        if sociallogin.is_existing:
            user_sso_update(user=sociallogin.user, identity=identity)
            return
        if sociallogin.state.get("process") == "connect":
            return
        found = accounts_matching(identity)
        if not found:
            return
        if len(found) == 1 and (unclaimed(found[0]) or not local_login_allowed(found[0])):
            sociallogin.connect(request, found[0])
            user_sso_update(user=found[0], identity=identity)
            return
        messages.error(
            request,
            _(
                "An account with your e-mail address or matriculation number already exists. Log in to it "
                "with its password (or reset the password by mail) and link your university account on "
                "your profile page."
            ),
        )
        raise ImmediateHttpResponse(redirect("account_login"))


def accounts_matching(identity: Identity) -> list[User]:
    """The accounts an IdP's identity could belong to: by matriculation number, then e-mail (both
    looked at, so that two different accounts are noticed and neither is linked)."""
    found = []
    if identity.matriculation_number:
        found += User.objects.filter(matriculation_number=identity.matriculation_number)
    if identity.email:
        found += User.objects.filter(email__iexact=identity.email).exclude(pk__in=[user.pk for user in found])
    return found
