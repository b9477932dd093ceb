"""Reads of deliverables and submissions; each returns only what the asking user may see."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.permissions import may
from schedule.selectors import talk_start_of, talk_starts
from seminars.models import Membership, Seminar
from seminars.selectors import get_seminar_with

from .deadlines import Verdict, accepts_until, counted_index, effective_due, judge
from .models import Deliverable, Extension, Submission
from .rules import discussed_slots, visible_students


@dataclass(frozen=True)
class Deadline:
    """One student's deadline for one deliverable. `due` is None while it is not set (no talk yet)."""

    base_due: datetime | None
    extension: Extension | None
    due: datetime | None
    accepts_until: datetime | None

    def verdict_at(self, now: datetime, deliverable: Deliverable) -> Verdict:
        return judge(now, self.due, deliverable.rule)


def talk_start_for(deliverable: Deliverable, student: User) -> datetime | None:
    """The start of the student's talk in the published schedule, for due times relative to it (None
    until the schedule with the student's slot is published: their due time is not set yet)."""
    if deliverable.due_mode != Deliverable.DueMode.BEFORE_TALK:
        return None
    return talk_start_of(deliverable.seminar, student)


def deadline_of(
    deliverable: Deliverable, extension: Extension | None, talk_start: datetime | None
) -> Deadline:
    base = deliverable.base_due_for(talk_start)
    due = effective_due(
        base,
        new_due=extension.new_due_at if extension else None,
        extra=extension.extra if extension else None,
    )
    return Deadline(base, extension, due, accepts_until(due, deliverable.rule))


def active_extension(deliverable: Deliverable, student: User) -> Extension | None:
    return Extension.objects.filter(deliverable=deliverable, student=student, revoked_at__isnull=True).first()


def deadline_for(deliverable: Deliverable, student: User) -> Deadline:
    return deadline_of(
        deliverable, active_extension(deliverable, student), talk_start_for(deliverable, student)
    )


def deliverable_url(deliverable: Deliverable) -> str:
    return reverse("submissions:deliverable", args=[deliverable.seminar.slug, deliverable.pk])


def deliverables_of(seminar: Seminar) -> QuerySet[Deliverable]:
    return Deliverable.objects.filter(seminar=seminar).order_by("order", "due_at", "pk")


def get_deliverable_with(user, slug: str, pk: int, permission: str) -> tuple[Seminar, Deliverable]:
    """A deliverable's page: 404 if the seminar is hidden from the user or the deliverable is not of this
    seminar, 403 when the policy does not give them `permission` in the seminar."""
    seminar = get_seminar_with(user, slug, permission)
    deliverable = get_object_or_404(Deliverable, seminar=seminar, pk=pk)
    deliverable.seminar = seminar
    return seminar, deliverable


def get_submission_for_user(user, pk: int) -> Submission:
    """A stored file, for its owner, the seminar's instructors and the supervisor of the student's paper.
    Everyone else gets 404, so that file ids reveal nothing."""
    submission = Submission.objects.select_related("deliverable__seminar", "student").filter(pk=pk).first()
    if submission is None or not may(user, "submissions.download", submission):
        raise Http404
    return submission


@dataclass
class Versions:
    """A student's versions of one deliverable, oldest first, and the one that counts."""

    items: list[Submission] = field(default_factory=list)
    counted: Submission | None = None

    @property
    def last(self) -> Submission | None:
        return self.items[-1] if self.items else None


def versions_from(items: list[Submission], deliverable: Deliverable) -> Versions:
    index = counted_index(
        [item.is_late for item in items], late_replaces_on_time=deliverable.late_replaces_on_time
    )
    return Versions(items, items[index] if index is not None else None)


def versions_of(deliverable: Deliverable, student: User) -> Versions:
    items = list(Submission.objects.filter(deliverable=deliverable, student=student).order_by("version"))
    return versions_from(items, deliverable)


@dataclass(frozen=True)
class OverviewRow:
    membership: Membership
    deadline: Deadline
    versions: Versions
    now: datetime
    grace: timedelta = timedelta(0)

    @property
    def status(self) -> str:
        """on_time or late (the counted version), or without one: missing once the student's time to hand
        in on time is over, not_due before that (also while their due time is not set yet)."""
        counted = self.versions.counted
        if counted is not None:
            return "late" if counted.is_late else "on_time"
        due = self.deadline.due
        if due is None or self.now <= due + self.grace:
            return "not_due"
        return "missing"


@dataclass(frozen=True)
class OverviewCounts:
    students: int
    handed_in: int
    late: int
    missing: int
    not_due: int
    extensions: int


def overview_counts(rows: list[OverviewRow]) -> OverviewCounts:
    statuses = [row.status for row in rows]
    return OverviewCounts(
        students=len(rows),
        handed_in=sum(status in ("on_time", "late") for status in statuses),
        late=statuses.count("late"),
        missing=statuses.count("missing"),
        not_due=statuses.count("not_due"),
        extensions=sum(row.deadline.extension is not None for row in rows),
    )


