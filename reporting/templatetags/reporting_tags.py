from django import template

from reporting.analytics.charts import full_number
from reporting.models import shown_choice

register = template.Library()


@register.filter
def num(value, digits=None):
    """12 345.6 — grouped with thin spaces, at most two decimals; "—" for nothing."""
    if value is None or value == "":
        return "—"
    try:
        value = float(value)
    except (TypeError, ValueError):
        return value
    if value != value:  # NaN
        return "—"
    if digits is None:
        return full_number(value)
    return f"{value:,.{int(digits)}f}".replace(",", "\u202f")


@register.filter
def answer(value, definition):
    """A stored text answer as its (localised) field shows it: a choice by its label."""
    return shown_choice(definition, value)


@register.filter
def pct(value):
    """+12.3 % / −4.0 %; "—" for nothing."""
    if value is None or value != value:
        return "—"
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return f"{sign}{abs(value) * 100:.1f} %"


@register.filter
def trend_class(value):
    if value is None or value != value or value == 0:
        return ""
    return "up" if value > 0 else "down"
