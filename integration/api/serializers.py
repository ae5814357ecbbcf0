"""Read representations of the portal's objects for integrations (stable field names)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from finance.models import Balance, Entry, Payment
from franchise.models import Document, Franchisee, Membership
from integration.selectors import ORDER_FIELDS
from orders.models import (
    Invoice,
    Order,
    OrderEvent,
    OrderLine,
    PriceList,
    PriceListItem,
    Product,
    Stock,
)
from reporting.models import ReportField, ReportTemplate, Submission, Value


class PersonSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    full_name = serializers.CharField(source="user.full_name")
    email = serializers.EmailField(source="user.email")

    class Meta:
        model = Membership
        fields = ["username", "full_name", "email", "role"]


class UnitSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    account_manager = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    people = PersonSerializer(source="memberships", many=True, read_only=True)

    class Meta:
        model = Franchisee
        fields = [
            "code",
            "legal_name",
            "trading_name",
            "inn",
            "kpp",
            "region",
            "city",
            "address",
            "phone",
            "email",
            "status",
            "opened_on",
            "account_manager",
            "people",
        ]


#: How the plain text of a bilingual object is chosen, for the schema.
IN_REQUEST_LANGUAGE = (
    "In the language of the request's Accept-Language header (en or ru; English without "
    "one, and where no Russian text was given). The `_en` and `_ru` fields hold each."
)


@extend_schema_field(OpenApiTypes.STR)
class LanguageText(serializers.Field):
    """One language's text of a translated model field (`name` + `_en`/`_ru`), "" when
    nobody gave it, whatever the request's language."""

    def __init__(self, name: str, language: str, **kwargs):
        self.text_name = f"{name}_{language}"
        kwargs.setdefault("help_text", f"The {language} text ('' when none was given).")
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance) -> str:
        return getattr(instance, self.text_name) or ""


class ReportFieldSerializer(serializers.ModelSerializer):
    """A field of a report template. Answers are stored under `key`; a choice field's values
    are its English options whatever the language."""

    label_en = LanguageText("label", "en")
    label_ru = LanguageText("label", "ru")
    unit_en = LanguageText("unit", "en")
    unit_ru = LanguageText("unit", "ru")

    class Meta:
        model = ReportField
        fields = [
            "key",
            "label",
            "label_en",
            "label_ru",
            "kind",
            "unit",
            "unit_en",
            "unit_ru",
            "required",
            "min_value",
            "max_value",
        ]
        extra_kwargs = {
            "label": {"help_text": IN_REQUEST_LANGUAGE},
            "unit": {"help_text": IN_REQUEST_LANGUAGE},
        }


class ReportTemplateSerializer(serializers.ModelSerializer):
    fields = ReportFieldSerializer(many=True, read_only=True)
    name_en = LanguageText("name", "en")
    name_ru = LanguageText("name", "ru")

    class Meta:
        model = ReportTemplate
        fields = ["slug", "name", "name_en", "name_ru", "period_kind", "due_days", "fields"]
        extra_kwargs = {"name": {"help_text": IN_REQUEST_LANGUAGE}}


class ValueSerializer(serializers.ModelSerializer):
    field = serializers.CharField(source="field_key")
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = Value
        fields = ["field", "number", "text", "has_file"]

    def get_has_file(self, value) -> bool:
        return bool(value.file)


class SubmissionSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    template = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    values = ValueSerializer(many=True, read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "unit",
            "template",
            "period_start",
            "period_end",
            "due_date",
            "status",
            "submitted_at",
            "reviewed_at",
            "updated_at",
            "values",
        ]


class DocumentSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    category = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)
    version = serializers.IntegerField(source="current_version.number", allow_null=True)
    file_name = serializers.CharField(source="current_version.original_name", allow_null=True)
    size = serializers.IntegerField(source="current_version.size", allow_null=True)
    content_type = serializers.CharField(source="current_version.content_type", allow_null=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "unit",
            "folder",
            "title",
            "description",
            "category",
            "must_read",
            "audience",
            "version",
            "file_name",
            "size",
            "content_type",
            "created_at",
            "updated_at",
        ]


class ProductSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="external_id", read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "sku",
            "external_id",
            "name_en",
            "name_ru",
            "description_en",
            "description_ru",
            "category",
            "unit_of_measure",
            "pack_size",
            "min_qty",
            "vat_rate",
            "is_active",
            "updated_at",
        ]


class PriceListSerializer(serializers.ModelSerializer):
    regions = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    units = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = PriceList
        fields = [
            "id",
            "name",
            "is_base",
            "regions",
            "units",
            "valid_from",
            "valid_to",
            "updated_at",
        ]


class PriceSerializer(serializers.ModelSerializer):
    sku = serializers.CharField(source="product.sku")

    class Meta:
        model = PriceListItem
        fields = ["id", "price_list", "product", "sku", "price", "updated_at"]


class StockSerializer(serializers.ModelSerializer):
    warehouse = serializers.SlugRelatedField(slug_field="code", read_only=True)
    sku = serializers.CharField(source="product.sku")
    available = serializers.DecimalField(max_digits=12, decimal_places=3)

    class Meta:
        model = Stock
        fields = [
            "id",
            "warehouse",
            "product",
            "sku",
            "on_hand",
            "reserved",
            "available",
            "expected_on",
            "updated_at",
        ]


class RowsListSerializer(serializers.ListSerializer):
    """A nested list that renders plain rows (dicts from `values()`, keyed by field name, set
    on the parent as `_api_rows[field]`) with the child's own fields: the same JSON as the
    model path without a model instance per row."""

    def get_attribute(self, instance):
        rows = getattr(instance, "_api_rows", {}).get(self.field_name)
        return rows if rows is not None else super().get_attribute(instance)

    def to_representation(self, data):
        if not isinstance(data, list) or not data or not isinstance(data[0], dict):
            return super().to_representation(data)
        fields = [
            (f.field_name, None if isinstance(f, serializers.RelatedField) else f.to_representation)
            for f in self.child._readable_fields
        ]
        return [
            {
                name: value if show is None or value is None else show(value)
                for name, show in fields
                for value in (row[name],)
            }
            for row in data
        ]


class OrderLineSerializer(serializers.ModelSerializer):
    sku = serializers.CharField(source="product.sku")

    class Meta:
        model = OrderLine
        list_serializer_class = RowsListSerializer
        fields = [
            "product",
            "sku",
            "quantity_ordered",
            "quantity",
            "quantity_shipped",
            "price",
            "vat_rate",
            "line_total",
            "vat_amount",
        ]


class OrderEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderEvent
        list_serializer_class = RowsListSerializer
        fields = ["from_status", "to_status", "at", "note"]


class OrderSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    warehouse = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    lines = OrderLineSerializer(many=True, read_only=True)
    events = OrderEventSerializer(many=True, read_only=True)

    class Meta:
        model = Order
        fields = [*ORDER_FIELDS, "lines", "events"]


class InvoiceSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    order = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = Invoice
        fields = [
            "number",
            "order",
            "unit",
            "issued_on",
            "due_on",
            "total",
            "vat_total",
            "updated_at",
        ]


class EntrySerializer(serializers.ModelSerializer):
    """One ledger line (positive: the unit owes more). Entries are never changed: a correction
    is a reversal (`reverses`) plus a new entry."""

    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    invoice = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)

    class Meta:
        model = Entry
        fields = [
            "id",
            "unit",
            "kind",
            "posted_on",
            "period_start",
            "due_on",
            "amount",
            "details",
            "submission",
            "revision",
            "invoice",
            "payment",
            "reverses",
            "created_at",
        ]


class BalanceSerializer(serializers.ModelSerializer):
    """What the unit owes now (the sum of its entries; negative: paid in advance)."""

    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Balance
        fields = ["unit", "amount", "updated_at"]


class PaymentSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    invoice = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)

    class Meta:
        model = Payment
        fields = [
            "id",
            "unit",
            "invoice",
            "paid_on",
            "amount",
            "number",
            "payer_name",
            "payer_inn",
            "purpose",
            "created_at",
        ]
