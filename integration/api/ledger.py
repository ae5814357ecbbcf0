"""Ledger entries and balances (read) and payments (create) of /api/v1/, over finance/.

Entries are append-only, so their `updated_since` is the time an entry was written; payments
go through `finance.services.payment_record`, which posts a matched payment at once.
"""

import hashlib

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status
from rest_framework.response import Response

from finance import services as finance_services
from finance.models import Payment
from franchise import access
from integration import selectors

from . import inputs
from . import serializers as s
from .auth import key_of
from .base import ReadOnlyViewSet
from .idempotency import idempotent
from .views import _filterset
from .writes import IDEMPOTENCY_HEADER, audit_write, refused, unit_or_deny, validated


class EntryViewSet(ReadOnlyViewSet):
    """Ledger entries of the caller's units. Entries are never changed, so `updated_since`
    is the time an entry was written."""

    resource = "finance"
    selector = staticmethod(selectors.entries_for)
    serializer_class = s.EntrySerializer
    cursor_ordering = ("created_at", "pk")
    filterset_class = _filterset(
        selectors.Entry,
        updated=False,
        updated_since=django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte"),
        unit=django_filters.CharFilter(field_name="unit__code"),
        kind=django_filters.CharFilter(),
    )


class BalanceViewSet(ReadOnlyViewSet):
    """Each unit's balance (the sum of its ledger), by unit code."""

    resource = "finance"
    selector = staticmethod(selectors.balances_for)
    serializer_class = s.BalanceSerializer
    lookup_field = "unit__code"
    lookup_url_kwarg = "code"
    filterset_class = _filterset(selectors.Balance)


def payment_fingerprint(data: dict) -> str:
    """Date, number, amount, payer and purpose: the same payment sent twice is one row (the
    model's unique fingerprint), whatever the Idempotency-Key."""
    parts = (
        data["paid_on"].isoformat(),
        data["number"].strip(),
        f"{data['amount']:.2f}",
        data["payer_inn"].strip(),
        data["payer_name"].strip().lower(),
        data["purpose"].strip().lower(),
    )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@extend_schema_view(
    create=extend_schema(
        request=inputs.PaymentInput,
        responses={201: s.PaymentSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        description="Record money received (finance staff). Matched to a unit, it is posted to "
        "its ledger at once. The same payment twice is a 409.",
    )
)
class PaymentViewSet(mixins.CreateModelMixin, ReadOnlyViewSet):
    """Payments received: read by the units' people and finance staff, recorded by finance
    staff. `updated_since` is the time a payment was recorded (they are not edited)."""

    resource = "finance"
    selector = staticmethod(selectors.payments_for)
    serializer_class = s.PaymentSerializer
    cursor_ordering = ("created_at", "pk")
    filterset_class = _filterset(
        Payment,
        updated=False,
        updated_since=django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte"),
        unit=django_filters.CharFilter(field_name="unit__code"),
    )

    def create(self, request, *args, **kwargs):
        if not access.keeps_books(request.user):
            raise exceptions.PermissionDenied(_("Only finance staff record payments."))
        data = validated(inputs.PaymentInput, request)
        unit = unit_or_deny(request, data["unit"], "view") if data.get("unit") else None
        invoice = None
        if data.get("invoice"):
            invoices = selectors.invoices_for(user=request.user, key=key_of(request))
            invoice = invoices.filter(number=data["invoice"]).first()
            if invoice is None:
                access.deny(request, target=f"invoice:{data['invoice']}", action="view")
            if unit is not None and invoice.unit_id != unit.pk:
                raise exceptions.ValidationError(
                    {"invoice": [_("This invoice is another unit's.")]}
                )
            unit = unit or invoice.unit

        def run():
            payment = Payment(
                unit=unit,
                invoice=invoice,
                paid_on=data["paid_on"],
                amount=data["amount"],
                number=data["number"],
                payer_name=data["payer_name"],
                payer_inn=data["payer_inn"],
                purpose=data["purpose"],
                fingerprint=payment_fingerprint(data),
            )
            try:
                with transaction.atomic():
                    finance_services.payment_record(payment=payment, user=request.user)
            except DjangoValidationError as error:
                raise refused(error, conflict=_is_duplicate(error)) from error
            audit_write(
                request,
                "payment.create",
                unit=unit,
                target=f"payment:{payment.pk}",
                amount=payment.amount,
            )
            return Response(s.PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)

        with transaction.atomic():
            return idempotent(request, run)


def _is_duplicate(error: DjangoValidationError) -> bool:
    """The service refused a second copy (its unique fingerprint), not the amount."""
    return isinstance(error.__cause__, IntegrityError)
