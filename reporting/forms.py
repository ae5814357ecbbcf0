"""Forms: the report form built from a frozen template version, review, upload, admin form."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from .formulas import FormulaError, check_formula, parse_formula
from .models import NUMERIC_KINDS, FieldKind

YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]


def _limit(value, unit: str) -> str:
    text = f"{Decimal(value).normalize():f}"
    return f"{text} {unit}".strip()


def build_field(d: dict, *, require: bool) -> forms.Field:
    kind = d["kind"]
    common = {
        "label": d["label"],
        "help_text": d.get("help", ""),
        "required": require and d.get("required", False),
        "error_messages": {"required": _("Fill in %(label)s.") % {"label": d["label"]}},
    }
    if kind in (FieldKind.INTEGER, FieldKind.DECIMAL, FieldKind.MONEY, FieldKind.PERCENT):
        validators = []
        unit = d.get("unit", "")
        if d.get("min") is not None:
            validators.append(
                MinValueValidator(
                    Decimal(d["min"]),
                    message=_("Must be at least %(limit)s.") % {"limit": _limit(d["min"], unit)},
                )
            )
        if d.get("max") is not None:
            validators.append(
                MaxValueValidator(
                    Decimal(d["max"]),
                    message=_("Must be at most %(limit)s.") % {"limit": _limit(d["max"], unit)},
                )
            )
        if kind == FieldKind.INTEGER:
            field = forms.IntegerField(
                **common,
                validators=validators,
                widget=forms.NumberInput(attrs={"step": "1", "inputmode": "numeric"}),
            )
            field.error_messages["invalid"] = _("Enter a whole number.")
        else:
            field = forms.DecimalField(
                **common,
                validators=validators,
                max_digits=16,
                decimal_places=2 if kind == FieldKind.MONEY else 4,
                widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            )
            field.error_messages["invalid"] = _("Enter a number.")
            field.error_messages["max_decimal_places"] = _(
                "Use at most %(max)s digits after the decimal point."
            ) % {"max": 2 if kind == FieldKind.MONEY else 4}
        return field
    if kind == FieldKind.YES_NO:
        return _yes_no(common)
    if kind == FieldKind.CHOICE:
        labels = d.get("choice_labels") or {c: c for c in d["choices"]}
        field = forms.ChoiceField(**common, choices=[("", "—"), *labels.items()])
        field.error_messages["invalid_choice"] = _("Choose one of the options.")
        return field
    if kind == FieldKind.FILE:
        # A plain input: the stored file is private, linked by the page itself.
        return forms.FileField(**common, widget=forms.FileInput)
    return forms.CharField(**common, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


def _yes_no(common: dict) -> forms.Field:
    field = forms.ChoiceField(**common, choices=YES_NO, widget=forms.RadioSelect)
    field.error_messages["invalid_choice"] = _("Answer yes or no.")
    return field


class ReportForm(forms.Form):
    """The fields a unit fills in; computed fields are shown, not entered.

    `require=False` is used for drafts: types and bounds are checked, missing values are not.
    """

    def __init__(self, *args, definitions: list[dict], require: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.definitions = definitions
        for d in definitions:
            if d.get("formula"):
                continue
            self.fields[d["key"]] = build_field(d, require=require)

    def clean(self):
        data = super().clean()
        for d in self.definitions:
            if d["kind"] == FieldKind.YES_NO and data.get(d["key"]) in ("yes", "no"):
                data[d["key"]] = data[d["key"]] == "yes"
            if d["kind"] in (FieldKind.CHOICE, FieldKind.FILE) and data.get(d["key"]) in ("",):
                data[d["key"]] = None
        return data


def initial_from_values(definitions: list[dict], values: dict) -> dict:
    """Stored values (Value rows by key) to the form's initial data."""
    initial = {}
    for d in definitions:
        v = values.get(d["key"])
        if v is None:
            continue
        if d["kind"] == FieldKind.YES_NO:
            initial[d["key"]] = None if v.number is None else ("yes" if v.number else "no")
        elif d["kind"] == FieldKind.INTEGER:
            initial[d["key"]] = None if v.number is None else int(v.number)
        elif d["kind"] in NUMERIC_KINDS:
            initial[d["key"]] = None if v.number is None else v.number.normalize()
        elif d["kind"] == FieldKind.FILE:
            initial[d["key"]] = v.file or None
        else:
            initial[d["key"]] = v.text
    return initial


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", gettext_lazy("Approve")), ("return", gettext_lazy("Return"))],
        widget=forms.HiddenInput,
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment for the unit"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say what needs to be corrected before returning."))
        return data


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (XLSX or CSV)"),
        help_text=gettext_lazy("Download the template below, fill in the value column, upload."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.REPORTING_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is too large (%(size)s KB); the limit is %(limit)s KB.")
                % {"size": upload.size // 1024, "limit": limit // 1024}
            )
        return upload


class ReportTemplateAdminForm(WagtailAdminModelForm):
    """Checks the fields together: unique keys, formulas over known number fields, no cycles."""

    def clean(self):
        data = super().clean()
        formset = self.formsets.get("fields")
        if formset is None:
            return data
        formset.is_valid()
        live = [
            f
            for f in formset.forms
            if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")
        ]
        seen = {}
        for f in live:
            key = f.cleaned_data.get("key")
            if key in seen:
                message = _("Another field already uses the key “%(key)s”.") % {"key": key}
                f.add_error("key", message)
            seen[key] = f
        numeric = {
            f.cleaned_data["key"]
            for f in live
            if f.cleaned_data.get("key") and f.cleaned_data.get("kind") in NUMERIC_KINDS
        }
        computed = {}
        for f in live:
            formula = (f.cleaned_data.get("formula") or "").strip()
            if formula:
                try:
                    parse_formula(formula)
                except FormulaError:
                    continue  # the field's own clean() already said why
                computed[f.cleaned_data.get("key")] = formula
        for f in live:
            key = f.cleaned_data.get("key")
            if key in computed:
                try:
                    check_formula(computed[key], key=key, known=numeric, computed=computed)
                except FormulaError as error:
                    f.add_error("formula", str(error))
        return data
