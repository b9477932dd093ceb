from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from .forms import ProfileForm
from .selectors import mfa_devices_of, sso_accounts_of
from .services import user_language_set, user_profile_update


@login_required
def profile(request):
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user_profile_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your profile has been saved."))
        return redirect("accounts:profile")
    context = {
        "form": form,
        "sso_accounts": sso_accounts_of(request.user),
        "mfa_devices": mfa_devices_of(request.user),
    }
    return render(request, "accounts/profile.html", context)


@require_POST
def set_language(request):
    """Django's language switch; a logged-in person's choice also becomes the language of their mail."""
    response = django_set_language(request)
    if request.user.is_authenticated:
        user_language_set(user=request.user, language=request.POST.get("language", ""))
    return response
