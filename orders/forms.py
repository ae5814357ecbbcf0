from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from franchise.models import Region

from .models import OrderStatus


class SubmitForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    accepted_total = forms.DecimalField(widget=forms.HiddenInput, max_digits=14, decimal_places=2)
    delivery_date = forms.TypedChoiceField(label=_("Delivery date"), choices=())
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args, dates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.dates = {d.isoformat(): d for d in dates}
        self.fields["delivery_date"].choices = [
            (key, date_format(d, "l, j E")) for key, d in self.dates.items()
        ]

    def clean_delivery_date(self):
        return self.dates[self.cleaned_data["delivery_date"]]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea({"rows": 2}))


class DeskFilter(forms.Form):
    STATUSES = [
        (OrderStatus.SUBMITTED, _("Waiting for confirmation")),
        ("open", _("All open")),
        ("", _("All")),
        *OrderStatus.choices,
    ]
    status = forms.ChoiceField(label=_("Status"), choices=STATUSES, required=False)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("All regions"),
    )
    q = forms.CharField(label=_("Unit or number"), required=False, max_length=200)
