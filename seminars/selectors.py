"""Reads that several places need. Each returns only what the asking user may see, by the access policy
(seminars/rules.py): a list and its detail page ask the same rule."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404

from accounts.models import User
from core.permissions import require

from . import rules
from .models import Announcement, Membership, Seminar, Topic


def seminars_for_user(user) -> QuerySet[Seminar]:
    """Seminars a visitor or user may see (not archived), with their number of students and the user's
    own role (for showing it)."""
    seminars = (
        rules.visible_seminars(user)
        .exclude(state=Seminar.State.ARCHIVED)
        .annotate(student_count=Count("memberships", filter=rules.students_filter("memberships__")))
        .order_by("-created_at", "title")
    )
    if user.is_authenticated:
        own_role = Membership.objects.current().filter(seminar=OuterRef("pk"), user=user).values("role")[:1]
        seminars = seminars.annotate(my_role=Subquery(own_role))
    return seminars


def get_seminar_for_user(user, slug: str) -> Seminar:
    """The seminar page's data; 404 for a seminar the user may not see (a draft they are no member of)."""
    seminars = rules.visible_seminars(user).prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("order", "title"))
    )
    try:
        return seminars.get(slug=slug)
    except Seminar.DoesNotExist as missing:
        raise Http404 from missing


def get_seminar_with(user, slug: str, permission: str) -> Seminar:
    """A seminar page that needs a permission: 404 when the user cannot see the seminar, 403 when the
    policy does not give them `permission` in it."""
    seminar = get_seminar_for_user(user, slug)
    require(user, permission, seminar)
    return seminar


def student_count(seminar: Seminar) -> int:
    return rules.student_memberships(seminar).count()


# ----------------------------------------------------------------------------------- people and roster
# The roster and the announcements to a topic read the allotment and the talk slots through the relations
# the papers and schedule apps declare on Seminar (seminar.allotments, seminar.slots, seminar.papers), by
# name: those apps sit above this one and are never imported here (tests/test_layout.py).


@dataclass(frozen=True)
class RosterRow:
    membership: Membership
    paper_title: str
    supervisor_name: str
    talk_starts_at: datetime | None
    talk_ends_at: datetime | None
    talk_room: str


@dataclass(frozen=True)
class Roster:
    students: list[RosterRow]
    withdrawn: list[RosterRow]  # the latest withdrawal first


def roster(seminar: Seminar) -> Roster:
    """The seminar's students and, apart, those who withdrew, in four queries whatever their number."""
    rows = roster_rows(seminar, rules.roster_memberships(seminar))
    withdrawn = [row for row in rows if row.membership.withdrawn_at is not None]
    withdrawn.sort(key=lambda row: row.membership.withdrawn_at, reverse=True)
    return Roster([row for row in rows if row.membership.withdrawn_at is None], withdrawn)


def roster_rows(seminar: Seminar, memberships) -> list[RosterRow]:
    """The roster's lines for `memberships` (students of `seminar`): each with their allotted paper, its
    supervisor and their talk slot, in three queries whatever the number of students."""
    papers = {
        student_id: (title, supervisor or "")
        for student_id, title, supervisor in seminar.allotments.values_list(
            "student_id", "paper__title", "paper__supervisor__full_name"
        )
    }
    talks: dict[int, tuple] = {}
    slots = seminar.slots.filter(presenter__isnull=False).order_by("starts_at")
    for presenter_id, starts_at, ends_at, room in slots.values_list(
        "presenter_id", "starts_at", "ends_at", "room"
    ):
        talks.setdefault(presenter_id, (starts_at, ends_at, room))
    rows = []
    for membership in memberships:
        title, supervisor = papers.get(membership.user_id, ("", ""))
        starts_at, ends_at, room = talks.get(membership.user_id, (None, None, ""))
        rows.append(RosterRow(membership, title, supervisor, starts_at, ends_at, room))
    return rows


def announcement_recipients(
    seminar: Seminar, *, audience: str, topic: Topic | None, author
) -> QuerySet[User]:
    """Who an announcement to `audience` reaches now: everyone in the seminar (students who withdrew
    left out), its students, or the students whose allotted paper is in `topic`; never its author."""
    if audience == Announcement.Audience.EVERYONE:
        members = rules.participant_memberships(seminar)
    elif audience == Announcement.Audience.STUDENTS:
        members = rules.student_memberships(seminar)
    else:
        allotted = seminar.allotments.filter(paper__topic=topic).values("student_id")
        members = rules.student_memberships(seminar).filter(user_id__in=allotted)
    return User.objects.filter(pk__in=members.values("user_id")).exclude(pk=author.pk).order_by("pk")


def announcements_of(seminar: Seminar) -> QuerySet[Announcement]:
    """The seminar's announcements, the newest first."""
    return seminar.announcements.select_related("topic").order_by("-sent_at", "-pk")


def membership_in(seminar: Seminar, pk: int) -> Membership:
    """A membership of `seminar` named in an address; 404 for one of another seminar or none."""
    membership = Membership.objects.select_related("user").filter(seminar=seminar, pk=pk).first()
    if membership is None:
        raise Http404
    return membership


@dataclass(frozen=True)
class StaffRow:
    membership: Membership
    supervised_papers: int
    is_only_instructor: bool


def staff_rows(seminar: Seminar) -> list[StaffRow]:
    """The seminar's instructors and supervisors with the number of its papers each supervises, in two
    queries."""
    staff = list(rules.staff_memberships(seminar))
    supervised = dict(
        seminar.papers.filter(supervisor__isnull=False)
        .values_list("supervisor_id")
        .annotate(count=Count("pk"))
        .values_list("supervisor_id", "count")
    )
    instructors = sum(1 for membership in staff if rules.is_instructor_membership(membership))
    return [
        StaffRow(
            membership,
            supervised.get(membership.user_id, 0),
            rules.is_instructor_membership(membership) and instructors == 1,
        )
        for membership in staff
    ]
