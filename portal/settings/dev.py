"""Local development: the embedded defaults (SQLite, eager Celery, console e-mail).

`make run` shows what a user would see: DEBUG is off unless DJANGO_DEBUG=true, so a missing
page or a crash gives the portal's own 404/500 page (tracebacks still go to the console log).
Without DEBUG, runserver serves no static files: WhiteNoise (already in the middleware) serves
them straight from the apps' static folders, no collectstatic needed; uploaded media are
served by portal/urls.py when SERVE_MEDIA is on (never in production: nginx does it).
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-not-secret")  # noqa: S105
os.environ.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

from .base import *  # noqa: E402,F403
from .base import env  # noqa: E402

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SERVE_MEDIA = True
