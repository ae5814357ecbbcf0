"""Cross-unit URL matrix entries of the orders app (merged into url_matrix.ROUTES)."""

from datetime import date, timedelta
from decimal import Decimal

from .url_matrix import Case, statuses, unit_scoped


def make_order(net) -> dict:
    """A product the unit may order, a line in its cart and a submitted, invoiced order."""
    from orders.models import (
        Cart,
        CartLine,
        Category,
        Invoice,
        Order,
        OrderLine,
        OrderStatus,
        PriceList,
        PriceListItem,
        Product,
        Stock,
        Warehouse,
    )

    category = Category.objects.create(name_en="Cups", name_ru="Стаканы")
    product = Product.objects.create(sku="M-1", name_en="Cup", name_ru="Стакан", category=category)
    base = PriceList.objects.create(name="Base", is_base=True, valid_from=date(2020, 1, 1))
    PriceListItem.objects.create(price_list=base, product=product, price=Decimal("10.00"))
    warehouse = Warehouse.objects.create(name="Main", code="main")
    Stock.objects.create(warehouse=warehouse, product=product, on_hand=Decimal("100"))
    CartLine.objects.create(
        cart=Cart.objects.create(unit=net.unit), product=product, quantity=Decimal("2")
    )
    order = Order.objects.create(
        unit=net.unit,
        number="2026-000001",
        status=OrderStatus.SUBMITTED,
        warehouse=warehouse,
        total=Decimal("20.00"),
        vat_total=Decimal("3.33"),
    )
    line = OrderLine.objects.create(
        order=order,
        product=product,
        quantity_ordered=Decimal("2"),
        quantity=Decimal("2"),
        price=Decimal("10.00"),
        vat_rate=Decimal("20"),
        line_total=Decimal("20.00"),
        vat_amount=Decimal("3.33"),
    )
    invoiced = Order.objects.create(
        unit=net.unit,
        number="2026-000002",
        status=OrderStatus.INVOICED,
        warehouse=warehouse,
        total=Decimal("20.00"),
        vat_total=Decimal("3.33"),
    )
    OrderLine.objects.create(
        order=invoiced,
        product=product,
        quantity_ordered=Decimal("2"),
        quantity=Decimal("2"),
        price=Decimal("10.00"),
        vat_rate=Decimal("20"),
        line_total=Decimal("20.00"),
        vat_amount=Decimal("3.33"),
    )
    Invoice.objects.create(
        order=invoiced,
        unit=net.unit,
        number=invoiced.number,
        due_on=date.today() + timedelta(days=5),
        total=order.total,
        vat_total=order.vat_total,
    )
    return {"order": order, "order_line": line, "product": product, "invoiced": invoiced}


def _unit(net):
    return [net.unit.code]


def _order(net):
    return [net.unit.code, net.order.number]


#: The unit's people order; the franchisor (manager, lead) sees the unit's orders.
WORKERS = {"owner": 200, "member": 200}

ROUTES: dict = {
    "orders:catalogue": Case(args=_unit, setup=make_order, expect=statuses(**WORKERS)),
    "orders:cart": [
        Case(args=_unit, setup=make_order, expect=statuses(**WORKERS)),
        Case(
            args=_unit,
            setup=make_order,
            method="POST",
            data=lambda net: {f"qty-{net.product.pk}": "3"},
            expect=statuses(owner=302, member=302),
        ),
    ],
    "orders:cart_add": Case(
        args=_unit,
        setup=make_order,
        method="POST",
        data=lambda net: {"product": net.product.pk, "quantity": "1"},
        expect=statuses(owner=302, member=302),
    ),
    "orders:cart_usual": Case(
        args=_unit,
        setup=make_order,
        method="POST",
        data=lambda net: {"action": "save"},
        expect=statuses(owner=302, member=302),
    ),
    "orders:cart_submit": Case(
        args=_unit,
        setup=make_order,
        method="POST",
        data=lambda net: {"token": "x"},
        expect=statuses(owner=400, member=400),
        note="an incomplete form is shown again with its errors",
    ),
    "orders:unit_orders": Case(args=_unit, setup=make_order, expect=unit_scoped()),
    "orders:order_detail": Case(args=_order, setup=make_order, expect=unit_scoped()),
    "orders:order_invoice": Case(
        args=lambda net: [net.unit.code, net.invoiced.number],
        setup=make_order,
        expect=unit_scoped(),
    ),
    "orders:order_repeat": Case(
        args=_order, setup=make_order, method="POST", expect=statuses(owner=302, member=302)
    ),
    "orders:order_cancel": Case(
        args=_order,
        setup=make_order,
        method="POST",
        expect=statuses(owner=302, member=302, manager=302),
        note="the unit before confirmation, its manager at any time; the lead only reads",
    ),
    "orders:order_received": Case(
        args=_order,
        setup=make_order,
        method="POST",
        expect=statuses(owner=302, member=302, manager=302),
    ),
    "orders:order_confirm": Case(
        args=_order, setup=make_order, method="POST", expect=statuses(manager=302)
    ),
    "orders:order_reject": Case(
        args=_order,
        setup=make_order,
        method="POST",
        data=lambda net: {"reason": "Closed"},
        expect=statuses(manager=302),
    ),
    "orders:order_paid": Case(
        args=_order, setup=make_order, method="POST", expect=statuses(manager=302)
    ),
    "orders:order_ship": Case(
        args=_order,
        setup=make_order,
        method="POST",
        data=lambda net: {f"ship-{net.order_line.pk}": "1"},
        expect=statuses(manager=302),
    ),
}
