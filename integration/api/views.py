"""Endpoints of /api/v1/: thin viewsets over integration.selectors and the apps' services.

Every list is cursor-paginated in a stable order and filters by `updated_since` where the
rows carry an update time, so a sync tool resumes where it stopped. Writes (report drafts,
order status changes here, payments in ledger.py) call the services the portal's own pages
call, inside one transaction with their audit row; POSTs honour `Idempotency-Key`, PUT and
PATCH need `If-Match` (see writes.py).
"""

from datetime import UTC, datetime

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from franchise import access
from integration import selectors
from orders import services as order_services
from orders.views import TRANSITIONS
from reporting import periods as P
from reporting import selectors as report_selectors
from reporting import services as report_services
from reporting.forms import ReportForm, initial_from_values
from reporting.models import FieldKind, Submission, localise_definitions

from . import inputs
from . import serializers as s
from .auth import key_of
from .base import ReadOnlyViewSet
from .errors import Conflict
from .idempotency import idempotent
from .writes import (
    IDEMPOTENCY_HEADER,
    IF_MATCH_OPTIONAL,
    IF_MATCH_REQUIRED,
    audit_write,
    check_if_match,
    refuse_right,
    refused,
    unit_or_deny,
    validated,
    with_etag,
)


class StoreableFilterForm(forms.Form):
    """Filter values the database can compare: a 400, not a 500, for the rest (PostgreSQL
    takes no NUL character in a text, nor a time zone offset beyond 15:59)."""

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str) and "\x00" in value:
                self.add_error(name, _("Contains a NUL character."))
            elif isinstance(value, datetime):
                try:
                    cleaned[name] = value.astimezone(UTC)
                except OverflowError:
                    self.add_error(name, _("Out of range."))
        return cleaned


def _filterset(model_, *, updated=True, **extra):
    """A FilterSet with `updated_since` (ISO 8601) and the given exact filters."""
    attrs = dict(extra)
    if updated:
        attrs["updated_since"] = django_filters.IsoDateTimeFilter(
            field_name="updated_at", lookup_expr="gte"
        )
    attrs["Meta"] = type("Meta", (), {"model": model_, "fields": [], "form": StoreableFilterForm})
    return type(f"{model_.__name__}Filter", (django_filters.FilterSet,), attrs)


class UnitViewSet(ReadOnlyViewSet):
    """Units the caller may see, with their people."""

    resource = "units"
    selector = staticmethod(selectors.units_for)
    serializer_class = s.UnitSerializer
    lookup_field = "code"
    cursor_ordering = ("code",)
    filterset_class = _filterset(
        selectors.Franchisee,
        updated=False,
        region=django_filters.CharFilter(field_name="region__code"),
        status=django_filters.CharFilter(),
    )


class ReportTemplateViewSet(ReadOnlyViewSet):
    """Active report templates with their fields. Texts come in both languages (`name_en`,
    `name_ru`, `label_en`, ...); `name`, `label` and `unit` in the language of the request's
    Accept-Language header (English without one), like the error messages."""

    resource = "reports"
    selector = staticmethod(selectors.templates_for)
    serializer_class = s.ReportTemplateSerializer
    lookup_field = "slug"
    cursor_ordering = ("slug",)


def _clean_values(definitions, given: dict, stored: dict, *, require: bool, partial: bool):
    """The report form's own validation (reporting.forms.ReportForm) over the API's values.

    `partial`: the stored values stand for the fields not given (PATCH, submit), and only the
    given fields are passed on to the service; else fields left out are cleared (PUT).
    The messages name the fields in the request's language (Accept-Language), as the form
    does on a page; the values stay canonical (a choice's English option).
    """
    definitions = localise_definitions(definitions)
    kinds = {d["key"]: d["kind"] for d in definitions if not d.get("formula")}
    errors = {}
    data = {}
    initial = initial_from_values(definitions, stored)
    if partial:
        data = {k: v for k, v in initial.items() if kinds.get(k) not in (None, FieldKind.FILE)}
    for key, value in given.items():
        kind = kinds.get(key)
        if kind is None:
            errors[key] = [_("No such field in this report (or it is computed).")]
        elif kind == FieldKind.FILE:
            if value is not None:
                errors[key] = [_("Files are uploaded in the portal, not through the API.")]
        elif isinstance(value, bool) != (kind == FieldKind.YES_NO) and value is not None:
            errors[key] = [
                _("Give true or false.")
                if kind == FieldKind.YES_NO
                else _("Give a value of the field's type, not true or false.")
            ]
        elif kind == FieldKind.YES_NO:
            data[key] = {True: "yes", False: "no", None: ""}[value]
        else:
            data[key] = "" if value is None else value
    if errors:
        raise exceptions.ValidationError({"values": errors})
    form = ReportForm(data=data, initial=initial, definitions=definitions, require=require)
    if not form.is_valid():
        messages = {k: [str(m) for m in v] for k, v in form.errors.items()}
        raise exceptions.ValidationError({"values": messages})
    cleaned = form.cleaned_data
    if partial:
        return {k: cleaned[k] for k in given if k in cleaned}
    return cleaned


