"""Settings shared by every environment. Configuration comes from the environment (twelve-factor).

With nothing set, the portal runs on embedded defaults: SQLite, a file-system cache and Celery broker,
and mail written to files, all under var/. DATABASE_URL, REDIS_URL and EMAIL_URL switch to real services.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-do-not-use-in-production")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # allauth.mfa's security-key list shows "last used 3 days ago" with it.
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Django's widget templates for FORM_RENDERER below.
    "django.forms",
    "allauth",
    "allauth.account",
    # Single sign-on through the university's IdP (SAML, OpenID Connect) and MFA for staff (issue 15).
    "allauth.socialaccount",
    "allauth.socialaccount.providers.saml",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "csp",
    # The access policy: each app's rules.py registers its permissions (imported at start-up).
    "rules.apps.AutodiscoverRulesConfig",
    "core",
    "accounts",
    "seminars",
    "matching",
    "papers",
    "schedule",
    "submissions",
    "reviews",
    "grading",
    "reminders",
    "calendars",
    "copying",
    "dashboard",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Instructors, supervisors and site staff set up MFA before anything else when MFA_REQUIRED_FOR_STAFF.
    "accounts.middleware.MfaRequiredMiddleware",
]

ROOT_URLCONF = "seminar_portal.urls"
WSGI_APPLICATION = "seminar_portal.wsgi.application"

# Widgets render through TEMPLATES, so templates/ can override one (the admin's split date/time widget,
# whose "Date:" and "Time:" become labels there).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.branding.branding_context",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A load balancer's health check must fail fast when the database is gone, not hang.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default has several writers (web, worker processes, beat). WAL lets readers go on while
    # one writes; IMMEDIATE transactions take the write lock when they begin, where SQLite waits up to the
    # busy timeout, instead of failing with "database is locked" half-way (after a mail went out) when a
    # read turns into a write while another process writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    # Shared between the web server and the worker processes of `make run`; allauth's rate limits need that.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# After login everyone lands on their dashboard: one page for all their seminars (dashboard/).
LOGIN_REDIRECT_URL = "dashboard:home"
LOGIN_URL = "account_login"

# django-allauth 65: e-mail is the login, verification is mandatory, rate limits use the default cache.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "seminars:list"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# core.mail puts the one subject prefix ("[PORTAL_NAME] ") on every mail, allauth's included.
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# After setting a password from a reset or invitation link the person is signed in (and an invitation's
# link goes on to their seminar) instead of ending on "Your password is now changed".
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, written out so that the policy is visible here.
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_email": "1/m/user",
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["seminar_portal.formats"]
USE_I18N = True
TIME_ZONE = "Europe/Berlin"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
SUBMISSIONS_ROOT = Path(env.str("SUBMISSIONS_ROOT", default=str(MEDIA_ROOT / "submissions")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Uploaded reports and slides: outside every public path, handed out only by the download view.
    "submissions": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(SUBMISSIONS_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="filemail://")
if EMAIL_CONFIG["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend":
    EMAIL_CONFIG["EMAIL_FILE_PATH"] = str(VAR_DIR / "mail")
vars().update(EMAIL_CONFIG)
# A stalled SMTP server must not hold a worker for ever; a timeout is a temporary failure, retried.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# The portal's name in mail (subject prefix, greeting, footer) and page titles.
PORTAL_NAME = env.str("PORTAL_NAME", default="Seminar portal")
# Branding without code (core/branding.py): the institution under the portal's name in the header, the
# login page and mails; a logo (a path under static/ or an https address); the accent colour of the header.
PORTAL_INSTITUTION = env.str("PORTAL_INSTITUTION", default="")
PORTAL_LOGO = env.str("PORTAL_LOGO", default="")
PORTAL_ACCENT = env.str("PORTAL_ACCENT", default="#0b5394")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"{PORTAL_NAME} <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    _broker_dir = VAR_DIR / "celery-broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
# One periodic scan finds every reminder that is due; each mail is its own task (no long countdowns).
REMINDER_SCAN_SECONDS = env.float("REMINDER_SCAN_SECONDS", default=300)
# A reminder handed to a worker this long ago and still pending (broker lost it, worker died) is handed
# out again by the next scan; sending is idempotent.
REMINDER_REENQUEUE_SECONDS = env.float("REMINDER_REENQUEUE_SECONDS", default=900)
REMINDER_RETRY_BASE_SECONDS = env.float("REMINDER_RETRY_BASE_SECONDS", default=10)
REMINDER_RETRY_CAP_SECONDS = env.float("REMINDER_RETRY_CAP_SECONDS", default=300)
# Tasks whose hand-over to the broker failed (it was down) are handed over by this periodic flush.
OUTBOX_FLUSH_SECONDS = env.float("OUTBOX_FLUSH_SECONDS", default=60)
CELERY_BEAT_SCHEDULE: dict = {
    "reminders-scan": {"task": "reminders.scan", "schedule": REMINDER_SCAN_SECONDS},
    "outbox-flush": {"task": "core.outbox_flush", "schedule": OUTBOX_FLUSH_SECONDS},
    # Peer review rounds whose deliverable's deadline has passed get their reviewers (reviews.services).
    "reviews-assign-due": {"task": "reviews.assign_due", "schedule": REMINDER_SCAN_SECONDS},
}
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Unacknowledged tasks of a worker that died come back after this many seconds.
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
        # A broker that accepts the connection but never answers must not hold a request: every read and
        # write gives up after two seconds (above kombu's one-second BRPOP, so idle workers are unaffected),
        # and the outbox keeps the task for the periodic flush.
        "socket_connect_timeout": 2,
        "socket_timeout": 2,
    }
    CELERY_BROKER_CONNECTION_TIMEOUT = 2

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# No inline scripts or styles anywhere: every asset is a file of the portal's own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Links typed without a scheme mean https (the Django 6 default, opted into now).
FORMS_URLFIELD_ASSUME_HTTPS = True

# `manage.py load_demo` creates accounts with published passwords; production turns it off.
DEMO_DATA_ALLOWED = True

SEMINAR_IMPORT_MAX_BYTES = 1024 * 1024

# The grading sheet posts three fields per student and component (grading.sheet_form): 500 students with
# five components are 7,500 fields, where Django's default (1,000) would refuse a sheet of 112 students.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# The largest upload any deliverable may allow; nginx's client_max_body_size must be a little above it.
SUBMISSION_MAX_MB = env.int("SUBMISSION_MAX_MB", default=100)
# The largest seminar material (a template, slides); at most SUBMISSION_MAX_MB, which nginx is sized for.
MATERIAL_MAX_MB = min(env.int("MATERIAL_MAX_MB", default=50), SUBMISSION_MAX_MB)
# Uploads are always streamed to a temporary file, never held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 0
FILE_UPLOAD_PERMISSIONS = 0o640
# Set in production (for example "/protected-submissions/"): after the permission check the web server
# sends the file (nginx X-Accel-Redirect). Empty: Django streams it.
SUBMISSIONS_X_ACCEL_PREFIX = env.str("SUBMISSIONS_X_ACCEL_PREFIX", default="")
# Several web machines: uploads in an S3-compatible object store (private bucket). Downloads then go out
# as presigned URLs that expire after SUBMISSIONS_URL_EXPIRE seconds, issued after the permission check.
SUBMISSIONS_S3_BUCKET = env.str("SUBMISSIONS_S3_BUCKET", default="")
SUBMISSIONS_URL_EXPIRE = env.int("SUBMISSIONS_URL_EXPIRE", default=60)
if SUBMISSIONS_S3_BUCKET:
    STORAGES["submissions"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": SUBMISSIONS_S3_BUCKET,
            "endpoint_url": env.str("SUBMISSIONS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("SUBMISSIONS_S3_REGION", default="") or None,
            "access_key": env.str("SUBMISSIONS_S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("SUBMISSIONS_S3_SECRET_KEY", default="") or None,
            "location": "submissions",
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": SUBMISSIONS_URL_EXPIRE,
            "signature_version": "s3v4",
        },
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # bibtexparser logs every broken entry of an upload as an error; the user already gets a clear message.
    "loggers": {"bibtexparser": {"level": "CRITICAL"}},
}

# The portal's public address, for links in mail sent by workers (no request to take it from).
PORTAL_URL = env.str("PORTAL_URL", default="http://127.0.0.1:8000").rstrip("/")

# Single sign-on and MFA (README "Single sign-on and MFA"). allauth's own SAML and OpenID Connect
# providers and allauth.mfa; accounts/sso.py turns the environment into SOCIALACCOUNT_PROVIDERS.
from accounts import sso as _sso  # noqa: E402

SSO_LOCAL_ACCOUNTS = env.str("SSO_LOCAL_ACCOUNTS", default="on")
if SSO_LOCAL_ACCOUNTS not in _sso.LOCAL_ACCOUNTS_CHOICES:
    raise ValueError(f"SSO_LOCAL_ACCOUNTS must be one of {_sso.LOCAL_ACCOUNTS_CHOICES}")
SSO_MATRICULATION_ATTRIBUTE = env.str(
    "SSO_SAML_MATRICULATION_ATTRIBUTE", default=_sso.SCHAC_PERSONAL_UNIQUE_CODE
)
SSO_MATRICULATION_CLAIM = env.str("SSO_OIDC_MATRICULATION_CLAIM", default="matriculation_number")
# AuthnContextClassRef / acr values after which an SSO login counts as MFA (empty: none does).
SSO_MFA_CONTEXTS = env.list("SSO_MFA_CONTEXTS", default=[])
_saml_idp: dict = {}
if env.str("SSO_SAML_IDP_METADATA_FILE", default=""):
    _saml_idp = _sso.saml_idp_from_metadata(
        Path(env.str("SSO_SAML_IDP_METADATA_FILE")).read_text(encoding="utf-8"),
        entity_id=env.str("SSO_SAML_IDP_ENTITY_ID", default=""),
    )
elif env.str("SSO_SAML_IDP_METADATA_URL", default=""):
    _saml_idp = {
        "metadata_url": env.str("SSO_SAML_IDP_METADATA_URL"),
        "entity_id": env.str("SSO_SAML_IDP_ENTITY_ID"),
    }
# More IdPs (a partner university, several IdPs of a federation): a JSON file with a list of
# {"protocol": "saml", "slug", "name", "idp": {"metadata_url", "entity_id"} or {"metadata_file", "entity_id"}}
# and {"protocol": "oidc", "id", "name", "issuer", "client_id", "secret"}.
_more_idps = []
if env.str("SSO_MORE_IDPS_FILE", default=""):
    import json as _json

    for _entry in _json.loads(Path(env.str("SSO_MORE_IDPS_FILE")).read_text(encoding="utf-8")):
        if _entry.get("protocol") == "saml" and "metadata_file" in _entry.get("idp", {}):
            _entry["idp"] = _sso.saml_idp_from_metadata(
                Path(_entry["idp"]["metadata_file"]).read_text(encoding="utf-8"),
                entity_id=_entry["idp"].get("entity_id", ""),
            )
        _more_idps.append(_entry)
SOCIALACCOUNT_PROVIDERS = _sso.socialaccount_providers(
    oidc_issuer=env.str("SSO_OIDC_ISSUER", default=""),
    oidc_client_id=env.str("SSO_OIDC_CLIENT_ID", default=""),
    oidc_client_secret=env.str("SSO_OIDC_CLIENT_SECRET", default=""),
    oidc_name=env.str("SSO_OIDC_NAME", default="University"),
    oidc_id=env.str("SSO_OIDC_ID", default="university"),
    saml_slug=env.str("SSO_SAML_SLUG", default="university"),
    saml_name=env.str("SSO_SAML_NAME", default="University"),
    saml_idp=_saml_idp,
    saml_sp_entity_id=env.str("SSO_SAML_SP_ENTITY_ID", default=""),
    saml_sp_cert=Path(env.str("SSO_SAML_SP_CERT_FILE")).read_text()
    if env.str("SSO_SAML_SP_CERT_FILE", default="")
    else "",
    saml_sp_key=Path(env.str("SSO_SAML_SP_KEY_FILE")).read_text()
    if env.str("SSO_SAML_SP_KEY_FILE", default="")
    else "",
    matriculation_attribute=SSO_MATRICULATION_ATTRIBUTE,
    more_idps=_more_idps,
)
SOCIALACCOUNT_ADAPTER = "accounts.adapter.SocialAccountAdapter"
# The IdP vouches for the address; a new SSO account needs no verification mail.
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_AUTO_SIGNUP = True
# Never log into an existing local account because an IdP names its address: linking needs proof.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False

MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = PORTAL_NAME
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env.bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", default=False)
# Instructors, supervisors and site staff must set up MFA (TOTP or a security key) before anything else.
MFA_REQUIRED_FOR_STAFF = env.bool("MFA_REQUIRED_FOR_STAFF", default=False)
CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] = [SELF, *_sso.idp_origins(SOCIALACCOUNT_PROVIDERS)]
