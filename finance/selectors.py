"""Reads of the finance app; every one starts from a unit already checked by franchise.access."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from .fees import explain
from .models import Balance, Entry


@dataclass
class Statement:
    start: date
    end: date
    opening: Decimal
    rows: list
    closing: Decimal
    balance: Decimal


def unit_statement(unit, *, start: date, end: date) -> Statement:
    """Opening balance, the entries of [start, end] with their explanations, closing balance.
    Three queries whatever the number of entries; sums in Decimal, so the entries add up
    exactly to the change of balance."""
    before = Entry.objects.filter(unit=unit, posted_on__lt=start).values_list("amount", flat=True)
    opening = sum(before, Decimal(0))
    rows = list(
        Entry.objects.filter(unit=unit, posted_on__gte=start, posted_on__lte=end).order_by(
            "posted_on", "pk"
        )
    )
    for row in rows:
        row.text = explain(row.details)
    closing = opening + sum((r.amount for r in rows), Decimal(0))
    balance = Balance.objects.filter(unit=unit).values_list("amount", flat=True).first()
    return Statement(start, end, opening, rows, closing, balance or Decimal(0))


def default_range(today: date | None = None) -> tuple[date, date]:
    """From the first day of the month a year ago to today."""
    today = today or timezone.localdate()
    return today.replace(year=today.year - 1, day=1), today


# The franchisor's receivables ------------------------------------------------------------


def receivables_scope(user):
    """Every unit for network-wide viewers (leads, finance staff), the units a manager reviews;
    None for everyone else."""
    from franchise import access
    from franchise.models import Franchisee

    if access.has_network_right(user):
        return Franchisee.objects.all()
    units = access.units_visible_to(user, "review")
    return units if units.exists() else None
