"""The reminder pages as people use them: a student's list of the reminders sent to them, the instructor's
page with every reminder of the seminar and the reminder settings, who may open which, what each costs in
queries at two sizes; and the Django admin of Reminder and ReminderSettings."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape, strip_tags

from reminders.models import Reminder, ReminderSettings
from reminders.schedule import DAY as DAY_MINUTES
from reminders.services import reminder_settings_set
from seminars.models import Seminar
from tests.factories import SeminarFactory, UserFactory, instructor_of, student_of, supervisor_of
from tests.papers.helpers import PreferenceWindowFactory
from tests.submissions.helpers import DUE, DeliverableFactory

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def visible_text(response) -> str:
    """The page's words as a reader sees them: tags gone, runs of white space as one space."""
    return " ".join(strip_tags(response.content.decode()).split())


def mine_url(seminar: Seminar) -> str:
    return reverse("reminders:mine", args=[seminar.slug])


def manage_url(seminar: Seminar) -> str:
    return reverse("reminders:manage", args=[seminar.slug])


def make_reminder(
    seminar: Seminar,
    user,
    *,
    state: str = Reminder.State.SENT,
    kind: str = Reminder.Kind.DELIVERABLE,
    object_id: int = 1,
    offset: int = DAY_MINUTES,
    title: str = "Written report",
    **fields,
) -> Reminder:
    """A reminder row as the scan and the send leave it (the subject here is the pages, not the scan)."""
    fire = DUE - timedelta(minutes=offset)
    return Reminder.objects.create(
        seminar=seminar,
        user=user,
        kind=kind,
        object_id=object_id,
        offset_minutes=offset,
        title=title,
        due_at=DUE,
        fire_at=fire,
        created_at=fire,
        enqueued_at=fire,
        state=state,
        attempts=0 if state == Reminder.State.PENDING else 1,
        sent_at=fire if state == Reminder.State.SENT else None,
        **fields,
    )


@pytest.fixture
def world():
    seminar = SeminarFactory(title="Theoretical advances in deep learning")
    other = SeminarFactory(title="Graph theory")
    people = {
        "seminar": seminar,
        "other": other,
        "instructor": instructor_of(seminar, user__full_name="Ina Instructor"),
        "supervisor": supervisor_of(seminar),
        "ada": student_of(seminar, user__full_name="Ada Lovelace", user__email="ada@uni.example"),
        "bob": student_of(seminar, user__full_name="Bob Builder", user__email="bob@uni.example"),
        "other_instructor": instructor_of(other),
        "outsider": UserFactory(),
    }
    return people


# --- the student's page -----------------------------------------------------------------------------------


def test_my_reminders_student_sees_only_the_reminders_sent_to_them(client, world):
    seminar, ada, bob = world["seminar"], world["ada"], world["bob"]
    sent = make_reminder(seminar, ada, title="Ada's report")
    make_reminder(seminar, ada, state=Reminder.State.PENDING, offset=180, title="Ada's waiting reminder")
    make_reminder(seminar, bob, title="Bob's report")
    student_of(world["other"], user=ada)
    make_reminder(world["other"], ada, object_id=2, title="Ada's other seminar")
    client.force_login(ada)
    response = client.get(mine_url(seminar))
    assert response.status_code == 200
    assert list(response.context["reminders"]) == [sent]
    page = response.content.decode()
    assert escape("Ada's report") in page
    assert escape("Ada's waiting reminder") not in page
    assert escape("Bob's report") not in page
    assert escape("Ada's other seminar") not in page
    assert "Times in Europe/Berlin (CET/CEST)" in page  # once, for the table


def test_my_reminders_shows_kind_and_state(client, world):
    seminar, ada = world["seminar"], world["ada"]
    make_reminder(seminar, ada, kind=Reminder.Kind.RANKING, title="Theoretical advances in deep learning")
    make_reminder(seminar, ada, state=Reminder.State.FAILED, offset=180, last_error="SMTPResponseException")
    client.force_login(ada)
    page = visible_text(client.get(mine_url(seminar)))
    assert "Ranking papers closes" in page
    assert "Deliverable due" in page
    assert "Theoretical advances in deep learning" in page
    assert " sent " in page
    assert " failed " in page


