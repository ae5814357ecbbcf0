"""What is owed, since when: open items by FIFO and their ageing, for one unit or many.

The open items and the accruals by day come from the per-unit summary that every ledger write
keeps current (`finance.summary`), so no page sums the ledger; pandas sorts the items into age
buckets counted from today. Amounts travel as integer kopecks, so every sum is exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pandas as pd
from django.db.models import QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from .models import Balance, DayAccrual, OpenItem

#: Ageing buckets: key, label, the first and last day past due they hold.
BUCKETS: tuple[tuple[str, object, int, int | None], ...] = (
    ("current", _("Not yet due"), -(10**6), 0),
    ("d1_30", _("1–30 days"), 1, 30),
    ("d31_60", _("31–60 days"), 31, 60),
    ("d61_90", _("61–90 days"), 61, 90),
    ("d90_plus", _("Over 90 days"), 91, None),
)
BUCKET_KEYS = tuple(b[0] for b in BUCKETS)
#: Days of accruals the days-sales-outstanding figure is measured against.
DSO_DAYS = 90

ITEM_COLUMNS = ["unit_id", "due", "kopecks", "days"]


def to_kopecks(amount) -> int:
    return int((Decimal(amount) * 100).to_integral_value())


def to_money(kopecks) -> Decimal:
    return Decimal(int(kopecks)).scaleb(-2)


def open_items(*, units: QuerySet | None = None, unit=None, today: date) -> pd.DataFrame:
    """One row per unit and due date still (partly) open: unit_id, due date, open kopecks,
    days past due (negative: not yet due). One query over the summary (`finance.summary`),
    for one unit or many."""
    rows = (
        OpenItem.objects.filter(unit=unit)
        if unit is not None
        else OpenItem.objects.filter(unit__in=units)
    )
    data = list(rows.order_by().values_list("unit_id", "due_on", "amount"))
    if not data:
        return pd.DataFrame({c: pd.Series(dtype="int64") for c in ITEM_COLUMNS})
    frame = pd.DataFrame(data, columns=["unit_id", "due", "amount"])
    frame["kopecks"] = frame["amount"].map(to_kopecks).astype("int64")
    frame["days"] = frame["due"].map(lambda d: (today - d).days).astype("int64")
    return frame[ITEM_COLUMNS].sort_values(["unit_id", "due"]).reset_index(drop=True)


def bucket_of(days: int) -> str:
    for key, _label, first, last in BUCKETS:
        if days >= first and (last is None or days <= last):
            return key
    return BUCKET_KEYS[-1]


def bucketed(items: pd.DataFrame) -> pd.DataFrame:
    """Open kopecks per unit and bucket: index unit_id, one column per bucket (zeros filled)."""
    if items.empty:
        return pd.DataFrame(columns=list(BUCKET_KEYS), dtype="int64")
    # The bucket of each row: how many bucket starts (after the first) its age reaches.
    starts = np.array([b[2] for b in BUCKETS[1:]])
    codes = np.searchsorted(starts, items["days"].to_numpy(), side="right")
    sums = (
        items.groupby([items["unit_id"].to_numpy(), codes])["kopecks"].sum().unstack(fill_value=0)
    )
    sums = sums.reindex(columns=range(len(BUCKETS)), fill_value=0)
    sums.columns = list(BUCKET_KEYS)
    sums.index.name = "unit_id"
    return sums.astype("int64")


# One unit -------------------------------------------------------------------------------


@dataclass
class DueItem:
    due: date
    amount: Decimal
    days: int  # past due; 0 or less: not yet due

    @property
    def overdue(self) -> bool:
        return self.days > 0


@dataclass
class Position:
    """Where a unit stands today: its balance, what is open by due date, what is overdue."""

    today: date
    balance: Decimal
    items: list[DueItem] = field(default_factory=list)

    @property
    def overdue(self) -> Decimal:
        return sum((i.amount for i in self.items if i.overdue), Decimal(0))

    @property
    def not_due(self) -> Decimal:
        return sum((i.amount for i in self.items if not i.overdue), Decimal(0))

    @property
    def next_due(self) -> DueItem | None:
        return next((i for i in self.items if not i.overdue), None)

    @property
    def oldest_overdue(self) -> DueItem | None:
        return next((i for i in self.items if i.overdue), None)

    @property
    def credit(self) -> Decimal:
        """Paid in advance (a negative balance), shown as a positive amount."""
        return -self.balance if self.balance < 0 else Decimal(0)


def unit_position(unit, *, today: date) -> Position:
    """Two queries: the balance row and the open charges."""
    balance = Balance.objects.filter(unit=unit).values_list("amount", flat=True).first()
    items = open_items(unit=unit, today=today)
    by_due = items.groupby("due", sort=True)["kopecks"].sum() if not items.empty else {}
    due_items = [
        DueItem(due=due, amount=to_money(k), days=(today - due).days) for due, k in by_due.items()
    ]
    return Position(today=today, balance=balance or Decimal(0), items=due_items)


# Many units -----------------------------------------------------------------------------


def accruals_since(units: QuerySet, since: date) -> dict[int, int]:
    """Net accruals (everything but payments, reversals included) posted on or after `since`,
    in kopecks per unit: one query over the summary's day sums."""
    rows = (
        DayAccrual.objects.filter(unit__in=units, posted_on__gte=since)
        .order_by()
        .values("unit_id")
        .annotate(total=Sum("amount"))
        .values_list("unit_id", "total")
    )
    return {unit_id: to_kopecks(total) for unit_id, total in rows}


