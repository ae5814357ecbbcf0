"""Bench-only settings: production-like (DEBUG off, cached templates) on a local database,
plus the bare view in bench/urls.py. Never used by the real site.

BENCH_DATABASE_URL picks the database (default: var/bench/db.sqlite3).
"""

import os
import socket
import warnings

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")  # noqa: S105

from portal.settings.base import *  # noqa: E402,F403
from portal.settings.base import (  # noqa: E402
    BASE_DIR,
    cache_from_env,
    database_from_env,
    search_backends,
)

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
DATABASES = {
    "default": database_from_env(
        "BENCH_DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'bench' / 'db.sqlite3'}"
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = 60
WAGTAILSEARCH_BACKENDS = search_backends(DATABASES)


def _local_redis() -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", 6379)) == 0


# Like production, the gunicorn workers share one Redis cache (data versions bumped by one
# worker must reach the other); without a local Redis, a per-process cache.
CACHES = {
    "default": cache_from_env(
        "BENCH_CACHE_URL",
        "rediscache://127.0.0.1:6379/5" if _local_redis() else "locmemcache://",
    )
}
CACHES["default"].setdefault("KEY_PREFIX", "bench")
SILENCED_SYSTEM_CHECKS = ["portal.W001"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = ""
RATE_LIMIT_ENABLED = False  # the bench signs in from one address many times
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# Outermost, so the session, user and current-unit middleware's queries are counted too.
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]  # noqa: F405

# No collectstatic for a bench run: WhiteNoise's "No directory at" warning is noise here.
warnings.filterwarnings("ignore", message="No directory at")
