"""Local development: the embedded defaults (SQLite, eager Celery, console e-mail)."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-not-secret")  # noqa: S105
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

from .base import *  # noqa: E402,F403
from .base import env  # noqa: E402

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
