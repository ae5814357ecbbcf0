"""`{% load money %}{{ amount|money }}`: an amount in the reader's locale with the rouble sign."""

from django import template

from portal.money import format_money

register = template.Library()


@register.filter
def money(value, currency: str = "₽"):
    if value is None or value == "":
        return ""
    return format_money(value, currency)
