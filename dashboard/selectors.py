"""The dashboard's reads: one page for all of a person's seminars, in a fixed number of queries however many
seminars, deliverables, students and grades.

It reads from every app above seminars (papers, schedule, submissions, reviews, grading, reminders), so it
is an app of its own that nobody imports, as copying/ and calendars/ are; putting it in seminars/ would make
the ground floor import the apps built on it. What it shows of a seminar the same permissions decide as that
seminar's own pages (core.permissions.may per seminar; the roles are read once for all seminars)."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q

from core.permissions import may
from grading.models import Feedback, Grade, GradeComponent, GradingSettings
from grading.selectors import StudentGrades, default_components, final_of
from matching.models import Round
from matching.selectors import rounds_for_dashboard
from papers.models import Allotment, AllotmentPublication, Preference, PreferenceWindow
from reminders.models import Reminder
from reviews.models import PeerReview
from schedule.models import BlockDay, Slot
from schedule.planning import Conflict, Day, conflicts
from schedule.selectors import plan_of
from seminars.models import Announcement, Membership, Seminar
from seminars.rules import remember_roles, students_by_seminar
from submissions.models import Deliverable, Extension, Submission
from submissions.selectors import Deadline, Versions, deadline_of, versions_from

# How many of the newest announcements of all the person's seminars the dashboard shows.
LATEST_ANNOUNCEMENTS = 5
# A preference window closing within this time is something the staff should know about.
WINDOW_CLOSING_SOON = timedelta(days=3)


@dataclass(frozen=True)
class DueItem:
    """One deliverable with the student's own due time (extension and talk included) and versions."""

    deliverable: Deliverable
    deadline: Deadline
    versions: Versions
    now: datetime

    @property
    def state(self) -> str:
        """on_time or late (the counted version); without one: missing once nothing is accepted any more
        or the time to hand in on time is over, open while it can still be handed in on time, not_set
        while the due time waits for the talk."""
        counted = self.versions.counted
        if counted is not None:
            return "late" if counted.is_late else "on_time"
        if self.deadline.due is None:
            return "not_set"
        if self.now <= self.deadline.due + self.deliverable.rule.grace:
            return "open"
        return "missing"

    @property
    def sort_key(self) -> tuple:
        due = self.deadline.due
        return (due is None, due or self.now, self.deliverable.order, self.deliverable.pk)


@dataclass
class StudentSeminar:
    seminar: Seminar
    now: datetime
    due: list[DueItem] = field(default_factory=list)
    allotment: Allotment | None = None  # only once published
    talk: Slot | None = None  # only from a published schedule
    window: PreferenceWindow | None = None  # only while open
    ranked: int = 0
    grades: StudentGrades | None = None  # only once released
    has_feedback: bool = False  # written feedback, only once the grades are released
    reviews_to_write: list[PeerReview] = field(default_factory=list)  # published rounds
    reviews_received: int = 0  # written reviews of the student's reports in released rounds
    discussing: list[Slot] = field(default_factory=list)  # talks they discuss, from a published schedule

    @property
    def next_review(self) -> PeerReview | None:
        """The first review still open to writing (its due time and grace not over)."""
        return next(
            (
                review
                for review in self.reviews_to_write
                if self.now <= review.round.due_at + review.round.rule.grace
            ),
            None,
        )

    @property
    def next_due(self) -> DueItem | None:
        """The first deliverable still to be handed in on time."""
        return next((item for item in self.due if item.state == "open"), None)

    @property
    def first_upcoming(self) -> datetime | None:
        """What comes first in this seminar: the next due time, the window's close, a talk still to come."""
        times = []
        if self.next_due is not None:
            times.append(self.next_due.deadline.due)
        if self.window is not None:
            times.append(self.window.closes_at)
        if self.talk is not None and self.talk.ends_at >= self.now:
            times.append(self.talk.starts_at)
        if self.next_review is not None:
            times.append(self.next_review.round.due_at)
        times += [slot.starts_at for slot in self.discussing if slot.ends_at >= self.now]
        return min(times) if times else None


@dataclass
class Ungraded:
    deliverable: Deliverable
    component: GradeComponent
    count: int


@dataclass
class StaffSeminar:
    seminar: Seminar
    is_instructor: bool
    ungraded: list[Ungraded] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    window: PreferenceWindow | None = None  # open and closing soon
    unranked: int = 0
    failed_mails: int = 0

    @property
    def needs_action(self) -> bool:
        return bool(self.ungraded or self.conflicts or self.window or self.failed_mails)


