"""Copying a seminar to a new term: what a chair sets up once and runs again each term.

A copy reaches into every app (topics, papers, the schedule's timing, deliverables, grade components,
reminder settings), so it lives in an app of its own that reads from all of them and that nobody imports,
like reminders and calendars: no lower app learns about the higher ones.

What is copied, model by model (every model with a relation to Seminar, or to a model the copy copies;
tests/copying/test_copy_decisions.py fails for a model that is not in DECISIONS):

| model                        | copied? | how                                                              |
|------------------------------|---------|------------------------------------------------------------------|
| seminars.Seminar             | yes     | texts in both languages, zone, capacity, module number; dates    |
|                              |         | moved; new title, slug, term (no German title: the new title is  |
|                              |         | given, an old German one would name the old seminar); state      |
|                              |         | draft; not the old meeting's recording and slides links          |
| seminars.Topic               | yes     | titles in both languages and order                               |
| seminars.Membership          | no      | people: the copier becomes the only instructor (not the source's |
|                              |         | co-instructors or supervisors: they are invited on the people    |
|                              |         | page)                                                            |
| seminars.Announcement        | no      | mail that went to the old term's people                          |
| seminars.Material            | yes     | title, order, description (both languages), with a copied file   |
|                              |         | (seminars.materials.materials_copy)                              |
| papers.Paper                 | option  | "copy papers": the catalogue with topics, without supervisor (a  |
|                              |         | person of the old term)                                          |
| papers.PreferenceWindow      | yes     | the ranking window, moved; its maximum of choices                |
| papers.Preference            | no      | students' rankings                                               |
| papers.AllotmentRun          | no      | records of the old term                                          |
| papers.Allotment             | no      | people                                                           |
| papers.AllotmentPublication  | no      | records of the old term                                          |
| papers.AllotmentChange       | no      | records of the old term                                          |
| schedule.BlockSeminar        | yes     | talk timing (talk, gap, breaks); not published                   |
| schedule.BlockDay            | yes     | moved like every date (same clock time), with room and online    |
|                              |         | link                                                             |
| schedule.Slot                | no      | the old term's talks and presenters                              |
| schedule.ScheduleChange      | no      | records of the old term                                          |
| submissions.Deliverable      | yes     | everything (names, instructions in both languages); a fixed due  |
|                              |         | time moved, "days before the talk" as it is                      |
| submissions.Extension        | no      | people                                                           |
| submissions.Submission       | no      | people's work, exam records                                      |
| reviews.ReviewRound          | yes     | peer review of the copied deliverable: reviews per student,      |
|                              |         | anonymity, due time (moved), grace, late rule, rubric; not the   |
|                              |         | seed, assignment, publication or release                         |
| reviews.PeerReview           | no      | people's work                                                    |
| grading.GradingSettings      | yes     | rounding and the pass-all rule; not released                     |
| grading.GradeComponent       | yes     | names, weights, order; linked to the copied deliverable          |
| grading.Grade                | no      | exam records                                                     |
| grading.ExaminerGrade        | no      | exam records                                                     |
| grading.Feedback             | no      | examiners' feedback on people's work (a component's rubric is    |
|                              |         | copied with the component)                                       |
| reminders.ReminderSettings   | yes     | the offsets and the instructor summary                           |
| reminders.Reminder           | no      | the sent log of the old term                                     |
| matching.RoundSeminar        | no      | the department's round of the old term; whether the copy takes   |
|                              |         | part in a round (and so has no first-come enrolment) is the next |
|                              |         | round's to decide                                                |

Dates move by whole days at the same clock time in the seminar's zone (copying/dates.py), also across a
change of daylight saving time."""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction

from accounts.models import User
from grading.models import GradeComponent, GradingSettings
from papers.models import Paper, PreferenceWindow
from reviews.models import ReviewRound
from schedule.models import BlockDay, BlockSeminar
from seminars.creation import seminar_create
from seminars.materials import materials_copy
from seminars.models import Seminar, Topic
from submissions.models import Deliverable

