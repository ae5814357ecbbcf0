"""Settings for the Celery worker subprocess started by the worker tests.

The test settings plus a real broker (TEST_WORKER_BROKER_URL), short redelivery of
unacknowledged tasks, the test database when given (TEST_WORKER_DATABASE_URL) and e-mail
written to files (TEST_WORKER_MAIL_DIR), so the test can read what the worker sent.
"""

import os

_BROKER = os.environ["TEST_WORKER_BROKER_URL"]

from portal.settings.test import *  # noqa: E402,F403
from portal.settings.test import database_from_env  # noqa: E402

CELERY_BROKER_URL = _BROKER
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("TEST_WORKER_VISIBILITY_TIMEOUT", "3")),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
if os.environ.get("TEST_WORKER_DATABASE_URL"):
    DATABASES = {"default": database_from_env("TEST_WORKER_DATABASE_URL")}
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ.get("TEST_WORKER_MAIL_DIR", "/tmp/portal-test-mail")  # noqa: S108

# Beat: the production scheduler (one beat, held by a Redis lock) and, when asked, a job
# that runs every second.
CELERY_BEAT_SCHEDULER = "portal.beat:SingleBeatScheduler"
PORTAL_BEAT_LOCK_TTL = float(os.environ.get("TEST_BEAT_LOCK_TTL", "60"))
if os.environ.get("TEST_BEAT_KEY"):
    CELERY_BEAT_SCHEDULE = {
        "test-record": {
            "task": "tests.services.worker_tasks.record",
            "schedule": 1.0,
            "args": (os.environ["TEST_BEAT_KEY"], "beat"),
        }
    }
