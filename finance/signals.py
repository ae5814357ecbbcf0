"""Signals other apps listen to (integration sends the payment webhook)."""

from django.dispatch import Signal

#: Sent inside the recording transaction once a payment is saved (matched to a unit or not):
#: kwargs `payment`, `user`.
payment_recorded = Signal()
