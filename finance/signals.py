"""Signals other apps listen to (integration sends the payment webhook)."""

from django.dispatch import Signal

#: Sent inside the recording transaction once a payment is saved (matched to a unit or not):
#: kwargs `payment`, `user`.
payment_recorded = Signal()

#: Sent once, inside the transaction, for the payments a statement import wrote together
#: (instead of one `payment_recorded` each, so a listener handles them in one go): kwargs
#: `payments` (a list), `user`.
payments_recorded = Signal()
