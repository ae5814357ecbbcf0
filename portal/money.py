"""Money: one rounding rule and one display format for every app (orders, finance).

Amounts are `Decimal` with two places; a line is rounded half-up to kopecks exactly once,
and totals are sums of rounded lines, so a document's total always equals its lines.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

KOPECK = Decimal("0.01")


def round_money(value) -> Decimal:
    """Half-up to kopecks (the Russian accounting rule), from a Decimal, int or str."""
    return Decimal(value).quantize(KOPECK, rounding=ROUND_HALF_UP)


def format_money(value, currency: str = "₽") -> str:
    """'1 250 000,00 ₽' in Russian, '1,250,000.00 ₽' in English (the active locale's rules)."""
    text = number_format(round_money(value), decimal_pos=2, use_l10n=True, force_grouping=True)
    return f"{text}\u00a0{currency}" if currency else text
