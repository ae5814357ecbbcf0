"""Competing confirmations for the last items: exactly one succeeds (PostgreSQL, threads)."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from franchise.models import Role
from orders import cart as C
from orders import services as O
from orders.models import DeliverySchedule, Order, Stock
from orders.models import OrderStatus as S
from tests import factories


def _order(unit, user, product):
    C.cart_add(unit=unit, product_id=product.pk, quantity="2", user=user)
    return O.order_submit(
        unit=unit,
        user=user,
        token=O.new_token(),
        delivery_date=O.delivery_dates(unit)[0],
        accepted_total=C.cart_view(unit).total,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_managers_confirming_for_the_last_items(network, shop):
    second_unit = factories.UnitFactory(region=network.region)
    second_owner = factories.member_of(second_unit, Role.OWNER)
    second_manager = factories.manager_of(second_unit)
    DeliverySchedule.objects.create(unit=second_unit, weekdays="1,2,3,4,5", lead_days=1)
    Stock.objects.filter(product=shop.cups).update(on_hand=Decimal("3"))  # room for one order
    orders = [
        (_order(network.unit, network.owner, shop.cups), network.manager),
        (_order(second_unit, second_owner, shop.cups), second_manager),
    ]
    barrier = threading.Barrier(2)
    outcomes = []

    def confirm(order, manager):
        try:
            barrier.wait(timeout=10)
            O.order_confirm(order=order, user=manager)
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=confirm, args=pair) for pair in orders]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes)[-1] == "ok" and outcomes.count("ok") == 1
    assert any("Not enough" in o for o in outcomes)
    stock = Stock.objects.get(warehouse=shop.warehouse, product=shop.cups)
    assert (stock.on_hand, stock.reserved) == (Decimal("3"), Decimal("2"))
    assert Order.objects.filter(status=S.INVOICED).count() == 1
    assert Order.objects.filter(status=S.SUBMITTED).count() == 1
