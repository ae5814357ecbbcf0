"""Thin views: the unit's ledger and statement (access through franchise.access)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from franchise import access

from . import receivables, selectors


def _date(value: str | None, fallback: date) -> date:
    try:
        return date.fromisoformat(value) if value else fallback
    except ValueError:
        return fallback


@login_required
def unit_ledger(request, code):
    unit = access.get_unit_or_404(request, code)
    start, end = selectors.default_range()
    start = _date(request.GET.get("from"), start)
    end = _date(request.GET.get("to"), end)
    statement = selectors.unit_statement(unit, start=start, end=end)
    position = receivables.unit_position(unit, today=timezone.localdate())
    return render(
        request,
        "finance/unit_ledger.html",
        {"unit": unit, "statement": statement, "position": position},
    )
