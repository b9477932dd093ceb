"""The one way the portal sends mail.

`mail_send` renders a mail's text and HTML templates in the recipient's language (their mail language,
User.language) with times in the given zone, and `message_send` puts the portal's one subject prefix on
it and sends it; allauth's account mails go through `message_send` too (accounts.adapter). Links in mail
are absolute: `portal_link` builds them with reverse() and PORTAL_URL, since a worker has no request to
take the host from. Callers run inside a Celery task (handed over through the outbox after commit), so a
slow SMTP server never holds a page.
"""

from collections.abc import Mapping

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise

from core.branding import accent


def portal_link(viewname: str, *args) -> str:
    """The absolute address of a page of the portal, for a mail."""
    return settings.PORTAL_URL + reverse(viewname, args=args)


def language_of(user) -> str:
    """The language a person's mail is written in: theirs if the portal speaks it, else the default."""
    language = getattr(user, "language", "") or ""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def subject_line(subject: str) -> str:
    """One prefix on every subject, naming the portal: "[Seminar portal] Your paper in ..."."""
    return f"[{settings.PORTAL_NAME}] {' '.join(subject.split())}"


def message_send(
    *,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    headers: Mapping[str, str] | None = None,
    reply_to: str | None = None,
) -> None:
    """One recipient per message, so nobody sees the others' addresses and nobody can reply to all;
    `reply_to` sends replies to that address (a person) instead of the portal's sender address."""
    message = EmailMultiAlternatives(
        subject=subject_line(subject),
        body=text,
        to=[to],
        headers=dict(headers or {}),
        reply_to=[reply_to] if reply_to else None,
    )
    if html is not None:
        message.attach_alternative(html, "text/html")
    message.send()


def mail_send(
    *,
    to,
    subject: Promise,
    template: str,
    context: Mapping,
    subject_params: Mapping | None = None,
    zone: str | None = None,
    headers: Mapping[str, str] | None = None,
    reply_to: str | None = None,
) -> None:
    """Sends `template`.txt and `template`.html to the user `to`, in their language; `subject` is a lazy
    translation, filled with `subject_params` in that language; times show in `zone` (the seminar's);
    replies go to `reply_to` when given."""
    with translation.override(language_of(to)), timezone.override(zone or settings.TIME_ZONE):
        context = {
            "recipient": to,
            "portal_name": settings.PORTAL_NAME,
            "portal_institution": settings.PORTAL_INSTITUTION,
            "portal_accent": accent(),
            "portal_url": settings.PORTAL_URL,
            **context,
        }
        message_send(
            to=to.email,
            subject=str(subject) % dict(subject_params or {}),
            text=render_to_string(f"{template}.txt", context),
            html=render_to_string(f"{template}.html", context),
            headers=headers,
            reply_to=reply_to,
        )
