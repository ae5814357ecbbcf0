"""The unit's cart: one per unit, on the server, shared by the unit's people.

What a cart line will cost is never taken from the browser: `cart_view` prices every line
from `pricing` and checks it against the product's rules and stock, so the cart page, the
submit and the repeat-order differences all see the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from franchise.models import Franchisee
from portal.money import round_money

from . import pricing, rules, stock
from .models import Cart, CartLine, Order, OrderSettings, Product, Stock, UsualOrderLine


@dataclass
class CartRow:
    line: CartLine
    product: Product
    quantity: Decimal
    price: Decimal | None
    line_total: Decimal
    vat_amount: Decimal
    availability: stock.Availability | None
    problems: list[str] = field(default_factory=list)

    @property
    def price_changed(self) -> bool:
        seen = self.line.price_seen
        return seen is not None and self.price is not None and seen != self.price


@dataclass
class CartView:
    cart: Cart
    rows: list[CartRow]
    total: Decimal
    vat_total: Decimal

    @property
    def problems(self) -> list[str]:
        return [p for row in self.rows for p in row.problems]

    @property
    def changed(self) -> list[CartRow]:
        return [row for row in self.rows if row.price_changed]


def vat_included(amount: Decimal, rate: Decimal) -> Decimal:
    """The VAT inside a price that includes it (Russian B2B prices do), rounded once."""
    return round_money(amount * rate / (100 + rate)) if rate else Decimal("0.00")


def cart_of(unit: Franchisee) -> Cart:
    return Cart.objects.get_or_create(unit=unit)[0]


def cart_view(unit: Franchisee, *, settings: OrderSettings | None = None) -> CartView:
    """The cart priced and checked now: four queries whatever the number of lines."""
    cart = cart_of(unit)
    settings = settings or OrderSettings.load()
    lines = list(cart.lines.select_related("product"))
    ids = [line.product_id for line in lines]
    prices = pricing.prices_for(unit, ids)
    warehouse = stock.warehouse_for(unit)
    levels = {}
    if warehouse is not None:
        levels = {
            s.product_id: s for s in Stock.objects.filter(warehouse=warehouse, product_id__in=ids)
        }
    rows = []
    for line in lines:
        product, price = line.product, prices.get(line.product_id)
        level = levels.get(line.product_id)
        avail = stock.availability(
            level.available if level else None,
            level.expected_on if level else None,
            settings=settings,
            unit_label=product.get_unit_of_measure_display(),
        )
        problems = []
        if not product.is_active:
            problems.append(_("%(product)s is no longer sold.") % {"product": product.name})
        elif price is None:
            problems.append(_("%(product)s has no price for your unit.") % {"product": product})
        elif error := rules.quantity_error(product, line.quantity):
            problems.append(error)
        elif level is None or level.available < line.quantity:
            have = level.available if level and level.available > 0 else Decimal("0")
            problems.append(
                _("Only %(qty)s %(unit)s of %(product)s are available.")
                % {
                    "qty": rules.quantity_text(have),
                    "unit": product.get_unit_of_measure_display(),
                    "product": product.name,
                }
            )
        total = round_money(price * line.quantity) if price is not None else Decimal("0.00")
        rows.append(
            CartRow(
                line=line,
                product=product,
                quantity=line.quantity,
                price=price,
                line_total=total,
                vat_amount=vat_included(total, product.vat_rate),
                availability=avail,
                problems=problems,
            )
        )
    return CartView(
        cart=cart,
        rows=rows,
        total=sum((r.line_total for r in rows), Decimal("0.00")),
        vat_total=sum((r.vat_amount for r in rows), Decimal("0.00")),
    )


def _orderable_product(product_id) -> Product:
    product = Product.objects.filter(pk=product_id, is_active=True).first()
    if product is None:
        raise ValidationError(_("This product is not sold any more."))
    return product


@transaction.atomic
def cart_add(*, unit: Franchisee, product_id: int, quantity, user) -> CartLine:
    """Add `quantity` of a product (on top of what the cart holds); checked, never half-done."""
    product = _orderable_product(product_id)
    qty = rules.parse_quantity(quantity)
    if qty is None or qty <= 0:
        raise ValidationError(rules.quantity_error(product, qty))
    cart = Cart.objects.select_for_update().get(pk=cart_of(unit).pk)
    line = cart.lines.filter(product=product).first()
    total = qty + (line.quantity if line else Decimal("0"))
    if error := rules.quantity_error(product, total):
        raise ValidationError(error)
    price = pricing.prices_for(unit, [product.pk]).get(product.pk)
    if price is None:
        raise ValidationError(_("%(product)s has no price for your unit.") % {"product": product})
    if line is None:
        line = CartLine(cart=cart, product=product, added_by=user, price_seen=price)
    line.quantity = total
    line.save()
    return line


@transaction.atomic
def cart_update(*, unit: Franchisee, quantities: dict[int, str]) -> dict[int, str]:
    """Set several lines' quantities at once (0 or empty removes a line).

    Returns {product id: error}; when there is any error nothing is changed.
    """
    cart = Cart.objects.select_for_update().get(pk=cart_of(unit).pk)
    lines = {line.product_id: line for line in cart.lines.select_related("product")}
    errors, changes, removals = {}, [], []
    for product_id, raw in quantities.items():
        line = lines.get(product_id)
        if line is None:
            continue
        qty = rules.parse_quantity(raw) if str(raw).strip() else Decimal("0")
        if qty is not None and qty == 0:
            removals.append(line.pk)
        elif error := rules.quantity_error(line.product, qty):
            errors[product_id] = error
        else:
            line.quantity = qty
            changes.append(line)
    if errors:
        return errors
    CartLine.objects.filter(pk__in=removals).delete()
    CartLine.objects.bulk_update(changes, ["quantity", "updated_at"])
    cart.save(update_fields=["updated_at"])
    return {}


def cart_remove(*, unit: Franchisee, product_id: int) -> None:
    cart_of(unit).lines.filter(product_id=product_id).delete()


@transaction.atomic
def cart_fill(*, unit: Franchisee, lines: list[tuple[int, Decimal, Decimal | None]], user):
    """Put (product id, quantity, price seen) lines in the cart, replacing those products'
    quantities; products no longer sold are left out and named in the returned notes."""
    cart = Cart.objects.select_for_update().get(pk=cart_of(unit).pk)
    products = Product.objects.in_bulk([pid for pid, _q, _p in lines])
    prices = pricing.prices_for(unit, products)
    notes, existing = [], {line.product_id: line for line in cart.lines.all()}
    for product_id, qty, seen in lines:
        product = products.get(product_id)
        if product is None or not product.is_active or product_id not in prices:
            notes.append(
                _("%(product)s is no longer available and was left out.")
                % {"product": product.name if product else product_id}
            )
            continue
        line = existing.get(product_id) or CartLine(cart=cart, product=product, added_by=user)
        line.quantity = qty
        line.price_seen = seen if seen is not None else prices[product_id]
        line.save()
    cart.save(update_fields=["updated_at"])
    return notes


def cart_fill_from_order(*, unit: Franchisee, order: Order, user) -> list[str]:
    """Repeat an order: its confirmed quantities at the prices paid then (so any price
    change shows as a difference in the cart)."""
    lines = [(ln.product_id, ln.quantity, ln.price) for ln in order.lines.all() if ln.quantity > 0]
    return cart_fill(unit=unit, lines=lines, user=user)


def cart_fill_from_usual(*, unit: Franchisee, user) -> list[str]:
    lines = [(ln.product_id, ln.quantity, None) for ln in unit.usual_order.all()]
    return cart_fill(unit=unit, lines=lines, user=user)


@transaction.atomic
def usual_order_save(*, unit: Franchisee) -> int:
    """The cart as it is becomes the unit's usual order."""
    lines = list(cart_of(unit).lines.all())
    UsualOrderLine.objects.filter(unit=unit).delete()
    UsualOrderLine.objects.bulk_create(
        [UsualOrderLine(unit=unit, product_id=ln.product_id, quantity=ln.quantity) for ln in lines]
    )
    return len(lines)
