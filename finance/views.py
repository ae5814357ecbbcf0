"""Thin views: the unit's ledger, position and statement downloads (access through
franchise.access)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from franchise import access
from franchise.audit import Action, audit_record
from reporting.exports import XLSX, pdf_response

from . import receivables, selectors, statements


def _date(value: str | None, fallback: date) -> date:
    try:
        return date.fromisoformat(value) if value else fallback
    except ValueError:
        return fallback


def _range(request) -> tuple[date, date]:
    """The `from`/`to` of the query string; unreadable dates fall back to the default range,
    and a range given backwards is turned round."""
    start, end = selectors.default_range()
    start = _date(request.GET.get("from"), start)
    end = _date(request.GET.get("to"), end)
    return (end, start) if start > end else (start, end)


@login_required
def unit_ledger(request, code):
    unit = access.get_unit_or_404(request, code)
    start, end = _range(request)
    statement = selectors.unit_statement(unit, start=start, end=end)
    position = receivables.unit_position(unit, today=timezone.localdate())
    return render(
        request,
        "finance/unit_ledger.html",
        {
            "unit": unit,
            "statement": statement,
            "position": position,
            "from_value": start.isoformat(),
            "to_value": end.isoformat(),
        },
    )


def _downloaded(request, unit, what: str, start: date, end: date) -> None:
    audit_record(
        Action.DOWNLOAD,
        actor=request.user,
        unit=unit,
        target=f"finance-{what}:{unit.code}:{start}:{end}",
        request=request,
    )


@login_required
def unit_statement_xlsx(request, code):
    unit = access.get_unit_or_404(request, code)
    start, end = _range(request)
    statement = selectors.unit_statement(unit, start=start, end=end)
    response = HttpResponse(statements.statement_xlsx(unit, statement), content_type=XLSX)
    name = f"statement-{unit.code}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    _downloaded(request, unit, "statement", start, end)
    return response


@login_required
def unit_act_pdf(request, code):
    unit = access.get_unit_or_404(request, code)
    start, end = _range(request)
    statement = selectors.unit_statement(unit, start=start, end=end)
    data = statements.act_pdf(unit, statement)
    _downloaded(request, unit, "act", start, end)
    return pdf_response(data, f"act-{unit.code}-{start:%Y%m%d}-{end:%Y%m%d}.pdf")
