"""{% may "papers.manage" seminar as can_manage %}: ask the access policy in a template."""

from django import template

from core.permissions import may as policy_may

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, permission: str, obj=None) -> bool:
    return policy_may(context["request"].user, permission, obj)
