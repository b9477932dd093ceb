from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation

from core.mail import language_of, portal_link
from core.outbox import enqueue_on_commit
from core.tasks import task_message_send

from .models import User


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
