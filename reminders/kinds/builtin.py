"""The four built-in kinds of reminder, registered in the order of Reminder.Kind."""

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.languages import in_reader_language
from core.mail import portal_link
from papers.models import Preference, PreferenceWindow
from schedule.models import Slot
from schedule.selectors import talk_starts
from seminars.models import Seminar
from submissions.models import Deliverable, Extension, Submission
from submissions.selectors import deadline_of

from ..models import Reminder
from ..registry import register
from ..schedule import DAY
from .base import (
    EXTENSION_HORIZON,
    LOOKAHEAD,
    SUMMARY_WINDOW,
    Obligation,
    OffsetKind,
    ReminderKind,
    Timing,
    offsets_of,
    summary_wanted,
)
from .roles import instructors_of, students_of, summary_rows


@register
class DeliverableDue(OffsetKind):
    """A student of the seminar with no upload yet, by their own due time (extensions included; relative
    to their talk in the published schedule)."""

    key = Reminder.Kind.DELIVERABLE
    label = _("Deliverable due")
    subject = _("Reminder: “%(title)s” is due")
    template = "reminders/email/deliverable"

    def objects(self) -> QuerySet:
        return Deliverable.objects.exclude(seminar__state=Seminar.State.ARCHIVED).select_related(
            "seminar__reminder_settings"
        )

    def around(self, objects: QuerySet, now: datetime) -> QuerySet:
        fixed = Q(
            due_mode=Deliverable.DueMode.FIXED,
            due_at__gt=now - EXTENSION_HORIZON,
            due_at__lte=now + LOOKAHEAD,
        )
        # Relative to talks: of seminars whose published talks are not long past.
        relative = Q(
            due_mode=Deliverable.DueMode.BEFORE_TALK,
            seminar__in=Slot.objects.filter(
                starts_at__gt=now - EXTENSION_HORIZON, seminar__block_seminar__published_at__isnull=False
            ).values("seminar_id"),
        )
        return objects.filter(fixed | relative)

    def obligations(self, items, now, user_id=None):
        students = students_of({item.seminar_id for item in items}, user_id)
        relative = {item.seminar_id for item in items if item.due_mode == Deliverable.DueMode.BEFORE_TALK}
        starts = talk_starts(relative, None if user_id is None else [user_id]) if relative else {}
        extensions = Extension.objects.filter(deliverable__in=items, revoked_at__isnull=True)
        submitted = Submission.objects.filter(deliverable__in=items)
        if user_id is not None:
            extensions = extensions.filter(student_id=user_id)
            submitted = submitted.filter(student_id=user_id)
        extension_of = {(ext.deliverable_id, ext.student_id): ext for ext in extensions}
        uploaded = set(submitted.order_by().values_list("deliverable_id", "student_id").distinct())
        for deliverable in items:
            for student_id in students.get(deliverable.seminar_id, []):
                if (deliverable.pk, student_id) in uploaded:
                    continue
                deadline = deadline_of(
                    deliverable,
                    extension_of.get((deliverable.pk, student_id)),
                    starts.get((deliverable.seminar_id, student_id)),
                )
                if deadline.base_due is not None and deadline.base_due <= now - EXTENSION_HORIZON:
                    continue
                yield Obligation(
                    seminar=deliverable.seminar,
                    user_id=student_id,
                    item=deliverable,
                    title=self.title_of(deliverable),
                    due=deadline.due,
                    offsets=offsets_of(deliverable.seminar),
                )

    def title_of(self, item):
        return in_reader_language(item, "title")

    def link(self, obligation):
        return portal_link("submissions:deliverable", obligation.seminar.slug, obligation.item.pk)

    def context(self, obligation, user):
        return {"deliverable": obligation.item}


@register
class RankingCloses(OffsetKind):
    """A student who has not ranked papers, while the preference window is open, before it closes."""

    key = Reminder.Kind.RANKING
    label = _("Ranking papers closes")
    subject = _("Reminder: rank the papers of “%(title)s”")
    template = "reminders/email/ranking"

    def objects(self) -> QuerySet:
        return PreferenceWindow.objects.exclude(seminar__state=Seminar.State.ARCHIVED).select_related(
            "seminar__reminder_settings"
        )

    def around(self, objects: QuerySet, now: datetime) -> QuerySet:
        return objects.filter(closes_at__gt=now, closes_at__lte=now + LOOKAHEAD)

    def obligations(self, items, now, user_id=None):
        seminar_ids = {window.seminar_id for window in items}
        students = students_of(seminar_ids, user_id)
        preferences = Preference.objects.filter(seminar_id__in=seminar_ids)
        if user_id is not None:
            preferences = preferences.filter(student_id=user_id)
        ranked = set(preferences.order_by().values_list("seminar_id", "student_id").distinct())
        for window in items:
            for student_id in students.get(window.seminar_id, []):
                if (window.seminar_id, student_id) in ranked:
                    continue
                yield Obligation(
                    seminar=window.seminar,
                    user_id=student_id,
                    item=window,
                    title=self.title_of(window),
                    due=window.closes_at,
                    offsets=offsets_of(window.seminar),
                    not_before=window.opens_at,
                )

    def title_of(self, item):
        return in_reader_language(item.seminar, "title")

    def link(self, obligation):
        return portal_link("papers:preferences", obligation.seminar.slug)


