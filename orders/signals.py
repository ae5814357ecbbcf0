"""Signals other apps listen to (finance posts the ledger entry of an issued invoice)."""

from django.dispatch import Signal

#: Sent inside the confirm transaction when an invoice is created: kwargs `invoice`.
invoice_issued = Signal()

#: Sent inside the cancelling transaction: kwargs `order`, `user` (finance reverses the
#: invoice's accrual if one was issued).
order_cancelled = Signal()

#: Sent inside the transaction of every status change, after its timeline row is written:
#: kwargs `order` (already in the new status), `event` (the `OrderEvent`), `user`.
order_status_changed = Signal()
