"""Settings shared by every environment; values that differ come from the environment."""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "portal"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# General
# ------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
TIME_ZONE = env("TIME_ZONE", default="Europe/Moscow")
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# One localized date format per language (portal/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["portal.formats"]
SITE_ID = 1

# Databases
# ------------------------------------------------------------------------------


def database_from_env(var: str, default: str | None = None) -> dict:
    """The database of `var`; PostgreSQL sessions with JIT off (short OLTP queries, where
    compiling a misestimated plan costs more than it saves)."""
    config = env.db(var, default=default) if default else env.db(var)
    config["ATOMIC_REQUESTS"] = False
    if config["ENGINE"].endswith("postgresql"):
        config.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    return config


DATABASES = {"default": database_from_env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

# URLs
# ------------------------------------------------------------------------------
ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

# Apps
# ------------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    # Before the apps whose models it translates (it reads their translation.py).
    "modeltranslation",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.contrib.simple_translation",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "guardian",
    "axes",
]
LOCAL_APPS = [
    "portal",
    "news",
    "franchise",
    "learning",
    "reporting",
    "kb",
    "orders",
    "finance",
    "integration",
    "visits",
    "surveys",
    "jobs",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

# Authentication
# ------------------------------------------------------------------------------
AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out login never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "portal.auth_backends.CachedModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "/"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Object permissions live in direct-foreign-key tables (one join, no generic lookups).
GUARDIAN_USER_OBJ_PERMS_MODEL = "franchise.UnitUserPermission"
GUARDIAN_GROUP_OBJ_PERMS_MODEL = "franchise.UnitGroupPermission"
GUARDIAN_MONKEY_PATCH_USER = False
GUARDIAN_MONKEY_PATCH_GROUP = False
ANONYMOUS_USER_NAME = None

# Brute-force protection: lock a username from an address after a few failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Middleware
# ------------------------------------------------------------------------------
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.csp.PortalCSPMiddleware",
    "portal.middleware.CurrentUnitMiddleware",
    "portal.activity.ActivityMiddleware",
    "portal.security.PrivateCacheControlMiddleware",
    "portal.security.RateLimitMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Templates
# ------------------------------------------------------------------------------
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.cabinet",
            ],
        },
    },
]

# Static and media
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Files of one unit never live under MEDIA_ROOT: they are served only by permission-checked views.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Security
# ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
# Sessions read from the shared cache and written through to the database: no session query
# per request, and nobody is signed out when the cache is flushed.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-src": ["'self'", "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
    }
}
# Added under the Wagtail admin's prefix only (portal/csp.py): its widgets use inline code.
CSP_ADMIN_UPDATE = {"script-src": ["'unsafe-inline'"], "style-src": ["'unsafe-inline'"]}
# Rate limits (portal/security.py): POSTs per client address in the shared cache.
RATE_LIMIT_ENABLED = env.bool("DJANGO_RATE_LIMIT_ENABLED", default=True)
RATE_LIMIT_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
RATE_LIMITS = {
    "login": env("RATE_LIMIT_LOGIN", default="20/m"),
    "password_reset": env("RATE_LIMIT_PASSWORD_RESET", default="5/15m"),
    "upload": env("RATE_LIMIT_UPLOAD", default="60/h"),
}
RATE_LIMITED_ROUTES = {
    "login": "login",
    "wagtailadmin_login": "login",
    "password_reset": "password_reset",
    "wagtailadmin_password_reset": "password_reset",
}

# E-mail
# ------------------------------------------------------------------------------
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="Franchise portal <portal@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Cache
# ------------------------------------------------------------------------------


