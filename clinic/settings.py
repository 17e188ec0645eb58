"""Settings for the whole project, read from the environment only.

DJANGO_ENV=production switches on the hardened profile (and refuses to start when it is
unsafe); anything else is the zero-setup development profile with a SQLite file.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from clinic.env import (
    DEVELOPMENT_SECRET_KEY,
    check_production_settings,
    env_bool,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent

ENVIRONMENT = env_str("DJANGO_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
SECRET_KEY = env_str("SECRET_KEY") or ("" if PRODUCTION else DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The address links in e-mails point to, e.g. https://clinic.example.org (clinic/site.py).
SITE_URL = env_str("SITE_URL")

if PRODUCTION:
    check_production_settings(
        debug=DEBUG, secret_key=SECRET_KEY, allowed_hosts=ALLOWED_HOSTS, site_url=SITE_URL
    )

INSTALLED_APPS = [
    "clinic.admin_site.PlatformAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "huey.contrib.djhuey",
    "clinic",
    "exercises",
    "programs",
    "portal",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # request.client_ip, from NUM_PROXIES: the one client address everything else reads.
    "clinic.client_address.ClientAddressMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # No-store on personal data and a Permissions-Policy on everything (clinic/middleware.py).
    "clinic.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second sign-in step.
    "django_otp.middleware.OTPMiddleware",
    # One audit event per request that touched patient data or an account (clinic/audit.py).
    "clinic.audit.AuditMiddleware",
    # Automatic logoff of staff sessions (clinic/logoff.py).
    "clinic.logoff.SessionTimeoutMiddleware",
    # Sends staff who owe a second step to it (or to set it up) before anything else
    # (after the automatic logoff, so a timed-out session signs in again first).
    "clinic.two_step.middleware.TwoStepMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"
ASGI_APPLICATION = "clinic.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clinic.logoff.session_timeout",
                "programs.context_processors.attention",
            ],
        },
    },
]

# --- Database: a SQLite file by default, PostgreSQL (or anything) from DATABASE_URL ----------
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- People and sign-in ----------------------------------------------------------------------
AUTH_USER_MODEL = "clinic.User"
AUTHENTICATION_BACKENDS = [
    # First, so locked-out credentials are refused before they are checked.
    # django-axes' per-account lockout plus the per-address limit across accounts.
    "clinic.lockout.SignInGuardBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Safeguard 15: at least 12 characters and not on Django's common-password list; no
# composition rules (clinic/passwords.py words the messages plainly).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "clinic.passwords.LengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "clinic.passwords.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
# Sessions that record whose they are, so one person's sessions can all be ended
# (clinic/sessions.py). Read from the cache (Redis with REDIS_URL) and written through to the
# database: one query fewer on every signed-in page, nothing lost when the cache is emptied.
SESSION_ENGINE = "clinic.sessions"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day

# Automatic logoff (clinic/logoff.py): staff after 15 idle minutes and 12 hours at most,
# warned 2 minutes before; patients (own phone, own data) 30 days after their last visit.
STAFF_IDLE_TIMEOUT_MINUTES = env_int("STAFF_IDLE_TIMEOUT_MINUTES", 15)
STAFF_IDLE_WARNING_SECONDS = env_int("STAFF_IDLE_WARNING_SECONDS", 120)
STAFF_SESSION_MAX_HOURS = env_int("STAFF_SESSION_MAX_HOURS", 12)
PATIENT_SESSION_DAYS = env_int("PATIENT_SESSION_DAYS", 30)
SESSION_COOKIE_AGE = PATIENT_SESSION_DAYS * 24 * 60 * 60
# Activity is written to the session at most this often, not on every request.
SESSION_ACTIVITY_WRITE_SECONDS = 60

INVITATION_MAX_AGE = timedelta(days=env_int("INVITATION_MAX_AGE_DAYS", 7))
SIGN_IN_LINK_MAX_AGE = timedelta(minutes=env_int("SIGN_IN_LINK_MAX_AGE_MINUTES", 15))
# Sign-in links and password resets (clinic/rate_limits.py): at most this many e-mails to one
# address, and requests from one client, per window.
EMAIL_LINK_LIMIT_PER_ADDRESS = env_int("EMAIL_LINK_LIMIT_PER_ADDRESS", 3)
EMAIL_LINK_LIMIT_PER_CLIENT = env_int("EMAIL_LINK_LIMIT_PER_CLIENT", 10)
EMAIL_LINK_WINDOW = timedelta(minutes=env_int("EMAIL_LINK_WINDOW_MINUTES", 15))

# Two-step sign-in (clinic/two_step/): clinics choose it for their admins and staff; platform
# staff (superusers) always need it in production, the Django admin included.
TWO_STEP_FOR_PLATFORM_STAFF = PRODUCTION or env_bool("TWO_STEP_FOR_PLATFORM_STAFF", False)
# The name authenticator apps show next to the codes.
OTP_TOTP_ISSUER = env_str("OTP_ISSUER", "Home exercise programs")

# How many reverse proxies we trust in front of the app (Caddy in docker-compose: 1). The
# client address is the NUM_PROXIES-th X-Forwarded-For entry from the right, or REMOTE_ADDR
# with 0; it drives DRF's throttles, django-axes, the e-mail link limits and the audit trail
# (clinic/client_address.py). Never more than the proxies really there: each extra one lets a
# client choose its own address.
NUM_PROXIES = env_int("NUM_PROXIES", 0)


# Web push (reminders on the patient's phone): VAPID keys from the environment
# (`manage.py vapid_keys` makes a pair). In development `make run` writes a pair once to
# .vapid-dev.env (gitignored), read here when the environment has none.
def _vapid_dev_file() -> dict:
    path = BASE_DIR / ".vapid-dev.env"
    if PRODUCTION or not path.exists():
        return {}
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs}


_VAPID_DEV = _vapid_dev_file()
VAPID_PUBLIC_KEY = env_str("VAPID_PUBLIC_KEY") or _VAPID_DEV.get("VAPID_PUBLIC_KEY", "")
VAPID_PRIVATE_KEY = env_str("VAPID_PRIVATE_KEY") or _VAPID_DEV.get("VAPID_PRIVATE_KEY", "")
VAPID_SUBJECT = env_str("VAPID_SUBJECT", "mailto:admin@localhost")
REMINDER_SIGN_IN_LINK_MAX_AGE = timedelta(hours=env_int("REMINDER_SIGN_IN_LINK_MAX_AGE_HOURS", 12))

# django-axes: five wrong passwords for one address from one IP lock that pair for 15 minutes;
# 20 different accounts failing from one IP within 15 minutes stop that IP trying further
# accounts (clinic/lockout.py says how a shared clinic address stays usable).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "clinic.lockout.attempted_email"
AXES_LOCKOUT_CALLABLE = "clinic.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "clinic.client_address.client_address"
# Axes' log lines name the client by a keyed hash, never the e-mail or IP (finding 8).
AXES_CLIENT_STR_CALLABLE = "clinic.log_privacy.axes_client_str"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
SIGN_IN_ADDRESS_ACCOUNT_LIMIT = env_int("SIGN_IN_ADDRESS_ACCOUNT_LIMIT", 20)
SIGN_IN_ADDRESS_WINDOW = timedelta(minutes=env_int("SIGN_IN_ADDRESS_WINDOW_MINUTES", 15))

# --- Cache: per process by default; Redis (REDIS_URL) shares it between web replicas, which
# the API's throttles need to count across processes.
REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Background tasks (huey): a SQLite file by default, Redis when REDIS_URL is set. The
# consumer is `manage.py run_huey` (started by `make run`, the worker service in compose);
# several consumers may share one queue. HUEY_IMMEDIATE runs tasks inline (tests).
HUEY = {
    "huey_class": "huey.RedisHuey" if REDIS_URL else "huey.SqliteHuey",
    "name": "hep",
    "immediate": env_bool("HUEY_IMMEDIATE", False),
    "results": False,
    "utc": True,
    "connection": (
        {"url": REDIS_URL}
        if REDIS_URL
        else {"filename": env_str("HUEY_SQLITE_PATH") or str(BASE_DIR / "huey.sqlite3")}
    ),
    "consumer": {"workers": env_int("HUEY_WORKERS", 2), "worker_type": "thread"},
}

# --- Internationalization --------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# --- Static and media files ------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
# Exercise images larger than this are refused with a form error (megabytes).
EXERCISE_IMAGE_MAX_BYTES = env_int("EXERCISE_IMAGE_MAX_MB", 5) * 1024 * 1024
# Exercise videos (MP4 or WebM) larger than this are refused with a form error (megabytes).
EXERCISE_VIDEO_MAX_BYTES = env_int("EXERCISE_VIDEO_MAX_MB", 50) * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- E-mail: printed to the console in development, SMTP from the environment in production -
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Home Exercise Programs <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security ----------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers probe over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# API tokens (django-rest-knox): one per device, stored as a hash, expiring; sent as
# `Authorization: Token <token>`.
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env_int("API_TOKEN_TTL_HOURS", 10)),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}

# --- REST API v1 (api/): token auth for apps, session auth (with CSRF) for the browser -------
REST_FRAMEWORK = {
    # Token first, so an anonymous call answers 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonRateThrottle",
        "api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "60/minute"),
        "user": env_str("API_THROTTLE_USER", "600/minute"),
        "token": env_str("API_THROTTLE_TOKEN", "10/minute"),
    },
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    # The same count as the rest of the site; api.throttling reads request.client_ip anyway.
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Home exercise programs API",
    "DESCRIPTION": (
        "Version 1. Clinic staff manage the catalog, patients and programs; patients read "
        "today's exercises and log them. Authenticate with `Authorization: Token <token>` "
        "(POST /api/v1/auth/token/: one token per device, expiring; POST /api/v1/auth/logout/ "
        "ends it) or a browser session."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs describe the whole API: only for people who are signed in.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.document_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ExerciseDifficultyEnum": "exercises.models.Difficulty",
        "LogDifficultyEnum": "programs.models.Difficulty",
        "AttentionKindEnum": "programs.choices.AttentionKind",
        "DisclaimerKindEnum": "exercises.models.DisclaimerKind",
        "ProgramStatusEnum": "programs.choices.ProgramStatus",
        "ReadinessStatusEnum": ["ready", "ease_off"],
    },
}

# --- Logging: errors to the console; never request bodies or personal data ------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_personal_data": {"()": "clinic.log_privacy.RedactPersonalData"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_personal_data"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers print only with DEBUG; send its lines through the filter too.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # WeasyPrint (the PDF handout) logs each step of every render at INFO.
        "weasyprint": {"level": "WARNING"},
    },
}
