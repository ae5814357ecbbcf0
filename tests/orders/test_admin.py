"""The catalogue's admin screens and the price-list import screen."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from franchise import access
from orders.models import Order, PriceListItem
from reporting.exports import xlsx_bytes
from tests import factories


def _supply():
    user = factories.UserFactory(username="supply")
    user.groups.add(access.ensure_groups()[access.CATALOGUE_MANAGERS])
    return user


def test_catalogue_screens_for_supply_staff_only(network, shop, client_for):
    c = client_for(_supply())
    page = c.get(reverse("orders_product:index"), {"q": "FL-1"})
    assert page.status_code == 200 and "Wheat flour" in page.content.decode()
    export = c.get(reverse("orders_product:index") + "?export=csv")
    assert b"FL-1" in b"".join(export.streaming_content)
    assert client_for(network.owner).get(reverse("orders_product:index")).status_code in (302, 403)
    assert client_for(network.manager).get(reverse("orders_product:index")).status_code in (
        302,
        403,
    )


def test_admin_orders_follow_the_portfolio(network, shop, client_for):
    Order.objects.create(unit=network.unit, number="2026-000101", status="submitted")
    Order.objects.create(unit=network.other_unit, number="2026-000102", status="submitted")
    html = client_for(network.manager).get(reverse("orders_order:index")).content.decode()
    assert "2026-000101" in html and "2026-000102" not in html


def test_price_import_preview_then_apply(
    network, shop, client_for, django_capture_on_commit_callbacks
):
    """The upload queues a background job (jobs); its status page shows the preview, and the
    confirmation writes the prices."""
    c = client_for(_supply())
    url = reverse("orders_price_import")
    data = xlsx_bytes(["SKU", "Price"], [["FL-1", 58], ["CP-1", 8]])
    upload = SimpleUploadedFile("prices.xlsx", data)
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(url, {"price_list": shop.base.pk, "file": upload})
    assert r.status_code == 302
    status = r["Location"]
    html = c.get(status).content.decode()
    assert "2 changed" in html
    assert PriceListItem.objects.get(price_list=shop.base, product=shop.flour).price == Decimal(
        "55.50"
    )
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(status + "confirm/")
    assert r.status_code == 302
    assert PriceListItem.objects.get(price_list=shop.base, product=shop.flour).price == Decimal(
        "58.00"
    )
    assert "2 prices written" in c.get(status).content.decode()


def test_price_import_shows_line_errors_and_refuses_strangers(
    network, shop, client_for, django_capture_on_commit_callbacks
):
    c = client_for(_supply())
    upload = SimpleUploadedFile("prices.csv", b"SKU,Price\nFL-1,x\n")
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(reverse("orders_price_import"), {"price_list": shop.base.pk, "file": upload})
    html = c.get(r["Location"]).content.decode()
    assert "is not a price" in html and "nothing was written" in html
    for user in (network.manager, network.owner, network.editor):
        assert client_for(user).get(reverse("orders_price_import")).status_code in (302, 403)
        assert client_for(user).get(r["Location"]).status_code == 404
    empty = c.post(reverse("orders_price_import"), {"price_list": shop.base.pk})
    assert empty.status_code == 200 and "Choose a file" in empty.content.decode()
