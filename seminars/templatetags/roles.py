"""{{ seminar.my_role|role_label }}: a role's name for showing, in the reader's language."""

from django import template

from seminars.models import Membership

register = template.Library()


@register.filter
def role_label(role: str) -> str:
    return Membership.Role(role).label if role in Membership.Role.values else ""
