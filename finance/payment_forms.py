"""Forms of the payment pages (finance staff)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from franchise import access
from franchise.models import Franchisee

from .bank_files import LIMITS
from .services import MAX_AMOUNT

inn_validator = RegexValidator(r"^(\d{10}|\d{12})$", _("An INN has 10 or 12 digits."))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput)
    amount = forms.DecimalField(
        label=_("Amount, ₽"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_AMOUNT,
        localize=True,
        widget=forms.TextInput({"inputmode": "decimal"}),
    )
    payer_inn = forms.CharField(
        label=_("Payer's INN"),
        max_length=12,
        required=False,
        validators=[inn_validator],
        help_text=_("The unit is found by its INN; leave empty to choose the unit in the queue."),
    )
    payer_name = forms.CharField(label=_("Payer"), max_length=300, required=False)
    number = forms.CharField(label=_("Payment order number"), max_length=40, required=False)
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=500,
        required=False,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("An invoice number written here links the payment to the invoice."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Bank statement"),
        help_text=_(
            "A 1C exchange file (1CClientBankExchange, Windows-1251 or UTF-8), or CSV / XLSX "
            "with the columns date, amount, payer's INN and purpose."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > LIMITS.max_bytes:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": LIMITS.max_bytes // 2**20}
            )
        return upload


class AssignForm(forms.Form):
    unit = forms.CharField(label=_("Unit"), max_length=40, help_text=_("The unit's code or INN."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_unit(self):
        text = self.cleaned_data["unit"].strip()
        units = access.units_visible_to(self.user)
        found = list(units.filter(code__iexact=text)[:2]) or list(units.filter(inn=text)[:2])
        if not found:
            raise forms.ValidationError(_("No unit has this code or INN."))
        if len(found) > 1:
            raise forms.ValidationError(_("Several units have this INN: give the unit's code."))
        return found[0]


class PaymentFilter(forms.Form):
    STATES = [("", _("All")), ("matched", _("Matched")), ("unmatched", _("Unmatched"))]
    start = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end = forms.DateField(label=_("To"), required=False, widget=DateInput)
    unit = forms.CharField(label=_("Unit code"), required=False, max_length=40)
    state = forms.ChoiceField(label=_("Show"), choices=STATES, required=False)

    def clean_unit(self):
        code = self.cleaned_data["unit"].strip()
        if code and not Franchisee.objects.filter(code__iexact=code).exists():
            raise forms.ValidationError(_("No unit has this code."))
        return code
