"""Network-view fixtures: a hand-made network with known reports, training, tasks, activity."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from reporting import periods as P
from tests.reporting.conftest import make_template, report

SALES_FIELDS = [
    {"key": "revenue", "label": "Revenue", "kind": "money", "min_value": 0},
    {"key": "receipts", "label": "Receipts", "kind": "integer", "min_value": 0},
]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sales(db, settings):
    settings.NETWORK_KEY_TEMPLATE = "sales"
    return make_template(slug="sales", fields=SALES_FIELDS, name="Sales")


def due_periods(template, today=None):
    """The last 12 closed periods of `template`, newest first, and which are already due."""
    today = today or timezone.localdate()
    periods = P.recent_periods(template.period_kind, today, 12)
    return [p for p in periods if p.due_date(template.due_days) < today]


def report_all(unit, template, *, skip=(), late=(), **values):
    """Reports for every due period except `skip` (indexes, 0 = newest); `late` ones sent late."""
    from reporting.models import Submission

    for i, period in enumerate(due_periods(template)):
        if i in skip:
            continue
        sub = report(unit, template, period, **values)
        when = period.due_date(template.due_days) + (
            timedelta(days=3) if i in late else timedelta()
        )
        Submission.objects.filter(pk=sub.pk).update(
            submitted_at=timezone.make_aware(
                timezone.datetime.combine(when, timezone.datetime.min.time().replace(hour=12))
            )
        )


def today() -> date:
    return timezone.localdate()


@pytest.fixture
def food_safety(db):
    """A course page "Food safety" under a course index (no quiz needed for assignments)."""
    from wagtail.models import Page

    from learning.models import CourseIndexPage, CoursePage

    home = Page.objects.get(depth=2).specific
    index = home.add_child(instance=CourseIndexPage(title="Learning", slug="learning"))
    return index.add_child(instance=CoursePage(title="Food safety", slug="food-safety"))


def assign(course, unit, *, days_ago=10):
    from learning.models import Assignment

    return Assignment.objects.create(
        course=course, unit=unit, due_on=today() - timedelta(days=days_ago)
    )


def active(user, unit, *, days_ago=0):
    from portal.activity import ActivityDay

    return ActivityDay.objects.create(user=user, unit=unit, day=today() - timedelta(days=days_ago))
