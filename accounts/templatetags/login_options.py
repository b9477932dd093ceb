"""{% local_accounts as mode %}: SSO_LOCAL_ACCOUNTS ("on", "staff" or "off") for the login page. The e-mail
and password form shows unless it is "off" (a form that refuses everybody is a trap; the page then offers
only the identity providers' buttons), the invitation to sign up only while it is "on" (sign-up is closed
otherwise). The adapter refuses a posted password and every other local login all the same."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def local_accounts() -> str:
    return settings.SSO_LOCAL_ACCOUNTS
