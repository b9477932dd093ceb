from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from accounts import oidc_provider
from accounts.views import set_language

from .branding import branding_css
from .health import healthz

admin.site.site_header = "Seminar portal"
admin.site.site_title = "Seminar portal admin"
# The admin logs in through allauth, so its rate limits guard staff accounts too.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("branding.css", branding_css, name="branding_css"),
    path("admin/", admin.site.urls),
    # allauth's OpenID Connect callback (its URL and name, before allauth's own), with the adapter that
    # checks every id_token's signature and nonce (accounts/oidc_provider.py).
    path(
        "accounts/oidc/<str:provider_id>/login/callback/",
        oidc_provider.callback,
        name="openid_connect_callback",
    ),
    path("accounts/", include("allauth.urls")),
    path("account/", include("accounts.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("seminars.urls")),
    path("", include("papers.urls")),
    path("", include("matching.urls")),
    path("", include("schedule.urls")),
    path("", include("submissions.urls")),
    path("", include("reviews.urls")),
    path("", include("grading.urls")),
    path("", include("reminders.urls")),
    path("", include("calendars.urls")),
    path("", include("copying.urls")),
    path("", include("dashboard.urls")),
]
