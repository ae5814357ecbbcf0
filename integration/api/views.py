"""Read endpoints of /api/v1/: thin viewsets over integration.selectors.

Every list is cursor-paginated in a stable order and filters by `updated_since` where the
rows carry an update time, so a sync tool resumes where it stopped.
"""

import django_filters

from integration import selectors

from . import serializers as s
from .base import ReadOnlyViewSet


def _filterset(model_, *, updated=True, **extra):
    """A FilterSet with `updated_since` (ISO 8601) and the given exact filters."""
    attrs = dict(extra)
    if updated:
        attrs["updated_since"] = django_filters.IsoDateTimeFilter(
            field_name="updated_at", lookup_expr="gte"
        )
    attrs["Meta"] = type("Meta", (), {"model": model_, "fields": []})
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
    resource = "reports"
    selector = staticmethod(selectors.templates_for)
    serializer_class = s.ReportTemplateSerializer
    lookup_field = "slug"
    cursor_ordering = ("slug",)


class SubmissionViewSet(ReadOnlyViewSet):
    """Report submissions of the caller's units, with their values."""

    resource = "reports"
    selector = staticmethod(selectors.submissions_for)
    serializer_class = s.SubmissionSerializer
    filterset_class = _filterset(
        selectors.Submission,
        template=django_filters.CharFilter(field_name="template__slug"),
        unit=django_filters.CharFilter(field_name="unit__code"),
        status=django_filters.CharFilter(),
    )


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


class OrderViewSet(ReadOnlyViewSet):
    """Orders with their lines and status events."""

    resource = "orders"
    selector = staticmethod(selectors.orders_for)
    serializer_class = s.OrderSerializer
    lookup_field = "number"
    filterset_class = _filterset(
        selectors.Order,
        status=django_filters.CharFilter(),
        unit=django_filters.CharFilter(field_name="unit__code"),
    )


class InvoiceViewSet(ReadOnlyViewSet):
    resource = "invoices"
    selector = staticmethod(selectors.invoices_for)
    serializer_class = s.InvoiceSerializer
    lookup_field = "number"
    filterset_class = _filterset(
        selectors.Invoice, unit=django_filters.CharFilter(field_name="unit__code")
    )
