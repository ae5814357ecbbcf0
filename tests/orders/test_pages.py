"""The ordering pages as people see them, and their query counts."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orders import cart as C
from orders import services as O
from orders.models import Order, Product
from orders.models import OrderStatus as S
from tests import factories
from tests.orders.conftest import make_product


def _submit(net):
    view = C.cart_view(net.unit)
    return O.order_submit(
        unit=net.unit,
        user=net.owner,
        token=O.new_token(),
        delivery_date=O.delivery_dates(net.unit)[0],
        accepted_total=view.total,
    )


def test_catalogue_shows_prices_stock_and_searches_russian(network, shop, client_for):
    c = client_for(network.owner)
    html = c.get(reverse("orders:catalogue", args=[network.unit.code])).content.decode()
    assert "52,00" in html or "52.00" in html  # the region's price, not the base one
    assert "Coffee cups" in html or "Стаканы для кофе" in html
    word = "муку" if connection.vendor == "postgresql" else "пшеничная"  # stemming on PostgreSQL
    found = c.get(reverse("orders:catalogue", args=[network.unit.code]), {"q": word})
    assert found.status_code == 200
    page = found.content.decode()
    assert "FL-1" in page and "CP-1" not in page
    for hostile in ["ООО «Ромашка»", 'ООО "Ромашка"', '">', 'а"б', "\x00", "x" * 5000]:
        r = c.get(reverse("orders:catalogue", args=[network.unit.code]), {"q": hostile})
        assert r.status_code == 200


def test_add_to_cart_and_submit_through_the_pages(network, shop, client_for):
    c = client_for(network.member)
    url = reverse("orders:cart_add", args=[network.unit.code])
    r = c.post(url, {"product": shop.cups.pk, "quantity": "2", "price": "0.01"}, follow=True)
    assert "in the cart" in r.content.decode()
    r = c.post(url, {"product": shop.cups.pk, "quantity": "1.5"}, follow=True)
    assert "whole" in r.content.decode()
    cart = c.get(reverse("orders:cart", args=[network.unit.code]))
    form = cart.context["form"]
    data = {
        "token": form.initial["token"],
        "accepted_total": "14.00",
        "delivery_date": next(iter(form.dates)),
    }
    submit = reverse("orders:cart_submit", args=[network.unit.code])
    first = c.post(submit, data)
    second = c.post(submit, data)  # the double click
    order = Order.objects.get()
    assert order.total == Decimal("14.00")  # the posted price was ignored
    detail = reverse("orders:order_detail", args=[network.unit.code, order.number])
    assert first.url == detail and second.url == detail
    page = client_for(network.owner).get(detail).content.decode()
    assert order.number in page and "Submitted" in page


def test_tampered_total_is_refused_and_new_total_shown(network, shop, client_for):
    C.cart_add(unit=network.unit, product_id=shop.cups.pk, quantity="2", user=network.owner)
    c = client_for(network.owner)
    cart = c.get(reverse("orders:cart", args=[network.unit.code]))
    data = {
        "token": cart.context["form"].initial["token"],
        "accepted_total": "1.00",
        "delivery_date": next(iter(cart.context["form"].dates)),
    }
    r = c.post(reverse("orders:cart_submit", args=[network.unit.code]), data)
    assert r.status_code == 409 and "Prices have changed" in r.content.decode()
    assert not Order.objects.exists()
    assert r.context["form"].data["accepted_total"] == "14.00"


def test_manager_confirms_on_the_page_and_owner_downloads_invoice(
    network, shop, client_for, django_capture_on_commit_callbacks
):
    C.cart_add(unit=network.unit, product_id=shop.cups.pk, quantity="3", user=network.owner)
    order = _submit(network)
    line = order.lines.get()
    m = client_for(network.manager)
    desk = m.get(reverse("orders:desk")).content.decode()
    assert order.number in desk and "h left" in desk
    assert (
        order.number
        not in client_for(network.other_manager).get(reverse("orders:desk")).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        m.post(
            reverse("orders:order_confirm", args=[network.unit.code, order.number]),
            {f"qty-{line.pk}": "2", "note": "Only two today"},
        )
    order.refresh_from_db()
    assert order.status == S.INVOICED and order.total == Decimal("14.00")
    owner = client_for(network.owner)
    page = owner.get(reverse("orders:order_detail", args=[network.unit.code, order.number]))
    html = page.content.decode()
    assert "Invoiced" in html and "3 → 2" in html and "Only two today" in html
    pdf = owner.get(reverse("orders:order_invoice", args=[network.unit.code, order.number]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_bulk_confirm_reports_the_one_out_of_stock(network, shop, client_for):
    C.cart_add(unit=network.unit, product_id=shop.cups.pk, quantity="3", user=network.owner)
    first = _submit(network)
    C.cart_add(unit=network.unit, product_id=shop.cups.pk, quantity="1", user=network.owner)
    second = _submit(network)
    r = client_for(network.manager).post(
        reverse("orders:desk_confirm"), {"order": [first.pk, second.pk]}, follow=True
    )
    html = r.content.decode()
    assert "1 orders confirmed" in html or "1 order" in html
    assert f"{second.number}: Not enough" in html
    assert Order.objects.get(pk=second.pk).status == S.SUBMITTED


def test_other_portfolio_cannot_bulk_confirm(network, shop, client_for):
    C.cart_add(unit=network.unit, product_id=shop.cups.pk, quantity="1", user=network.owner)
    order = _submit(network)
    client_for(network.other_manager).post(reverse("orders:desk_confirm"), {"order": [order.pk]})
    assert Order.objects.get(pk=order.pk).status == S.SUBMITTED


def test_figures_for_lead_and_export(network, shop, client_for):
    C.cart_add(unit=network.unit, product_id=shop.cups.pk, quantity="1", user=network.owner)
    O.order_confirm(order=_submit(network), user=network.manager)
    c = client_for(network.lead)
    html = c.get(reverse("orders:figures")).content.decode()
    assert network.region.name in html
    csv = c.get(reverse("orders:figures"), {"by": "manager", "format": "csv"})
    assert csv.status_code == 200 and b"Repeat orders" in csv.content
    assert client_for(network.owner).get(reverse("orders:figures")).status_code == 404


def _many_products(shop, n):
    from orders.models import PriceListItem, Stock

    for i in range(n):
        p = make_product(shop.food, f"X-{i}", f"Extra {i}")
        PriceListItem.objects.create(price_list=shop.base, product=p, price=Decimal("1.00"))
        Stock.objects.create(warehouse=shop.warehouse, product=p, on_hand=Decimal("5"))


def _many_orders(net, shop, n):
    for _ in range(n):
        C.cart_add(unit=net.unit, product_id=shop.bags.pk, quantity="100", user=net.owner)
        _submit(net)


def _count(c, url) -> int:
    c.get(url)  # settings rows, the session and per-process caches exist after two visits
    c.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(url).status_code == 200
    return len(ctx)


def test_catalogue_and_cart_queries_do_not_grow_with_rows(network, shop, client_for):
    c = client_for(network.owner)
    pages = [
        reverse(name, args=[network.unit.code]) for name in ("orders:catalogue", "orders:cart")
    ]
    C.cart_add(unit=network.unit, product_id=shop.cups.pk, quantity="1", user=network.owner)
    few = [_count(c, url) for url in pages]
    _many_products(shop, 40)
    for p in Product.objects.filter(sku__startswith="X-")[:30]:
        C.cart_add(unit=network.unit, product_id=p.pk, quantity="1", user=network.owner)
    assert [_count(c, url) for url in pages] == few
    assert max(few) <= 25


def test_order_lists_queries_do_not_grow_with_rows(network, shop, client_for):
    owner, manager = client_for(network.owner), client_for(network.manager)
    pages = [
        (owner, reverse("orders:unit_orders", args=[network.unit.code])),
        (manager, reverse("orders:desk")),
        (manager, reverse("orders:figures")),
    ]
    _many_orders(network, shop, 1)
    few = [_count(c, url) for c, url in pages]
    _many_orders(network, shop, 30)
    assert [_count(c, url) for c, url in pages] == few
    assert max(few) <= 25


def test_withdrawn_product_in_cart_is_explained_on_the_page(network, shop, client_for):
    C.cart_add(unit=network.unit, product_id=shop.cups.pk, quantity="1", user=network.owner)
    Product.objects.filter(pk=shop.cups.pk).update(is_active=False)
    html = (
        client_for(network.owner)
        .get(reverse("orders:cart", args=[network.unit.code]))
        .content.decode()
    )
    assert "no longer sold" in html and "disabled" in html


def test_another_units_person_cannot_touch_the_cart(network, shop, client_for):
    C.cart_add(unit=network.unit, product_id=shop.cups.pk, quantity="1", user=network.owner)
    other = client_for(network.other_member)
    r = other.post(reverse("orders:cart", args=[network.unit.code]), {f"qty-{shop.cups.pk}": "0"})
    assert r.status_code == 404
    assert C.cart_of(network.unit).lines.count() == 1
    assert factories  # the module's factories stay importable for other tests
