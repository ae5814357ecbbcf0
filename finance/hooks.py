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


def connect() -> None:
    submission_approved.connect(_on_approved, sender=Submission, dispatch_uid="finance-accrue")
    invoice_issued.connect(_on_invoice, dispatch_uid="finance-invoice")