def test_my_reminders_kind_and_title_read_without_a_space_before_the_colon(client, world):
    make_reminder(world["seminar"], world["ada"])
    client.force_login(world["ada"])
    assert "Deliverable due: Written report" in visible_text(client.get(mine_url(world["seminar"])))


def test_reminder_lists_name_what_they_are_about_in_the_readers_language(client, world):
    """The row keeps the title in the portal's language; both lists say it in the reader's."""
    seminar, ada = world["seminar"], world["ada"]
    Seminar.objects.filter(pk=seminar.pk).update(title_de="Theoretische Fortschritte im Deep Learning")
    report = DeliverableFactory(seminar=seminar, title="Written report", title_de="Schriftliche Ausarbeitung")
    window = PreferenceWindowFactory(seminar=seminar)
    make_reminder(seminar, ada, object_id=report.pk, title="Written report")
    make_reminder(
        seminar,
        ada,
        kind=Reminder.Kind.RANKING,
        object_id=window.pk,
        offset=180,
        title="Theoretical advances",
    )
    client.force_login(ada)
    client.cookies["django_language"] = "de"
    german = visible_text(client.get(mine_url(seminar)))
    client.force_login(world["instructor"])
    client.cookies["django_language"] = "en"
    english = visible_text(client.get(manage_url(seminar)))

    assert "Schriftliche Ausarbeitung" in german
    assert "Theoretische Fortschritte im Deep Learning" in german
    assert "Written report" not in german
    assert "Deliverable due: Written report" in english
    assert "Theoretical advances in deep learning" in english


def test_my_reminders_none_yet_says_so(client, world):
    make_reminder(world["seminar"], world["bob"])
    client.force_login(world["ada"])
    response = client.get(mine_url(world["seminar"]))
    assert response.status_code == 200
    assert "No reminders have been sent to you in this seminar." in response.content.decode()


def test_my_reminders_not_a_member_403(client, world):
    client.force_login(world["outsider"])
    assert client.get(mine_url(world["seminar"])).status_code == 403


def test_my_reminders_anonymous_goes_to_login(client, world):
    url = mine_url(world["seminar"])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


def test_my_reminders_post_not_allowed(client, world):
    client.force_login(world["ada"])
    assert client.post(mine_url(world["seminar"])).status_code == 405


# --- the instructor's page --------------------------------------------------------------------------------


def test_manage_instructor_sees_every_reminder_of_the_seminar_with_its_state(client, world):
    seminar = world["seminar"]
    make_reminder(seminar, world["ada"])
    make_reminder(seminar, world["bob"], state=Reminder.State.PENDING)
    make_reminder(
        seminar,
        world["bob"],
        state=Reminder.State.FAILED,
        offset=180,
        last_error="SMTPResponseException: (550, b'mailbox unavailable')",
    )
    make_reminder(seminar, world["ada"], state=Reminder.State.SKIPPED, offset=180)
    make_reminder(world["other"], world["other_instructor"], title="Not this seminar's")
    client.force_login(world["instructor"])
    response = client.get(manage_url(seminar))
    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert len(rows) == 4
    assert {row.seminar_id for row in rows} == {seminar.pk}
    page = response.content.decode()
    for text in (
        "ada@uni.example",
        "bob@uni.example",
        "1d",
        "3h",
        "waiting to be sent",
        "not needed any more",
    ):
        assert text in page
    assert " sent " in visible_text(response)
    assert escape("(550, b'mailbox unavailable')") in page
    assert escape("Not this seminar's") not in page
    assert "Times in Europe/Berlin (CET/CEST)" in page  # once, for the table


def test_manage_no_reminders_yet_says_so(client, world):
    client.force_login(world["instructor"])
    assert "No reminders yet." in client.get(manage_url(world["seminar"])).content.decode()


def test_manage_form_shows_the_default_offsets(client, world):
    client.force_login(world["instructor"])
    response = client.get(manage_url(world["seminar"]))
    form = response.context["form"]
    assert form.initial == {"offsets": "7d, 1d, 3h", "instructor_summary": True}
    assert 'value="7d, 1d, 3h"' in response.content.decode()


