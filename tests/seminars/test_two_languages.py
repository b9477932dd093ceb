"""The seminar's own texts in German and English (core.languages): a reader sees their language and falls
back to the other one, marked as such; the edit form takes both; mails go out in the recipient's."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from calendars.services import calendar_feed_get
from core.languages import Localized, localized
from seminars.announcements import announcement_send
from seminars.models import Material, Topic
from submissions.services import submission_receipt_notify
from tests.factories import SeminarFactory, TopicFactory, UserFactory, instructor_of, student_of
from tests.seminars.helpers import enrol_url
from tests.submissions.helpers import (
    DeliverableFactory,
    SubmissionFactory,
    submission_storage,  # noqa: F401 - the fixture
)

pytestmark = pytest.mark.django_db


def german(client):
    client.cookies["django_language"] = "de"
    return client


def test_localized_prefers_the_readers_language_and_marks_the_other_one():
    seminar = SeminarFactory.build(
        title="Kernel methods", title_de="Kernmethoden", focus="Kernels.", focus_de=""
    )

    with translation.override("de"):
        assert localized(seminar, "title") == Localized("Kernmethoden", "de", False)
        assert localized(seminar, "focus") == Localized("Kernels.", "en", True)
        assert localized(seminar, "focus").note == "(auf Englisch)"
    with translation.override("en"):
        assert localized(seminar, "title") == Localized("Kernel methods", "en", False)
    seminar.focus, seminar.focus_de = "", "Kerne."
    with translation.override("en"):
        assert localized(seminar, "focus") == Localized("Kerne.", "de", True)
        assert (
            str(localized(seminar, "focus").html)
            == '<span lang="de">Kerne.</span> <span class="language-note">(in German)</span>'
        )
    seminar.focus_de = ""
    assert not localized(seminar, "focus", "de")
    assert localized(seminar, "focus", "de").note == ""


def test_german_reader_sees_the_german_page_and_the_english_texts_marked(client):
    seminar = SeminarFactory(
        title="Kernel methods",
        title_de="Kernmethoden",
        focus="Kernels, from RKHS to NTK.",
        focus_de="Kerne, von RKHS bis NTK.",
        evaluation="Report and talk.",
        objectives="Read a paper\nPresent it",
        objectives_de="Ein Paper lesen\nEs vortragen",
    )
    TopicFactory(seminar=seminar, title="Kernels", title_de="Kerne")
    TopicFactory(seminar=seminar, title="Neural tangents")

    page = german(client).get(seminar.get_absolute_url()).content.decode()

    assert "<h1>Kernmethoden</h1>" in page
    assert "Kerne, von RKHS bis NTK." in page
    assert "Kernels, from RKHS to NTK." not in page
    assert "<li>Kerne</li>" in page
    assert (
        '<li><span lang="en">Neural tangents</span> <span class="language-note">(auf Englisch)</span></li>'
        in page
    )
    assert '<ol lang="de"><li>Ein Paper lesen</li><li>Es vortragen</li></ol>' in page
    assert (
        '<div class="localized-text" lang="en"><p>Report and talk.</p></div>'
        '<p class="language-note">(auf Englisch)</p>' in page
    )


def test_english_reader_sees_the_english_page(client):
    seminar = SeminarFactory(
        title="Kernel methods", title_de="Kernmethoden", focus="Kernels.", focus_de="Kerne."
    )

    page = client.get(seminar.get_absolute_url()).content.decode()

    assert "<h1>Kernel methods</h1>" in page
    assert "Kernels." in page
    assert "Kerne." not in page
    assert "language-note" not in page


def test_deliverable_and_material_texts_follow_the_reader(client, submission_storage):  # noqa: F811
    seminar = SeminarFactory()
    deliverable = DeliverableFactory(
        seminar=seminar, title="Written report", title_de="Ausarbeitung", instructions="At most ten pages."
    )
    instructor = instructor_of(seminar)
    Material.objects.create(
        seminar=seminar,
        title="LaTeX template",
        title_de="LaTeX-Vorlage",
        file="x.zip",
        original_name="t.zip",
        file_type="zip",
        size=1,
        sha256="0" * 64,
        uploaded_at=deliverable.due_at,
    )
    german(client).force_login(instructor)

    listing = client.get(reverse("submissions:list", args=[seminar.slug])).content.decode()
    detail = client.get(reverse("seminars:detail", args=[seminar.slug])).content.decode()

    assert ">Ausarbeitung</a></h2>" in listing
    assert ">LaTeX-Vorlage</a>" in detail


def test_edit_form_saves_both_languages_and_the_german_topic_titles_by_line(client):
    seminar = SeminarFactory(title="Kernel methods")
    instructor = instructor_of(seminar)
    client.force_login(instructor)
    form = client.get(reverse("seminars:edit", args=[seminar.slug])).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        title="Kernel methods",
        title_de="Kernmethoden",
        focus_de="Kerne.",
        topics="Kernels\nTangents\nMean field",
        topics_de="Kerne\n\nMittleres Feld",
        time_zone="Europe/Berlin",
        state="open",
        capacity="20",
        term="Winter term",
    )
    data = {name: ("" if value is None else value) for name, value in data.items()}
    for name in ("premeeting_start", "premeeting_end", "withdrawal_deadline", "exam_date"):
        data[name] = ""

    response = client.post(reverse("seminars:edit", args=[seminar.slug]), data)

    assert response.status_code == 302, response.context["form"].errors
    seminar.refresh_from_db()
    assert (seminar.title_de, seminar.focus_de) == ("Kernmethoden", "Kerne.")
    assert list(Topic.objects.filter(seminar=seminar).values_list("title", "title_de")) == [
        ("Kernels", "Kerne"),
        ("Tangents", ""),
        ("Mean field", "Mittleres Feld"),
    ]


def test_edit_form_refuses_more_german_topic_lines_than_topics_and_keeps_them(client):
    seminar = SeminarFactory()
    client.force_login(instructor_of(seminar))
    form = client.get(reverse("seminars:edit", args=[seminar.slug])).context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update(topics="Kernels", topics_de="Kerne\nTangenten", time_zone="Europe/Berlin", state="open")
    for name in ("premeeting_start", "premeeting_end", "withdrawal_deadline", "exam_date"):
        data[name] = ""

    response = client.post(reverse("seminars:edit", args=[seminar.slug]), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "2 German lines for 1 topics: one line per topic, please." in page
    assert "Kerne\nTangenten</textarea>" in page


def test_announcement_mail_is_in_the_recipients_language(mailoutbox, django_capture_on_commit_callbacks):
    """Its subject names the seminar in the recipient's language too."""
    seminar = SeminarFactory(title="Kernel methods", title_de="Kernmethoden")
    author = instructor_of(seminar)
    german_reader = student_of(seminar, user__language="de")
    english_reader = student_of(seminar, user__language="en")
    with django_capture_on_commit_callbacks(execute=True):
        announcement_send(
            seminar=seminar,
            author=author,
            audience="students",
            topic=None,
            subject="Room change",
            body="We meet in MI 02.13.",
            subject_de="Raumänderung",
            body_de="",
            expected_count=2,
            now=timezone.now(),
        )

    by_recipient = {message.to[0]: message for message in mailoutbox}
    assert by_recipient[german_reader.email].subject == "[Seminar portal] Kernmethoden: Raumänderung"
    assert "We meet in MI 02.13." in by_recipient[german_reader.email].body  # no German body: the English
    assert by_recipient[english_reader.email].subject == "[Seminar portal] Kernel methods: Room change"


