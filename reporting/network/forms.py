"""Filters of the network pages (GET forms, usable without JavaScript)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from franchise.models import Region
from portal.dashboard import AMBER, GREEN, RED

from .scorecards import MEASURES

STATUS_CHOICES = [("", _("Any status")), (RED, _("Red")), (AMBER, _("Amber")), (GREEN, _("Green"))]
MEASURE_CHOICES = [(k, label) for k, (label, _kind) in MEASURES.items()]
#: The manager filter's value for units nobody is responsible for (no user has pk 0).
NO_MANAGER = 0


class NetworkFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False, empty_label=_("All")
    )
    manager = forms.TypedChoiceField(
        label=_("Account manager"), coerce=int, required=False, empty_value=None
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    measure = forms.ChoiceField(
        label=_("Measure"), choices=[("", "—"), *MEASURE_CHOICES], required=False
    )
    min = forms.DecimalField(label=_("from"), required=False)
    max = forms.DecimalField(label=_("to"), required=False)

    def __init__(self, *args, managers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].choices = [
            ("", _("All")),
            (NO_MANAGER, _("Without a manager")),
            *managers,
        ]

    def clean(self):
        data = super().clean()
        low, high = data.get("min"), data.get("max")
        if (low is not None or high is not None) and not data.get("measure"):
            self.add_error("measure", _("Choose the measure the range applies to."))
        if low is not None and high is not None and low > high:
            self.add_error("max", _("The upper bound is below the lower bound."))
        return data


class MeasureForm(forms.Form):
    measure = forms.ChoiceField(label=_("Measure"), choices=MEASURE_CHOICES, required=False)
    unit = forms.CharField(label=_("Mark unit (code)"), required=False, max_length=20)


class CompareForm(forms.Form):
    """Two to five unit codes, one per box (no JavaScript needed)."""

    MAX = 5
    MIN = 2

    def __init__(self, *args, allowed_codes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed_codes = allowed_codes
        for i in range(self.MAX):
            self.fields[f"u{i}"] = forms.CharField(
                label=_("Unit %(n)s") % {"n": i + 1}, required=False, max_length=20
            )

    def clean(self):
        data = super().clean()
        codes = []
        for i in range(self.MAX):
            code = (data.get(f"u{i}") or "").strip()
            if not code:
                continue
            if code in codes:
                self.add_error(f"u{i}", _("This unit is already chosen."))
            elif self.allowed_codes is not None and code not in self.allowed_codes:
                self.add_error(f"u{i}", _("No unit with this code in your portfolio."))
            else:
                codes.append(code)
        if len(codes) < self.MIN and not self.errors:
            raise forms.ValidationError(_("Choose two to five units."))
        data["codes"] = codes
        return data
