"""Reads that several places need. Each returns only what the asking user may see, by the access policy
(seminars/rules.py): a list and its detail page ask the same rule."""

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404

from core.permissions import require

from . import rules
from .models import Membership, Seminar, Topic


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
        own_role = Membership.objects.filter(seminar=OuterRef("pk"), user=user).values("role")[:1]
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
