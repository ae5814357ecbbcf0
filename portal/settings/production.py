"""Production: PostgreSQL, Redis, SMTP, gunicorn behind a TLS-terminating proxy.

Every secret comes from the environment; nothing here has a permissive default.
"""

from .base import *  # noqa: F403
from .base import cache_from_env, database_from_env, env

DEBUG = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Base URL of the site for links in e-mails (https://portal.example.com).
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL")
PORTAL_BASE_URL = WAGTAILADMIN_BASE_URL
ADMINS = [("Operators", address) for address in env.list("DJANGO_ADMINS", default=[])]

# Databases: PostgreSQL, persistent connections checked before reuse.
DATABASES = {"default": database_from_env("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Cache: Redis, shared by every gunicorn worker (sessions stay in the database; the rate-limit
# counters of portal/security.py need a cache all workers see).
CACHES = {"default": cache_from_env("CACHE_URL", "rediscache://127.0.0.1:6379/1")}
CACHES["default"].setdefault("KEY_PREFIX", "portal")

# Celery: a real broker, workers acknowledge a task only after it ran (tasks are idempotent),
# and exactly one beat (portal/beat.py holds a lock in Redis).
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # An unacknowledged task of a dead worker is handed out again after this many seconds:
    # longer than any task runs, or a slow task would be started twice.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=60 * 60),
}
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=10 * 60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=12 * 60)
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=200)
CELERY_BEAT_SCHEDULER = "portal.beat:SingleBeatScheduler"
PORTAL_BEAT_LOCK_URL = env("PORTAL_BEAT_LOCK_URL", default="")
PORTAL_BEAT_LOCK_TTL = env.int("PORTAL_BEAT_LOCK_TTL", default=60)

# Security
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
# Wagtail's preview panel marks its own views SAMEORIGIN; everything else may not be framed.
X_FRAME_OPTIONS = "DENY"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Client addresses for axes and the rate limits: behind nginx, trust one proxy hop.
RATE_LIMIT_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=1)
AXES_IPWARE_PROXY_COUNT = RATE_LIMIT_PROXY_COUNT
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Static files compressed and fingerprinted by WhiteNoise.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# E-mail
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)

# Protected downloads are handed to nginx (X-Accel-Redirect) instead of streamed by Python.
PRIVATE_MEDIA_ACCEL_PREFIX = env("PRIVATE_MEDIA_ACCEL_PREFIX", default="/protected/")
