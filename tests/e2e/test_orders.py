"""Ordering in the browser: the owner repeats last month's order with another quantity and
submits; the manager confirms it on the order desk; the owner sees it invoiced and downloads
the invoice, whose text carries the total in words."""

import io
import re
from decimal import Decimal

import pypdf
import pytest
from playwright.sync_api import expect

from orders import cart as C
from orders import services as O
from orders.models import Order, Stock
from orders.models import OrderStatus as S
from tests.e2e.conftest import content, download, nav, sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _last_month_order(net, shop):
    Stock.objects.filter(product=shop.cups).update(on_hand=Decimal("50"))
    C.cart_add(unit=net.unit, product_id=shop.cups.pk, quantity="2", user=net.owner)
    C.cart_add(unit=net.unit, product_id=shop.bags.pk, quantity="100", user=net.owner)
    order = O.order_submit(
        unit=net.unit,
        user=net.owner,
        token=O.new_token(),
        delivery_date=O.delivery_dates(net.unit)[0],
        accepted_total=C.cart_view(net.unit).total,
    )
    O.order_confirm(order=order, user=net.manager)
    O.order_ship(
        order=order,
        user=net.manager,
        quantities={ln.pk: str(ln.quantity) for ln in order.lines.all()},
    )
    O.order_deliver(order=order, user=net.owner)
    return order


def test_repeat_confirm_and_invoice(page, shot, browser, live_server, network, shop):
    past = _last_month_order(network, shop)
    sign_in(page, "owner")
    nav(page, "Orders").click()
    expect(page).to_have_url(re.compile(rf"/orders/{network.unit.code}/catalogue/$"))
    page.get_by_role("link", name="Orders", exact=True).last.click()
    page.get_by_role("row").filter(has_text=past.number).get_by_role(
        "button", name="Repeat"
    ).click()
    expect(page).to_have_url(re.compile(rf"/orders/{network.unit.code}/cart/$"))
    shot("cart-from-repeat")
    page.get_by_label("Quantity").first.fill("3")
    page.get_by_role("button", name="Update quantities").click()
    expect(page.get_by_text("The cart is updated.")).to_be_visible()
    page.get_by_role("button", name="Submit the order").click()
    expect(page.get_by_role("heading", name=re.compile("Order "))).to_be_visible()
    order = Order.objects.exclude(pk=past.pk).get()
    assert order.status == S.SUBMITTED and order.source == "repeat"
    assert order.total == Decimal("21.00") + Decimal("125.00")
    shot("submitted")

    manager = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    sign_in(manager, "manager")
    manager.goto("/orders/desk/")
    manager.get_by_role("link", name=order.number).click()
    manager.get_by_role("button", name="Confirm the order").click()
    expect(manager.get_by_text("The order is confirmed")).to_be_visible()
    manager.context.close()

    page.reload()
    expect(page.get_by_text("Invoiced").first).to_be_visible()
    shot("invoiced")
    file, response = download(
        page, page.get_by_role("link", name=re.compile("Invoice .* \\(PDF\\)"))
    )
    assert response.headers["content-type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(content(file)))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Сто сорок шесть рублей 00 копеек" in text
    assert order.number in text and "Счёт на оплату" in text
    assert page.csp_violations == []
