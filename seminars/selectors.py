"""Reads that several places need. Each returns only what the asking user may see (the IDOR guard)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from accounts.models import User

from .models import Membership, Seminar, Topic


def _visible_to(user) -> Q:
    visible = ~Q(state=Seminar.State.DRAFT)
    if user.is_authenticated:
        visible |= Q(memberships__user=user)
    return visible


def seminars_for_user(user) -> QuerySet[Seminar]:
    """Seminars a visitor or user may see, with their number of students and the user's own role."""
    seminars = (
        Seminar.objects.filter(pk__in=Seminar.objects.filter(_visible_to(user)).values("pk"))
        .exclude(state=Seminar.State.ARCHIVED)
        .annotate(student_count=Count("memberships", filter=Q(memberships__role=Membership.Role.STUDENT)))
        .order_by("-created_at", "title")
    )
    if user.is_authenticated:
        own_role = Membership.objects.filter(seminar=OuterRef("pk"), user=user).values("role")[:1]
        seminars = seminars.annotate(my_role=Subquery(own_role))
    return seminars


def role_in_seminar(user, seminar: Seminar) -> str | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, seminar=seminar).values_list("role", flat=True).first()


def get_seminar_for_user(user, slug: str) -> Seminar:
    """The seminar page's data; 404 for a draft seminar the user is not a member of."""
    seminars = (
        Seminar.objects.filter(_visible_to(user))
        .distinct()
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("order", "title")))
    )
    try:
        return seminars.get(slug=slug)
    except Seminar.DoesNotExist as missing:
        raise Http404 from missing


def get_seminar_for_instructor(user, slug: str) -> Seminar:
    """Instructor pages: 404 when the user cannot see the seminar, 403 when they are not its instructor."""
    seminar = get_seminar_for_user(user, slug)
    if role_in_seminar(user, seminar) != Membership.Role.INSTRUCTOR:
        raise PermissionDenied
    return seminar


def student_count(seminar: Seminar) -> int:
    return seminar.memberships.filter(role=Membership.Role.STUDENT).count()


def student_users_of(seminar: Seminar):
    """The seminar's students as users, by name: the choices of forms that pick a student."""
    return User.objects.filter(
        memberships__seminar=seminar, memberships__role=Membership.Role.STUDENT
    ).order_by("full_name", "email")


def students_of_seminar(seminar: Seminar) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(seminar=seminar, role=Membership.Role.STUDENT)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
