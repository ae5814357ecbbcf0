"""Cross-unit URL matrix entries of the integration app (merged into url_matrix.ROUTES).

The API answers 401 (not a login redirect) to anonymous callers. Sessions stand in for keys
here (a key acts as its user); tests/integration/test_api_access.py repeats the cross-unit
denial with unit, region and network keys.
"""

from datetime import date

from .url_matrix import (
    PUBLIC_ROUTES,
    Case,
    everyone,
    make_document,
    make_report,
    statuses,
    unit_scoped,
)

PUBLIC_ROUTES.update(
    {
        "integration:schema": "the API's OpenAPI description (no data)",
        "integration:docs": "Swagger UI over the schema (no data)",
        "integration:redoc": "ReDoc over the schema (no data)",
    }
)


def _signed_in(ok: int = 200) -> dict:
    return statuses(ok, anonymous=401)


def _unit(ok: int = 200) -> dict:
    return unit_scoped(ok, anonymous=401)


#: Franchisor-side figures (stock): network leads and managers of any portfolio.
FRANCHISOR = statuses(404, anonymous=401, manager=200, other_manager=200, lead=200)


def make_shop(net) -> dict:
    from orders.models import Category, Invoice, PriceList, PriceListItem, Product, Stock, Warehouse
    from tests.integration.conftest import make_order

    category = Category.objects.create(name_en="Bread", name_ru="Хлеб")
    product = Product.objects.create(sku="M-1", name_en="Loaf", name_ru="Батон", category=category)
    base = PriceList.objects.create(name="Base", is_base=True)
    price = PriceListItem.objects.create(price_list=base, product=product, price=120)
    stock = Stock.objects.create(
        warehouse=Warehouse.objects.create(name="Main", code="main"), product=product, on_hand=5
    )
    order = make_order(net.unit, "M-0001", product)
    invoice = Invoice.objects.create(
        order=order, unit=net.unit, number="MS-1", due_on="2030-01-01", total=1, vat_total=0
    )
    return {
        "product": product,
        "price_list": base,
        "price": price,
        "stock": stock,
        "order": order,
        "invoice": invoice,
    }


LISTS = (
    "ledger-entry",
    "balance",
    "unit",
    "report-template",
    "submission",
    "document",
    "product",
    "price-list",
    "price",
    "stock",
    "order",
    "invoice",
)

ROUTES: dict = {f"integration:{name}-list": Case(expect=_signed_in()) for name in LISTS}
ROUTES.update(
    {
        "integration:unit-detail": Case(args=lambda net: [net.unit.code], expect=_unit()),
        "integration:submission-detail": Case(
            setup=make_report, args=lambda net: [net.submission.pk], expect=_unit()
        ),
        "integration:report-template-detail": Case(
            setup=make_report, args=lambda net: [net.template.slug], expect=_signed_in()
        ),
        "integration:document-detail": Case(
            setup=make_document, args=lambda net: [net.doc.pk], expect=_unit()
        ),
        "integration:order-detail": Case(
            setup=make_shop, args=lambda net: [net.order.number], expect=_unit()
        ),
        "integration:invoice-detail": Case(
            setup=make_shop, args=lambda net: [net.invoice.number], expect=_unit()
        ),
        "integration:product-detail": Case(
            setup=make_shop, args=lambda net: [net.product.pk], expect=_signed_in()
        ),
        "integration:price-list-detail": Case(
            setup=make_shop, args=lambda net: [net.price_list.pk], expect=_signed_in()
        ),
        "integration:price-detail": Case(
            setup=make_shop, args=lambda net: [net.price.pk], expect=_signed_in()
        ),
        "integration:stock-detail": Case(
            setup=make_shop, args=lambda net: [net.stock.pk], expect=FRANCHISOR
        ),
    }
)


def make_entry(net) -> dict:
    """An adjustment on the unit's ledger (which also makes its balance row)."""
    from finance import services

    entry = services.entry_adjust(unit=net.unit, amount=100, text="matrix", user=None)
    return {"entry": entry}


def make_payment(net) -> dict:
    """A payment of the unit, posted to its ledger."""
    from finance import services
    from finance.models import Payment

    payment = Payment(unit=net.unit, paid_on=date(2026, 1, 1), amount=100, fingerprint="matrix")
    return {"payment": services.payment_record(payment=payment)}


#: The writes (POST). The matrix posts a form, and the API takes JSON only: a role that passes
#: the object's right gets 415 for the body, any other role 404 before the body is read.
#: tests/integration/test_api_writes.py runs the same writes with JSON, keys and scopes.
def _passes(*roles) -> dict:
    return statuses(404, anonymous=401, **dict.fromkeys(roles, 415))


ROUTES.update(
    {
        "integration:submission-submit": Case(
            setup=make_report,
            args=lambda net: [net.submission.pk],
            method="POST",
            expect=_passes("owner", "member"),
        ),
        **{
            f"integration:order-{name}": Case(
                setup=make_shop,
                args=lambda net: [net.order.number],
                method="POST",
                expect={**_passes("manager"), "owner": 403, "member": 403, "lead": 403},
                note="who sees the order but lacks the desk's right (review) gets a 403 naming "
                "the right, before the body is read",
            )
            for name in ("confirm", "reject", "ship")
        },
        "integration:order-deliver": Case(
            setup=make_shop,
            args=lambda net: [net.order.number],
            method="POST",
            expect=_passes("owner", "member", "manager", "lead"),
            note="the right to see the order opens the door; order_deliver then asks for the "
            "right to work in the unit or review it (the lead gets 404 from it)",
        ),
        "integration:ledger-entry-detail": Case(
            setup=make_entry, args=lambda net: [net.entry.pk], expect=_unit()
        ),
        "integration:balance-detail": Case(
            setup=make_entry, args=lambda net: [net.unit.code], expect=_unit()
        ),
        "integration:payment-detail": Case(
            setup=make_payment, args=lambda net: [net.payment.pk], expect=_unit()
        ),
        "integration:payment-list": [
            Case(expect=_signed_in()),
            Case(
                method="POST",
                data=lambda net: {"paid_on": "2026-01-01", "amount": "1"},
                expect=statuses(403, anonymous=401),
                note="finance staff only (none among the matrix's roles)",
            ),
        ],
    }
)
ROUTES["integration:exchange_1c"] = Case(
    expect=everyone(401),
    note="1C authenticates with HTTP Basic (an exchange key as the password), never a session; "
    "tests/integration/test_exchange_1c.py refuses unit keys",
)
