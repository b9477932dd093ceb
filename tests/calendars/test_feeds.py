"""A person's private calendar feed: what it holds for a student and for an instructor, stable UIDs and a
SEQUENCE that grows with each change, the seminar's zone, the secret address (revoking, unknown tokens,
another person's token), archived seminars, the page that shows the address, and the admin."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from calendars.models import CalendarFeed
from calendars.services import calendar_feed_get
from papers.models import Allotment, Paper
from schedule.models import BlockDay, BlockSeminar, Slot
from schedule.services import slot_save
from seminars.models import Seminar
from submissions.models import Deliverable
from submissions.services import deliverable_save, extension_grant, extension_revoke
from tests.factories import SeminarFactory, UserFactory, instructor_of, student_of, supervisor_of
from tests.papers.helpers import PaperFactory, publish_allotment
from tests.submissions.helpers import DeliverableFactory

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
T0 = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
T1 = T0 + timedelta(days=2)
T2 = T0 + timedelta(days=5)
UID = "@seminar-portal"


def berlin(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, month, day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


REPORT_DUE = berlin(6, 15, 23, 59)


@pytest.fixture
def course(time_machine):
    """Made at T0: a seminar (pre-course meeting 15 April 14:00-15:30) with an instructor, a supervisor and
    two students, Anna (talk 3 May 09:00) and Ben (talk 3 May 09:30), a fixed report (15 June 23:59) and
    slides due 14 days before each student's talk; the schedule is published."""
    time_machine.move_to(T0, tick=False)
    seminar = SeminarFactory(
        title="Theoretical advances in deep learning",
        premeeting_start=berlin(4, 15, 14),
        premeeting_end=berlin(4, 15, 15, 30),
        premeeting_location="MI 00.08.038",
    )
    instructor = instructor_of(seminar, user__full_name="Ina Instructor")
    supervisor = supervisor_of(seminar, user__full_name="Sam Supervisor")
    day = BlockDay.objects.create(
        seminar=seminar, starts_at=berlin(5, 3, 9), ends_at=berlin(5, 3, 17), room="MI HS 1"
    )
    anna = student_of(seminar, user__full_name="Anna Adler")
    ben = student_of(seminar, user__full_name="Ben Brandt")
    slots = {}
    for index, (student, title) in enumerate(((anna, "Kernel regimes"), (ben, "Lazy training"))):
        Allotment.objects.create(
            seminar=seminar,
            student=student,
            paper=PaperFactory(seminar=seminar, title=title),
            source=Allotment.Source.MANUAL,
        )
        start = berlin(5, 3, 9) + timedelta(minutes=30 * index)
        slots[student] = Slot.objects.create(
            seminar=seminar,
            day=day,
            starts_at=start,
            ends_at=start + timedelta(minutes=30),
            room="MI HS 1",
            presenter=student,
        )
    publish_allotment(seminar, at=T0)
    report = DeliverableFactory(seminar=seminar, title="Written report", due_at=REPORT_DUE)
    slides = DeliverableFactory(
        seminar=seminar,
        kind=Deliverable.Kind.SLIDES,
        title="Slides",
        due_mode=Deliverable.DueMode.BEFORE_TALK,
        days_before_talk=14,
        due_at=None,
    )
    BlockSeminar.objects.create(seminar=seminar, published_at=T0, published_by=instructor)
    return {
        "seminar": seminar,
        "instructor": instructor,
        "supervisor": supervisor,
        "day": day,
        "anna": anna,
        "ben": ben,
        "slots": slots,
        "report": report,
        "slides": slides,
    }


def feed_url(user) -> str:
    return reverse("calendars:feed", args=[calendar_feed_get(user=user).token])


def fetch(client, user) -> Calendar:
    response = client.get(feed_url(user))
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def events(client, user) -> dict:
    """UID (without the domain) -> the event."""
    return {str(event["UID"]).removesuffix(UID): event for event in fetch(client, user).walk("VEVENT")}


