"""Each kind's bulk query (the scan's "who owes this at `now`") and its single check (the send task's "is
this one reminder still owed now") agree. Hypothesis draws states: uploaded or not, an extension (extra
time, a new due time, revoked) or none, a talk or a deadline moved, ranked or not, a window not open yet,
summaries switched off, a person who left or is staff, an archived seminar, the seminar's own offsets, its
zone (also on a day the clocks change). At the fire time of every reminder the state could have (before
and after a move) and at random moments, the reminders the bulk query yields are exactly those the single
check calls owed: every candidate the scan claims is sent, and a reminder the send task would send is
claimed.

Each example builds its state in a savepoint that is rolled back, so the next starts from an empty
database."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reminders.kinds import DeadlineSummary, DeliverableDue, RankingCloses, TalkTomorrow, Verdict
from reminders.models import Reminder, ReminderSettings
from reminders.registry import kind_of
from reminders.schedule import DAY, DEFAULT_OFFSETS, MAX_OFFSET, fire_at
from schedule.models import BlockDay, BlockSeminar, Slot
from seminars.models import Membership, Seminar
from submissions.models import Deliverable, Extension, Submission
from submissions.selectors import deadline_for
from tests.factories import MembershipFactory, SeminarFactory, UserFactory, instructor_of
from tests.papers.helpers import PaperFactory, PreferenceWindowFactory, rank
from tests.submissions.helpers import DeliverableFactory

from .helpers import rolled_back

pytestmark = pytest.mark.django_db

AGREEMENT = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
ONE_DAY = timedelta(days=1)
OFFSET_CHOICES = [MAX_OFFSET, 7 * DAY, 2 * DAY, DAY, 180, 90, 5]

# --- strategies -------------------------------------------------------------------------------------------

zones = st.sampled_from(["Europe/Berlin", "America/New_York", "UTC", "Australia/Lord_Howe"])
instants = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
).map(lambda moment: moment.replace(second=0, microsecond=0))
# Days the clocks change, in the zone where they do: a day offset is 23 or 25 hours long then.
clock_changes = st.sampled_from(
    [
        ("Europe/Berlin", datetime(2027, 3, 28, 10, 0, tzinfo=UTC)),
        ("Europe/Berlin", datetime(2026, 10, 25, 11, 0, tzinfo=UTC)),
        ("America/New_York", datetime(2027, 3, 14, 16, 0, tzinfo=UTC)),
        ("America/New_York", datetime(2026, 11, 1, 17, 0, tzinfo=UTC)),
        ("Australia/Lord_Howe", datetime(2027, 4, 4, 1, 0, tzinfo=UTC)),
    ]
)
zoned_dues = clock_changes | st.tuples(zones, instants)
rarely = st.integers(0, 3).map(lambda draw: draw == 0)
mostly = rarely.map(lambda rare: not rare)
shifts = st.timedeltas(min_value=-3 * ONE_DAY, max_value=3 * ONE_DAY).map(
    lambda shift: shift // MINUTE * MINUTE
)
# The longest offset with a day more or less in it (a change of the clocks between) is a case of its own.
own_offsets = (
    st.none()
    | st.just([MAX_OFFSET, DAY])
    | st.lists(st.sampled_from(OFFSET_CHOICES), max_size=3, unique=True)
)
extensions = st.one_of(
    st.none(),
    st.tuples(st.just("extra"), st.integers(1, 4 * 24 * 60)),
    st.tuples(st.just("new_due"), shifts),
    st.tuples(st.just("revoked"), st.integers(1, 4 * 24 * 60)),
)
student_roles = st.sampled_from(["student"] * 4 + ["supervisor", "left"])
moments_around = st.lists(st.timedeltas(min_value=-62 * ONE_DAY, max_value=3 * ONE_DAY), max_size=3)


# --- the property -----------------------------------------------------------------------------------------


def assert_agree(kind_class, objects, people, offsets, moments) -> None:
    """At each moment: the (user, object, offset) the bulk query yields == those the single check calls
    owed, over every person and object given and every offset given."""
    kind = kind_of(kind_class.key)
    potential = [
        Reminder(seminar=seminar, user=user, kind=kind.key, object_id=object_id, offset_minutes=offset)
        for seminar, object_id in objects
        for user in people
        for offset in sorted(set(offsets))
    ]
    for now in sorted(set(moments)):
        claimed = {
            (candidate.user_id, candidate.object_id, candidate.offset_minutes)
            for candidate in kind.candidates(now)
        }
        owed = {
            (reminder.user_id, reminder.object_id, reminder.offset_minutes)
            for reminder in potential
            if kind.check(reminder, now).verdict is Verdict.OWED
        }
        assert claimed == owed, f"at {now.isoformat()}"


def seminar_with(state) -> Seminar:
    seminar = SeminarFactory(time_zone=state["zone"])
    summary = state.get("summary", True)
    if state["offsets"] is not None or not summary:
        ReminderSettings.objects.create(
            seminar=seminar,
            offsets=DEFAULT_OFFSETS if state["offsets"] is None else state["offsets"],
            instructor_summary=summary,
        )
    return seminar


def archive_if(seminar: Seminar, state) -> None:
    if state["archived"]:
        Seminar.objects.filter(pk=seminar.pk).update(state=Seminar.State.ARCHIVED)


def person(seminar: Seminar, role: str):
    """A member of the seminar with this role, or ("left") someone who is not a member (any more)."""
    if role == "left":
        return UserFactory()
    return MembershipFactory(seminar=seminar, role=role).user


def offsets_in(state) -> list[int]:
    """The seminar's offsets and one it does not use, for reminders the check must not call owed."""
    configured = DEFAULT_OFFSETS if state["offsets"] is None else state["offsets"]
    unused = next(offset for offset in [*OFFSET_CHOICES, 45] if offset not in configured)
    return [*configured, unused]


