"""units_visible_to as SQL: one array parameter on PostgreSQL however large the portfolio."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from franchise import access
from franchise.models import Franchisee
from tests.factories import UnitFactory


def test_portfolio_filter_is_one_parameter_and_exact(network):
    extra = [UnitFactory(region=network.region) for _ in range(30)]
    for unit in extra[:20]:
        access.set_account_manager(unit, network.manager)
    visible = access.units_visible_to(network.manager, "review")
    with CaptureQueriesContext(connection) as ctx:
        found = set(visible.values_list("pk", flat=True))
    assert found == {network.unit.pk, *(u.pk for u in extra[:20])}
    sql = ctx.captured_queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and " IN (" not in sql  # one array, not a placeholder per unit
    # As a subquery of unit-owned rows it is the same set.
    assert set(Franchisee.objects.filter(pk__in=visible).values_list("pk", flat=True)) == found


def test_no_units_costs_no_query(network):
    from tests.factories import UserFactory

    nobody = UserFactory()
    assert not access.can(nobody, "review", network.unit)  # reads and remembers the rights
    with CaptureQueriesContext(connection) as ctx:
        assert list(access.units_visible_to(nobody, "review")) == []
    assert ctx.captured_queries == []


def test_unit_owned_rows_filtered_by_their_own_column(network):
    """visible_to filters the rows' unit column by the ids: the same rows, no join."""
    from django.utils import timezone

    from reporting import periods
    from reporting.models import Submission
    from tests.reporting.conftest import make_template, report

    sales = make_template()
    period = periods.last_closed("monthly", timezone.localdate())
    mine = report(network.unit, sales, period, revenue=1)
    theirs = report(network.other_unit, sales, period, revenue=2)
    qs = access.visible_to(network.manager, Submission.objects.all(), "review")
    with CaptureQueriesContext(connection) as ctx:
        assert set(qs.values_list("pk", flat=True)) == {mine.pk}
    if connection.vendor == "postgresql":
        assert '"unit_id" = ANY(' in ctx.captured_queries[0]["sql"]
    assert set(
        access.visible_to(network.lead, Submission.objects.all()).values_list("pk", flat=True)
    ) == {mine.pk, theirs.pk}
    assert not access.visible_to(network.owner, Submission.objects.all(), "review").exists()


def test_cached_rights_follow_a_revoke(network, client_for):
    """Rights are kept in the shared cache under data versions: a revoke made elsewhere (here:
    straight in the table, as another process would) shows on the next request."""
    from django.urls import reverse

    from franchise.models import UnitUserPermission

    url = reverse("franchise:unit_detail", args=[network.unit.code])
    client = client_for(network.manager)
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # rights now come from the cache
    UnitUserPermission.objects.filter(user=network.manager, content_object=network.unit).delete()
    assert client.get(url).status_code == 404


def test_unit_list_cached_until_a_unit_changes(network, client_for):
    from django.urls import reverse

    client = client_for(network.manager)
    url = reverse("franchise:unit_list")
    first = client.get(url).content.decode()
    assert network.unit.trading_name in first
    assert client.get(url).content.decode() == first
    Franchisee.objects.filter(pk=network.unit.pk).update(trading_name="Renamed bakery")
    assert "Renamed bakery" in client.get(url).content.decode()
    assert "Renamed bakery" not in client_for(network.other_manager).get(url).content.decode()