def start_of(event) -> datetime:
    return event.decoded("DTSTART").astimezone(UTC)


def sequence_of(event) -> int:
    return int(event["SEQUENCE"])


def uids(course, *, anna_or_ben=None) -> dict[str, str]:
    seminar, student = course["seminar"], course[anna_or_ben] if anna_or_ben else None
    names = {
        "premeeting": f"premeeting-{seminar.pk}",
        "day": f"block-day-{course['day'].pk}",
        "anna_talk": f"talk-{course['slots'][course['anna']].uid}",
        "ben_talk": f"talk-{course['slots'][course['ben']].uid}",
        "report": f"deliverable-{course['report'].pk}",
        "slides": f"deliverable-{course['slides'].pk}",
    }
    if student is not None:
        names["own_report"] = f"deliverable-{course['report'].pk}-student-{student.pk}"
        names["own_slides"] = f"deliverable-{course['slides'].pk}-student-{student.pk}"
    return names


def move_slot(course, student, start: datetime) -> None:
    slot = Slot.objects.get(pk=course["slots"][student].pk)
    slot_save(
        seminar=course["seminar"],
        slot=slot,
        starts_at=start,
        ends_at=start + (slot.ends_at - slot.starts_at),
        day=slot.day,
        room=slot.room,
        presenter=slot.presenter,
        changed_by=course["instructor"],
        now=T1,
    )


# --- what a feed holds ------------------------------------------------------------------------------------