@pytest.mark.parametrize(
    "name", ["papers:list", "schedule:program", "submissions:list", "seminars:announcements"]
)
def test_every_page_of_a_seminar_heads_with_the_title_in_the_readers_language(client, name):
    seminar = SeminarFactory(title="Kernel methods", title_de="Kernmethoden")
    client.force_login(student_of(seminar))
    url = reverse(name, args=[seminar.slug])

    german_page = german(client).get(url).content.decode()
    client.cookies["django_language"] = "en"
    english_page = client.get(url).content.decode()

    assert "Kernmethoden" in german_page
    assert "Kernel methods" not in german_page
    assert "Kernel methods" in english_page
    assert "Kernmethoden" not in english_page


def test_a_title_without_its_german_text_heads_german_pages_in_english(client):
    seminar = SeminarFactory(title="Kernel methods", title_de="")
    client.force_login(student_of(seminar))
    assert (
        "Kernel methods" in german(client).get(reverse("papers:list", args=[seminar.slug])).content.decode()
    )


# --- texts built in Python: mail subjects, messages, calendar feeds -------------------------------------


def test_the_receipts_subject_names_the_deliverable_in_the_students_language(
    mailoutbox,
    submission_storage,  # noqa: F811
):
    seminar = SeminarFactory(title="Kernel methods", title_de="Kernmethoden")
    deliverable = DeliverableFactory(seminar=seminar, title="Written report", title_de="Ausarbeitung")
    subjects = {}
    for language in ("de", "en"):
        student = student_of(seminar, user__language=language)
        submission_receipt_notify(submission=SubmissionFactory(deliverable=deliverable, student=student))
        subjects[language] = mailoutbox[-1].subject

    assert subjects == {
        "de": "[Seminar portal] Eingangsbestätigung: Ausarbeitung, Version 1",
        "en": "[Seminar portal] Receipt: Written report, version 1",
    }


def test_the_enrolment_message_names_the_seminar_in_the_readers_language(client):
    seminar = SeminarFactory(title="Kernel methods", title_de="Kernmethoden")
    client.force_login(UserFactory())

    page = german(client).post(enrol_url(seminar), {"confirm_prerequisites": "on"}, follow=True)

    assert "Sie sind in Kernmethoden angemeldet." in page.content.decode()


def test_a_calendar_feed_speaks_its_owners_language(client):
    seminar = SeminarFactory(title="Kernel methods", title_de="Kernmethoden")
    DeliverableFactory(seminar=seminar, title="Written report", title_de="Ausarbeitung")
    german_student = student_of(seminar, user__language="de")
    english_student = student_of(seminar, user__language="en")

    def summaries(user) -> set[str]:
        token = calendar_feed_get(user=user).token
        feed = Calendar.from_ical(client.get(reverse("calendars:feed", args=[token])).content)
        return {str(event["SUMMARY"]) for event in feed.walk("VEVENT")}

    german_feed, english_feed = summaries(german_student), summaries(english_student)
    assert any("Ausarbeitung" in summary and "Kernmethoden" in summary for summary in german_feed)
    assert not any("Written report" in summary or "Kernel methods" in summary for summary in german_feed)
    assert any("Written report" in summary and "Kernel methods" in summary for summary in english_feed)