def fire_times(dues, offsets, zone: str) -> list[datetime]:
    return [fire_at(due, offset, ZoneInfo(zone)) for due in dues if due is not None for offset in offsets]


def upload(deliverable: Deliverable, student) -> None:
    Submission.objects.create(
        deliverable=deliverable,
        student=student,
        version=1,
        file="report.pdf",
        original_name="report.pdf",
        file_type="pdf",
        size=1,
        sha256="0" * 64,
        received_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


# --- deliverable due --------------------------------------------------------------------------------------


@st.composite
def deliverable_states(draw):
    zone, due = draw(zoned_dues)
    return {
        "zone": zone,
        "due": due,
        "relative": draw(st.booleans()),
        "days_before_talk": draw(st.integers(0, 14)),
        "published": draw(mostly),
        "moved_by": draw(st.none() | shifts),
        "archived": draw(rarely),
        "offsets": draw(own_offsets),
        "students": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "role": student_roles,
                        "uploaded": rarely,
                        "extension": extensions,
                        "talk": shifts | st.none(),
                    }
                ),
                min_size=1,
                max_size=3,
            )
        ),
        "moments": draw(moments_around),
    }


@AGREEMENT
@given(state=deliverable_states())
def test_deliverable_due_bulk_query_and_single_check_agree(state):
    with rolled_back():
        seminar = seminar_with(state)
        instructor = instructor_of(seminar)
        due = state["due"]
        if state["relative"]:
            deliverable = DeliverableFactory(
                seminar=seminar,
                due_mode=Deliverable.DueMode.BEFORE_TALK,
                due_at=None,
                days_before_talk=state["days_before_talk"],
            )
            day = BlockDay.objects.create(seminar=seminar, starts_at=due, ends_at=due + HOUR)
            BlockSeminar.objects.create(
                seminar=seminar, published_at=due - 90 * ONE_DAY if state["published"] else None
            )
        else:
            deliverable = DeliverableFactory(seminar=seminar, due_at=due)
        people, slots = [instructor], []
        for student_state in state["students"]:
            student = person(seminar, student_state["role"])
            people.append(student)
            if student_state["uploaded"]:
                upload(deliverable, student)
            if student_state["extension"] is not None:
                how, amount = student_state["extension"]
                Extension.objects.create(
                    deliverable=deliverable,
                    student=student,
                    extra_minutes=None if how == "new_due" else amount,
                    new_due_at=due + amount if how == "new_due" else None,
                    reason="Ill",
                    granted_by=instructor,
                    granted_at=due - 90 * ONE_DAY,
                    revoked_at=due - 80 * ONE_DAY if how == "revoked" else None,
                    revoked_by=instructor if how == "revoked" else None,
                )
            if state["relative"] and student_state["talk"] is not None:
                start = due + state["days_before_talk"] * ONE_DAY + student_state["talk"]
                slots.append(
                    Slot.objects.create(
                        seminar=seminar, day=day, starts_at=start, ends_at=start + HOUR, presenter=student
                    )
                )
        offsets = offsets_in(state)
        dues_before = [deadline_for(deliverable, student).due for student in people]
        if state["moved_by"] is not None:
            if state["relative"]:
                for slot in slots:
                    slot.starts_at, slot.ends_at = (
                        slot.starts_at + state["moved_by"],
                        slot.ends_at + state["moved_by"],
                    )
                    slot.save(update_fields=["starts_at", "ends_at"])
            else:
                Deliverable.objects.filter(pk=deliverable.pk).update(due_at=due + state["moved_by"])
        deliverable.refresh_from_db()
        dues_after = [deadline_for(deliverable, student).due for student in people]
        archive_if(seminar, state)
        moments = [
            *fire_times(dues_before + dues_after, offsets, state["zone"]),
            *(due + moment for moment in state["moments"]),
        ]
        assert_agree(DeliverableDue, [(seminar, deliverable.pk)], people, offsets, moments)