def test_manage_form_shows_the_seminars_own_offsets(client, world):
    reminder_settings_set(seminar=world["seminar"], offsets=[2 * DAY_MINUTES, 90], instructor_summary=False)
    client.force_login(world["instructor"])
    form = client.get(manage_url(world["seminar"])).context["form"]
    assert form.initial == {"offsets": "2d, 90m", "instructor_summary": False}


def test_manage_save_offsets_and_summary_switch(client, world):
    seminar = world["seminar"]
    client.force_login(world["instructor"])
    response = client.post(manage_url(seminar), {"offsets": "7d, 2h"})
    assert response.status_code == 302
    assert response["Location"] == manage_url(seminar)
    saved = ReminderSettings.objects.get(seminar=seminar)
    assert (saved.offsets, saved.instructor_summary) == ([7 * DAY_MINUTES, 120], False)
    page = client.get(manage_url(seminar)).content.decode()
    assert "The reminder times are saved; they apply from the next scan." in page
    assert 'value="7d, 2h"' in page


def test_manage_save_summary_switched_on(client, world):
    seminar = world["seminar"]
    reminder_settings_set(seminar=seminar, offsets=[DAY_MINUTES], instructor_summary=False)
    client.force_login(world["instructor"])
    response = client.post(manage_url(seminar), {"offsets": "2 Tage; 90 min", "instructor_summary": "on"})
    assert response.status_code == 302
    saved = ReminderSettings.objects.get(seminar=seminar)
    assert (saved.offsets, saved.instructor_summary) == ([2 * DAY_MINUTES, 90], True)


