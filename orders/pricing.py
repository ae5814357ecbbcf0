"""Which price a unit pays: decided here and nowhere else.

A unit's price for a product comes from the most specific price list that is valid on the
day and lists the product: a list chosen for the unit, then one for the unit's region, then
the base list. Among lists of the same kind the one valid from the latest date wins.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from franchise.models import Franchisee

from .models import PriceList, PriceListItem

UNIT, REGION, BASE = 2, 1, 0


def _valid_on(day: date) -> Q:
    return Q(price_list__valid_from__lte=day) & (
        Q(price_list__valid_to__isnull=True) | Q(price_list__valid_to__gte=day)
    )


def applicable_items(unit: Franchisee, *, on: date | None = None) -> QuerySet[PriceListItem]:
    """Price-list items that may apply to `unit` on the day, annotated with `priority`
    and ordered best first within each product."""
    day = on or timezone.localdate()
    for_unit = PriceList.units.through.objects.filter(
        pricelist_id=OuterRef("price_list_id"), franchisee_id=unit.pk
    )
    for_region = PriceList.regions.through.objects.filter(
        pricelist_id=OuterRef("price_list_id"), region_id=unit.region_id
    )
    return (
        PriceListItem.objects.filter(_valid_on(day))
        .annotate(
            priority=Case(
                When(Exists(for_unit), then=Value(UNIT)),
                When(Exists(for_region), then=Value(REGION)),
                When(price_list__is_base=True, then=Value(BASE)),
                default=Value(-1),
                output_field=IntegerField(),
            )
        )
        .filter(priority__gte=0)
        .order_by("product_id", "-priority", "-price_list__valid_from", "-price_list_id")
    )


def price_subquery(unit: Franchisee, *, on: date | None = None) -> Subquery:
    """The unit's price as a column of a Product queryset (`.annotate(price=...)`)."""
    items = applicable_items(unit, on=on).filter(product_id=OuterRef("pk"))
    return Subquery(items.values("price")[:1])


def prices_for(unit: Franchisee, product_ids, *, on: date | None = None) -> dict[int, Decimal]:
    """{product id: price} for the products that have a price for the unit (one query)."""
    prices: dict[int, Decimal] = {}
    rows = applicable_items(unit, on=on).filter(product_id__in=list(product_ids))
    for product_id, price in rows.values_list("product_id", "price"):
        prices.setdefault(product_id, price)  # rows come best first per product
    return prices