# --- ranking closes ---------------------------------------------------------------------------------------


@st.composite
def ranking_states(draw):
    zone, closes = draw(zoned_dues)
    return {
        "zone": zone,
        "closes": closes,
        "open_for": draw(st.timedeltas(min_value=HOUR, max_value=20 * ONE_DAY) | st.just(70 * ONE_DAY)),
        "moved_by": draw(st.none() | shifts),
        "archived": draw(rarely),
        "offsets": draw(own_offsets),
        "students": draw(
            st.lists(
                st.fixed_dictionaries({"role": student_roles, "ranked": rarely}),
                min_size=1,
                max_size=3,
            )
        ),
        "moments": draw(moments_around),
    }


@AGREEMENT
@given(state=ranking_states())
def test_ranking_closes_bulk_query_and_single_check_agree(state):
    with rolled_back():
        seminar = seminar_with(state)
        closes = state["closes"]
        window = PreferenceWindowFactory(
            seminar=seminar, opens_at=closes - state["open_for"], closes_at=closes
        )
        paper = PaperFactory(seminar=seminar)
        people = [instructor_of(seminar)]
        for student_state in state["students"]:
            student = person(seminar, student_state["role"])
            people.append(student)
            if student_state["ranked"]:
                rank(seminar, student, [paper])
        offsets = offsets_in(state)
        closing_times = [closes]
        if state["moved_by"] is not None:
            window.closes_at = closes + state["moved_by"]
            window.opens_at = min(window.opens_at, window.closes_at - MINUTE)
            window.save()
            closing_times.append(window.closes_at)
        archive_if(seminar, state)
        moments = [
            *fire_times(closing_times, offsets, state["zone"]),
            window.opens_at,
            *(closes + moment for moment in state["moments"]),
        ]
        assert_agree(RankingCloses, [(seminar, window.pk)], people, offsets, moments)


# --- talk tomorrow ----------------------------------------------------------------------------------------


@st.composite
def talk_states(draw):
    zone, starts = draw(zoned_dues)
    return {
        "zone": zone,
        "starts": starts,
        "published": draw(mostly),
        "archived": draw(rarely),
        "offsets": None,
        "students": draw(
            st.lists(
                st.fixed_dictionaries(
                    {"role": student_roles, "talk": shifts | st.none(), "moved_by": st.none() | shifts}
                ),
                min_size=1,
                max_size=3,
            )
        ),
        "moments": draw(moments_around),
    }


