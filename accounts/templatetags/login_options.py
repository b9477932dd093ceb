"""{% password_login_offered as offered %}: whether the login page shows the e-mail and password form. Not
when local accounts are off (SSO_LOCAL_ACCOUNTS): a form that refuses everybody is a trap, so the page
offers only the identity providers' buttons. The adapter refuses a posted password all the same."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def password_login_offered() -> bool:
    return settings.SSO_LOCAL_ACCOUNTS != "off"
