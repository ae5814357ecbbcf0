"""Bodies the API accepts: shapes and types only. What a value may be (bounds, required
fields, allowed transitions, stock) is decided by the apps' forms and services."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from .writes import StrictSerializer

#: The JSON types a report value may have (files are uploaded in the portal, not here).
SCALARS = (str, int, float, bool, type(None))


class ValuesField(serializers.DictField):
    """{field key: value}: a number (or a numeric string), a text, true/false, or null."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.JSONField(), **kwargs)

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        wrong = {
            k: [_("Give a number, a text, true/false or null.")]
            for k, v in values.items()
            if not isinstance(v, SCALARS)
        }
        if wrong:
            raise serializers.ValidationError(wrong)
        return values


class SubmissionCreateInput(StrictSerializer):
    unit = serializers.CharField(max_length=20, help_text="The unit's code.")
    template = serializers.SlugField(help_text="The report template's slug.")
    period = serializers.DateField(help_text="The first day of the period (a closed one).")
    values = ValuesField(required=False, default=dict)


class SubmissionValuesInput(StrictSerializer):
    values = ValuesField(
        help_text="PATCH: only the fields given change. PUT: fields left out are cleared."
    )


class EmptyInput(StrictSerializer):
    """No fields (an empty object, or no body at all)."""


class OrderConfirmInput(StrictSerializer):
    quantities = serializers.DictField(
        child=serializers.DecimalField(max_digits=12, decimal_places=3, min_value=0),
        required=False,
        help_text="Other quantities than ordered, {SKU: quantity}; lines left out stay as "
        "ordered, 0 drops a line.",
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class OrderRejectInput(StrictSerializer):
    reason = serializers.CharField(max_length=2000, help_text="Shown to the unit.")


class OrderShipInput(StrictSerializer):
    quantities = serializers.DictField(
        child=serializers.DecimalField(max_digits=12, decimal_places=3, min_value=0),
        required=False,
        help_text="What is shipped, {SKU: quantity}; left out: everything not shipped yet.",
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class PaymentInput(StrictSerializer):
    unit = serializers.CharField(
        max_length=20,
        required=False,
        allow_null=True,
        help_text="The paying unit's code; left out, the invoice's unit, else the payment waits "
        "unmatched.",
    )
    invoice = serializers.CharField(max_length=30, required=False, allow_null=True)
    paid_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    payer_name = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    payer_inn = serializers.CharField(max_length=12, required=False, allow_blank=True, default="")
    purpose = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
