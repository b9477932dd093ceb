"""Every write of the papers app: the catalogue, preferences, the allotment and its publication."""

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.imports import RowError
from core.languages import in_reader_language
from core.mail import mail_send, portal_link
from core.outbox import enqueue_many_on_commit, enqueue_on_commit
from seminars.models import Seminar, Topic
from seminars.rules import staff_users, student_memberships
from seminars.services import membership_lock

from .allotment import MECHANISMS, AllotmentProblem
from .exceptions import (
    AllotmentPublishedError,
    InvalidRankingError,
    NotAStudentError,
    NothingToPublishError,
    PaperFullError,
    PaperInUseError,
    PapersError,
    PreferenceWindowClosedError,
    ReasonRequiredError,
)
from .models import (
    Allotment,
    AllotmentChange,
    AllotmentPublication,
    AllotmentRun,
    Paper,
    Preference,
    PreferenceWindow,
)
from .paper_import import PaperRecord
from .selectors import is_published
from .tasks import task_allotment_notify


class PaperImportError(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(_("The file was not imported. Please correct these entries and upload it again."))


# ---------------------------------------------------------------------------------------------- catalogue


@transaction.atomic
def paper_save(*, seminar: Seminar, paper: Paper | None = None, **fields) -> Paper:
    """Creates or changes a paper of `seminar`; its topic and supervisor must belong to the same seminar."""
    paper = paper or Paper(seminar=seminar)
    for name, value in fields.items():
        setattr(paper, name, value)
    if paper.topic is not None and paper.topic.seminar_id != seminar.pk:
        raise ValidationError({"topic": _("This topic belongs to another seminar.")})
    if paper.supervisor is not None and not staff_users(seminar).filter(pk=paper.supervisor.pk).exists():
        message = _("The supervisor must be a supervisor or instructor of this seminar.")
        raise ValidationError({"supervisor": message})
    paper.full_clean()
    paper.save()
    return paper


@transaction.atomic
def paper_delete(*, paper: Paper) -> None:
    if paper.allotments.exists():
        raise PaperInUseError
    paper.delete()


@dataclass(frozen=True)
class RepeatedEntry:
    """An entry of the file with the same title (or BibTeX key) as an earlier entry of the same file."""

    line: int
    first_line: int
    title: str


@dataclass(frozen=True)
class PaperImportResult:
    added: int
    already_there: int  # in the catalogue before this import
    without_topic: list[str]
    repeated: list[RepeatedEntry]  # not added: an earlier entry of the file was


def _normalised_title(title: str) -> str:
    return " ".join(title.casefold().split())


def _topic_matcher(seminar: Seminar):
    topics = list(seminar.topics.all())

    def match(name: str) -> Topic | None:
        wanted = name.strip().casefold()
        if not wanted:
            return None
        for topic in topics:
            if topic.title.casefold() == wanted:
                return topic
        stem = wanted.rstrip("s")
        return next((topic for topic in topics if stem and stem in topic.title.casefold()), None)

    return match


def papers_import(*, seminar: Seminar, records: list[PaperRecord]) -> PaperImportResult:
    """Adds the papers of an imported file. All or nothing: a supervisor who is not staff of this seminar is
    reported with the entry's line and nothing is imported. A paper already in the seminar (same BibTeX key,
    or the same title) is not added again; an entry with the title or key of an earlier entry of the same
    file is not added either and is reported with both lines. A topic the seminar does not have leaves the
    paper without one."""
    staff = {user.email.lower(): user for user in staff_users(seminar)}
    errors = [
        RowError(
            record.line,
            _("%(email)s is not a supervisor or instructor of this seminar.")
            % {"email": record.supervisor_email},
        )
        for record in records
        if record.supervisor_email and record.supervisor_email not in staff
    ]
    if errors:
        raise PaperImportError(errors)
    topic_for = _topic_matcher(seminar)
    with transaction.atomic():
        # The seminar row serialises imports, the allotment runs, moves and publishing (not every service
        # here: a student's ranking is their own rows): two imports at once cannot both add a paper.
        Seminar.objects.select_for_update().get(pk=seminar.pk)
        existing = Paper.objects.filter(seminar=seminar)
        keys = set(existing.exclude(source_key="").values_list("source_key", flat=True))
        titles = {_normalised_title(title) for title in existing.values_list("title", flat=True)}
        first_line_of: dict[tuple[str, str], int] = {}  # ("key" | "title", value) -> line in this file
        added, already_there, without_topic, repeated = 0, 0, [], []
        for record in records:
            title = _normalised_title(record.title)
            if (record.key and record.key in keys) or title in titles:
                already_there += 1
                continue
            seen_as = [("title", title), ("key", record.key)] if record.key else [("title", title)]
            if earlier := next((first_line_of[seen] for seen in seen_as if seen in first_line_of), None):
                repeated.append(RepeatedEntry(line=record.line, first_line=earlier, title=record.title))
                continue
            first_line_of.update(dict.fromkeys(seen_as, record.line))
            topic = topic_for(record.topic)
            if topic is None:
                without_topic.append(record.title)
            Paper.objects.create(
                seminar=seminar,
                topic=topic,
                title=record.title[:500],
                authors=record.authors[:1000],
                venue=record.venue[:300],
                year=record.year,
                link=record.link[:500],
                abstract=record.abstract,
                capacity=record.capacity or 1,
                supervisor=staff.get(record.supervisor_email),
                source_key=record.key[:200],
            )
            added += 1
    return PaperImportResult(
        added=added, already_there=already_there, without_topic=without_topic, repeated=repeated
    )


# -------------------------------------------------------------------------------------------- preferences


@transaction.atomic
def preference_window_set(*, seminar: Seminar, opens_at: datetime, closes_at: datetime, max_choices: int):
    window, _created = PreferenceWindow.objects.update_or_create(
        seminar=seminar, defaults={"opens_at": opens_at, "closes_at": closes_at, "max_choices": max_choices}
    )
    return window


@transaction.atomic
def preferences_set(
    *, seminar: Seminar, student: User, paper_ids: list[int], now: datetime
) -> list[Preference]:
    """Replaces a student's ranking (best first). Accepted iff the student is enrolled, the window is open at
    `now` (the server's time of the request), every paper belongs to this seminar, none appears twice, and
    no more than the window's number of papers are ranked. Locks the student's membership row."""
    # The student's membership row serialises their saves (a double click, two tabs): the second waits and
    # replaces the ranking again instead of failing on the unique ranks.
    if membership_lock(seminar=seminar, user=student, students_only=True) is None:
        raise NotAStudentError
    window = PreferenceWindow.objects.filter(seminar=seminar).first()
    if window is None or not window.is_open(now):
        raise PreferenceWindowClosedError
    if len(set(paper_ids)) != len(paper_ids):
        raise InvalidRankingError(_("A paper can appear only once in your ranking."))
    if len(paper_ids) > window.max_choices:
        raise InvalidRankingError(
            _("You can rank at most %(count)d papers. Remove one before adding another.")
            % {"count": window.max_choices}
        )
    if Paper.objects.filter(seminar=seminar, pk__in=paper_ids).count() != len(paper_ids):
        raise InvalidRankingError(_("Only papers of this seminar can be ranked."))
    Preference.objects.filter(seminar=seminar, student=student).delete()
    return Preference.objects.bulk_create(
        Preference(seminar=seminar, student=student, paper_id=paper_id, rank=rank)
        for rank, paper_id in enumerate(paper_ids, start=1)
    )


# ---------------------------------------------------------------------------------------------- allotment


def allotment_problem(seminar: Seminar) -> AllotmentProblem:
    students = list(student_memberships(seminar).values_list("user_id", flat=True))
    rankings: dict[int, list[int]] = {}
    for student_id, paper_id in (
        Preference.objects.filter(seminar=seminar, student_id__in=students)
        .order_by("student_id", "rank")
        .values_list("student_id", "paper_id")
    ):
        rankings.setdefault(student_id, []).append(paper_id)
    window = PreferenceWindow.objects.filter(seminar=seminar).first()
    return AllotmentProblem(
        students=students,
        capacities=dict(Paper.objects.filter(seminar=seminar).values_list("id", "capacity")),
        rankings=rankings,
        locks=dict(
            Allotment.objects.filter(seminar=seminar, locked=True, student_id__in=students).values_list(
                "student_id", "paper_id"
            )
        ),
        max_choices=window.max_choices if window else 5,
    )


@transaction.atomic
def allotment_run(*, seminar: Seminar, mechanism: str, seed: int | None, run_by: User) -> AllotmentRun:
    """Proposes an allotment with the chosen mechanism. Locked allotments are kept; every other student's
    allotment is replaced. The seed is recorded, so the same data and seed give the same allotment again.
    Refused once the allotment is published."""
    Seminar.objects.select_for_update().get(pk=seminar.pk)
    if is_published(seminar):
        raise AllotmentPublishedError
    seed = secrets.randbelow(2**31) if seed is None else seed
    problem = allotment_problem(seminar)
    result = MECHANISMS[mechanism](problem, seed=seed)
    run = AllotmentRun.objects.create(
        seminar=seminar,
        mechanism=mechanism,
        seed=seed,
        run_by=run_by,
        summary={str(rank): count for rank, count in result.rank_counts.items()},
        unassigned=result.unassigned,
    )
    Allotment.objects.filter(seminar=seminar, locked=False).delete()
    Allotment.objects.bulk_create(
        Allotment(
            seminar=seminar, student_id=student, paper_id=paper, source=Allotment.Source.AUTOMATIC, run=run
        )
        for student, paper in result.assignment.items()
        if student not in problem.locks
    )
    return run


def _check_belongs(seminar: Seminar, students: list[User], paper: Paper | None) -> None:
    enrolled = student_memberships(seminar).filter(user__in=students).count()
    if enrolled != len({student.pk for student in students}):
        raise PapersError(_("Only students enrolled in this seminar can be allotted a paper."))
    if paper is not None and paper.seminar_id != seminar.pk:
        raise PapersError(_("This paper belongs to another seminar."))


def _record_change(*, seminar, student, old_paper, new_paper, changed_by, reason, now) -> None:
    change = AllotmentChange.objects.create(
        seminar=seminar,
        student=student,
        old_paper=old_paper,
        new_paper=new_paper,
        changed_by=changed_by,
        reason=reason,
        changed_at=now,
    )
    enqueue_on_commit(
        task_allotment_notify, seminar_id=seminar.pk, student_id=student.pk, change_id=change.pk
    )


@transaction.atomic
def allotment_move(
    *,
    seminar: Seminar,
    student: User,
    paper: Paper,
    changed_by: User,
    reason: str,
    now: datetime,
) -> Allotment:
    """Gives a student a paper by hand and locks it (a new automatic run keeps it). The paper must have a
    free seat. After publishing, a reason is required, the change is recorded and the student is told."""
    Seminar.objects.select_for_update().get(pk=seminar.pk)
    _check_belongs(seminar, [student], paper)
    published = is_published(seminar)
    if published and not reason.strip():
        raise ReasonRequiredError
    current = Allotment.objects.filter(seminar=seminar, student=student).select_related("paper").first()
    if current and current.paper_id == paper.pk:
        current.locked = True
        current.save(update_fields=["locked", "updated_at"])
        return current
    taken = Allotment.objects.filter(paper=paper).count()
    if taken >= paper.capacity:
        raise PaperFullError(
            _("“%(title)s” has no free seat (%(capacity)d). Swap the students instead.")
            % {"title": paper.title, "capacity": paper.capacity}
        )
    old_paper = current.paper if current else None
    allotment, _created = Allotment.objects.update_or_create(
        seminar=seminar,
        student=student,
        defaults={"paper": paper, "source": Allotment.Source.MANUAL, "locked": True, "run": None},
    )
    if published:
        _record_change(
            seminar=seminar,
            student=student,
            old_paper=old_paper,
            new_paper=paper,
            changed_by=changed_by,
            reason=reason,
            now=now,
        )
    return allotment


@transaction.atomic
def allotment_swap(
    *,
    seminar: Seminar,
    first: User,
    second: User,
    changed_by: User,
    reason: str,
    now: datetime,
) -> None:
    """Swaps the papers of two allotted students and locks both. After publishing, a reason is required,
    both changes are recorded and both students are told."""
    Seminar.objects.select_for_update().get(pk=seminar.pk)
    _check_belongs(seminar, [first, second], None)
    published = is_published(seminar)
    if published and not reason.strip():
        raise ReasonRequiredError
    allotments = {
        allotment.student_id: allotment
        for allotment in Allotment.objects.filter(
            seminar=seminar, student__in=[first, second]
        ).select_related("paper")
    }
    if first.pk == second.pk or len(allotments) != 2:
        raise PapersError(_("Choose two different students who both have a paper."))
    a, b = allotments[first.pk], allotments[second.pk]
    old_a, old_b = a.paper, b.paper
    for allotment, paper in ((a, old_b), (b, old_a)):
        allotment.paper = paper
        allotment.source = Allotment.Source.MANUAL
        allotment.locked = True
        allotment.run = None
        allotment.save()
    if published:
        for student, old, new in ((first, old_a, old_b), (second, old_b, old_a)):
            _record_change(
                seminar=seminar,
                student=student,
                old_paper=old,
                new_paper=new,
                changed_by=changed_by,
                reason=reason,
                now=now,
            )


@transaction.atomic
def allotment_lock_set(*, allotment: Allotment, locked: bool) -> Allotment:
    """Locks or unlocks one student's allotment (a new run keeps a locked one). The seminar row is the
    lock, as for a run: a run replacing the allotments at the same moment goes first or waits."""
    Seminar.objects.select_for_update().get(pk=allotment.seminar_id)
    current = Allotment.objects.filter(pk=allotment.pk).first()
    if current is None:
        raise PapersError(_("This allotment was just replaced by a new run. Please look again."))
    current.locked = locked
    current.save(update_fields=["locked", "updated_at"])
    return current


@transaction.atomic
def allotment_publish(*, seminar: Seminar, published_by: User, now: datetime) -> AllotmentPublication:
    """Makes the allotment visible to the students and mails each allotted student their paper (in the
    student's own mail language)."""
    Seminar.objects.select_for_update().get(pk=seminar.pk)
    if is_published(seminar):
        raise AllotmentPublishedError
    student_ids = list(Allotment.objects.filter(seminar=seminar).values_list("student_id", flat=True))
    if not student_ids:
        raise NothingToPublishError
    publication = AllotmentPublication.objects.create(
        seminar=seminar, published_at=now, published_by=published_by
    )
    enqueue_many_on_commit(
        task_allotment_notify,
        [{"seminar_id": seminar.pk, "student_id": student_id} for student_id in student_ids],
    )
    return publication


def allotment_notify(*, seminar: Seminar, student: User, change: AllotmentChange | None) -> None:
    """Mails a student their allotted paper (on publishing) or the change to it (with the reason)."""
    allotment = (
        Allotment.objects.filter(seminar=seminar, student=student).select_related("paper__supervisor").first()
    )
    mail_send(
        to=student,
        subject=gettext_lazy("Your paper in %(seminar)s has changed")
        if change
        else gettext_lazy("Your paper in %(seminar)s"),
        subject_params={"seminar": in_reader_language(seminar, "title")},
        template="papers/email/allotment",
        context={
            "student": student,
            "seminar": seminar,
            "allotment": allotment,
            "change": change,
            "papers_url": portal_link("papers:list", seminar.slug),
        },
        zone=seminar.time_zone,
    )
