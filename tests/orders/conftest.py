"""A small catalogue beside the `network` fixture: two categories, piece and weighed goods,
a base and a regional price list, one warehouse with stock."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from orders.models import (
    Category,
    DeliverySchedule,
    PriceList,
    PriceListItem,
    Product,
    Stock,
    Warehouse,
)


def make_product(category, sku, name, *, uom="pcs", pack="1", min_qty="1", vat="20", **kw):
    return Product.objects.create(
        sku=sku,
        name_en=name,
        name_ru=kw.pop("name_ru", name),
        category=category,
        unit_of_measure=uom,
        pack_size=Decimal(pack),
        min_qty=Decimal(min_qty),
        vat_rate=Decimal(vat),
        **kw,
    )


@pytest.fixture
def shop(network):
    food = Category.objects.create(name_en="Flour", name_ru="Мука")
    pack = Category.objects.create(name_en="Packaging", name_ru="Упаковка")
    flour = make_product(
        food,
        "FL-1",
        "Wheat flour",
        name_ru="Мука пшеничная",
        uom="kg",
        pack="0.5",
        min_qty="1",
        vat="10",
    )
    bags = make_product(
        pack, "BG-1", "Paper bags", name_ru="Пакеты бумажные", pack="100", min_qty="100"
    )
    cups = make_product(pack, "CP-1", "Coffee cups", name_ru="Стаканы для кофе")
    base = PriceList.objects.create(name="Base", is_base=True, valid_from=date(2020, 1, 1))
    regional = PriceList.objects.create(name="Volga", valid_from=date(2020, 1, 1))
    regional.regions.add(network.region)
    for product, price in ((flour, "55.50"), (bags, "1.25"), (cups, "7.00")):
        PriceListItem.objects.create(price_list=base, product=product, price=Decimal(price))
    PriceListItem.objects.create(price_list=regional, product=flour, price=Decimal("52.00"))
    warehouse = Warehouse.objects.create(name="Central", code="central")
    for product, qty in ((flour, "100"), (bags, "5000"), (cups, "3")):
        Stock.objects.create(warehouse=warehouse, product=product, on_hand=Decimal(qty))
    DeliverySchedule.objects.create(unit=network.unit, weekdays="1,2,3,4,5", lead_days=1)
    return SimpleNamespace(
        food=food,
        pack=pack,
        flour=flour,
        bags=bags,
        cups=cups,
        base=base,
        regional=regional,
        warehouse=warehouse,
    )