from .dates import moved, moved_date

COPIED, NOT_COPIED, OPTIONAL = "copied", "not copied", "copied on request"
DECISIONS = {
    "seminars.Seminar": COPIED,
    "seminars.Topic": COPIED,
    "seminars.Membership": NOT_COPIED,
    "seminars.Announcement": NOT_COPIED,
    "seminars.Material": COPIED,
    "matching.RoundSeminar": NOT_COPIED,
    "papers.Paper": OPTIONAL,
    "papers.PreferenceWindow": COPIED,
    "papers.Preference": NOT_COPIED,
    "papers.AllotmentRun": NOT_COPIED,
    "papers.Allotment": NOT_COPIED,
    "papers.AllotmentPublication": NOT_COPIED,
    "papers.AllotmentChange": NOT_COPIED,
    "schedule.BlockSeminar": COPIED,
    "schedule.BlockDay": COPIED,
    "schedule.Slot": NOT_COPIED,
    "schedule.ScheduleChange": NOT_COPIED,
    "submissions.Deliverable": COPIED,
    "submissions.Extension": NOT_COPIED,
    "submissions.Submission": NOT_COPIED,
    "reviews.ReviewRound": COPIED,
    "reviews.PeerReview": NOT_COPIED,
    "grading.GradingSettings": COPIED,
    "grading.GradeComponent": COPIED,
    "grading.Grade": NOT_COPIED,
    "grading.Feedback": NOT_COPIED,
    "grading.ExaminerGrade": NOT_COPIED,
    "reminders.ReminderSettings": COPIED,
    "reminders.Reminder": NOT_COPIED,
}

# Seminar fields a copy sets itself or leaves empty: the new name and state, and the old pre-course
# meeting's recording and slides (the new meeting has its own).
_SEMINAR_NOT_COPIED = {
    "id",
    "title",
    "title_de",
    "slug",
    "term",
    "state",
    "time_zone",
    "capacity",
    "places_by_matching",
    "premeeting_recording_url",
    "premeeting_slides_url",
    "created_at",
    "updated_at",
}


@dataclass(frozen=True)
class CopyResult:
    seminar: Seminar
    days: int
    topics: int
    deliverables: int
    grade_components: int
    papers: int
    block_days: int
    materials: int

    def summary(self) -> dict:
        """The counts and the days, with the new seminar's id (for the session: JSON only)."""
        counts = ("days", "topics", "deliverables", "grade_components", "papers", "block_days", "materials")
        return {"seminar": self.seminar.pk} | {name: getattr(self, name) for name in counts}


def _values(instance: models.Model, *, days: int, zone) -> dict:
    """The row's own field values for a new row: no primary key, no automatic times, every date and time
    moved by `days` (at the same clock time in `zone`)."""
    values = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key or getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, datetime):
            value = moved(value, days=days, zone=zone)
        elif isinstance(value, date):
            value = moved_date(value, days=days)
        values[field.attname] = value
    return values


def _clone(instance: models.Model, *, days: int, zone, **changes):
    """An unsaved copy of `instance`, its dates moved; `changes` by field name (seminar=..., topic=...)."""
    values = _values(instance, days=days, zone=zone)
    for name in changes:
        values.pop(instance._meta.get_field(name).attname, None)
    return type(instance)(**values, **changes)


def _one_to_one(seminar: Seminar, related_name: str) -> models.Model | None:
    try:
        return getattr(seminar, related_name)
    except ObjectDoesNotExist:
        return None


