"""Signal receivers that turn the portal's events into webhook deliveries (connected in
`IntegrationConfig.ready`). Each runs inside the sender's transaction."""

from __future__ import annotations

from finance.signals import payment_recorded, payments_recorded
from orders.signals import invoice_issued, order_status_changed
from reporting.signals import submission_approved

from .models import WebhookEvent


def _on_order_status(sender, *, order, event, **kwargs):
    from .webhooks import event_emit, order_data

    event_emit(event=WebhookEvent.ORDER_STATUS, data=order_data(order, event), occurred_at=event.at)


def _on_invoice(sender, *, invoice, **kwargs):
    from .webhooks import event_emit, invoice_data

    event_emit(event=WebhookEvent.INVOICE_ISSUED, data=invoice_data(invoice))


def _on_approved(sender, *, submission, **kwargs):
    from .webhooks import event_emit, submission_data

    event_emit(
        event=WebhookEvent.REPORT_APPROVED,
        data=submission_data(submission),
        occurred_at=submission.reviewed_at,
    )


def _on_payment(sender, *, payment, **kwargs):
    from .webhooks import event_emit, payment_data

    event_emit(event=WebhookEvent.PAYMENT_RECORDED, data=payment_data(payment))


def _on_payments(sender, *, payments, **kwargs):
    from .webhooks import events_emit, payment_data

    events_emit(event=WebhookEvent.PAYMENT_RECORDED, items=[payment_data(p) for p in payments])


def connect() -> None:
    order_status_changed.connect(_on_order_status, dispatch_uid="webhooks-order-status")
    invoice_issued.connect(_on_invoice, dispatch_uid="webhooks-invoice")
    submission_approved.connect(_on_approved, dispatch_uid="webhooks-report-approved")
    payment_recorded.connect(_on_payment, dispatch_uid="webhooks-payment")
    payments_recorded.connect(_on_payments, dispatch_uid="webhooks-payments")
