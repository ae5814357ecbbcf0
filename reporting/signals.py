"""Signals other apps listen to: finance accrues fees from an approved report."""

from django.dispatch import Signal

#: Sent inside the approving transaction when a report becomes approved.
#: kwargs: `submission`, `user`.
submission_approved = Signal()

#: Sent inside the reopening transaction when an approved report goes back to the unit
#: (finance reverses and re-accrues when it is approved again). kwargs: `submission`, `user`.
submission_reopened = Signal()
