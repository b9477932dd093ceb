"""Every write about announcements: an instructor's message mailed to a group of the seminar's people and
kept in its archive."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.languages import in_reader_language, localized
from core.mail import language_of, mail_send, portal_link
from core.outbox import enqueue_many_on_commit

from .exceptions import AudienceChangedError, NoRecipientsError, SeminarError
from .models import Announcement, Seminar, Topic
from .selectors import announcement_recipients
from .tasks import task_announcement_mail


@transaction.atomic
def announcement_send(
    *,
    seminar: Seminar,
    author: User,
    audience: str,
    topic: Topic | None,
    subject: str,
    body: str,
    subject_de: str = "",
    body_de: str = "",
    expected_count: int,
    now: datetime,
) -> Announcement:
    """Mails a message to a group of the seminar's people and keeps it in the seminar's archive. The group
    is taken as it is now, and must have as many people as the confirmation page showed (`expected_count`):
    otherwise nothing is sent and AudienceChangedError says how many it has now. Each recipient gets a mail
    of their own (To: only them, Reply-To: the author), so replies reach the author and nobody can reply to
    all; the mails are handed to the workers through the outbox after commit."""
    if audience not in Announcement.Audience.values:
        raise SeminarError
    if audience == Announcement.Audience.TOPIC and (topic is None or topic.seminar_id != seminar.pk):
        raise SeminarError(_("Please choose one of the seminar's topics."))
    recipients = list(
        announcement_recipients(seminar, audience=audience, topic=topic, author=author).values_list(
            "pk", flat=True
        )
    )
    if not recipients:
        raise NoRecipientsError
    if len(recipients) != expected_count:
        raise AudienceChangedError(len(recipients))
    announcement = Announcement.objects.create(
        seminar=seminar,
        author=author,
        author_name=author.full_name,
        reply_to=author.email,
        audience=audience,
        topic=topic if audience == Announcement.Audience.TOPIC else None,
        topic_title=topic.title if audience == Announcement.Audience.TOPIC else "",
        subject=subject,
        body=body,
        subject_de=subject_de,
        body_de=body_de,
        recipient_count=len(recipients),
        sent_at=now,
    )
    enqueue_many_on_commit(
        task_announcement_mail, [{"announcement_id": announcement.pk, "user_id": pk} for pk in recipients]
    )
    return announcement


def announcement_mail(*, announcement: Announcement, user: User) -> None:
    """Mails one announcement to one person, in their language (the message's German or English text, else
    the other one), with replies to its author."""
    seminar = announcement.seminar
    language = language_of(user)
    subject = localized(announcement, "subject", language).text
    mail_send(
        to=user,
        subject=gettext_lazy("%(seminar)s: %(subject)s"),
        subject_params={"seminar": in_reader_language(seminar, "title"), "subject": subject},
        template="seminars/email/announcement",
        context={
            "seminar": seminar,
            "announcement": announcement,
            "subject": subject,
            "body": localized(announcement, "body", language).text,
            "seminar_url": portal_link("seminars:detail", seminar.slug),
        },
        zone=seminar.time_zone,
        reply_to=announcement.reply_to,
    )