@transaction.atomic
def seminar_copy(
    *, source: Seminar, by: User, title: str, slug: str, term: str, days: int, with_papers: bool
) -> CopyResult:
    """Copies `source` to a new term as a draft whose only member is `by` (its instructor), with every date
    moved by `days` (see the table above for what comes along). One transaction: a failure anywhere leaves
    no half copy (nor any copied file, but for a failing commit: see the materials step). Locks the source
    seminar's row, so that its settings (the components' weights adding up to 100, the deliverables the
    components link) cannot change half-way through; the new seminar's slug is decided by its unique
    constraint (SlugTakenError)."""
    source = Seminar.objects.select_for_update().get(pk=source.pk)
    zone = source.zone
    details = {
        name: value
        for name, value in _values(source, days=days, zone=zone).items()
        if name not in _SEMINAR_NOT_COPIED
    }
    seminar = seminar_create(
        by=by,
        title=title,
        slug=slug,
        term=term,
        time_zone=source.time_zone,
        capacity=source.capacity,
        **details,
    )

    old_topics = list(Topic.objects.filter(seminar=source).order_by("pk"))
    new_topics = Topic.objects.bulk_create(
        [_clone(topic, days=days, zone=zone, seminar=seminar) for topic in old_topics]
    )
    topic_of = {old.pk: new for old, new in zip(old_topics, new_topics, strict=True)}

    old_deliverables = list(Deliverable.objects.filter(seminar=source).order_by("pk"))
    new_deliverables = Deliverable.objects.bulk_create(
        [_clone(deliverable, days=days, zone=zone, seminar=seminar) for deliverable in old_deliverables]
    )
    deliverable_of = {old.pk: new for old, new in zip(old_deliverables, new_deliverables, strict=True)}
    ReviewRound.objects.bulk_create(
        [
            _clone(
                review_round,
                days=days,
                zone=zone,
                deliverable=deliverable_of[review_round.deliverable_id],
                seed=None,
                assigned_at=None,
                published_at=None,
                published_by=None,
                released_at=None,
                released_by=None,
            )
            for review_round in ReviewRound.objects.filter(deliverable__seminar=source).order_by("pk")
        ]
    )

    components = GradeComponent.objects.bulk_create(
        [
            _clone(
                component,
                days=days,
                zone=zone,
                seminar=seminar,
                deliverable=deliverable_of.get(component.deliverable_id),
            )
            for component in GradeComponent.objects.filter(seminar=source).order_by("order", "pk")
        ]
    )
    grading = GradingSettings.objects.filter(seminar=source).first()
    if grading is not None:
        _clone(grading, days=days, zone=zone, seminar=seminar, released_at=None, released_by=None).save()
    # Through the relation reminders declares on Seminar: no app imports reminders (tests/test_layout.py).
    reminder_settings = _one_to_one(source, "reminder_settings")
    if reminder_settings is not None:
        _clone(reminder_settings, days=days, zone=zone, seminar=seminar).save()

    window = PreferenceWindow.objects.filter(seminar=source).first()
    if window is not None:
        _clone(window, days=days, zone=zone, seminar=seminar).save()
    block = BlockSeminar.objects.filter(seminar=source).first()
    if block is not None:
        _clone(block, days=days, zone=zone, seminar=seminar, published_at=None, published_by=None).save()
    block_days = BlockDay.objects.bulk_create(
        [
            _clone(day, days=days, zone=zone, seminar=seminar)
            for day in BlockDay.objects.filter(seminar=source).order_by("starts_at")
        ]
    )

    papers = []
    if with_papers:
        papers = Paper.objects.bulk_create(
            [
                _clone(
                    paper,
                    days=days,
                    zone=zone,
                    seminar=seminar,
                    topic=topic_of.get(paper.topic_id),
                    supervisor=None,
                )
                for paper in Paper.objects.filter(seminar=source).order_by("pk")
            ]
        )
    # Last: the only step that writes files. Should it fail, it removes what it wrote; should the commit
    # fail after it, the copied files are orphans that `manage.py remove_orphan_uploads` removes.
    materials = materials_copy(source=source, target=seminar)
    return CopyResult(
        seminar=seminar,
        days=days,
        topics=len(new_topics),
        deliverables=len(new_deliverables),
        grade_components=len(components),
        papers=len(papers),
        block_days=len(block_days),
        materials=len(materials),
    )