def overview(deliverable: Deliverable, user, *, now: datetime | None = None) -> list[OverviewRow]:
    """One row per student the user may see, in a fixed number of queries however many students; their
    status as of `now` (the server's clock by default)."""
    now = now or timezone.now()
    memberships = list(visible_students(user, deliverable.seminar))
    student_ids = [membership.user_id for membership in memberships]
    by_student: dict[int, list[Submission]] = {}
    for submission in Submission.objects.filter(deliverable=deliverable, student_id__in=student_ids).order_by(
        "student_id", "version"
    ):
        by_student.setdefault(submission.student_id, []).append(submission)
    extensions = {
        extension.student_id: extension
        for extension in Extension.objects.filter(
            deliverable=deliverable, student_id__in=student_ids, revoked_at__isnull=True
        )
    }
    relative = deliverable.due_mode == Deliverable.DueMode.BEFORE_TALK
    starts = talk_starts([deliverable.seminar_id], student_ids) if relative else {}
    rows = []
    for membership in memberships:
        for submission in by_student.get(membership.user_id, []):
            submission.student = membership.user
        extension = extensions.get(membership.user_id)
        deadline = deadline_of(
            deliverable, extension, starts.get((deliverable.seminar_id, membership.user_id))
        )
        versions = versions_from(by_student.get(membership.user_id, []), deliverable)
        rows.append(OverviewRow(membership, deadline, versions, now, deliverable.rule.grace))
    return rows


def counted_submissions(deliverable: Deliverable, user, *, every_version: bool) -> list[Submission]:
    """The files for "download all": each visible student's counted version, or every version."""
    files = []
    for row in overview(deliverable, user):
        if every_version:
            files.extend(row.versions.items)
        elif row.versions.counted is not None:
            files.append(row.versions.counted)
    for submission in files:
        submission.deliverable = deliverable
    return files


def progress_of(seminar: Seminar, student: User) -> list[tuple[Deliverable, Deadline, Versions]]:
    """Every deliverable of the seminar with the student's own deadline and versions, in three queries."""
    deliverables = list(deliverables_of(seminar))
    extensions = {
        extension.deliverable_id: extension
        for extension in Extension.objects.filter(
            deliverable__in=deliverables, student=student, revoked_at__isnull=True
        )
    }
    submissions: dict[int, list[Submission]] = {}
    for submission in Submission.objects.filter(deliverable__in=deliverables, student=student).order_by(
        "version"
    ):
        submissions.setdefault(submission.deliverable_id, []).append(submission)
    start = talk_starts([seminar.pk], [student.pk]).get((seminar.pk, student.pk))
    rows = []
    for deliverable in deliverables:
        deliverable.seminar = seminar
        talk = start if deliverable.due_mode == Deliverable.DueMode.BEFORE_TALK else None
        deadline = deadline_of(deliverable, extensions.get(deliverable.pk), talk)
        rows.append((deliverable, deadline, versions_from(submissions.get(deliverable.pk, []), deliverable)))
    return rows


def by_due_time(rows: list[tuple[Deliverable, Deadline | None, Versions | None]]) -> list:
    """Deliverable rows by the due time the reader has (their own with extension and talk, else the
    deliverable's), the soonest first; those without a due time yet last, in their order."""

    def key(row):
        deliverable, deadline, _versions = row
        due = deadline.due if deadline is not None else deliverable.due_at
        return (due is None, due.timestamp() if due else 0, deliverable.order, deliverable.pk)

    return sorted(rows, key=key)


def deliverables_by_due_time(seminar: Seminar) -> list[Deliverable]:
    """The seminar's deliverables in the order of the students' list: by the deliverable's own due time, those
    due relative to each talk (no one due time) last, each in the instructor's order."""
    return [
        row[0] for row in by_due_time([(deliverable, None, None) for deliverable in deliverables_of(seminar)])
    ]


def extension_history(deliverable: Deliverable, user) -> QuerySet[Extension]:
    visible = visible_students(user, deliverable.seminar).values("user_id")
    return (
        Extension.objects.filter(deliverable=deliverable, student_id__in=visible)
        .select_related("student", "granted_by", "revoked_by")
        .order_by("-granted_at", "-pk")
    )


@dataclass(frozen=True)
class DiscussedTalk:
    slot: object
    slides: list[Submission]  # the presenter's counted version of each slides deliverable handed in


def discussed_talks(seminar: Seminar, user) -> list[DiscussedTalk]:
    """The talks `user` discusses in the published schedule, each with the presenter's counted slides, in
    three queries however many talks."""
    slots = list(discussed_slots(user, seminar).select_related("presenter").order_by("starts_at", "pk"))
    deliverables = [item for item in deliverables_of(seminar) if item.kind == Deliverable.Kind.SLIDES]
    versions: dict[tuple[int, int], list[Submission]] = {}
    for submission in Submission.objects.filter(
        deliverable__in=deliverables, student_id__in=[slot.presenter_id for slot in slots]
    ).order_by("version"):
        versions.setdefault((submission.deliverable_id, submission.student_id), []).append(submission)
    talks = []
    for slot in slots:
        slides = []
        for deliverable in deliverables:
            counted = versions_from(
                versions.get((deliverable.pk, slot.presenter_id), []), deliverable
            ).counted
            if counted is not None:
                counted.deliverable = deliverable
                slides.append(counted)
        talks.append(DiscussedTalk(slot, slides))
    return talks
