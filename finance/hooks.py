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


def register() -> None:
    """The unit dashboard's settlements block (called from FinanceConfig.ready)."""
    from portal import dashboard

    from . import reminders  # noqa: F401  (the "finance" notice kind, the reminders task)

    dashboard.register(
        key="finance",
        order=18,
        template="finance/dashboard_block.html",
        context=dashboard_context,
        depends_on=("finance",),
    )


def connect() -> None:
    submission_approved.connect(_on_approved, sender=Submission, dispatch_uid="finance-accrue")
    invoice_issued.connect(_on_invoice, dispatch_uid="finance-invoice")