def cache_from_env(var: str, default: str) -> dict:
    """A cache from a URL in the environment; Redis through portal.cache (one client per pool)."""
    config = env.cache(var, default=default)
    if config["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        config["BACKEND"] = "portal.cache.RedisCache"
    return config


CACHES = {"default": cache_from_env("CACHE_URL", "locmemcache://")}
# portal/versions.py bumps a data version at the write and again at the commit (closing the
# window in which another request could cache rows the transaction was about to replace).
DATA_VERSIONS_BUMP_ON_COMMIT = True

# Celery
# ------------------------------------------------------------------------------
# No broker configured: tasks run in-process, so the demo needs no services ("memory://" only
# keeps kombu from looking for a broker on localhost).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="") or "memory://"
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL == "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {}

# Wagtail
# ------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Franchise portal"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
PORTAL_BASE_URL = WAGTAILADMIN_BASE_URL
# mp4/webm: lesson videos (learning's video block plays them from the permission-checked URL).
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "mp4", "odt", "pdf", "pptx", "txt", "webm", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = env.int("WAGTAILDOCS_MAX_UPLOAD_SIZE", default=200 * 1024 * 1024)
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No Gravatar in the admin: the CSP blocks third-party images (and e-mail hashes stay home).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# Content in both interface languages. Pages: a Wagtail translation per locale, made in the
# admin ("Translate"); the site is routed through the default-locale tree, so URLs, privacy,
# audience and progress stay on one page per subject, and screens show `page.localized`
# (portal/translations.py). Plain Django models (report templates, checklists, surveys):
# `<field>_en` / `<field>_ru` columns by django-modeltranslation, read as `<field>` in the
# active language with English as the fallback.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "ru")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en",), "en": ("ru",)}

# Logging
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

# Per-app settings (each app keeps its own section below)
# ------------------------------------------------------------------------------
# Knowledge base (kb)
# Attachments live in kb.KBDocument (private storage, served through the audience hook).
WAGTAILDOCS_DOCUMENT_MODEL = "kb.KBDocument"
WAGTAILDOCS_SERVE_METHOD = "serve_view"


def search_backends(databases) -> dict:
    """Wagtail's database search; on PostgreSQL with Russian stemming, so "отчёты" finds
    "отчёт" (English words are still matched as typed). Settings that swap the database call
    it again."""
    backend = {"BACKEND": "wagtail.search.backends.database"}
    if databases["default"]["ENGINE"].endswith("postgresql"):
        backend["SEARCH_CONFIG"] = "russian"
    return {"default": backend}


WAGTAILSEARCH_BACKENDS = search_backends(DATABASES)
KB_SEARCH_MAX_LENGTH = 200
KB_REVIEW_AFTER_MONTHS = env.int("KB_REVIEW_AFTER_MONTHS", default=12)
CELERY_BEAT_SCHEDULE["kb-review-reminders"] = {
    "task": "kb.tasks.send_review_reminders",
    "schedule": 60 * 60 * 24 * 7,
}

# Learning
LEARNING_REMINDER_DAYS = env.list("LEARNING_REMINDER_DAYS", cast=int, default=[7, 1, 0])
LEARNING_RECERTIFY_NOTICE_DAYS = env.int("LEARNING_RECERTIFY_NOTICE_DAYS", default=30)
LEARNING_SUBMIT_GRACE_SECONDS = 30
CELERY_BEAT_SCHEDULE["learning-reminders"] = {
    "task": "learning.tasks.send_learning_reminders",
    "schedule": 60 * 60 * 6,  # every 6 hours; the sent-log keeps it to once a day
}

# Reporting
REPORTING_IMPORT_MAX_BYTES = env.int("REPORTING_IMPORT_MAX_BYTES", default=2 * 1024 * 1024)
REPORTING_IMPORT_MAX_ROWS = 500
CELERY_BEAT_SCHEDULE["reporting-reminders"] = {
    "task": "reporting.tasks.reminders_send_task",
    "schedule": 60 * 60 * 6,  # idempotent per day: several runs a day only catch up
}
CELERY_BEAT_SCHEDULE["reporting-old-exports"] = {
    "task": "reporting.tasks.old_jobs_delete_task",
    "schedule": 60 * 60 * 24,
}

# Documents, tasks, notifications, news (franchise)
from celery.schedules import crontab  # noqa: E402

# Uploads to the document exchange and task attachments (checked by content, see
# franchise/documents/validation.py); stored under PRIVATE_MEDIA_ROOT, never under MEDIA_ROOT.
DOCUMENTS_MAX_UPLOAD_SIZE = env.int("DOCUMENTS_MAX_UPLOAD_SIZE", default=20 * 1024 * 1024)
# Working days the account manager has to answer a unit's request.
REQUESTS_ANSWER_DAYS = env.int("REQUESTS_ANSWER_DAYS", default=2)

# The daily digest of notices people chose not to get one by one (also: send_notification_digests).
CELERY_BEAT_SCHEDULE["franchise-notification-digests"] = {
    "task": "franchise.tasks.send_notification_digests",
    "schedule": crontab(hour=7, minute=0),
}
# Price-list and bank-statement uploads previewed but never confirmed (portal/uploads.py).
CELERY_BEAT_SCHEDULE["portal-stale-uploads"] = {
    "task": "portal.tasks.stale_uploads_delete_task",
    "schedule": 60 * 60,
}
# Files left behind by uploads whose transaction rolled back (also: documents_cleanup).
CELERY_BEAT_SCHEDULE["franchise-orphan-files"] = {
    "task": "franchise.tasks.delete_orphan_files",
    "schedule": crontab(hour=3, minute=15),
}

# Network views (reporting.network)
# Key report and field of the scorecards (empty: the first active monthly report, first field).
NETWORK_KEY_TEMPLATE = env("NETWORK_KEY_TEMPLATE", default="monthly-sales")
NETWORK_KEY_FIELD = env("NETWORK_KEY_FIELD", default="")
# Networks larger than this get their PDF digest from a background job.
NETWORK_PDF_SYNC_UNITS = env.int("NETWORK_PDF_SYNC_UNITS", default=200)
# A PDF built in a request may render for 60 s; one built by a Celery job (the whole network's
# digest: ~100 pages at 5,000 units) for this long.
PDF_JOB_MAX_SECONDS = env.int("PDF_JOB_MAX_SECONDS", default=600)
# The network PDF lists this many units, those that need attention first; the whole table is
# in the CSV/XLSX exports (a PDF of 5,000 rows is ~1,300 pages nobody reads, and hours to draw).
NETWORK_PDF_MAX_ROWS = env.int("NETWORK_PDF_MAX_ROWS", default=250)
NETWORK_ACK_DAYS = 7
# Monday morning, once a week per manager (also: manage.py network_digest).
CELERY_BEAT_SCHEDULE["network-weekly-digest"] = {
    "task": "reporting.network.tasks.network_digest_send_task",
    "schedule": crontab(hour=6, minute=30, day_of_week="mon"),
}

# Orders (orders)

# Settlements (finance)
# Payment reminders before, on and after a due date; escalation to the account manager.
CELERY_BEAT_SCHEDULE["finance-reminders"] = {
    "task": "finance.reminders.reminders_send_task",
    "schedule": 60 * 60 * 6,
}

# Integration: REST API, 1C exchange, webhooks (integration)
# Django REST framework serves /api/v1/; Swagger UI and ReDoc come from the sidecar (no CDN).
INSTALLED_APPS += [
    "rest_framework",
    "rest_framework_api_key",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]
# Only the defaults every DRF view may share: the API's own classes are set on its views
# (integration/api/base.py), so Wagtail's admin API keeps its behaviour.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"api": env("API_RATE_LIMIT", default="600/min")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Franchise portal API",
    "VERSION": "1.0.0",
    "DESCRIPTION": "Units, reports, documents, catalogue, stock, orders and invoices.",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["integration.api.schema.only_api"],
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "orders.models.OrderStatus",
        "UnitStatusEnum": "franchise.models.Franchisee.Status",
        "SubmissionStatusEnum": "reporting.models.Submission.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "integration.api.schema.add_problem_responses",
    ],
}
# 1C (CommerceML 2): the largest file or chunk 1C may send, and the unpacked size of a zip.
EXCHANGE_FILE_LIMIT = env.int("EXCHANGE_FILE_LIMIT", default=50 * 1024 * 1024)
EXCHANGE_UNZIPPED_LIMIT = env.int("EXCHANGE_UNZIPPED_LIMIT", default=500 * 1024 * 1024)
# Webhook deliveries: attempts, the retry unit (retries after 1, 5, 30, 120 and 720 units:
# 1 min … 12 h by default; integration.webhooks.BACKOFF) and the HTTP timeout.
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=6)
WEBHOOK_RETRY_SECONDS = env.int("WEBHOOK_RETRY_SECONDS", default=60)
WEBHOOK_TIMEOUT_SECONDS = env.int("WEBHOOK_TIMEOUT_SECONDS", default=10)
CELERY_BEAT_SCHEDULE["integration-webhook-retries"] = {
    "task": "integration.tasks.webhook_retry_due_task",
    "schedule": 60.0,
}

# Field visits (visits)

# Satisfaction surveys (surveys)
# Opens each survey's round (quarterly) and reminds those who have not answered, once per person
# and round, from `remind_days` before it closes (idempotent: several runs a day only catch up).
CELERY_BEAT_SCHEDULE["surveys-rounds-and-reminders"] = {
    "task": "surveys.tasks.reminders_send_task",
    "schedule": 60 * 60 * 6,
}
