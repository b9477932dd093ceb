from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from core.permissions import may

# The session remembers that the SSO login itself was multi-factor (accounts.adapter, SSO_MFA_CONTEXTS).
SSO_MFA_SESSION_KEY = "sso_login_was_mfa"


class MfaRequiredMiddleware:
    """With MFA_REQUIRED_FOR_STAFF, a person the policy names (`accounts.must_use_mfa`: instructors,
    supervisors, site staff) who has no TOTP or security key yet is sent to the MFA set-up and can do
    nothing else (the Django admin included) until they have one, except log out and switch language.
    An SSO login the IdP reports as multi-factor counts (SSO_MFA_CONTEXTS)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.MFA_REQUIRED_FOR_STAFF and self._must_set_up(request):
            messages.warning(
                request, _("Your account reaches grades: set up two-factor authentication to continue.")
            )
            return redirect("mfa_index")
        return self.get_response(request)

    def _must_set_up(self, request) -> bool:
        user = request.user
        if not user.is_authenticated or request.session.get(SSO_MFA_SESSION_KEY):
            return False
        path = request.path_info
        allowed = (
            reverse("mfa_index"),
            reverse("account_logout"),
            reverse("account_reauthenticate"),
            reverse("set_language"),
            # The branding stylesheet every page links: redirected, the set-up page itself would lose it.
            reverse("branding_css"),
            settings.STATIC_URL,
        )
        if path.startswith(allowed):
            return False
        return may(user, "accounts.must_use_mfa") and not is_mfa_enabled(user)
