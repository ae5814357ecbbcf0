"""Pricing, quantity rules, the cart, submitting, and every status change of an order."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from franchise.models import Document, Notification
from orders import cart as C
from orders import services as O
from orders.invoices import amount_in_words
from orders.models import Invoice, Order, OrderEvent, PriceList, PriceListItem, Stock
from orders.models import OrderStatus as S
from orders.pricing import prices_for


def _submit(net, *, token="t1", user=None):  # noqa: S107
    view = C.cart_view(net.unit)
    return O.order_submit(
        unit=net.unit,
        user=user or net.owner,
        token=token,
        delivery_date=O.delivery_dates(net.unit)[0],
        accepted_total=view.total,
    )


def _stock(shop, product):
    return Stock.objects.get(warehouse=shop.warehouse, product=product)


def test_price_resolution_unit_over_region_over_base(network, shop):
    assert prices_for(network.unit, [shop.flour.pk, shop.cups.pk]) == {
        shop.flour.pk: Decimal("52.00"),  # the region's list
        shop.cups.pk: Decimal("7.00"),  # only on the base list
    }
    assert prices_for(network.other_unit, [shop.flour.pk])[shop.flour.pk] == Decimal("55.50")
    mine = PriceList.objects.create(name="KZN", valid_from=date(2020, 1, 1))
    mine.units.add(network.unit)
    PriceListItem.objects.create(price_list=mine, product=shop.flour, price=Decimal("50.00"))
    assert prices_for(network.unit, [shop.flour.pk])[shop.flour.pk] == Decimal("50.00")
    mine.valid_to = date(2021, 1, 1)
    mine.save()
    assert prices_for(network.unit, [shop.flour.pk])[shop.flour.pk] == Decimal("52.00")


@pytest.mark.parametrize(
    ("product", "qty", "message"),
    [
        ("cups", "0", "above zero"),
        ("cups", "-2", "above zero"),
        ("cups", "1.5", "whole"),
        ("cups", "abc", "as a number"),
        ("cups", "NaN", "as a number"),
        ("cups", "1e9", "too large"),
        ("bags", "50", "minimum order"),
        ("bags", "150", "multiples of 100"),
        ("flour", "1.25", "multiples of 0.5"),
    ],
)
def test_bad_quantities_are_refused_with_a_reason(network, shop, product, qty, message):
    with pytest.raises(ValidationError) as error:
        C.cart_add(
            unit=network.unit,
            product_id=getattr(shop, product).pk,
            quantity=qty,
            user=network.owner,
        )
    assert message in " ".join(error.value.messages)
    assert not C.cart_of(network.unit).lines.exists()


def test_cart_is_the_units_and_priced_by_the_server(network, shop):
    C.cart_add(unit=network.unit, product_id=shop.flour.pk, quantity="2,5", user=network.owner)
    C.cart_add(unit=network.unit, product_id=shop.flour.pk, quantity="0.5", user=network.member)
    C.cart_add(unit=network.unit, product_id=shop.bags.pk, quantity="200", user=network.member)
    view = C.cart_view(network.unit)
    assert [(r.product.sku, r.quantity, r.line_total) for r in view.rows] == [
        ("FL-1", Decimal("3"), Decimal("156.00")),
        ("BG-1", Decimal("200"), Decimal("250.00")),
    ]
    assert view.total == Decimal("406.00")
    assert view.vat_total == Decimal("14.18") + Decimal("41.67")  # 10 % and 20 % inside
    assert view.problems == []


def test_submit_makes_one_order_from_a_double_click(network, shop):
    C.cart_add(unit=network.unit, product_id=shop.cups.pk, quantity="2", user=network.owner)
    first = _submit(network)
    again = O.order_submit(
        unit=network.unit,
        user=network.owner,
        token="t1",
        delivery_date=O.delivery_dates(network.unit)[0],
        accepted_total=Decimal("14.00"),
    )
    assert first.pk == again.pk and Order.objects.count() == 1
    assert first.status == S.SUBMITTED and first.total == Decimal("14.00")
    assert first.total == sum(ln.line_total for ln in first.lines.all())
    assert first.number.endswith(f"{first.pk:06d}")
    assert not C.cart_of(network.unit).lines.exists()
    assert OrderEvent.objects.filter(order=first, to_status=S.SUBMITTED, by=network.owner).exists()
    assert Notification.objects.filter(user=network.manager, kind="order").exists()


def test_a_changed_price_must_be_seen_before_submitting(network, shop):
    C.cart_add(unit=network.unit, product_id=shop.cups.pk, quantity="2", user=network.owner)
    seen = C.cart_view(network.unit).total
    PriceListItem.objects.filter(product=shop.cups).update(price=Decimal("8.00"))
    view = C.cart_view(network.unit)
    assert [r.product.sku for r in view.changed] == ["CP-1"]
    with pytest.raises(O.PriceChanged, match="16,00|16.00"):
        O.order_submit(
            unit=network.unit,
            user=network.owner,
            token="t",
            accepted_total=seen,
            delivery_date=O.delivery_dates(network.unit)[0],
        )
    assert not Order.objects.exists()
    order = _submit(network)  # the new total, as the cart page now shows it
    assert order.total == Decimal("16.00")


def test_a_product_withdrawn_while_in_the_cart_blocks_submit(network, shop):
    C.cart_add(unit=network.unit, product_id=shop.cups.pk, quantity="2", user=network.owner)
    shop.cups.is_active = False
    shop.cups.save()
    with pytest.raises(ValidationError, match="no longer sold"):
        _submit(network)
    assert not Order.objects.exists()


def test_more_than_available_is_refused(network, shop):
    C.cart_add(unit=network.unit, product_id=shop.cups.pk, quantity="5", user=network.owner)
    with pytest.raises(ValidationError, match="Only 3"):
        _submit(network)


def test_only_the_units_workers_submit(network, shop):
    C.cart_add(unit=network.unit, product_id=shop.cups.pk, quantity="1", user=network.owner)
    for user in (network.manager, network.other_member, network.lead):
        with pytest.raises(PermissionDenied):
            _submit(network, user=user)


def test_delivery_date_must_be_offered(network, shop):
    C.cart_add(unit=network.unit, product_id=shop.cups.pk, quantity="1", user=network.owner)
    with pytest.raises(ValidationError, match="delivery dates"):
        O.order_submit(
            unit=network.unit,
            user=network.owner,
            token="x",
            delivery_date=date(2000, 1, 3),
            accepted_total=Decimal("7.00"),
        )


def test_confirm_reserves_adjusts_and_invoices(network, shop, django_capture_on_commit_callbacks):
    C.cart_add(unit=network.unit, product_id=shop.flour.pk, quantity="10", user=network.owner)
    C.cart_add(unit=network.unit, product_id=shop.cups.pk, quantity="3", user=network.owner)
    order = _submit(network)
    flour_line = order.lines.get(product=shop.flour)
    with django_capture_on_commit_callbacks(execute=True):
        order = O.order_confirm(order=order, user=network.manager, quantities={flour_line.pk: "8"})
    order.refresh_from_db()
    assert order.status == S.INVOICED
    assert order.total == Decimal("416.00") + Decimal("21.00")
    assert order.total == sum(ln.line_total for ln in order.lines.all())
    assert _stock(shop, shop.flour).reserved == Decimal("8")
    assert _stock(shop, shop.cups).reserved == Decimal("3")
    assert [e.to_status for e in order.events.all()] == [S.SUBMITTED, S.CONFIRMED, S.INVOICED]
    assert "10 → 8" in order.events.get(to_status=S.CONFIRMED).note
    invoice = Invoice.objects.get(order=order)
    assert invoice.total == order.total and invoice.document is not None
    assert Document.objects.get(pk=invoice.document_id).folder == "invoices"
    assert [m.to for m in mail.outbox if m.attachments] == [[network.owner.email]]
    # One notice of the confirmation, not a second one for the filed invoice document.
    assert list(Notification.objects.filter(user=network.owner).values_list("kind", flat=True)) == [
        "order"
    ]


def test_confirming_twice_or_another_portfolio_is_refused(network, shop):
    C.cart_add(unit=network.unit, product_id=shop.cups.pk, quantity="1", user=network.owner)
    order = _submit(network)
    for user in (network.other_manager, network.lead, network.owner):
        with pytest.raises(PermissionDenied):
            O.order_confirm(order=order, user=user)
    O.order_confirm(order=order, user=network.manager)
    with pytest.raises(ValidationError, match="already handled"):
        O.order_confirm(order=order, user=network.manager)
    assert _stock(shop, shop.cups).reserved == Decimal("1")


def test_confirm_without_stock_changes_nothing(network, shop):
    C.cart_add(unit=network.unit, product_id=shop.cups.pk, quantity="3", user=network.owner)
    C.cart_add(unit=network.unit, product_id=shop.flour.pk, quantity="1", user=network.owner)
    order = _submit(network)
    Stock.objects.filter(product=shop.cups).update(on_hand=Decimal("2"))
    with pytest.raises(ValidationError, match="Not enough Coffee cups"):
        O.order_confirm(order=order, user=network.manager)
    order.refresh_from_db()
    assert order.status == S.SUBMITTED and not Invoice.objects.exists()
    assert _stock(shop, shop.flour).reserved == 0


def test_cancel_release_ship_deliver(network, shop):
    C.cart_add(unit=network.unit, product_id=shop.cups.pk, quantity="3", user=network.owner)
    order = _submit(network)
    O.order_confirm(order=order, user=network.manager)
    with pytest.raises(ValidationError):
        O.order_cancel(order=order, user=network.owner)  # too late for the unit
    line = order.lines.get()
    O.order_ship(order=order, user=network.manager, quantities={line.pk: "1"})
    order.refresh_from_db()
    assert order.status == S.PARTIALLY_SHIPPED
    assert (_stock(shop, shop.cups).on_hand, _stock(shop, shop.cups).reserved) == (2, 2)
    with pytest.raises(ValidationError, match="only 2 left"):
        O.order_ship(order=order, user=network.manager, quantities={line.pk: "5"})
    O.order_ship(order=order, user=network.manager, quantities={line.pk: "2"})
    order.refresh_from_db()
    assert order.status == S.SHIPPED
    assert (_stock(shop, shop.cups).on_hand, _stock(shop, shop.cups).reserved) == (0, 0)
    O.order_deliver(order=order, user=network.owner)
    order.refresh_from_db()
    assert order.status == S.DELIVERED and order.delivered_at


def test_franchisor_cancels_confirmed_with_a_reason_and_stock_comes_back(network, shop):
    C.cart_add(unit=network.unit, product_id=shop.cups.pk, quantity="3", user=network.owner)
    order = _submit(network)
    O.order_confirm(order=order, user=network.manager)
    with pytest.raises(ValidationError, match="Say why"):
        O.order_cancel(order=order, user=network.manager)
    O.order_cancel(order=order, user=network.manager, reason="Unit closed for repairs")
    order.refresh_from_db()
    assert order.status == S.CANCELLED and order.cancel_reason == "Unit closed for repairs"
    assert _stock(shop, shop.cups).reserved == 0


def test_unit_cancels_before_confirmation(network, shop):
    C.cart_add(unit=network.unit, product_id=shop.cups.pk, quantity="1", user=network.owner)
    order = _submit(network)
    O.order_cancel(order=order, user=network.member)
    assert Order.objects.get(pk=order.pk).status == S.CANCELLED
    with pytest.raises(ValidationError):
        O.order_confirm(order=order, user=network.manager)


def test_repeat_order_shows_differences(network, shop):
    C.cart_add(unit=network.unit, product_id=shop.cups.pk, quantity="2", user=network.owner)
    C.cart_add(unit=network.unit, product_id=shop.flour.pk, quantity="1", user=network.owner)
    order = _submit(network)
    PriceListItem.objects.filter(product=shop.cups).update(price=Decimal("9.00"))
    shop.flour.is_active = False
    shop.flour.save()
    notes = C.cart_fill_from_order(unit=network.unit, order=order, user=network.owner)
    assert (
        notes == ["Мука пшеничная is no longer available and was left out."]
        or "left out" in notes[0]
    )
    view = C.cart_view(network.unit)
    assert [(r.product.sku, r.line.price_seen, r.price) for r in view.changed] == [
        ("CP-1", Decimal("7.00"), Decimal("9.00"))
    ]


def test_usual_order(network, shop):
    C.cart_add(unit=network.unit, product_id=shop.bags.pk, quantity="300", user=network.owner)
    assert C.usual_order_save(unit=network.unit) == 1
    C.cart_update(unit=network.unit, quantities={shop.bags.pk: "0"})
    assert not C.cart_of(network.unit).lines.exists()
    C.cart_fill_from_usual(unit=network.unit, user=network.member)
    assert C.cart_view(network.unit).total == Decimal("375.00")


def test_cart_update_is_all_or_nothing(network, shop):
    C.cart_add(unit=network.unit, product_id=shop.bags.pk, quantity="100", user=network.owner)
    C.cart_add(unit=network.unit, product_id=shop.cups.pk, quantity="1", user=network.owner)
    errors = C.cart_update(unit=network.unit, quantities={shop.bags.pk: "200", shop.cups.pk: "-1"})
    assert list(errors) == [shop.cups.pk]
    assert C.cart_of(network.unit).lines.get(product=shop.bags).quantity == 100


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1250000.50", "Один миллион двести пятьдесят тысяч рублей 50 копеек"),
        ("21.01", "Двадцать один рубль 01 копейка"),
        ("2.03", "Два рубля 03 копейки"),
        ("0.11", "Ноль рублей 11 копеек"),
    ],
)
def test_amount_in_words(amount, words):
    assert amount_in_words(Decimal(amount)) == words
