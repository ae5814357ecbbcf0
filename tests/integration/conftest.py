"""Catalogue, stock, orders and keys for the API tests (rows made directly: read-only API)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from integration import services
from orders.models import (
    Category,
    Invoice,
    Order,
    OrderEvent,
    OrderLine,
    PriceList,
    PriceListItem,
    Product,
    Stock,
    Warehouse,
)

ALL_READ = [
    f"{r}:read" for r in ("units", "reports", "documents", "catalogue", "orders", "invoices")
]


def make_order(unit, number: str, product) -> Order:
    order = Order.objects.create(
        unit=unit, number=number, status="submitted", total=Decimal("240.00")
    )
    OrderLine.objects.create(
        order=order,
        product=product,
        quantity_ordered=Decimal("2"),
        quantity=Decimal("2"),
        price=Decimal("120.00"),
        vat_rate=Decimal("20.00"),
        line_total=Decimal("240.00"),
        vat_amount=Decimal("40.00"),
    )
    OrderEvent.objects.create(order=order, from_status="draft", to_status="submitted")
    return order


@pytest.fixture
def shop(network):
    category = Category.objects.create(name_en="Bread", name_ru="Хлеб", external_id="cat-1")
    product = Product.objects.create(
        sku="BR-1", name_en="Loaf", name_ru="Батон", category=category, external_id="prod-1"
    )
    base = PriceList.objects.create(name="Base", is_base=True)
    PriceListItem.objects.create(price_list=base, product=product, price=Decimal("120.00"))
    warehouse = Warehouse.objects.create(name="Main", code="main", external_id="wh-1")
    Stock.objects.create(warehouse=warehouse, product=product, on_hand=Decimal("10"))
    order = make_order(network.unit, "Z-0001", product)
    other_order = make_order(network.other_unit, "Z-0002", product)
    invoice = Invoice.objects.create(
        order=order,
        unit=network.unit,
        number="S-0001",
        due_on=timezone.localdate(),
        total=Decimal("240.00"),
        vat_total=Decimal("40.00"),
    )
    return SimpleNamespace(
        category=category,
        product=product,
        base=base,
        warehouse=warehouse,
        order=order,
        other_order=other_order,
        invoice=invoice,
    )


@pytest.fixture
def keys(network):
    unit_key, unit_raw = services.key_issue_for_unit(
        unit=network.unit, name="POS Kazan", scopes=ALL_READ
    )
    other_key, other_raw = services.key_issue_for_unit(
        unit=network.other_unit, name="POS Ekb", scopes=ALL_READ
    )
    net_key, net_raw = services.key_issue_for_network(name="1C", scopes=ALL_READ)
    region_key, region_raw = services.key_issue_for_network(
        name="Volga BI", scopes=ALL_READ, region=network.region
    )
    narrow_key, narrow_raw = services.key_issue_for_unit(
        unit=network.unit, name="Units only", scopes=["units:read"]
    )
    return SimpleNamespace(
        unit=unit_raw,
        other=other_raw,
        network=net_raw,
        region=region_raw,
        narrow=narrow_raw,
        unit_key=unit_key,
    )


@pytest.fixture
def api():
    """api(raw_key) -> a client sending `Authorization: Api-Key <raw>`."""

    def make(raw):
        return Client(HTTP_AUTHORIZATION=f"Api-Key {raw}")

    return make