@register
class DeadlineSummary(ReminderKind):
    """Each instructor, once, after a deliverable's fixed deadline (due + grace), for two days, unless the
    seminar switched summaries off: who submitted on time, who is late, who is missing."""

    key = Reminder.Kind.SUMMARY
    label = _("Summary after a deadline")
    subject = _("After the deadline: “%(title)s”")
    template = "reminders/email/summary"
    # grace_minutes' validator allows at most a week.
    LONGEST_GRACE = timedelta(days=7)

    def objects(self) -> QuerySet:
        return (
            Deliverable.objects.filter(due_at__isnull=False)
            .exclude(seminar__state=Seminar.State.ARCHIVED)
            .select_related("seminar__reminder_settings")
        )

    def around(self, objects: QuerySet, now: datetime) -> QuerySet:
        return objects.filter(due_at__lte=now, due_at__gt=now - SUMMARY_WINDOW - self.LONGEST_GRACE)

    def obligations(self, items, now, user_id=None):
        items = [deliverable for deliverable in items if summary_wanted(deliverable.seminar)]
        if not items:
            return
        instructors = instructors_of({deliverable.seminar_id for deliverable in items}, user_id)
        for deliverable in items:
            for instructor_id in instructors.get(deliverable.seminar_id, []):
                yield Obligation(
                    seminar=deliverable.seminar,
                    user_id=instructor_id,
                    item=deliverable,
                    title=self.title_of(deliverable),
                    due=deliverable.due_at,
                    offsets=(0,),
                )

    def fire_at(self, obligation, offset):
        return obligation.due + obligation.item.rule.grace

    def timing(self, obligation, offset, now):
        closes = self.fire_at(obligation, offset)
        if now < closes:
            return Timing.NOT_YET
        return Timing.DUE if now < closes + SUMMARY_WINDOW else Timing.PAST

    def title_of(self, item):
        return in_reader_language(item, "title")

    def link(self, obligation):
        return portal_link("submissions:overview", obligation.seminar.slug, obligation.item.pk)

    def context(self, obligation, user):
        rows = summary_rows(obligation.item, user)
        return {
            "deliverable": obligation.item,
            "on_time": [row for row in rows if row.status == "on_time"],
            "late": [row for row in rows if row.status == "late"],
            # Not handed in, whether it is past their own due time or they have an extension (shown as such).
            "missing": [row for row in rows if row.status in ("missing", "not_due")],
        }


@register
class TalkTomorrow(OffsetKind):
    """Each presenter who is a student of the seminar, the day before their talk in the published
    schedule."""

    key = Reminder.Kind.TALK
    label = _("Your talk tomorrow")
    subject = _("Reminder: your talk in “%(title)s” is tomorrow")
    template = "reminders/email/talk"

    def objects(self) -> QuerySet:
        return (
            Slot.objects.filter(presenter__isnull=False, seminar__block_seminar__published_at__isnull=False)
            .exclude(seminar__state=Seminar.State.ARCHIVED)
            .select_related("seminar")
        )

    def around(self, objects: QuerySet, now: datetime) -> QuerySet:
        return objects.filter(starts_at__gt=now, starts_at__lte=now + 2 * timedelta(minutes=DAY))

    def obligations(self, items, now, user_id=None):
        students = students_of({slot.seminar_id for slot in items}, user_id)
        enrolled = {(seminar_id, student_id) for seminar_id, ids in students.items() for student_id in ids}
        for slot in items:
            if (slot.seminar_id, slot.presenter_id) in enrolled:
                yield Obligation(
                    seminar=slot.seminar,
                    user_id=slot.presenter_id,
                    item=slot,
                    title=self.title_of(slot),
                    due=slot.starts_at,
                    offsets=(DAY,),
                )

    def title_of(self, item):
        return in_reader_language(item.seminar, "title")

    def link(self, obligation):
        return portal_link("schedule:program", obligation.seminar.slug)

    def context(self, obligation, user):
        return {"slot": obligation.item}
