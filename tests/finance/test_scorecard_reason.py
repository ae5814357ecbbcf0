"""Overdue debt on the network scorecards: columns and a reason, from finance's hooks."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from franchise.models import Franchisee
from portal.dashboard import AMBER, RED
from reporting.network import scorecards

from .test_position import charge, pay

pytestmark = pytest.mark.django_db


def test_overdue_debt_is_a_reason(network):
    today = timezone.localdate()
    charge(network.unit, "1000", today - timedelta(days=60), due=today - timedelta(days=45))
    charge(network.other_unit, "500", today - timedelta(days=20), due=today - timedelta(days=5))
    pay(network.other_unit, "200", today - timedelta(days=1))
    with translation.override("en"):
        table = scorecards.network_table(Franchisee.objects.all(), today=today)
    table = table.set_index("code")
    late, recent = table.loc[network.unit.code], table.loc[network.other_unit.code]
    assert late["overdue_debt"] == 1000 and late["overdue_days"] == 45
    assert late["status"] == RED and "1,000.00" in late["reasons"]
    assert recent["overdue_debt"] == 300 and recent["overdue_days"] == 5
    assert recent["status"] in (AMBER, RED) and "300.00" in recent["reasons"]


def test_no_debt_no_reason(network):
    today = timezone.localdate()
    charge(network.unit, "100", today - timedelta(days=2), due=today + timedelta(days=5))
    table = scorecards.network_table(Franchisee.objects.all(), today=today).set_index("code")
    row = table.loc[network.unit.code]
    assert row["overdue_debt"] == 0 and "overdue," not in row["reasons"]
