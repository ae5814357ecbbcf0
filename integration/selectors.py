"""What an API caller may read: `franchise/access.py` rights of the key's user, narrowed to the
key's region when it has one."""

from django.db.models import F, Prefetch, Q, QuerySet

from finance.models import Balance, Entry, Payment
from franchise import access
from franchise.models import Document, Franchisee, Membership
from orders.models import (
    Invoice,
    Order,
    OrderEvent,
    OrderLine,
    PriceList,
    PriceListItem,
    Product,
    Stock,
)
from reporting.models import ReportTemplate, Submission, Value


def _narrow(queryset: QuerySet, key, unit_field: str = "unit") -> QuerySet:
    if key is not None and key.region_id:
        return queryset.filter(**{f"{unit_field}__region_id": key.region_id})
    return queryset


def units_for(*, user, key=None, action: str = "view") -> QuerySet[Franchisee]:
    units = access.units_visible_to(user, action)
    if key is not None and key.region_id:
        units = units.filter(region_id=key.region_id)
    people = Membership.objects.select_related("user").order_by("pk")
    return units.select_related("region", "account_manager").prefetch_related(
        Prefetch("memberships", queryset=people)
    )


def submissions_for(*, user, key=None, action: str = "view") -> QuerySet[Submission]:
    rows = access.visible_to(user, Submission.objects.all(), action)
    # Values in a fixed order: the detail's ETag is a digest of what it shows.
    values = Prefetch("values", queryset=Value.objects.order_by("pk"))
    return _narrow(rows, key).select_related("unit", "template").prefetch_related(values)


def templates_for(*, user, key=None) -> QuerySet[ReportTemplate]:
    return ReportTemplate.objects.filter(is_active=True).prefetch_related("fields")


def documents_for(*, user, key=None) -> QuerySet[Document]:
    rows = Document.objects.filter(access.documents_visible_q(user))
    if key is not None and key.region_id:
        rows = rows.filter(Q(unit__isnull=True) | Q(unit__region_id=key.region_id))
    return rows.select_related("unit", "category", "current_version")


def sees_network(user, key=None) -> bool:
    """Franchisor-side figures (stock, every price list): network rights or reviewers."""
    return access.has_network_right(user) or access.units_visible_to(user, "review").exists()


def products_for(*, user, key=None) -> QuerySet[Product]:
    return Product.objects.select_related("category")


def price_lists_for(*, user, key=None) -> QuerySet[PriceList]:
    """Every list for the franchisor; a unit's people see the lists that may apply to them."""
    lists = PriceList.objects.all()
    if not sees_network(user, key):
        units = access.units_visible_to(user)
        lists = lists.filter(
            Q(is_base=True) | Q(regions__in=units.values("region_id")) | Q(units__in=units)
        ).distinct()
    return lists.prefetch_related("regions", "units")


def prices_for(*, user, key=None) -> QuerySet[PriceListItem]:
    lists = price_lists_for(user=user, key=key).values("pk")
    return PriceListItem.objects.filter(price_list__in=lists).select_related("product")


def stock_for(*, user, key=None) -> QuerySet[Stock]:
    if not sees_network(user, key):
        return Stock.objects.none()
    return Stock.objects.select_related("warehouse", "product")


#: The columns of a line the API shows (integration.api.serializers.OrderLineSerializer).
LINE_FIELDS = (
    "order_id",
    "product_id",
    "quantity_ordered",
    "quantity",
    "quantity_shipped",
    "price",
    "vat_rate",
    "line_total",
    "vat_amount",
)


def orders_for(*, user, key=None) -> QuerySet[Order]:
    # A line shows its product's id and SKU only: not the whole product row per line.
    lines = OrderLine.objects.select_related("product").only(*LINE_FIELDS, "product__sku")
    rows = access.visible_to(user, Order.objects.all())
    return (
        _narrow(rows, key)
        .select_related("unit", "warehouse")
        .prefetch_related(Prefetch("lines", queryset=lines), "events")
    )


def order_list_for(*, user, key=None) -> QuerySet[Order]:
    """`orders_for` for a list page: the order columns and its unit's and warehouse's codes
    only; the page's lines and events come from `attach_order_rows` (two queries of rows)."""
    rows = access.visible_to(user, Order.objects.all())
    return (
        _narrow(rows, key)
        .select_related("unit", "warehouse")
        .only(*ORDER_FIELDS, "unit__code", "warehouse__code")
    )


#: The columns of an order the API shows (integration.api.serializers.OrderSerializer).
ORDER_FIELDS = (
    "number",
    "unit",
    "status",
    "source",
    "warehouse",
    "delivery_date",
    "comment",
    "total",
    "vat_total",
    "created_at",
    "submitted_at",
    "confirmed_at",
    "delivered_at",
    "external_id",
    "updated_at",
)


def attach_order_rows(orders: list[Order]) -> None:
    """Set `_api_rows` (lines and events as dicts, in their models' order) on a page of
    orders: one query for all lines, one for all events, whatever the page holds."""
    ids = [order.pk for order in orders]
    lines: dict[int, list] = {pk: [] for pk in ids}
    events: dict[int, list] = {pk: [] for pk in ids}
    if ids:
        for row in (
            OrderLine.objects.filter(order_id__in=ids)
            .order_by("pk")
            .values(*LINE_FIELDS, sku=F("product__sku"))
        ):
            row["product"] = row.pop("product_id")
            lines[row["order_id"]].append(row)
        for row in (
            OrderEvent.objects.filter(order_id__in=ids)
            .order_by("at", "pk")
            .values("order_id", "from_status", "to_status", "at", "note")
        ):
            events[row["order_id"]].append(row)
    for order in orders:
        order._api_rows = {"lines": lines[order.pk], "events": events[order.pk]}


def invoices_for(*, user, key=None) -> QuerySet[Invoice]:
    rows = access.visible_to(user, Invoice.objects.all())
    return _narrow(rows, key).select_related("unit", "order")


def entries_for(*, user, key=None) -> QuerySet[Entry]:
    """Ledger lines of the units the caller may see (a unit's people read their own ledger)."""
    rows = access.visible_to(user, Entry.objects.all())
    return _narrow(rows, key).select_related("unit", "invoice")


def balances_for(*, user, key=None) -> QuerySet[Balance]:
    rows = access.visible_to(user, Balance.objects.all())
    return _narrow(rows, key).select_related("unit")


def payments_for(*, user, key=None) -> QuerySet[Payment]:
    """Payments of the caller's units; finance staff also see those not matched to a unit."""
    rows = access.visible_to(user, Payment.objects.all())
    if access.keeps_books(user) and not (key is not None and key.region_id):
        rows = rows | Payment.objects.filter(unit__isnull=True)
    return _narrow(rows, key).select_related("unit", "invoice")
