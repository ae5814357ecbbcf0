"""Test settings: fast hashing, in-memory mail, eager Celery unless a test starts a worker."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret")  # noqa: S105
os.environ["DJANGO_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
os.environ.pop("CELERY_BROKER_URL", None)

from .base import *  # noqa: E402,F403
from .base import BASE_DIR  # noqa: E402

DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests count on-commit callbacks; tests/portal/test_versions.py turns this back on.
DATA_VERSIONS_BUMP_ON_COMMIT = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Per-address counters would add up across the whole test session (every client is
# 127.0.0.1); tests of the limiter switch it on with fresh counters (tests/services).
RATE_LIMIT_ENABLED = False
