"""Adoption figures from a hand-made activity log with known answers."""

from datetime import timedelta

import pytest

from franchise.models import Franchisee
from kb.models import SearchLog
from reporting.network import adoption

from .conftest import active, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(network):
    n = network
    active(n.owner, n.unit, days_ago=1)
    active(n.owner, n.unit, days_ago=40)
    active(n.member, n.unit, days_ago=35)
    active(n.other_member, n.other_unit, days_ago=45)
    # The manager looked at the unit: that does not make the unit active.
    active(n.manager, n.unit, days_ago=2)
    for count in (3, 1, 5, 0):
        SearchLog.objects.create(query="q", result_count=count, user=n.owner)
    return n


def test_network_lead_figures(log):
    figures = adoption.adoption(Franchisee.objects.all(), today=today(), include_staff=True)
    assert figures["units"] == 2
    assert figures["active_units"] == 1
    assert figures["active_share"] == 0.5
    # Last 30 days: owner and the manager; the 30 days before: owner, member, other member.
    assert figures["active_users"] == 2
    assert figures["active_users_before"] == 3
    assert figures["growth"] == pytest.approx(-1 / 3)
    roles = {r["role"]: r["users"] for r in figures["by_role"]}
    assert roles == {"owner": 1, "member": 0, "staff": 1}
    assert (figures["searches_with_result"], figures["searches_without_result"]) == (3, 1)
    assert figures["searches_found_share"] == 0.75
    by_region = {r["name"]: r for r in figures["by_region"]}
    assert by_region["Поволжье"]["active_units"] == 1
    assert by_region["Урал"]["active_share"] == 0
    by_manager = {r["name"]: r for r in figures["by_manager"]}
    assert by_manager[log.manager.get_full_name()]["active_share"] == 1
    assert by_manager[log.other_manager.get_full_name()]["active_users"] == 0


def test_manager_figures_cover_the_portfolio_only(log):
    from reporting.network.scorecards import units_in_scope

    figures = adoption.adoption(units_in_scope(log.manager), today=today(), include_staff=False)
    assert figures["units"] == 1
    assert figures["active_share"] == 1
    assert figures["active_users"] == 1  # the owner; the manager is not a unit's user
    assert {r["role"] for r in figures["by_role"]} == {"owner", "member"}


def test_monthly_series_counts_distinct_users(log):
    figures = adoption.adoption(Franchisee.objects.all(), today=today(), include_staff=True)
    months = {m["month"]: m["users"] for m in figures["months"]}
    day = today()
    expected = {}
    for days_ago, user in ((1, "o"), (40, "o"), (35, "m"), (45, "x"), (2, "mgr")):
        key = (day - timedelta(days=days_ago)).strftime("%Y-%m")
        expected.setdefault(key, set()).add(user)
    for key, users in expected.items():
        assert months[key] == len(users)


def test_reports_through_the_portal(network, sales):
    from .conftest import due_periods, report_all

    report_all(network.unit, sales, skip=(0,), revenue=1, receipts=1)
    figures = adoption.adoption(Franchisee.objects.all(), today=today(), include_staff=True)
    due = len(due_periods(sales))
    assert figures["reports_due"] == 2 * due
    assert figures["reports_submitted"] == due - 1


def test_only_staff_activity_without_units_is_no_error(network):
    """The lead alone has been active (no unit on the row): the page answered 500 (pandas
    merged the all-None unit column, of object dtype, with the members' integers)."""
    active(network.lead, None, days_ago=0)
    figures = adoption.adoption(Franchisee.objects.all(), today=today(), include_staff=True)
    assert figures["active_units"] == 0
    assert figures["active_users"] == 1