@AGREEMENT
@given(state=talk_states())
def test_talk_tomorrow_bulk_query_and_single_check_agree(state):
    with rolled_back():
        seminar = seminar_with(state)
        instructor = instructor_of(seminar)
        starts = state["starts"]
        BlockSeminar.objects.create(
            seminar=seminar, published_at=starts - 30 * ONE_DAY if state["published"] else None
        )
        day = BlockDay.objects.create(seminar=seminar, starts_at=starts, ends_at=starts + HOUR)
        empty = Slot.objects.create(seminar=seminar, day=day, starts_at=starts, ends_at=starts + HOUR)
        people, slots, talk_times = [instructor], [empty], []
        for student_state in state["students"]:
            student = person(seminar, student_state["role"])
            people.append(student)
            if student_state["talk"] is None:
                continue
            start = starts + student_state["talk"]
            slot = Slot.objects.create(
                seminar=seminar, day=day, starts_at=start, ends_at=start + HOUR, presenter=student
            )
            slots.append(slot)
            talk_times.append(start)
            if student_state["moved_by"] is not None:
                slot.starts_at, slot.ends_at = (
                    start + student_state["moved_by"],
                    start + student_state["moved_by"] + HOUR,
                )
                slot.save(update_fields=["starts_at", "ends_at"])
                talk_times.append(slot.starts_at)
        archive_if(seminar, state)
        offsets = [DAY, 180]
        moments = [
            *fire_times(talk_times, offsets, state["zone"]),
            *(starts + moment for moment in state["moments"]),
        ]
        assert_agree(TalkTomorrow, [(seminar, slot.pk) for slot in slots], people, offsets, moments)


# --- summary after a deadline -----------------------------------------------------------------------------


@st.composite
def summary_states(draw):
    zone, due = draw(zoned_dues)
    return {
        "zone": zone,
        "due": due,
        "grace_minutes": draw(st.sampled_from([0, 15]) | st.integers(0, 7 * 24 * 60)),
        "summary": draw(st.booleans()),
        "offsets": draw(st.none() | st.just([DAY])),
        "moved_by": draw(st.none() | shifts),
        "archived": draw(rarely),
        "instructors": draw(
            st.lists(
                st.sampled_from(["instructor", "instructor", "supervisor", "left"]), min_size=1, max_size=2
            )
        ),
        "uploaded": draw(st.lists(st.booleans(), max_size=3)),
        "moments": draw(st.lists(st.timedeltas(min_value=-ONE_DAY, max_value=10 * ONE_DAY), max_size=3)),
    }


@AGREEMENT
@given(state=summary_states())
def test_deadline_summary_bulk_query_and_single_check_agree(state):
    with rolled_back():
        seminar = seminar_with(state)
        due = state["due"]
        deliverable = DeliverableFactory(seminar=seminar, due_at=due, grace_minutes=state["grace_minutes"])
        people = [person(seminar, role) for role in state["instructors"]]
        for uploaded in state["uploaded"]:
            student = person(seminar, Membership.Role.STUDENT)
            people.append(student)
            if uploaded:
                upload(deliverable, student)
        grace = timedelta(minutes=state["grace_minutes"])
        closing_times = [due + grace]
        if state["moved_by"] is not None:
            Deliverable.objects.filter(pk=deliverable.pk).update(due_at=due + state["moved_by"])
            closing_times.append(due + state["moved_by"] + grace)
        archive_if(seminar, state)
        window = timedelta(days=2)
        moments = [
            *(
                moment + shift
                for moment in closing_times
                for shift in (-MINUTE, timedelta(0), window - MINUTE, window)
            ),
            *(due + moment for moment in state["moments"]),
        ]
        assert_agree(DeadlineSummary, [(seminar, deliverable.pk)], people, [0, DAY], moments)