def test_manage_save_empty_offsets_means_no_reminders(client, world):
    client.force_login(world["instructor"])
    client.post(manage_url(world["seminar"]), {"offsets": "", "instructor_summary": "on"})
    assert ReminderSettings.objects.get(seminar=world["seminar"]).offsets == []


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        pytest.param("3 weeks", "3 weeks", id="weeks"),
        pytest.param("7d, 0h", "0h", id="zero"),
        pytest.param("61d", "61d", id="too-far"),
    ],
)
def test_manage_save_bad_offsets_shows_a_clear_error_and_saves_nothing(client, world, typed, named):
    client.force_login(world["instructor"])
    response = client.post(manage_url(world["seminar"]), {"offsets": typed, "instructor_summary": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors["offsets"] == [
        f"“{named}” is not a reminder time. Use at most 6 times between 5 minutes and 60 days, "
        "such as “7d, 1d, 3h”."
    ]
    page = response.content.decode()
    assert escape(f"“{named}” is not a reminder time.") in page
    assert f'value="{typed}"' in page
    assert ReminderSettings.objects.count() == 0


def test_manage_save_bad_offsets_keeps_the_saved_ones(client, world):
    seminar = world["seminar"]
    reminder_settings_set(seminar=seminar, offsets=[DAY_MINUTES], instructor_summary=True)
    client.force_login(world["instructor"])
    client.post(manage_url(seminar), {"offsets": "3 weeks"})
    saved = ReminderSettings.objects.get(seminar=seminar)
    assert (saved.offsets, saved.instructor_summary) == ([DAY_MINUTES], True)


@pytest.mark.parametrize("who", ["supervisor", "ada", "other_instructor", "outsider"])
def test_manage_not_the_instructor_403(client, world, who):
    client.force_login(world[who])
    assert client.get(manage_url(world["seminar"])).status_code == 403
    assert client.post(manage_url(world["seminar"]), {"offsets": "1d"}).status_code == 403
    assert ReminderSettings.objects.count() == 0


def test_manage_anonymous_goes_to_login(client, world):
    url = manage_url(world["seminar"])
    for response in (client.get(url), client.post(url, {"offsets": "1d"})):
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('account_login')}?next={url}"
    assert ReminderSettings.objects.count() == 0


def test_manage_draft_seminar_of_others_404(client, world):
    draft = SeminarFactory(state=Seminar.State.DRAFT)
    client.force_login(world["instructor"])
    assert client.get(manage_url(draft)).status_code == 404


def manage_page_queries(client, seminar) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(manage_url(seminar))
    assert response.status_code == 200
    return len(queries)


def test_manage_same_number_of_queries_for_3_and_60_reminders(client, world):
    small, large = world["seminar"], SeminarFactory()
    instructor = world["instructor"]
    instructor_of(large, user=instructor)
    for seminar, count in ((small, 3), (large, 60)):
        for number in range(count):
            student = student_of(seminar)
            make_reminder(seminar, student, object_id=number, state=list(Reminder.State)[number % 4])
    client.force_login(instructor)
    manage_page_queries(client, small)  # session and other first-request work
    small_queries = manage_page_queries(client, small)
    large_queries = manage_page_queries(client, large)
    assert Reminder.objects.filter(seminar=large).count() == 60
    assert small_queries == large_queries


def test_my_reminders_same_number_of_queries_for_3_and_60_reminders(client, world):
    ada = world["ada"]
    large = SeminarFactory()
    student_of(large, user=ada)
    for seminar, count in ((world["seminar"], 3), (large, 60)):
        for number in range(count):
            make_reminder(seminar, ada, object_id=number + (0 if seminar == large else 1000))
    client.force_login(ada)

    def queries_of(seminar) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(mine_url(seminar)).status_code == 200
        return len(queries)

    queries_of(world["seminar"])
    assert queries_of(world["seminar"]) == queries_of(large)


# --- the Django admin -------------------------------------------------------------------------------------


@pytest.fixture
def admin_client_logged_in(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def results(response) -> set:
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


def test_admin_reminder_changelist_search_and_filter(admin_client_logged_in, world):
    seminar = world["seminar"]
    ada_sent = make_reminder(seminar, world["ada"])
    ada_failed = make_reminder(
        seminar,
        world["ada"],
        state=Reminder.State.FAILED,
        offset=180,
        last_error="SMTP 550 mailbox unavailable",
    )
    bob_ranking = make_reminder(seminar, world["bob"], kind=Reminder.Kind.RANKING, title="Ranking")
    url = changelist(Reminder)
    assert results(admin_client_logged_in.get(url)) == {ada_sent, ada_failed, bob_ranking}
    assert results(admin_client_logged_in.get(url, {"q": "ada@uni.example"})) == {ada_sent, ada_failed}
    assert results(admin_client_logged_in.get(url, {"q": "Bob Builder"})) == {bob_ranking}
    assert results(admin_client_logged_in.get(url, {"q": "mailbox unavailable"})) == {ada_failed}
    assert results(admin_client_logged_in.get(url, {"state__exact": "failed"})) == {ada_failed}
    assert results(admin_client_logged_in.get(url, {"kind__exact": "ranking"})) == {bob_ranking}
    assert results(admin_client_logged_in.get(url, {"q": "ada", "kind__exact": "deliverable"})) == {
        ada_sent,
        ada_failed,
    }


def test_admin_reminder_change_page_loads(admin_client_logged_in, world):
    reminder = make_reminder(world["seminar"], world["ada"])
    url = reverse("admin:reminders_reminder_change", args=[reminder.pk])
    response = admin_client_logged_in.get(url)
    assert response.status_code == 200
    assert "ada@uni.example" in response.content.decode()


def test_admin_reminder_settings_changelist_search_and_filter(admin_client_logged_in, world):
    kept = reminder_settings_set(seminar=world["seminar"], offsets=[DAY_MINUTES], instructor_summary=True)
    quiet = reminder_settings_set(seminar=world["other"], offsets=[180], instructor_summary=False)
    url = changelist(ReminderSettings)
    assert results(admin_client_logged_in.get(url)) == {kept, quiet}
    assert results(admin_client_logged_in.get(url, {"q": "Theoretical"})) == {kept}
    assert results(admin_client_logged_in.get(url, {"q": world["other"].slug})) == {quiet}
    assert results(admin_client_logged_in.get(url, {"instructor_summary__exact": "0"})) == {quiet}
    assert results(admin_client_logged_in.get(url, {"instructor_summary__exact": "1"})) == {kept}