def dso(balance_kopecks: int, accrued_kopecks: int) -> float | None:
    """Days sales outstanding: positive balance / accruals of the last 90 days × 90."""
    if accrued_kopecks <= 0:
        return None
    return round(max(balance_kopecks, 0) / accrued_kopecks * DSO_DAYS, 1)


def since_for_dso(today: date) -> date:
    return today - timedelta(days=DSO_DAYS - 1)


UNIT_COLUMNS = ["unit_id", "code", "name", "region_id", "region", "manager_id", "manager"]
MONEY_COLUMNS = ["balance", *BUCKET_KEYS, "overdue", "accrued"]


def network_table(units: QuerySet, *, today: date) -> pd.DataFrame:
    """One row per unit of `units`: balance, open amounts by age bucket, overdue, accruals of
    the last 90 days (all in kopecks) and DSO. Four queries whatever the number of units."""
    listed = units.order_by().values_list(
        "pk",
        "code",
        "trading_name",
        "region_id",
        "region__name",
        "account_manager_id",
        "account_manager__full_name",
        "account_manager__username",
    )
    rows = [(*r[:6], r[6] or r[7] or "") for r in listed]
    table = pd.DataFrame(rows, columns=UNIT_COLUMNS)
    if table.empty:
        for column in (*MONEY_COLUMNS, "dso"):
            table[column] = pd.Series(dtype="int64" if column != "dso" else "float64")
        return table
    table["manager_id"] = table["manager_id"].astype("Int64")
    balances = dict(
        Balance.objects.filter(unit__in=units).order_by().values_list("unit_id", "amount")
    )
    table["balance"] = table["unit_id"].map(lambda pk: to_kopecks(balances.get(pk, 0)))
    buckets = bucketed(open_items(units=units, today=today))
    table = table.join(buckets, on="unit_id")
    table[list(BUCKET_KEYS)] = table[list(BUCKET_KEYS)].fillna(0).astype("int64")
    table["overdue"] = table[list(BUCKET_KEYS[1:])].sum(axis=1).astype("int64")
    accrued = accruals_since(units, since_for_dso(today))
    table["accrued"] = table["unit_id"].map(lambda pk: accrued.get(pk, 0)).astype("int64")
    table["dso"] = [dso(b, a) for b, a in zip(table["balance"], table["accrued"], strict=True)]
    return table


def group_totals(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """Sums per region or manager (`by` is "region" or "manager"), DSO from the sums, plus the
    number of units; units without a manager form their own group."""
    key = f"{by}_id"
    frame = table.assign(positive=table["balance"].clip(lower=0))
    frame[key] = frame[key].astype("Int64").fillna(0)
    frame[by] = frame[by].replace("", pd.NA).fillna("—")
    grouped = frame.groupby([key, by], sort=False).agg(
        units=("unit_id", "count"),
        **{c: (c, "sum") for c in MONEY_COLUMNS},
        positive=("positive", "sum"),
    )
    grouped = grouped.reset_index()
    grouped["dso"] = [
        dso(p, a) for p, a in zip(grouped["positive"], grouped["accrued"], strict=True)
    ]
    return grouped.sort_values(["overdue", "balance"], ascending=False).reset_index(drop=True)


def totals(table: pd.DataFrame) -> dict:
    """The whole table's sums (kopecks) and DSO."""
    sums = {c: int(table[c].sum()) if len(table) else 0 for c in MONEY_COLUMNS}
    positive = int(table["balance"].clip(lower=0).sum()) if len(table) else 0
    sums["dso"] = dso(positive, sums["accrued"])
    sums["units"] = len(table)
    return sums