@dataclass
class Dashboard:
    studying: list[StudentSeminar]
    teaching: list[StaffSeminar]
    announcements: list[Announcement]
    # The department's matching rounds the person may rank in now or soon, or applied to (their results).
    matching: list[Round] = field(default_factory=list)


def dashboard_for(user, *, now: datetime) -> Dashboard:
    """Every current seminar of the person (archived ones left out): as a student and as staff."""
    memberships = list(Membership.objects.filter(user=user).select_related("seminar"))
    remember_roles(user, memberships)
    # Withdrawn students and former staff are no members: the permissions below leave those seminars out.
    seminars = [m.seminar for m in memberships if m.seminar.state != Seminar.State.ARCHIVED]
    studying = [seminar for seminar in seminars if may(user, "submissions.upload", seminar)]
    teaching = [seminar for seminar in seminars if may(user, "grading.view_sheet", seminar)]
    deliverables = _deliverables([*studying, *teaching])
    readers = [seminar for seminar in seminars if may(user, "seminars.view_announcements", seminar)]
    announcements = list(
        Announcement.objects.filter(seminar__in=readers)
        .select_related("seminar")
        .order_by("-sent_at", "-pk")[:LATEST_ANNOUNCEMENTS]
        if readers
        else []
    )
    return Dashboard(
        _student_seminars(user, studying, deliverables, now),
        _staff_seminars(user, teaching, deliverables, now),
        announcements,
        (
            list(rounds_for_dashboard(user, now, coordinating=may(user, "matching.coordinate")))
            if may(user, "matching.rank")
            else []
        ),
    )


def _deliverables(seminars: list[Seminar]) -> dict[int, list[Deliverable]]:
    by_seminar: dict[int, list[Deliverable]] = {seminar.pk: [] for seminar in seminars}
    if not seminars:
        return by_seminar
    lookup = {seminar.pk: seminar for seminar in seminars}
    for deliverable in Deliverable.objects.filter(seminar__in=seminars).order_by("order", "due_at", "pk"):
        deliverable.seminar = lookup[deliverable.seminar_id]
        by_seminar[deliverable.seminar_id].append(deliverable)
    return by_seminar


def _published_talks(seminars: list[Seminar], student_ids=None) -> list[Slot]:
    slots = Slot.objects.filter(
        seminar__in=seminars, presenter__isnull=False, seminar__block_seminar__published_at__isnull=False
    )
    if student_ids is not None:
        slots = slots.filter(presenter_id__in=student_ids)
    return list(slots.select_related("day").order_by("starts_at", "pk"))


def _student_seminars(user, seminars, deliverables, now) -> list[StudentSeminar]:
    if not seminars:
        return []
    rows = {seminar.pk: StudentSeminar(seminar, now) for seminar in seminars}
    own = [deliverable for seminar in seminars for deliverable in deliverables[seminar.pk]]
    extensions = {
        extension.deliverable_id: extension
        for extension in Extension.objects.filter(deliverable__in=own, student=user, revoked_at__isnull=True)
    }
    versions: dict[int, list[Submission]] = {}
    for submission in Submission.objects.filter(deliverable__in=own, student=user).order_by("version"):
        versions.setdefault(submission.deliverable_id, []).append(submission)
    for slot in _published_talks(seminars, [user.pk]):
        rows[slot.seminar_id].talk = rows[slot.seminar_id].talk or slot
    for deliverable in own:
        row = rows[deliverable.seminar_id]
        talk = (
            row.talk.starts_at
            if row.talk and deliverable.due_mode == Deliverable.DueMode.BEFORE_TALK
            else None
        )
        deadline = deadline_of(deliverable, extensions.get(deliverable.pk), talk)
        row.due.append(
            DueItem(deliverable, deadline, versions_from(versions.get(deliverable.pk, []), deliverable), now)
        )
    for row in rows.values():
        row.due.sort(key=lambda item: item.sort_key)

    shown = [seminar for seminar in seminars if may(user, "papers.see_own_allotment", seminar)]
    published = AllotmentPublication.objects.filter(seminar__in=shown).values("seminar_id")
    for allotment in Allotment.objects.filter(seminar__in=published, student=user).select_related(
        "paper__supervisor", "paper__topic"
    ):
        rows[allotment.seminar_id].allotment = allotment

    ranking = [seminar for seminar in seminars if may(user, "papers.rank", seminar)]
    for window in PreferenceWindow.objects.filter(seminar__in=ranking, opens_at__lte=now, closes_at__gte=now):
        rows[window.seminar_id].window = window
    for seminar_id, count in Counter(
        Preference.objects.filter(seminar__in=ranking, student=user).values_list("seminar_id", flat=True)
    ).items():
        rows[seminar_id].ranked = count

    graded = [seminar for seminar in seminars if may(user, "grading.view_own", seminar)]
    _released_grades(user, graded, rows)
    _peer_reviews(user, [seminar for seminar in seminars if may(user, "reviews.view_own", seminar)], rows)
    for slot in (
        Slot.objects.filter(
            Q(discussant=user) | Q(second_discussant=user),
            seminar__in=seminars,
            seminar__block_seminar__published_at__isnull=False,
        )
        .select_related("presenter", "day")
        .order_by("starts_at", "pk")
    ):
        rows[slot.seminar_id].discussing.append(slot)
    return sorted(rows.values(), key=_first_comes_first)


