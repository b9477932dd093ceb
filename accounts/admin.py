from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from .models import User


class LowerCaseEmailMixin:
    """Stores e-mail addresses in lower case, as sign-up does, so that uniqueness is checked on the field."""

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class PortalUserCreationForm(LowerCaseEmailMixin, UserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name"]


class PortalUserChangeForm(LowerCaseEmailMixin, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = PortalUserChangeForm
    add_form = PortalUserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "matriculation_number", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "date_joined"]
    search_fields = ["email", "full_name", "matriculation_number"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["full_name", "given_name", "family_name", "matriculation_number"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]


# SSO and MFA (issue 15). The IdPs are configured in the environment (SOCIALACCOUNT_PROVIDERS), not as
# SocialApp rows, and no provider tokens are stored: those two admin pages would only mislead.
admin.site.unregister(SocialApp)
admin.site.unregister(SocialToken)
admin.site.unregister(SocialAccount)
admin.site.unregister(Authenticator)


@admin.register(SocialAccount)
class SocialAccountAdmin(admin.ModelAdmin):
    """A person's link to an IdP account; deleting it unlinks (they can link again after logging in)."""

    list_display = ("user", "provider", "uid", "last_login", "date_joined")
    list_filter = ("provider",)
    search_fields = ("uid", "user__email", "user__full_name", "user__matriculation_number")
    raw_id_fields = ("user",)
    readonly_fields = ("extra_data",)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    """A person's MFA device (TOTP, recovery codes, security key). Deleting a lost one lets its owner set
    up MFA again; the secrets are not shown."""

    list_display = ("user", "type", "created_at", "last_used_at")
    list_filter = ("type", "created_at", "last_used_at")
    search_fields = ("user__email", "user__full_name")
    raw_id_fields = ("user",)
    exclude = ("data",)
    readonly_fields = ("type", "created_at", "last_used_at")
