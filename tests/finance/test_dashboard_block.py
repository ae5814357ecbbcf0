"""The settlements block of the unit dashboard: balance, next due amount, fixed queries."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from finance.models import Entry

from .conftest import make_agreement
from .test_position import charge, pay

pytestmark = pytest.mark.django_db


def _url(unit):
    from django.urls import reverse

    return reverse("franchise:unit_detail", args=[unit.code])


def test_block_shows_balance_and_next_due(network, client_for):
    unit = network.unit
    make_agreement(unit)
    today = timezone.localdate()
    charge(unit, "1500", today - timedelta(days=3), due=today + timedelta(days=12))
    charge(unit, "900", today - timedelta(days=40), due=today - timedelta(days=20))
    pay(unit, "400", today - timedelta(days=1))
    with translation.override("en"):
        html = client_for(network.owner).get(_url(unit)).content.decode()
    assert "dashboard-block--finance" in html
    block = html.split("dashboard-block--finance", 1)[1].split("</section>", 1)[0]
    assert "2,000.00" in block  # balance
    assert "1,500.00" in block  # next due
    assert "500.00" in block  # overdue
    assert f"/finance/u/{unit.code}/" in block


def test_block_hidden_without_agreement_or_ledger(network, client_for):
    html = client_for(network.owner).get(_url(network.unit)).content.decode()
    assert "dashboard-block--finance" not in html


def _count(client, url):
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_block_query_count_does_not_grow_with_the_ledger(network, client_for):
    unit = network.unit
    make_agreement(unit)
    today = timezone.localdate()
    charge(unit, "10", today)
    client = client_for(network.owner)
    few = _count(client, _url(unit))
    for i in range(30):
        charge(unit, "10", today - timedelta(days=i), due=today + timedelta(days=i % 7 - 3))
        if i % 4 == 0:
            pay(unit, "15", today - timedelta(days=i), number=f"n{i}")
    assert Entry.objects.filter(unit=unit).count() > 30
    assert _count(client, _url(unit)) == few