def _peer_reviews(user, seminars, rows) -> None:
    """The reviews the student writes (published rounds; the author's name is not read) and how many
    written reviews of their own reports were released (reviews.rules' two querysets, for all seminars)."""
    if not seminars:
        return
    for review in (
        PeerReview.objects.filter(reviewer=user, round__deliverable__seminar__in=seminars)
        .filter(round__published_at__isnull=False)
        .select_related("round__deliverable")
        .order_by("round__due_at", "pk")
    ):
        rows[review.round.deliverable.seminar_id].reviews_to_write.append(review)
    for seminar_id, count in Counter(
        PeerReview.objects.filter(
            author=user,
            round__deliverable__seminar__in=seminars,
            round__released_at__isnull=False,
            submitted_at__isnull=False,
        ).values_list("round__deliverable__seminar_id", flat=True)
    ).items():
        rows[seminar_id].reviews_received = count


def _first_comes_first(row) -> tuple:
    upcoming = row.first_upcoming
    return (upcoming is None, upcoming.timestamp() if upcoming else 0, row.seminar.display_title)


def _released_grades(user, seminars, rows) -> None:
    """Each seminar's own grades of the student, only once released (three queries for all seminars)."""
    released = {
        settings.seminar_id: settings
        for settings in GradingSettings.objects.filter(seminar__in=seminars, released_at__isnull=False)
    }
    if not released:
        return
    components: dict[int, list[GradeComponent]] = {}
    for component in GradeComponent.objects.filter(seminar_id__in=released).order_by("order", "pk"):
        components.setdefault(component.seminar_id, []).append(component)
    grades = list(Grade.objects.filter(seminar_id__in=released, student=user))
    for seminar_id, settings in released.items():
        seminar = rows[seminar_id].seminar
        own_components = components.get(seminar_id) or default_components(seminar, linked=False)
        keys = {component.pk: component.key for component in own_components if component.pk}
        own = {keys[grade.component_id]: grade for grade in grades if grade.component_id in keys}
        final = final_of(own_components, settings, {key: grade.value for key, grade in own.items()})
        rows[seminar_id].grades = StudentGrades(own_components, own, final)
    for seminar_id in Feedback.objects.filter(seminar_id__in=released, student=user).values_list(
        "seminar_id", flat=True
    ):
        rows[seminar_id].has_feedback = True


def _staff_seminars(user, seminars, deliverables, now) -> list[StaffSeminar]:
    if not seminars:
        return []
    rows = {
        seminar.pk: StaffSeminar(seminar, is_instructor=may(user, "grading.manage", seminar))
        for seminar in seminars
    }
    students = _visible_students(user, rows)
    _ungraded(seminars, deliverables, students, rows, now)

    planners = [seminar for seminar in seminars if may(user, "schedule.manage", seminar)]
    _conflicts(planners, rows)

    managers = [seminar for seminar in seminars if may(user, "papers.manage", seminar)]
    closing = PreferenceWindow.objects.filter(
        seminar__in=managers, opens_at__lte=now, closes_at__gte=now, closes_at__lte=now + WINDOW_CLOSING_SOON
    )
    windows = {window.seminar_id: window for window in closing}
    ranked = set(
        Preference.objects.filter(seminar_id__in=windows)
        .values_list("seminar_id", "student_id")
        .order_by()
        .distinct()
    )
    for seminar_id, window in windows.items():
        rows[seminar_id].window = window
        rows[seminar_id].unranked = sum(
            (seminar_id, student) not in ranked for student in students[seminar_id]
        )

    mailers = [seminar for seminar in seminars if may(user, "reminders.manage", seminar)]
    for seminar_id, count in Counter(
        Reminder.objects.filter(seminar__in=mailers, state=Reminder.State.FAILED).values_list(
            "seminar_id", flat=True
        )
    ).items():
        rows[seminar_id].failed_mails = count
    return sorted(rows.values(), key=lambda row: (not row.needs_action, row.seminar.display_title))


