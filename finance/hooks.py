"""What finance plugs into the rest of the portal: signal receivers (accrue on approval, post
issued invoices), the cabinet navigation, the dashboard block and the scorecard reason."""

from __future__ import annotations

from orders.signals import invoice_issued
from reporting.models import Submission
from reporting.signals import submission_approved


def _on_approved(sender, *, submission, user=None, **kwargs):
    from .services import accruals_post

    accruals_post(submission=submission, user=user)


def _on_invoice(sender, *, invoice, **kwargs):
    from .services import ledger_post_invoice

    ledger_post_invoice(invoice=invoice)


def dashboard_context(request, unit) -> dict | None:
    """Balance, next due amount and what is overdue: three queries whatever the ledger's size;
    hidden for a unit with neither an agreement nor a ledger."""
    from django.utils import timezone

    from .models import Agreement, Balance
    from .receivables import unit_position

    if not (
        Agreement.objects.filter(unit=unit).exists() or Balance.objects.filter(unit=unit).exists()
    ):
        return None
    return {"position": unit_position(unit, today=timezone.localdate())}


#: Scorecard columns (defaults for units with nothing open).
DEBT_COLUMNS = {"overdue_debt": 0.0, "overdue_days": 0}
#: Overdue for longer than this many days turns the light red (shorter: amber).
RED_AFTER_DAYS = 30


def load_debt_columns(units, today):
    """Overdue amount (roubles) and the age of the oldest overdue charge per unit: one query
    for all units (the FIFO open items)."""
    import pandas as pd

    from .receivables import open_items

    items = open_items(units=units, today=today)
    overdue = items[items["days"] > 0]
    if overdue.empty:
        return pd.DataFrame(columns=["unit_id", *DEBT_COLUMNS])
    grouped = overdue.groupby("unit_id").agg(kopecks=("kopecks", "sum"), days=("days", "max"))
    return pd.DataFrame(
        {
            "unit_id": grouped.index.astype("int64"),
            "overdue_debt": (grouped["kopecks"] / 100).to_numpy(),
            "overdue_days": grouped["days"].astype("int64").to_numpy(),
        }
    )


def debt_reasons(row, ctx):
    from django.utils.translation import gettext as _

    from portal.dashboard import AMBER, RED
    from portal.money import format_money

    amount = row.get("overdue_debt") or 0
    if not amount or amount != amount:  # 0 or NaN
        return
    days = int(row.get("overdue_days") or 0)
    level = RED if days > RED_AFTER_DAYS else AMBER
    text = _("%(amount)s overdue, the oldest for %(days)s days") % {
        "amount": format_money(round(amount, 2)),
        "days": days,
    }
    yield level, text


def debt_statuses(units) -> dict:
    """The portfolio's traffic light of overdue debt, from the ledger summary: one query."""
    from django.utils import timezone

    table = load_debt_columns(units, timezone.localdate())
    out = {}
    for row in table.to_dict("records"):
        for level, text in debt_reasons(row, None):
            out[int(row["unit_id"])] = (level, text)
    return out


def register() -> None:
    """The unit dashboard's settlements block, the reminders' notice kind and task, and the
    overdue-debt columns and reason of the scorecards (called from FinanceConfig.ready)."""
    from django.utils.translation import gettext_lazy

    from portal import dashboard
    from reporting.network.scorecards import reasons, sources

    from . import reminders  # noqa: F401  (the "finance" notice kind, the reminders task)

    dashboard.register(
        key="finance",
        order=18,
        template="finance/dashboard_block.html",
        context=dashboard_context,
        depends_on=("finance",),
    )
    sources.register_columns(
        "finance",
        load=load_debt_columns,
        defaults=DEBT_COLUMNS,
        labels=("finance",),
        measures={
            "overdue_debt": (gettext_lazy("Overdue debt"), "number"),
            "overdue_days": (gettext_lazy("Days overdue"), "int"),
        },
    )
    reasons.register_reason("finance", debt_reasons, order=40)
    dashboard.register_status(
        key="finance",
        label=gettext_lazy("Settlements"),
        order=40,
        statuses=debt_statuses,
        depends_on=("finance",),
    )


def connect() -> None:
    submission_approved.connect(_on_approved, sender=Submission, dispatch_uid="finance-accrue")
    invoice_issued.connect(_on_invoice, dispatch_uid="finance-invoice")
