"""Reads of the payment pages; callers have checked `access.keeps_books` (finance staff)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import QuerySet, Sum

from franchise import access
from franchise.models import Franchisee

from .models import Payment


def payments(
    user,
    *,
    start: date | None = None,
    end: date | None = None,
    unit_code: str = "",
    state: str = "",
) -> QuerySet[Payment]:
    """The payments of the units the user sees plus the unmatched ones (they have no unit
    yet), newest first, with what a list row shows."""
    rows = Payment.objects.select_related("unit", "invoice", "statement")
    if state == "unmatched":
        rows = rows.filter(unit__isnull=True)
    elif state == "matched":
        rows = access.visible_to(user, rows.filter(unit__isnull=False))
    else:
        rows = rows.filter(unit__isnull=True) | access.visible_to(
            user, rows.filter(unit__isnull=False)
        )
    if start:
        rows = rows.filter(paid_on__gte=start)
    if end:
        rows = rows.filter(paid_on__lte=end)
    if unit_code:
        rows = rows.filter(unit__code__iexact=unit_code)
    return rows.order_by("-paid_on", "-pk")


def total(rows: QuerySet[Payment]) -> Decimal:
    return rows.order_by().aggregate(s=Sum("amount"))["s"] or Decimal(0)


def queue() -> QuerySet[Payment]:
    """Unmatched payments, the oldest first: they have waited longest."""
    return (
        Payment.objects.filter(unit__isnull=True)
        .select_related("statement")
        .order_by("paid_on", "pk")
    )


def suggestions(rows) -> dict[int, Franchisee]:
    """A unit whose legal name is the payer's, per payment id (one query for the page)."""
    names = {p.payer_name for p in rows if p.payer_name}
    if not names:
        return {}
    by_name: dict[str, list[Franchisee]] = {}
    for unit in Franchisee.objects.filter(legal_name__in=names).order_by("code")[:500]:
        by_name.setdefault(unit.legal_name, []).append(unit)
    return {p.pk: by_name[p.payer_name][0] for p in rows if len(by_name.get(p.payer_name, ())) == 1}
