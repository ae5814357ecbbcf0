"""Stock: where a unit's goods come from, what it may see of them, and the three moves.

A reservation is a conditional UPDATE (`on_hand >= reserved + qty`), taken in product-id
order: when two confirmations compete for the last items, the database lets exactly one
through, the other finds no row to update and is told which product ran out. The CHECK
constraints on Stock are the last line of defence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import F, OuterRef, Q, Subquery
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from franchise.models import Franchisee

from .models import AvailabilityDisplay, Stock, Warehouse
from .rules import quantity_text


def warehouse_for(unit: Franchisee) -> Warehouse | None:
    """The active warehouse serving the unit's region, else one serving any region."""
    return (
        Warehouse.objects.filter(is_active=True)
        .filter(Q(regions=unit.region_id) | Q(regions__isnull=True))
        .order_by(F("regions").desc(nulls_last=True), "sort_order", "pk")
        .first()
    )


def stock_columns(warehouse: Warehouse | None) -> dict:
    """`available` and `expected_on` of the warehouse as columns of a Product queryset."""
    if warehouse is None:
        return {}
    row = Stock.objects.filter(warehouse=warehouse, product_id=OuterRef("pk"))
    return {
        "available": Subquery(row.annotate(a=F("on_hand") - F("reserved")).values("a")[:1]),
        "expected_on": Subquery(row.values("expected_on")[:1]),
    }


@dataclass(frozen=True)
class Availability:
    band: str  # in_stock, few_left, out_of_stock, expected
    label: str
    quantity: Decimal | None  # shown only when the franchisor shows figures

    @property
    def orderable(self) -> bool:
        return self.band in ("in_stock", "few_left")


def availability(
    available: Decimal | None, expected_on: date | None, *, settings, unit_label: str = ""
) -> Availability:
    """What a unit is told about a product's stock, as the franchisor configured it."""
    available = available or Decimal("0")
    figure = settings.availability_display == AvailabilityDisplay.FIGURE
    if available <= 0:
        if expected_on:
            text = _("expected on %(date)s") % {"date": date_format(expected_on, "DATE_FORMAT")}
            return Availability("expected", text, None)
        return Availability("out_of_stock", _("out of stock"), None)
    if figure:
        text = _("%(qty)s %(unit)s available") % {
            "qty": quantity_text(available),
            "unit": unit_label,
        }
        band = "few_left" if available < settings.few_left_threshold else "in_stock"
        return Availability(band, text.strip(), available)
    if available < settings.few_left_threshold:
        return Availability("few_left", _("few left"), None)
    return Availability("in_stock", _("in stock"), None)


class OutOfStock(ValidationError):
    pass


def reserve(warehouse: Warehouse, wanted: dict[int, Decimal], names: dict[int, str]) -> None:
    """Reserve `wanted` {product id: quantity}; all or nothing (the caller's transaction)."""
    for product_id in sorted(wanted):
        qty = wanted[product_id]
        if qty <= 0:
            continue
        taken = Stock.objects.filter(
            warehouse=warehouse, product_id=product_id, on_hand__gte=F("reserved") + qty
        ).update(reserved=F("reserved") + qty)
        if not taken:
            raise OutOfStock(
                _("Not enough %(product)s in stock at %(warehouse)s to confirm this order.")
                % {"product": names.get(product_id, product_id), "warehouse": warehouse.name}
            )


def release(warehouse: Warehouse, held: dict[int, Decimal]) -> None:
    """Give back reservations (a cancelled or reduced order)."""
    for product_id in sorted(held):
        if held[product_id] > 0:
            Stock.objects.filter(warehouse=warehouse, product_id=product_id).update(
                reserved=F("reserved") - held[product_id]
            )


def consume(warehouse: Warehouse, shipped: dict[int, Decimal]) -> None:
    """Shipped goods leave the warehouse: on hand and reserved both fall."""
    for product_id in sorted(shipped):
        if shipped[product_id] > 0:
            Stock.objects.filter(warehouse=warehouse, product_id=product_id).update(
                on_hand=F("on_hand") - shipped[product_id],
                reserved=F("reserved") - shipped[product_id],
            )
