"""List endpoints cost the same number of queries for one row and for many."""

import pytest

from tests import factories

from .conftest import make_order

LISTS = ["units", "orders", "invoices", "submissions", "documents", "products", "prices", "stock"]


def _count(client, path):
    client.get(path)  # warm: rights cached, last use recorded
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("resource", LISTS)
def test_list_query_count_is_flat(resource, api, keys, shop, network):
    client = api(keys.network)
    path = f"/api/v1/{resource}/"
    few = _count(client, path)
    for n in range(30):
        unit = factories.UnitFactory(region=network.region)
        factories.member_of(unit)
        make_order(unit, f"Q-{n:03d}", shop.product)
    many = _count(client, path)
    assert few == many <= 6, (few, many)
