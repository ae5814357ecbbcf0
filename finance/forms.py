"""Filters of the receivables page (a GET form, usable without JavaScript)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

SHOW_CHOICES = [
    ("", _("All units")),
    ("debt", _("Units that owe")),
    ("overdue", _("Units with overdue debt")),
]
SORT_CHOICES = [
    ("overdue", _("Overdue, largest first")),
    ("balance", _("Balance, largest first")),
    ("d90_plus", _("Over 90 days, largest first")),
    ("dso", _("DSO, longest first")),
    ("code", _("Unit code")),
]


class ReceivablesFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    region = forms.TypedChoiceField(label=_("Region"), coerce=int, required=False, empty_value=None)
    manager = forms.TypedChoiceField(
        label=_("Account manager"), coerce=int, required=False, empty_value=None
    )
    show = forms.ChoiceField(label=_("Show"), choices=SHOW_CHOICES, required=False)
    sort = forms.ChoiceField(label=_("Sort"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args, regions=(), managers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All")), *regions]
        self.fields["manager"].choices = [("", _("All")), *managers]