def _visible_students(user, rows) -> dict[int, set[int]]:
    """seminar -> the current students whose work the person sees: an instructor all, a supervisor those
    whose allotted paper they supervise (submissions.rules.visible_students, for all seminars at once)."""
    visible: dict[int, set[int]] = {seminar_id: set() for seminar_id in rows}
    supervised = set(
        Allotment.objects.filter(
            seminar_id__in=[pk for pk, row in rows.items() if not row.is_instructor], paper__supervisor=user
        ).values_list("seminar_id", "student_id")
    )
    for seminar_id, student_ids in students_by_seminar(list(rows)).items():
        for student_id in student_ids:
            if rows[seminar_id].is_instructor or (seminar_id, student_id) in supervised:
                visible[seminar_id].add(student_id)
    return visible


def _ungraded(seminars, deliverables, students, rows, now) -> None:
    """For each component linked to a deliverable: the visible students whose own deadline (extension and
    talk included, grace after it) has passed and who have no grade for it yet."""
    saved: dict[int, list[GradeComponent]] = {}
    for component in GradeComponent.objects.filter(seminar__in=seminars, deliverable__isnull=False):
        saved.setdefault(component.seminar_id, []).append(component)
    linked: list[tuple[GradeComponent, Deliverable]] = []
    for seminar in seminars:
        by_pk = {deliverable.pk: deliverable for deliverable in deliverables[seminar.pk]}
        components = saved.get(seminar.pk)
        if components is None:
            components = _linked_defaults(seminar, deliverables[seminar.pk])
        linked += [(c, by_pk[c.deliverable_id]) for c in components if c.deliverable_id in by_pk]
    if not linked:
        return
    linked_deliverables = [deliverable for _, deliverable in linked]
    extensions = {
        (extension.deliverable_id, extension.student_id): extension
        for extension in Extension.objects.filter(
            deliverable__in=linked_deliverables, revoked_at__isnull=True
        )
    }
    talks = {
        (slot.seminar_id, slot.presenter_id): slot.starts_at for slot in reversed(_published_talks(seminars))
    }
    graded = set(
        Grade.objects.filter(seminar__in=seminars).values_list("seminar_id", "component__key", "student_id")
    )
    for component, deliverable in linked:
        seminar_id = deliverable.seminar_id
        count = 0
        for student in students[seminar_id]:
            talk = talks.get((seminar_id, student))
            due = deadline_of(deliverable, extensions.get((deliverable.pk, student)), talk).due
            passed = due is not None and now > due + deliverable.rule.grace
            count += passed and (seminar_id, component.key, student) not in graded
        if count:
            rows[seminar_id].ungraded.append(Ungraded(deliverable, component, count))


def _linked_defaults(seminar, deliverables) -> list[GradeComponent]:
    """The default components, linked to the first slides and first report as grading.selectors does,
    from the deliverables already read (no query)."""
    components = default_components(seminar, linked=False)
    first: dict[str, Deliverable] = {}
    for deliverable in deliverables:
        first.setdefault(deliverable.kind, deliverable)
    kinds = {"presentation": Deliverable.Kind.SLIDES, "report": Deliverable.Kind.REPORT}
    for component in components:
        component.deliverable = first.get(kinds.get(component.key))
    return components


def _conflicts(seminars, rows) -> None:
    """The schedule's conflicts of each seminar that has slots (before any slot, nothing to plan yet)."""
    if not seminars:
        return
    slots: dict[int, list[Slot]] = {}
    for slot in Slot.objects.filter(seminar__in=seminars).order_by("starts_at", "pk"):
        slots.setdefault(slot.seminar_id, []).append(slot)
    if not slots:
        return
    days: dict[int, dict[int, Day]] = {}
    for day in BlockDay.objects.filter(seminar_id__in=slots):
        days.setdefault(day.seminar_id, {})[day.pk] = Day(day.pk, day.starts_at, day.ends_at)
    students = students_by_seminar(list(slots))
    for seminar_id, seminar_slots in slots.items():
        plans = [plan_of(slot) for slot in seminar_slots]
        rows[seminar_id].conflicts = conflicts(plans, days.get(seminar_id, {}), students.get(seminar_id, []))
