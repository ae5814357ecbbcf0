"""The network pages run the same number of queries for 10 and for 200 units, computing the
network's figures (the cache emptied first) and from the cache."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from franchise.models import Franchisee, UnitRequest, UnitTask
from portal.activity import ActivityDay
from reporting import services
from reporting.models import Submission
from tests import factories

from .conftest import due_periods

pytestmark = pytest.mark.django_db


def add_units(n, region, sales, user, start):
    units = Franchisee.objects.bulk_create(
        [
            Franchisee(
                code=f"Q-{start + i:04d}",
                legal_name="x",
                trading_name=f"Unit {start + i}",
                region=region,
                city="c",
                address="a",
            )
            for i in range(n)
        ]
    )
    version = services.template_version_current(template=sales)
    periods = due_periods(sales)[:3]
    Submission.objects.bulk_create(
        [
            Submission(
                unit=u,
                template=sales,
                version=version,
                period_start=p.start,
                period_end=p.end,
                due_date=p.due_date(sales.due_days),
                status="submitted",
                submitted_at=timezone.now(),
            )
            for u in units
            for p in periods
        ]
    )
    day = timezone.localdate()
    UnitTask.objects.bulk_create(
        [UnitTask(unit=u, title="t", due_date=day - timedelta(days=1)) for u in units]
    )
    UnitRequest.objects.bulk_create(
        [UnitRequest(unit=u, kind="question", subject="s", text="t") for u in units]
    )
    ActivityDay.objects.bulk_create(
        [
            ActivityDay(user=user, unit=u, day=day - timedelta(days=start + i + 1))
            for i, u in enumerate(units)
        ]
    )


def count(client, url, *, cold=True):
    if cold:
        cache.clear()  # the uncached path: every figure computed in this request
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


URLS = [
    "/network/",
    "/network/?format=csv",
    "/network/adoption/",
    "/network/u/Q-0003/",
    "/network/digest/",
    "/network/charts/",
]


@pytest.mark.parametrize("url", URLS)
def test_same_queries_for_10_and_200_units(network, sales, client_for, url):
    region = factories.RegionFactory(code="q", name="Q")
    user = factories.UserFactory(username="busy")
    client = client_for(network.lead)
    add_units(10, region, sales, user, 0)
    client.get(url)  # warm up
    few = count(client, url)
    few_cached = count(client, url, cold=False)
    add_units(190, region, sales, user, 10)
    many = count(client, url)
    many_cached = count(client, url, cold=False)
    assert few == many
    assert few_cached == many_cached < few