def test_feed_needs_no_login(client, course):
    response = client.get(feed_url(course["anna"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"


def test_student_feed_holds_own_deadlines_own_talk_premeeting_and_block_days(client, course):
    names = uids(course, anna_or_ben="anna")

    found = events(client, course["anna"])

    assert set(found) == {
        names["premeeting"],
        names["day"],
        names["own_report"],
        names["own_slides"],
        names["anna_talk"],
    }
    assert start_of(found[names["own_report"]]) == REPORT_DUE
    assert start_of(found[names["own_slides"]]) == berlin(5, 3, 9) - timedelta(days=14)
    assert start_of(found[names["anna_talk"]]) == berlin(5, 3, 9)
    assert start_of(found[names["premeeting"]]) == berlin(4, 15, 14)
    assert found[names["premeeting"]].decoded("DTEND").astimezone(UTC) == berlin(4, 15, 15, 30)
    assert (start_of(found[names["day"]]), found[names["day"]].decoded("DTEND").astimezone(UTC)) == (
        berlin(5, 3, 9),
        berlin(5, 3, 17),
    )
    assert (
        str(found[names["own_report"]]["SUMMARY"])
        == "Due: Written report (Theoretical advances in deep learning)"
    )
    assert str(found[names["anna_talk"]]["SUMMARY"]) == "Anna Adler – Kernel regimes"
    assert str(found[names["day"]]["LOCATION"]) == "MI HS 1"
    assert "MI 00.08.038" in str(found[names["premeeting"]]["LOCATION"])


def test_student_feed_shows_the_extended_due_time(client, course, time_machine):
    time_machine.move_to(T1, tick=False)
    extended = REPORT_DUE + timedelta(days=3)
    extension_grant(
        deliverable=course["report"],
        student=course["anna"],
        new_due_at=extended,
        reason="Illness (certificate)",
        granted_by=course["instructor"],
        now=T1,
    )

    anna = events(client, course["anna"])
    ben = events(client, course["ben"])

    assert start_of(anna[uids(course, anna_or_ben="anna")["own_report"]]) == extended
    assert start_of(ben[uids(course, anna_or_ben="ben")["own_report"]]) == REPORT_DUE


def test_student_feed_before_publishing_has_no_talk_and_no_relative_deadline(client, course):
    BlockSeminar.objects.filter(seminar=course["seminar"]).update(published_at=None)
    names = uids(course, anna_or_ben="anna")

    found = events(client, course["anna"])

    assert set(found) == {names["premeeting"], names["day"], names["own_report"]}


@pytest.mark.parametrize("who", ["instructor", "supervisor"])
def test_staff_feed_holds_the_seminar_deadlines_and_every_talk(client, course, who):
    names = uids(course)

    found = events(client, course[who])

    assert {names["premeeting"], names["day"], names["report"], names["anna_talk"], names["ben_talk"]} <= set(
        found
    )
    assert names["slides"] not in found
    assert start_of(found[names["report"]]) == REPORT_DUE
    assert str(found[names["ben_talk"]]["SUMMARY"]) == "Ben Brandt – Lazy training"


def own_slides(course, who: str) -> str:
    return f"deliverable-{course['slides'].pk}-student-{course[who].pk}"


def test_instructor_feed_holds_each_students_due_time_counted_back_from_the_talk(client, course):
    found = events(client, course["instructor"])

    assert {uid for uid in found if uid.startswith(f"deliverable-{course['slides'].pk}")} == {
        own_slides(course, "anna"),
        own_slides(course, "ben"),
    }
    anna, ben = found[own_slides(course, "anna")], found[own_slides(course, "ben")]
    assert start_of(anna) == berlin(5, 3, 9) - timedelta(days=14)
    assert start_of(ben) == berlin(5, 3, 9, 30) - timedelta(days=14)
    assert str(anna["SUMMARY"]) == "Slides due: Anna Adler (Theoretical advances in deep learning)"
    assert str(ben["URL"]).endswith(
        reverse("submissions:overview", args=[course["seminar"].slug, course["slides"].pk])
    )


def test_supervisor_feed_holds_due_times_only_of_the_students_they_supervise(client, course):
    anna_paper = Allotment.objects.get(student=course["anna"]).paper_id
    Paper.objects.filter(pk=anna_paper).update(supervisor=course["supervisor"])

    found = events(client, course["supervisor"])

    assert own_slides(course, "anna") in found
    assert own_slides(course, "ben") not in found
    assert uids(course)["ben_talk"] in found


def test_staff_feed_shows_the_students_extension_and_the_same_event_as_the_students_feed(
    client, course, time_machine
):
    time_machine.move_to(T1, tick=False)
    extension_grant(
        deliverable=course["slides"],
        student=course["ben"],
        extra_minutes=2 * 24 * 60,
        reason="Illness",
        granted_by=course["instructor"],
        now=T1,
    )

    staff = events(client, course["instructor"])
    ben = events(client, course["ben"])

    due = berlin(5, 3, 9, 30) - timedelta(days=12)
    assert start_of(staff[own_slides(course, "ben")]) == start_of(ben[own_slides(course, "ben")]) == due
    assert staff[own_slides(course, "ben")]["SEQUENCE"] == ben[own_slides(course, "ben")]["SEQUENCE"]
    assert start_of(staff[own_slides(course, "anna")]) == berlin(5, 3, 9) - timedelta(days=14)


def test_staff_feed_counts_due_times_back_from_the_published_schedule_only(client, course):
    BlockSeminar.objects.filter(seminar=course["seminar"]).update(published_at=None)
    before = events(client, course["instructor"])
    BlockSeminar.objects.filter(seminar=course["seminar"]).update(published_at=T0)

    after = events(client, course["instructor"])

    assert not any(uid.startswith(f"deliverable-{course['slides'].pk}") for uid in before)
    assert uids(course)["report"] in before
    assert {own_slides(course, "anna"), own_slides(course, "ben")} <= set(after)


def test_feed_of_a_non_member_holds_nothing_of_the_seminar(client, course):
    assert events(client, UserFactory()) == {}


def test_feed_leaves_out_archived_seminars(client, course):
    other = SeminarFactory(title="Graph theory", premeeting_start=berlin(4, 20, 10))
    student_of(other, user=course["anna"])
    Seminar.objects.filter(pk=course["seminar"].pk).update(state=Seminar.State.ARCHIVED)

    anna = events(client, course["anna"])
    instructor = events(client, course["instructor"])

    assert set(anna) == {f"premeeting-{other.pk}"}
    assert instructor == {}


# --- the zone ---------------------------------------------------------------------------------------------


def test_feed_names_the_seminar_zone(client, course):
    response = client.get(feed_url(course["anna"]))
    calendar = Calendar.from_ical(response.content)

    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert all(event["DTSTART"].params["TZID"] == "Europe/Berlin" for event in calendar.walk("VEVENT"))
    assert b"DTSTART;TZID=Europe/Berlin:20270503T090000" in response.content
    assert b"DTSTART;TZID=Europe/Berlin:20270615T235900" in response.content


# --- UIDs and SEQUENCE ------------------------------------------------------------------------------------


def test_feed_uids_and_sequences_stay_the_same_across_requests(client, course, time_machine):
    first = events(client, course["anna"])
    time_machine.move_to(T2, tick=False)

    second = events(client, course["anna"])

    assert set(first) == set(second)
    assert {uid: sequence_of(event) for uid, event in first.items()} == {
        uid: sequence_of(event) for uid, event in second.items()
    }


def test_feed_sequence_increases_when_the_slot_moves(client, course, time_machine):
    names = uids(course, anna_or_ben="anna")
    before = events(client, course["anna"])
    staff_before = events(client, course["instructor"])
    time_machine.move_to(T1, tick=False)

    move_slot(course, course["anna"], berlin(5, 3, 14))

    after = events(client, course["anna"])
    staff_after = events(client, course["instructor"])
    assert set(after) == set(before)
    talk, slides = names["anna_talk"], names["own_slides"]
    assert start_of(after[talk]) == berlin(5, 3, 14)
    assert sequence_of(after[talk]) > sequence_of(before[talk])
    assert start_of(after[slides]) == berlin(5, 3, 14) - timedelta(days=14)
    assert sequence_of(after[slides]) > sequence_of(before[slides])
    assert sequence_of(after[names["own_report"]]) == sequence_of(before[names["own_report"]])
    assert sequence_of(staff_after[talk]) > sequence_of(staff_before[talk])
    assert sequence_of(staff_after[names["ben_talk"]]) == sequence_of(staff_before[names["ben_talk"]])


def test_feed_sequence_increases_when_the_deadline_moves(client, course, time_machine):
    names = uids(course, anna_or_ben="anna")
    before = events(client, course["anna"])
    staff_before = events(client, course["instructor"])
    time_machine.move_to(T1, tick=False)
    report = Deliverable.objects.get(pk=course["report"].pk)
    report.due_at = REPORT_DUE + timedelta(days=7)

    deliverable_save(seminar=course["seminar"], deliverable=report)

    after = events(client, course["anna"])
    staff_after = events(client, course["instructor"])
    assert start_of(after[names["own_report"]]) == REPORT_DUE + timedelta(days=7)
    assert sequence_of(after[names["own_report"]]) > sequence_of(before[names["own_report"]])
    assert start_of(staff_after[names["report"]]) == REPORT_DUE + timedelta(days=7)
    assert sequence_of(staff_after[names["report"]]) > sequence_of(staff_before[names["report"]])
    assert sequence_of(after[names["anna_talk"]]) == sequence_of(before[names["anna_talk"]])


def test_feed_sequence_increases_when_an_extension_is_granted_and_revoked(client, course, time_machine):
    names = uids(course, anna_or_ben="anna")
    before = events(client, course["anna"])
    ben_before = events(client, course["ben"])
    time_machine.move_to(T1, tick=False)
    extension = extension_grant(
        deliverable=course["report"],
        student=course["anna"],
        extra_minutes=24 * 60,
        reason="Illness",
        granted_by=course["instructor"],
        now=T1,
    )
    granted = events(client, course["anna"])
    time_machine.move_to(T2, tick=False)

    extension_revoke(extension=extension, revoked_by=course["instructor"], now=T2)

    revoked = events(client, course["anna"])
    report = names["own_report"]
    assert set(before) == set(granted) == set(revoked)
    assert start_of(granted[report]) == REPORT_DUE + timedelta(days=1)
    assert sequence_of(before[report]) < sequence_of(granted[report]) < sequence_of(revoked[report])
    assert start_of(revoked[report]) == REPORT_DUE
    ben_report = uids(course, anna_or_ben="ben")["own_report"]
    assert events(client, course["ben"])[ben_report]["SEQUENCE"] == ben_before[ben_report]["SEQUENCE"]


def test_feed_sequence_starts_at_the_seconds_since_2020_feeds_showed_before_then_grows_by_one(
    client, course, time_machine
):
    """Feeds used to give the seconds since 2020 of the last change: clients that saw such a number
    must never see a smaller one."""
    report = uids(course)["report"]
    first = sequence_of(events(client, course["instructor"])[report])
    time_machine.move_to(T1, tick=False)
    moved = Deliverable.objects.get(pk=course["report"].pk)
    moved.due_at = REPORT_DUE + timedelta(days=1)
    deliverable_save(seminar=course["seminar"], deliverable=moved)

    after = sequence_of(events(client, course["instructor"])[report])

    assert first == int((T0 - datetime(2020, 1, 1, tzinfo=UTC)).total_seconds())
    assert after == first + 1 < 2**31


def test_feed_sequence_grows_with_each_move_within_one_second(client, course):
    """The clock stands still (time_machine): changes of one second must not share a SEQUENCE."""
    names = uids(course, anna_or_ben="anna")
    seen = [events(client, course["anna"])]
    for start in (berlin(5, 3, 14), berlin(5, 3, 15), berlin(5, 3, 9)):
        move_slot(course, course["anna"], start)
        seen.append(events(client, course["anna"]))

    talks = [(start_of(found[names["anna_talk"]]), sequence_of(found[names["anna_talk"]])) for found in seen]
    slides = [sequence_of(found[names["own_slides"]]) for found in seen]
    first = talks[0][1]
    assert talks == [
        (berlin(5, 3, 9), first),
        (berlin(5, 3, 14), first + 1),
        (berlin(5, 3, 15), first + 2),
        (berlin(5, 3, 9), first + 3),
    ]
    assert slides == [slides[0], slides[0] + 1, slides[0] + 2, slides[0] + 3]
    assert len({sequence_of(found[names["own_report"]]) for found in seen}) == 1


def test_feed_sequence_is_the_same_in_program_ics_without_names_and_in_a_members_feed(client, course):
    talk = uids(course)["anna_talk"]
    program = reverse("schedule:program_ics", args=[course["seminar"].slug])

    def both() -> tuple[int, int]:
        anonymous = {
            str(event["UID"]).removesuffix(UID): event
            for event in Calendar.from_ical(client.get(program).content).walk("VEVENT")
        }
        return sequence_of(anonymous[talk]), sequence_of(events(client, course["anna"])[talk])

    before = [both(), both()]
    move_slot(course, course["anna"], berlin(5, 3, 14))
    after = [both(), both()]

    first = before[0][0]
    assert before == [(first, first), (first, first)]
    assert after == [(first + 1, first + 1), (first + 1, first + 1)]


def test_feed_sequence_stays_when_nothing_the_event_shows_moved(client, course, time_machine):
    talk = uids(course)["anna_talk"]
    before = events(client, course["instructor"])
    time_machine.move_to(T1, tick=False)

    move_slot(course, course["anna"], berlin(5, 3, 9))

    after = events(client, course["instructor"])
    assert sequence_of(after[talk]) == sequence_of(before[talk])


def test_feed_sequence_grows_when_only_the_room_changes(client, course):
    talk = uids(course)["anna_talk"]
    before = events(client, course["instructor"])
    Slot.objects.filter(pk=course["slots"][course["anna"]].pk).update(room="MI HS 2")

    after = events(client, course["instructor"])

    assert str(after[talk]["LOCATION"]) == "MI HS 2"
    assert sequence_of(after[talk]) == sequence_of(before[talk]) + 1


# --- the secret address -----------------------------------------------------------------------------------


def test_feed_revoke_gives_a_new_token_and_the_old_one_404s(client, course):
    anna = course["anna"]
    old = feed_url(anna)
    client.force_login(anna)

    response = client.post(reverse("calendars:revoke"))

    new = feed_url(anna)
    assert response.status_code == 302
    assert response["Location"] == reverse("calendars:mine")
    assert new != old
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_feed_revoke_needs_login_and_post(client, course):
    token = calendar_feed_get(user=course["anna"]).token

    anonymous = client.post(reverse("calendars:revoke"))
    client.force_login(course["anna"])
    by_get = client.get(reverse("calendars:revoke"))

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert by_get.status_code == 405
    assert CalendarFeed.objects.get(user=course["anna"]).token == token


def test_feed_with_an_unknown_token_404s(client, course):
    calendar_feed_get(user=course["anna"])

    assert client.get(reverse("calendars:feed", args=["not-a-token"])).status_code == 404
    assert client.get(reverse("calendars:feed", args=["x" * 43])).status_code == 404


def test_feed_of_an_inactive_user_404s(client, course):
    address = feed_url(course["anna"])
    course["anna"].is_active = False
    course["anna"].save(update_fields=["is_active"])

    assert client.get(address).status_code == 404


def test_feed_of_another_student_never_shows_this_students_events(client, course):
    anna, ben = course["anna"], course["ben"]
    bens = uids(course, anna_or_ben="ben")
    client.force_login(ben)

    found = events(client, anna)

    body = client.get(feed_url(anna)).content.decode()
    assert bens["own_report"] not in found
    assert bens["own_slides"] not in found
    assert bens["ben_talk"] not in found
    assert f"-student-{ben.pk}{UID}" not in body
    assert "Ben Brandt" not in body
    assert "Lazy training" not in body


def test_feed_tokens_differ_per_person(course):
    tokens = {calendar_feed_get(user=course[who]).token for who in ("anna", "ben", "instructor")}

    assert len(tokens) == 3
    assert all(len(token) >= 40 for token in tokens)


# --- the page with the address ----------------------------------------------------------------------------


def test_my_calendar_page_needs_login(client):
    response = client.get(reverse("calendars:mine"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert CalendarFeed.objects.count() == 0


def test_my_calendar_page_shows_the_address(client, course):
    client.force_login(course["anna"])

    response = client.get(reverse("calendars:mine"))

    token = CalendarFeed.objects.get(user=course["anna"]).token
    assert response.status_code == 200
    assert f'value="http://testserver/calendar/{token}.ics"' in response.content.decode()
    assert client.get(reverse("calendars:mine")).content.decode().count(token) == 1


def test_my_calendar_page_after_revoking_shows_the_new_address(client, course):
    client.force_login(course["anna"])
    old = calendar_feed_get(user=course["anna"]).token

    response = client.post(reverse("calendars:revoke"), follow=True)

    new = CalendarFeed.objects.get(user=course["anna"]).token
    page = response.content.decode()
    assert new in page
    assert old not in page
    assert "Your calendar address is replaced; the old one no longer works." in page


# --- the admin --------------------------------------------------------------------------------------------


def test_admin_never_shows_the_token(client, course):
    feed = calendar_feed_get(user=course["anna"])
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    changelist = reverse("admin:calendars_calendarfeed_changelist")

    pages = [
        client.get(changelist),
        client.get(changelist, {"q": course["anna"].email}),
        client.get(reverse("admin:calendars_calendarfeed_change", args=[feed.pk])),
    ]

    assert [page.status_code for page in pages] == [200, 200, 200]
    assert list(pages[1].context["cl"].result_list) == [feed]
    assert all(feed.token not in page.content.decode() for page in pages)
    assert client.get(reverse("admin:calendars_calendarfeed_add")).status_code == 403


def test_feed_sequence_increases_when_the_talks_paper_changes(client, course, time_machine):
    talk = uids(course)["anna_talk"]
    before = events(client, course["instructor"])
    time_machine.move_to(T1, tick=False)
    allotment = Allotment.objects.get(seminar=course["seminar"], student=course["anna"])
    allotment.paper = PaperFactory(seminar=course["seminar"], title="Double descent")
    allotment.save()

    after = events(client, course["instructor"])

    assert str(after[talk]["SUMMARY"]) == "Anna Adler – Double descent"
    assert sequence_of(after[talk]) > sequence_of(before[talk])


# --- queries at two sizes ---------------------------------------------------------------------------------


def staffed_seminar(size: int, prefix: str) -> dict:
    """A published schedule with `size` presenters whose papers one supervisor supervises, a fixed report,
    slides (14 days) and a handout (1 day) due before the talk, and an extension for every other student."""
    seminar = SeminarFactory(title=f"Seminar {prefix}", premeeting_start=berlin(4, 15, 14))
    people = {"instructor": instructor_of(seminar), "supervisor": supervisor_of(seminar)}
    day = BlockDay.objects.create(seminar=seminar, starts_at=berlin(5, 3, 8), ends_at=berlin(5, 3, 20))
    DeliverableFactory(seminar=seminar, due_at=REPORT_DUE)
    slides, _handout = (
        DeliverableFactory(
            seminar=seminar,
            title=title,
            due_mode=Deliverable.DueMode.BEFORE_TALK,
            days_before_talk=days,
            due_at=None,
        )
        for title, days in (("Slides", 14), ("Handout", 1))
    )
    for index in range(size):
        student = student_of(seminar, user__email=f"{prefix}{index}@uni.example")
        paper = PaperFactory(seminar=seminar, supervisor=people["supervisor"])
        Allotment.objects.create(
            seminar=seminar, student=student, paper=paper, source=Allotment.Source.MANUAL
        )
        start = day.starts_at + timedelta(minutes=30 * index)
        Slot.objects.create(
            seminar=seminar,
            day=day,
            starts_at=start,
            ends_at=start + timedelta(minutes=30),
            presenter=student,
        )
        if index % 2:
            extension_grant(
                deliverable=slides,
                student=student,
                extra_minutes=60,
                reason="Illness",
                granted_by=people["instructor"],
                now=T0,
            )
    BlockSeminar.objects.create(seminar=seminar, published_at=T0, published_by=people["instructor"])
    return people


@pytest.mark.parametrize("who", ["instructor", "supervisor"])
def test_staff_feed_costs_the_same_queries_for_3_and_12_students(
    client, course, who, django_assert_max_num_queries
):
    counts = []
    for size, prefix in ((3, "s"), (12, "l")):
        address = feed_url(staffed_seminar(size, prefix)[who])
        with django_assert_max_num_queries(16), CaptureQueriesContext(connection) as queries:
            response = client.get(address)
        counts.append(len(queries))
        # The pre-course meeting, the day, the report; per student the talk, the slides, the handout.
        assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 3 + 3 * size

    assert counts[0] == counts[1]


def test_staff_feed_names_the_students_due_time_in_the_staffs_language(client, course):
    course["instructor"].language = "de"
    course["instructor"].save(update_fields=["language"])

    found = events(client, course["instructor"])

    assert str(found[own_slides(course, "ben")]["SUMMARY"]) == (
        "Slides fällig: Ben Brandt (Theoretical advances in deep learning)"
    )
