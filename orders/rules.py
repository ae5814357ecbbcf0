"""Quantity rules of a product: pack size, minimum, whole numbers for piece goods."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .models import Product

MAX_QUANTITY = Decimal("999999")


def parse_quantity(raw) -> Decimal | None:
    """A quantity typed by a person ("2", "1,5", " 3 "), or None if it is not a number."""
    if isinstance(raw, Decimal):
        return raw
    text = str(raw or "").strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def quantity_text(value: Decimal) -> str:
    """ "2" rather than "2.000"; in the active locale."""
    return number_format(value.normalize() if value == value.to_integral() else value.normalize())


def quantity_error(product: Product, quantity: Decimal | None) -> str | None:
    """Why `quantity` of `product` cannot be ordered, or None."""
    if quantity is None:
        return _("Enter a quantity as a number.")
    if quantity <= 0:
        return _("Enter a quantity above zero.")
    if quantity > MAX_QUANTITY:
        return _("That quantity is too large.")
    if quantity.as_tuple().exponent < -3:
        return _("Use at most three decimal places.")
    if product.is_piece_goods and quantity != quantity.to_integral_value():
        return _("%(product)s is sold in whole %(unit)s.") % {
            "product": product.name,
            "unit": product.get_unit_of_measure_display(),
        }
    if quantity < product.min_qty:
        return _("The minimum order of %(product)s is %(min)s %(unit)s.") % {
            "product": product.name,
            "min": quantity_text(product.min_qty),
            "unit": product.get_unit_of_measure_display(),
        }
    if quantity % product.pack_size:
        return _("%(product)s is ordered in multiples of %(pack)s %(unit)s.") % {
            "product": product.name,
            "pack": quantity_text(product.pack_size),
            "unit": product.get_unit_of_measure_display(),
        }
    return None
