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


def lists_for(unit: Franchisee, *, on: date | None = None) -> list[int]:
    """Ids of the price lists that apply to `unit` on the day, best first (one small query).

    Deciding the lists first keeps the per-product lookup an index probe on
    (product, price list), however large the catalogue."""
    day = on or timezone.localdate()
    for_unit = PriceList.units.through.objects.filter(
        pricelist_id=OuterRef("pk"), franchisee_id=unit.pk
    )
    for_region = PriceList.regions.through.objects.filter(
        pricelist_id=OuterRef("pk"), region_id=unit.region_id
    )
    lists = (
        PriceList.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .annotate(
            priority=Case(
                When(Exists(for_unit), then=Value(UNIT)),
                When(Exists(for_region), then=Value(REGION)),
                When(is_base=True, then=Value(BASE)),
                default=Value(-1),
                output_field=IntegerField(),
            )
        )
        .filter(priority__gte=0)
        .order_by("-priority", "-valid_from", "-pk")
    )
    return list(lists.values_list("pk", flat=True))


def _ranked_items(lists: list[int]) -> QuerySet[PriceListItem]:
    """Items of `lists`, annotated with `rank` (0 = the best list)."""
    rank = Case(
        *(When(price_list_id=pk, then=Value(i)) for i, pk in enumerate(lists)),
        output_field=IntegerField(),
    )
    return PriceListItem.objects.filter(price_list_id__in=lists).annotate(rank=rank)


def price_subquery(unit: Franchisee, *, on: date | None = None, lists=None) -> Subquery:
    """The unit's price as a column of a Product queryset (`.annotate(price=...)`)."""
    lists = lists_for(unit, on=on) if lists is None else lists
    if not lists:
        return Subquery(PriceListItem.objects.none().values("price"))
    items = _ranked_items(lists).filter(product_id=OuterRef("pk")).order_by("rank")
    return Subquery(items.values("price")[:1])


def priced_q(lists: list[int]) -> Q:
    """Products with a price on one of `lists`: a semi-join the database hashes once, where
    filtering on the price column would run its subquery for every product of the catalogue."""
    return Q(pk__in=PriceListItem.objects.filter(price_list_id__in=lists).values("product_id"))


def prices_for(unit: Franchisee, product_ids, *, on: date | None = None) -> dict[int, Decimal]:
    """{product id: price} for the products that have a price for the unit (one query)."""
    prices: dict[int, Decimal] = {}
    lists = lists_for(unit, on=on)
    if not lists:
        return prices
    rows = _ranked_items(lists).filter(product_id__in=list(product_ids)).order_by("rank")
    for product_id, price in rows.values_list("product_id", "price"):
        prices.setdefault(product_id, price)  # rows come best first per product
    return prices
