"""Reads of the orders app; each takes the user or a unit already checked through `access`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Count, F, Q, QuerySet, Sum, Value, When
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.search.backends import get_search_backend

from franchise import access
from franchise.models import Franchisee

from . import pricing, stock
from .models import OPEN_STATUSES, Category, Order, OrderSettings, Product
from .models import OrderStatus as S

SEARCH_CAP = 500
#: The configuration `Product.search_vector` is built with (migration orders/0003).
SEARCH_CONFIG = "russian"


def search_words(query: str) -> str:
    """What the search backend is given: words only, so quotes and operators never reach it
    (ООО «Ромашка» and ООО "Ромашка" search the same)."""
    return " ".join(re.findall(r"\w+", query or ""))[:200]


def catalogue(unit: Franchisee, *, category: Category | None = None, query: str = ""):
    """Products the unit may order, with its price and the stock of its warehouse.

    A search answers a `Ranked` list (best first, at most SEARCH_CAP); the whole catalogue a
    queryset. Either way prices and stock are computed only for the slice a page takes."""
    warehouse = stock.warehouse_for(unit)
    lists = pricing.lists_for(unit)
    # A semi-join on the unit's price lists keeps only priced products without running the
    # price subquery for each of them.
    orderable = Q(is_active=True, category__is_active=True) & pricing.priced_q(lists)
    in_category = _category_ids(category) if category is not None else None
    if in_category is not None:
        orderable &= Q(category_id__in=in_category)
    words = search_words(query)
    products = (
        Product.objects.select_related("category", "image")
        .defer("search_vector")
        .annotate(price=pricing.price_subquery(unit, lists=lists), **stock.stock_columns(warehouse))
    )
    if words:
        return Ranked(_search_ids(words, query, orderable, in_category), products)
    return products.filter(orderable).order_by(
        "category__sort_order", "name_ru" if _ru() else "name_en", "pk"
    )


def _search_ids(words: str, query: str, orderable: Q, in_category: list[int] | None) -> list[int]:
    """Ids of the orderable products that match, best first: an exact SKU, then by relevance;
    at most SEARCH_CAP, whatever the number of hits."""
    if connection.vendor == "postgresql":
        return _postgres_search_ids(words, query, orderable)
    return _backend_search_ids(words, query, orderable, in_category)


def _postgres_search_ids(words: str, query: str, orderable: Q) -> list[int]:
    """One query of ids over the product's own `search_vector` (its GIN index finds the
    matches, its statistics tell the planner how many): the orderable ones, an exact SKU
    first, then `ts_rank` (a name or SKU hit weighs ten times a description hit)."""
    sku = query.strip()
    matched = SearchQuery(words, config=SEARCH_CONFIG, search_type="plain")
    rows = (
        Product.objects.filter(orderable)
        .filter(Q(search_vector=matched) | Q(sku__iexact=sku))
        .annotate(
            exact=Case(When(sku__iexact=sku, then=Value(1)), default=Value(0)),
            rank=SearchRank(F("search_vector"), matched),
        )
        .order_by("-exact", "-rank", "pk")
        .values_list("pk", flat=True)[:SEARCH_CAP]
    )
    return list(rows)


def _backend_search_ids(
    words: str, query: str, orderable: Q, in_category: list[int] | None
) -> list[int]:
    """SQLite: the search backend's ranking (its FTS index), read as ids only.

    The backend ranks its matches alone; its best SEARCH_CAP are the candidates and one
    query keeps those the unit may order."""
    products = Product.objects.filter(is_active=True)
    if in_category is not None:
        products = products.filter(category_id__in=in_category)
    found = get_search_backend().search(words, products, operator="and")
    ranked = list(found.get_queryset().values_list("pk", flat=True)[:SEARCH_CAP])
    sku = query.strip()
    kept = dict(
        Product.objects.filter(orderable)
        .filter(Q(pk__in=ranked) | Q(sku__iexact=sku))
        .values_list("pk", "sku")
    )
    exact = [pk for pk, code in kept.items() if code.lower() == sku.lower()]
    return list(dict.fromkeys([*exact, *(pk for pk in ranked if pk in kept)]))


def _category_ids(category: Category) -> list[int]:
    return [category.pk, *category.children.values_list("pk", flat=True)]


class Ranked:
    """Products in the order of `ids`; a slice loads (and prices) only its own rows, so a
    paginator over it runs one query per page however many hits there are."""

    def __init__(self, ids: list[int], products: QuerySet[Product]):
        self.ids, self.products = ids, products

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, page: slice) -> list[Product]:
        ids = self.ids[page]
        rows = {p.pk: p for p in self.products.filter(pk__in=ids)} if ids else {}
        return [rows[pk] for pk in ids if pk in rows]


def _ru() -> bool:
    return (get_language() or "").startswith("ru")


def categories() -> list[Category]:
    return list(
        Category.objects.filter(is_active=True, parent__isnull=True).prefetch_related("children")
    )


def cart_summary(unit: Franchisee) -> dict:
    return (
        unit.cart.lines.aggregate(lines=Count("pk"), quantity=Sum("quantity"))
        if hasattr(unit, "cart")
        else {"lines": 0, "quantity": None}
    )


def unit_orders(unit: Franchisee) -> QuerySet[Order]:
    return Order.objects.filter(unit=unit).exclude(status=S.DRAFT).select_related("invoice")


def order_for_unit_or_404(request, code: str, number: str, action: str = "view") -> Order:
    unit = access.get_unit_or_404(request, code, action)
    order = (
        Order.objects.filter(unit=unit, number=number)
        .select_related("unit__region", "unit__account_manager", "warehouse")
        .first()
    )
    if order is None:
        access.deny(request, target=f"order:{code}/{number}", action=action)
    order.unit = unit
    return order


@dataclass
class DeskRow:
    order: Order
    due_at: object
    overdue: bool
    hours_left: int


def desk(user, *, status: str = S.SUBMITTED, region=None, query: str = "") -> QuerySet[Order]:
    """Orders of the units the user reviews, oldest submitted first."""
    orders = access.visible_to(user, Order.objects.exclude(status=S.DRAFT), "review")
    if status == "open":
        orders = orders.filter(status__in=OPEN_STATUSES)
    elif status:
        orders = orders.filter(status=status)
    if region is not None:
        orders = orders.filter(unit__region=region)
    words = search_words(query).split()
    for word in words:
        orders = orders.filter(
            Q(number__icontains=word)
            | Q(unit__code__icontains=word)
            | Q(unit__trading_name__icontains=word)
            | Q(unit__legal_name__icontains=word)
        )
    return orders.select_related("unit__region").order_by("submitted_at", "pk")


def desk_rows(orders, *, settings: OrderSettings | None = None, now=None) -> list[DeskRow]:
    settings = settings or OrderSettings.load()
    now = now or timezone.now()
    limit = timedelta(hours=settings.confirmation_hours)
    rows = []
    for order in orders:
        due = (order.submitted_at or order.created_at) + limit
        left = (due - now).total_seconds() / 3600
        waiting = order.status == S.SUBMITTED
        rows.append(DeskRow(order, due, waiting and left < 0, int(left)))
    return rows


def open_orders(unit: Franchisee, limit: int = 5) -> list[Order]:
    return list(
        Order.objects.filter(unit=unit, status__in=OPEN_STATUSES).order_by("-submitted_at")[:limit]
    )
