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


@pytest.mark.django_db
def test_order_list_rows_match_the_detail(api, keys, shop, network):
    """The list renders lines and events from rows; each order reads as its detail does."""
    from decimal import Decimal

    from orders.models import Order, OrderEvent, OrderLine, Product, Warehouse

    order = Order.objects.get(number="Z-0001")
    order.warehouse = Warehouse.objects.get(code="main")
    order.comment = "к обеду"
    order.save()
    second = Product.objects.create(
        sku="BR-2", name_en="Bun", name_ru="Булка", category=shop.product.category
    )
    OrderLine.objects.create(
        order=order,
        product=second,
        quantity_ordered=Decimal("1.5"),
        quantity=Decimal("1"),
        quantity_shipped=Decimal("0.25"),
        price=Decimal("99.99"),
        vat_rate=Decimal("10.00"),
        line_total=Decimal("99.99"),
        vat_amount=Decimal("9.09"),
    )
    OrderEvent.objects.create(
        order=order, from_status="submitted", to_status="confirmed", note="ok"
    )
    client = api(keys.network)
    listed = {row["number"]: row for row in client.get("/api/v1/orders/").json()["results"]}
    assert len(listed["Z-0001"]["lines"]) == 2
    assert [e["to_status"] for e in listed["Z-0001"]["events"]] == ["submitted", "confirmed"]
    assert listed["Z-0001"]["lines"][1]["sku"] == "BR-2"
    for number, row in listed.items():
        detail = client.get(f"/api/v1/orders/{number}/")
        assert detail.status_code == 200
        assert row == detail.json(), number
