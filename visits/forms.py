"""Forms of the visits app: planning, list filters; the checklist itself is read field by
field in `views.read_answers` (its items come from the frozen version, not from a Form)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ChecklistTemplate, Visit, shown_name


class PlanForm(forms.Form):
    unit = forms.CharField(label=_("Unit code"), max_length=40)
    template = forms.ModelChoiceField(
        label=_("Checklist"),
        queryset=ChecklistTemplate.objects.filter(is_active=True),
        empty_label=_("Choose a checklist"),
    )
    planned_date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units
        # In the order of the names the reader sees (the language of this request).
        field = self.fields["template"]
        field.queryset = field.queryset.order_by(shown_name(), "pk")

    def clean_unit(self):
        code = self.cleaned_data["unit"].strip()
        unit = self.units.filter(code__iexact=code).first() if self.units is not None else None
        if unit is None:
            raise forms.ValidationError(_("No unit with this code in your portfolio."))
        return unit


class ListFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any"))] + Visit.Status.choices
    )
    month = forms.CharField(
        label=_("Month"), required=False, widget=forms.DateInput(attrs={"type": "month"})
    )

    def month_value(self) -> date | None:
        raw = self.cleaned_data.get("month", "") if self.is_valid() else ""
        try:
            year, month = (int(p) for p in raw.split("-")[:2])
            return date(year, month, 1)
        except (ValueError, TypeError):
            return None

    def status_value(self) -> str:
        return self.cleaned_data.get("status", "") if self.is_valid() else ""
