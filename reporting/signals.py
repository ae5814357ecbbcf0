"""Signals other apps listen to: finance accrues fees from an approved report."""

from django.dispatch import Signal

#: Sent inside the approving transaction when a report becomes approved.
#: kwargs: `submission`, `user`.
submission_approved = Signal()
