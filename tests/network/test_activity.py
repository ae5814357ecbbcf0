"""The activity log: one row per person per day, and no write after the first request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.activity import ActivityDay

pytestmark = pytest.mark.django_db


def test_written_once_per_user_per_day(network, client_for):
    client = client_for(network.owner)
    client.get("/dashboard/", follow=True)
    assert ActivityDay.objects.filter(user=network.owner).count() == 1
    assert ActivityDay.objects.get(user=network.owner).unit == network.unit
    with CaptureQueriesContext(connection) as ctx:
        client.get("/dashboard/", follow=True)
        client.get("/notifications/", follow=True)
    assert not [q for q in ctx.captured_queries if "portal_activityday" in q["sql"]]
    assert ActivityDay.objects.filter(user=network.owner).count() == 1


def test_a_second_day_adds_a_row_and_anonymous_adds_none(network, client_for, settings):
    from datetime import timedelta

    from django.core.cache import cache
    from django.utils import timezone

    ActivityDay.objects.create(
        user=network.owner, unit=network.unit, day=timezone.localdate() - timedelta(days=1)
    )
    client_for(None).get("/accounts/login/")
    client_for(network.owner).get("/dashboard/", follow=True)
    cache.clear()  # the cache going away must not make a second row either
    client_for(network.owner).get("/dashboard/", follow=True)
    assert ActivityDay.objects.filter(user=network.owner).count() == 2
    assert ActivityDay.objects.count() == 2
