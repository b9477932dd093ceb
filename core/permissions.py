"""How the portal asks its access policy: by permission name, with the object the action is about.

The predicates and permissions live in each app's rules.py (django-rules, as pretalx does: each app
states the permissions of its own pages, built from the predicates of the apps below it). `may` asks the
rules registry directly, not user.has_perm: a Django superuser is not a member of a seminar and gets no
right in it from the policy (the Django admin has its own permissions)."""

import rules
from django.core.exceptions import ImproperlyConfigured, PermissionDenied


def may(user, permission: str, obj=None) -> bool:
    if not rules.perm_exists(permission):
        raise ImproperlyConfigured(f"no permission named {permission!r} in the access policy")
    return rules.has_perm(permission, user, obj)


def require(user, permission: str, obj=None) -> None:
    """PermissionDenied (403) unless the policy allows `permission` on `obj`."""
    if not may(user, permission, obj):
        raise PermissionDenied