@extend_schema_view(
    create=extend_schema(
        request=inputs.SubmissionCreateInput,
        responses={201: s.SubmissionSerializer},
        parameters=[IDEMPOTENCY_HEADER],
        description="Open a unit's report for a closed period as a draft, with its first "
        "values. 409 if the report exists already (PATCH it).",
    ),
    update=extend_schema(
        request=inputs.SubmissionValuesInput,
        parameters=[IF_MATCH_REQUIRED],
        description="Replace a draft's values (fields left out are cleared).",
    ),
    partial_update=extend_schema(
        request=inputs.SubmissionValuesInput,
        parameters=[IF_MATCH_REQUIRED],
        description="Change some of a draft's values.",
    ),
)
class SubmissionViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyViewSet):
    """Report submissions of the caller's units, with their values; drafts are created,
    changed and submitted on behalf of a unit (the right to work in it, as in the portal)."""

    resource = "reports"
    selector = staticmethod(selectors.submissions_for)
    serializer_class = s.SubmissionSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    filterset_class = _filterset(
        selectors.Submission,
        template=django_filters.CharFilter(field_name="template__slug"),
        unit=django_filters.CharFilter(field_name="unit__code"),
        status=django_filters.CharFilter(),
    )

    def get_queryset(self):
        right = "view" if self.request.method in permissions.SAFE_METHODS else "work"
        return selectors.submissions_for(
            user=self.request.user, key=key_of(self.request), action=right
        )

    def _answer(self, submission, code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=submission.pk)
        return with_etag(Response(self.get_serializer(fresh).data, status=code))

    def create(self, request, *args, **kwargs):
        data = validated(inputs.SubmissionCreateInput, request)
        unit = unit_or_deny(request, data["unit"], "work")
        template = report_selectors.template_for_unit_or_404(unit, data["template"])
        period = P.period_from_key(template.period_kind, data["period"].isoformat())
        if period is None:
            raise exceptions.ValidationError(
                {"period": [_("Not the first day of one of this report's periods.")]}
            )
        if period.end >= timezone.localdate():
            raise exceptions.ValidationError({"period": [_("This period is not over yet.")]})
        existing = Submission.objects.filter(
            unit=unit, template=template, period_start=period.start
        ).first()

        def run():
            if existing is not None:
                raise Conflict(
                    _("This report exists already (id %(id)s): change it instead.")
                    % {"id": existing.pk}
                )
            with transaction.atomic():
                submission = report_services.submission_open(
                    unit=unit, template=template, period=period
                )
                cleaned = _clean_values(
                    submission.version.fields, data["values"], {}, require=False, partial=True
                )
                if cleaned:
                    try:
                        report_services.submission_save(
                            submission=submission, data=cleaned, user=request.user
                        )
                    except DjangoValidationError as error:
                        raise refused(error) from error
                audit_write(
                    request,
                    "submission.create",
                    unit=unit,
                    target=f"submission:{submission.pk}",
                    fields=",".join(sorted(cleaned)),
                )
                return self._answer(submission, status.HTTP_201_CREATED)

        return idempotent(request, run)

    def update(self, request, *args, partial=False, **kwargs):
        submission = self.object_or_deny("work")
        data = validated(inputs.SubmissionValuesInput, request)
        with transaction.atomic():
            current = self.get_queryset().select_for_update(of=("self",)).get(pk=submission.pk)
            check_if_match(request, self.get_serializer(current).data, required=True)
            stored = {v.field_key: v for v in current.values.all()}
            cleaned = _clean_values(
                current.version.fields, data["values"], stored, require=False, partial=partial
            )
            try:
                report_services.submission_save(submission=current, data=cleaned, user=request.user)
            except DjangoValidationError as error:
                raise refused(error) from error
            audit_write(
                request,
                "submission.update",
                unit=current.unit,
                target=f"submission:{current.pk}",
                fields=",".join(sorted(cleaned)),
            )
            return self._answer(current)

    @extend_schema(
        request=inputs.EmptyInput,
        responses={200: s.SubmissionSerializer},
        parameters=[IDEMPOTENCY_HEADER, IF_MATCH_OPTIONAL],
        description="Submit the report for review: every required field must be filled. "
        "Submitting a submitted report again changes nothing.",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        submission = self.object_or_deny("work")
        validated(inputs.EmptyInput, request)

        def run():
            current = self.get_queryset().select_for_update(of=("self",)).get(pk=submission.pk)
            check_if_match(request, self.get_serializer(current).data, required=False)
            if current.is_editable:
                stored = {v.field_key: v for v in current.values.all()}
                _clean_values(current.version.fields, {}, stored, require=True, partial=True)
            try:
                report_services.submission_save(
                    submission=current, data={}, user=request.user, submit=True
                )
            except DjangoValidationError as error:
                raise refused(error) from error
            audit_write(
                request, "submission.submit", unit=current.unit, target=f"submission:{current.pk}"
            )
            return self._answer(current)

        with transaction.atomic():
            return idempotent(request, run)


class DocumentViewSet(ReadOnlyViewSet):
    """Document metadata (the files themselves are downloaded in the portal)."""

    resource = "documents"
    selector = staticmethod(selectors.documents_for)
    serializer_class = s.DocumentSerializer
    filterset_class = _filterset(
        selectors.Document, unit=django_filters.CharFilter(field_name="unit__code")
    )


class ProductViewSet(ReadOnlyViewSet):
    resource = "catalogue"
    selector = staticmethod(selectors.products_for)
    serializer_class = s.ProductSerializer
    filterset_class = _filterset(selectors.Product, sku=django_filters.CharFilter())


class PriceListViewSet(ReadOnlyViewSet):
    resource = "catalogue"
    selector = staticmethod(selectors.price_lists_for)
    serializer_class = s.PriceListSerializer
    filterset_class = _filterset(selectors.PriceList)


class PriceViewSet(ReadOnlyViewSet):
    resource = "catalogue"
    selector = staticmethod(selectors.prices_for)
    serializer_class = s.PriceSerializer
    filterset_class = _filterset(selectors.PriceListItem, price_list=django_filters.NumberFilter())


class StockViewSet(ReadOnlyViewSet):
    """Stock per warehouse and product (the franchisor's side only)."""

    resource = "catalogue"
    selector = staticmethod(selectors.stock_for)
    serializer_class = s.StockSerializer
    filterset_class = _filterset(
        selectors.Stock, warehouse=django_filters.CharFilter(field_name="warehouse__code")
    )


def _lines_by_sku(order, quantities: dict) -> dict[int, str]:
    """{SKU: quantity} of a body to the services' {line id: quantity}."""
    lines = {ln.product.sku: ln.pk for ln in order.lines.all()}
    unknown = {sku: [_("Not a line of this order.")] for sku in quantities if sku not in lines}
    if unknown:
        raise exceptions.ValidationError({"quantities": unknown})
    return {lines[sku]: str(qty) for sku, qty in quantities.items()}


def _everything_left(order) -> dict[int, str]:
    return {
        ln.pk: str(ln.quantity - ln.quantity_shipped)
        for ln in order.lines.all()
        if ln.quantity > ln.quantity_shipped
    }


#: The API's order transitions: the body, the service call, and the name of the order page's
#: transition in orders.views.TRANSITIONS, whose right on the unit the caller needs.
ORDER_TRANSITIONS = {
    "confirm": (
        inputs.OrderConfirmInput,
        lambda o, d, u: order_services.order_confirm(
            order=o, user=u, quantities=_lines_by_sku(o, d.get("quantities", {})), note=d["note"]
        ),
        "confirm",
    ),
    "reject": (
        inputs.OrderRejectInput,
        lambda o, d, u: order_services.order_reject(order=o, user=u, reason=d["reason"]),
        "reject",
    ),
    "ship": (
        inputs.OrderShipInput,
        lambda o, d, u: order_services.order_ship(
            order=o,
            user=u,
            quantities=(
                _lines_by_sku(o, d["quantities"]) if "quantities" in d else _everything_left(o)
            ),
            note=d["note"],
        ),
        "ship",
    ),
    "deliver": (
        inputs.EmptyInput,
        lambda o, d, u: order_services.order_deliver(order=o, user=u),
        "received",
    ),
}


def _transition_schema(name: str, text: str):
    return extend_schema(
        request=ORDER_TRANSITIONS[name][0],
        responses={200: s.OrderSerializer},
        parameters=[IDEMPOTENCY_HEADER, IF_MATCH_OPTIONAL],
        description=text + " 409 (with the reasons) when the order's state or stock does not "
        "allow it.",
    )


class OrderViewSet(ReadOnlyViewSet):
    """Orders with their lines and status events; the franchisor's status changes (the same
    services and rights as the order desk)."""

    resource = "orders"
    selector = staticmethod(selectors.orders_for)
    serializer_class = s.OrderSerializer
    lookup_field = "number"
    filterset_class = _filterset(
        selectors.Order,
        status=django_filters.CharFilter(),
        unit=django_filters.CharFilter(field_name="unit__code"),
    )

    def get_queryset(self):
        pick = selectors.order_list_for if self.action == "list" else selectors.orders_for
        return pick(user=self.request.user, key=key_of(self.request))

    def list(self, request, *args, **kwargs):
        """A page of orders; its lines and events are read as rows (no model per line)."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        selectors.attach_order_rows(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _transition(self, request, name: str) -> Response:
        """An order the caller cannot see is a 404; one it sees without the desk's right on
        its unit a 403 naming the right (both leave an audit row and change nothing)."""
        body, change, page_action = ORDER_TRANSITIONS[name]
        order = self.object_or_deny("view")
        right = TRANSITIONS[page_action][0]
        if not access.can(request.user, right, order.unit):
            refuse_right(request, right, target=f"order:{order.number}")
        data = validated(body, request)

        def run():
            current = self.get_queryset().select_for_update(of=("self",)).get(pk=order.pk)
            check_if_match(request, self.get_serializer(current).data, required=False)
            before = current.status
            try:
                change(current, data, request.user)
            except DjangoValidationError as error:
                raise refused(error) from error
            fresh = self.get_queryset().get(pk=order.pk)
            audit_write(
                request,
                f"order.{name}",
                unit=fresh.unit,
                target=f"order:{fresh.number}",
                status_from=before,
                status_to=fresh.status,
            )
            return with_etag(Response(self.get_serializer(fresh).data))

        try:
            with transaction.atomic():
                return idempotent(request, run)
        except PermissionDenied:
            refuse_right(request, "work", target=f"order:{order.number}")

    @_transition_schema(
        "confirm", "Confirm a submitted order (reserves stock, issues the invoice)."
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, number=None):
        return self._transition(request, "confirm")

    @_transition_schema("reject", "Reject a submitted order, saying why.")
    @action(detail=True, methods=["post"])
    def reject(self, request, number=None):
        return self._transition(request, "reject")

    @_transition_schema("ship", "Record a shipment (all that is left, or the quantities given).")
    @action(detail=True, methods=["post"])
    def ship(self, request, number=None):
        return self._transition(request, "ship")

    @_transition_schema("deliver", "The goods arrived.")
    @action(detail=True, methods=["post"])
    def deliver(self, request, number=None):
        return self._transition(request, "deliver")


class InvoiceViewSet(ReadOnlyViewSet):
    resource = "invoices"
    selector = staticmethod(selectors.invoices_for)
    serializer_class = s.InvoiceSerializer
    lookup_field = "number"
    filterset_class = _filterset(
        selectors.Invoice, unit=django_filters.CharFilter(field_name="unit__code")
    )
