"""The per-unit summary of the ledger that pages read instead of the ledger: what is open by
due date (`OpenItem`) and net accruals by day (`DayAccrual`).

Payments and other credits settle the oldest charges first (by due date, then posting date),
so what is still open is the newest charges that together make up the balance. A reversal
and the entry it reverses cancel out and take no part. Every ledger write recomputes the rows
of the units it touched, in its own transaction and once per unit however many entries it
posts, and the accruals of the days it posted to only (`refresh`); the data migration that
created the tables filled them the same way. Ages depend on the calendar, so they are counted
from the due dates when read, never stored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.apps import apps as global_apps
from django.db.models import DecimalField, F, Sum, Window
from django.db.models.expressions import RowRange
from django.db.models.functions import Coalesce

from .models import EntryKind

#: Units per round of queries (keeps the IN lists of a whole-network refresh short).
CHUNK = 1000


def _open_rows(entry_model, unit_ids: list[int]) -> list[tuple]:
    """(unit_id, due, amount, newer, owed) of the charges that are (partly) open: charges are
    positive entries, neither a reversal nor reversed, of units that owe something; `newer` is
    the sum of this charge and every newer one, `owed` the unit's balance."""
    money = DecimalField(max_digits=16, decimal_places=2)
    return list(
        entry_model.objects.filter(
            unit_id__in=unit_ids,
            amount__gt=0,
            reverses__isnull=True,
            reversed_by__isnull=True,
            unit__finance_balance__amount__gt=0,
        )
        .annotate(
            due=Coalesce("due_on", "posted_on"),
            owed=F("unit__finance_balance__amount"),
            newer=Window(
                Sum("amount"),
                partition_by=[F("unit_id")],
                order_by=[F("due").desc(), F("posted_on").desc(), F("pk").desc()],
                frame=RowRange(start=None, end=0),
                output_field=money,
            ),
        )
        # Open while the newer charges alone do not yet make up the balance.
        .filter(newer__lt=F("owed") + F("amount"))
        .order_by()
        .values_list("unit_id", "due", "amount", "newer", "owed")
    )


def open_amounts(rows: Iterable[tuple]) -> dict[tuple[int, object], Decimal]:
    """{(unit_id, due): open amount} from `_open_rows`: the oldest open charge is open only
    for what the newer ones leave of the balance."""
    out: dict[tuple[int, object], Decimal] = defaultdict(Decimal)
    for unit_id, due, amount, newer, owed in rows:
        part = amount if newer <= owed else owed - (newer - amount)
        if part > 0:
            out[(unit_id, due)] += part
    return out


def refresh(unit_ids: Iterable[int], *, days: Iterable | None = None, apps=global_apps) -> None:
    """Rewrite the summary rows of `unit_ids` from their ledgers and balance rows (the caller
    holds the transaction that moved them). `days`: the posting days of the entries just
    written; the ledger being append-only, only those days' accruals can have changed (a
    month's accruals of the whole network rewrite one day per unit, not every unit's history).
    `apps` lets the data migration pass its models."""
    entry_model = apps.get_model("finance", "Entry")
    open_model = apps.get_model("finance", "OpenItem")
    day_model = apps.get_model("finance", "DayAccrual")
    ids = sorted(set(unit_ids))
    on_days = {} if days is None else {"posted_on__in": sorted(set(days))}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        items = open_amounts(_open_rows(entry_model, chunk))
        days_of = (
            entry_model.objects.filter(unit_id__in=chunk, **on_days)
            .exclude(kind=EntryKind.PAYMENT)
            .order_by()
            .values_list("unit_id", "posted_on")
            .annotate(total=Sum("amount"))
        )
        open_model.objects.filter(unit_id__in=chunk).delete()
        day_model.objects.filter(unit_id__in=chunk, **on_days).delete()
        open_model.objects.bulk_create(
            [open_model(unit_id=u, due_on=d, amount=a) for (u, d), a in items.items()],
            batch_size=2000,
        )
        day_model.objects.bulk_create(
            [day_model(unit_id=u, posted_on=d, amount=t) for u, d, t in days_of if t],
            batch_size=2000,
        )
