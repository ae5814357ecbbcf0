"""Overdue debt as a traffic light on the manager's portfolio page, from the ledger summary."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.franchise.test_portfolio import _add_units, _count

from .test_position import charge

pytestmark = pytest.mark.django_db
URL = reverse("franchise:portfolio")


def test_the_manager_sees_overdue_debt_as_a_red_light(network, client_for):
    today = timezone.localdate()
    charge(network.unit, "1000", today - timedelta(days=60), due=today - timedelta(days=45))
    with translation.override("en"):
        html = client_for(network.manager).get(URL).content.decode()
    assert "Settlements" in html
    assert "overdue, the oldest for 45 days" in html and "1,000.00" in html
    assert 'class="light light--red"' in html


def test_the_light_follows_a_payment_and_the_query_count_is_fixed(network, client_for):
    today = timezone.localdate()
    charge(network.unit, "1000", today - timedelta(days=60), due=today - timedelta(days=45))
    client = client_for(network.manager)
    few, _ = _count(client)
    _add_units(network.manager, network.region, 20)
    many, _ = _count(client)
    assert many == few
    from finance import services

    services.entry_adjust(unit=network.unit, amount="-1000", text="paid", user=None)
    with translation.override("en"):
        html = client.get(URL).content.decode()
    assert "overdue, the oldest" not in html
