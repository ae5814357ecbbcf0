"""Scorecard status from hand-made data, with the reasons spelled out."""

from datetime import timedelta

import pytest

from franchise.models import Role, UnitRequest, UnitTask
from reporting.network import scorecards
from tests import factories

from .conftest import active, assign, report_all, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(network, sales, food_safety):
    """unit: two reports missing, food safety overdue for its 3 people -> red.
    other_unit: everything on time and in use -> green.
    third: two reports late, a task overdue and a request unanswered -> amber."""
    n = network
    extra = factories.member_of(n.unit, Role.MEMBER, username="cook")
    report_all(n.unit, sales, skip=(0, 1), revenue=100, receipts=10)
    assign(food_safety, n.unit)
    active(n.owner, n.unit)
    report_all(n.other_unit, sales, revenue=200, receipts=10)
    active(n.other_member, n.other_unit)
    third = factories.UnitFactory(code="KZN-002", region=n.region)
    third_owner = factories.member_of(third, Role.OWNER, username="third_owner")
    report_all(third, sales, late=(2, 3), revenue=150, receipts=10)
    UnitTask.objects.create(unit=third, title="Fix the sign", due_date=today() - timedelta(days=1))
    UnitTask.objects.create(unit=third, title="Later", due_date=today() + timedelta(days=9))
    UnitRequest.objects.create(
        unit=third,
        kind="question",
        subject="Prices?",
        text="?",
        due_date=today() - timedelta(days=2),
    )
    active(third_owner, third)
    return {"extra": extra, "third": third}


def _table(units=None):
    from franchise.models import Franchisee

    return scorecards.network_table(
        units if units is not None else Franchisee.objects.all(), today=today()
    ).set_index("code")


def test_status_and_reasons(scene):
    table = _table()
    red = table.loc["KZN-001"]
    assert red["status"] == "red"
    assert red["reasons"] == "2 reports missing, Food safety overdue for 3 staff"
    assert (red["missing"], red["late"], red["people_overdue"]) == (2, 0, 3)
    assert red["training_assigned"] == 3 and red["training_done"] == 0

    green = table.loc["EKB-001"]
    assert green["status"] == "green" and green["reasons"] == ""
    assert green["on_time_rate"] == 1.0 and green["active_users"] == 1

    amber = table.loc["KZN-002"]
    assert amber["status"] == "amber"
    assert amber["reasons"] == "2 reports late, 1 task overdue, 1 request unanswered"
    assert (amber["open_tasks"], amber["overdue_tasks"]) == (2, 1)


def test_key_figure_rank_and_change(scene):
    table = _table()
    # Latest due period: EKB-001 200, KZN-002 150; KZN-001 did not report it.
    assert table.loc["EKB-001", "key_rank"] == 1
    assert table.loc["KZN-002", "key_rank"] == 2
    assert table.loc["KZN-002", "key_of"] == 2
    assert table.loc["KZN-002", "key_change"] == 0
    assert pd_isna(table.loc["KZN-001", "key_value"])


def pd_isna(value):
    import pandas as pd

    return pd.isna(value)


def test_call_first_puts_red_before_amber(scene):
    from franchise.models import Franchisee

    table = scorecards.network_table(Franchisee.objects.all(), today=today())
    assert list(scorecards.call_first(table)["code"]) == ["KZN-001", "KZN-002"]
    assert scorecards.status_counts(table) == {"red": 1, "amber": 1, "green": 1}


def test_idle_unit_is_amber_with_the_reason(network):
    # The account manager looking at the unit does not make the unit active.
    active(network.other_manager, network.other_unit)
    table = _table()
    assert table.loc["EKB-001", "status"] == "amber"
    assert table.loc["EKB-001", "reasons"] == "Nobody used the portal in 30 days"
