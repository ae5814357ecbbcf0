"""Formatting for the network pages: percentages, changes and measures by their kind."""

import math

from django import template
from django.utils.formats import number_format

from reporting.analytics.charts import full_number
from reporting.network.scorecards import MEASURES

register = template.Library()


def _missing(value) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


@register.filter
def pct(value):
    """0.256 -> 26 %."""
    if _missing(value):
        return "—"
    return f"{round(float(value) * 100)} %"


@register.filter
def change(value):
    """0.12 -> +12 %, -0.3 -> −30 %."""
    if _missing(value):
        return "—"
    n = round(float(value) * 100)
    return f"+{n} %" if n > 0 else (f"−{-n} %" if n < 0 else "0 %")


@register.filter
def num(value):
    if _missing(value):
        return "—"
    value = float(value)
    if value.is_integer():
        return number_format(int(value), force_grouping=True)
    return number_format(round(value, 1), 1, force_grouping=True)


@register.filter
def measure(row, key):
    """A row's measure formatted by its kind (number, int, pct)."""
    value = row.get(key) if hasattr(row, "get") else None
    kind = MEASURES.get(key, (None, "number"))[1]
    if kind == "pct":
        return change(value) if key == "key_change" else pct(value)
    return num(value)


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def chart_num(value):
    """A number as the chart's tooltip shows it (the table under a chart repeats it)."""
    return "—" if _missing(value) else full_number(value)
