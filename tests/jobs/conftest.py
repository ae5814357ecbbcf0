"""The orders and finance fixtures the import jobs run on."""

import pytest

from tests.finance.test_payment_views import books  # noqa: F401
from tests.orders.conftest import shop  # noqa: F401


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    """Short name: run the on-commit callbacks (the queued job; Celery is eager)."""
    return django_capture_on_commit_callbacks
