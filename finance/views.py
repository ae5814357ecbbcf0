"""Thin views: the unit's ledger, position and statement downloads (access through
franchise.access)."""

from __future__ import annotations

from datetime import date

import pandas as pd
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from franchise import access
from franchise.audit import Action, audit_record
from reporting.exports import XLSX, pdf_response, table_response

from . import receivables, selectors, statements
from .forms import ReceivablesFilterForm


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


# The franchisor's receivables ------------------------------------------------------------

UNITS_PER_PAGE = 50
SORTS = {
    "overdue": (["overdue", "balance", "code"], [False, False, True]),
    "balance": (["balance", "code"], [False, True]),
    "d90_plus": (["d90_plus", "overdue", "code"], [False, False, True]),
    "dso": (["dso", "code"], [False, True]),
    "code": (["code"], [True]),
}


def _choices(table: pd.DataFrame, key: str, name: str) -> list[tuple[int, str]]:
    found = table[table[key].notna()][[key, name]].drop_duplicates()
    return sorted(((int(k), str(n)) for k, n in found.itertuples(index=False)), key=lambda x: x[1])


def _filtered(table: pd.DataFrame, data: dict) -> pd.DataFrame:
    if q := (data.get("q") or "").strip():
        hit = table["code"].str.contains(q, case=False, regex=False) | table["name"].str.contains(
            q, case=False, regex=False
        )
        table = table[hit]
    if region := data.get("region"):
        table = table[table["region_id"] == region]
    if manager := data.get("manager"):
        table = table[table["manager_id"] == manager]
    if data.get("show") == "debt":
        table = table[table["balance"] > 0]
    elif data.get("show") == "overdue":
        table = table[table["overdue"] > 0]
    columns, ascending = SORTS.get(data.get("sort") or "overdue", SORTS["overdue"])
    return table.sort_values(columns, ascending=ascending, na_position="last")


def _money_record(row: dict) -> dict:
    out = dict(row)
    for column in (*receivables.MONEY_COLUMNS, "positive"):
        if column in out:
            out[column] = receivables.to_money(out[column])
    out["ages"] = [out.get(key) for key in receivables.BUCKET_KEYS]
    return out


def _export(table: pd.DataFrame, by: str, today):
    buckets = [str(label) for _key, label, _f, _l in receivables.BUCKETS]
    money = ["balance", *receivables.BUCKET_KEYS, "overdue", "accrued"]
    money_labels = [_("Balance"), *buckets, _("Overdue"), _("Accrued, 90 days")]
    if by in ("region", "manager"):
        groups = receivables.group_totals(table, by)
        columns = [_("Region") if by == "region" else _("Account manager"), _("Units")]
        columns += [*money_labels, _("DSO, days")]
        rows = [
            [r[by], r["units"], *(receivables.to_money(r[c]) for c in money), r["dso"]]
            for r in groups.to_dict("records")
        ]
    else:
        columns = [_("Code"), _("Unit"), _("Region"), _("Account manager")]
        columns += [*money_labels, _("DSO, days")]
        rows = [
            [
                r["code"],
                r["name"],
                r["region"],
                r["manager"],
                *(receivables.to_money(r[c]) for c in money),
                r["dso"],
            ]
            for r in table.to_dict("records")
        ]
    return table_response(f"receivables-{by or 'unit'}-{today.isoformat()}", columns, rows, "xlsx")


@login_required
def receivables_page(request):
    """Receivables of a manager's portfolio (the network for leads and finance staff): per
    unit, region and manager, by age, with DSO. Computed on each request from the balance rows
    and the open charges (four queries), so a new payment shows at once."""
    scope = selectors.receivables_scope(request.user)
    if scope is None:
        access.deny(request, target="finance:receivables", action="review")
    today = timezone.localdate()
    table = receivables.network_table(scope, today=today)
    is_network = access.has_network_right(request.user)
    form = ReceivablesFilterForm(
        request.GET or None,
        regions=_choices(table, "region_id", "region"),
        managers=_choices(table, "manager_id", "manager") if is_network else (),
    )
    data = form.cleaned_data if form.is_valid() else {}
    shown = _filtered(table, data)
    if request.GET.get("format") == "xlsx":
        by = request.GET.get("by", "")
        return _export(shown, by if by in ("region", "manager") else "", today)
    page = Paginator(shown, UNITS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = [_money_record(r) for r in page.object_list.to_dict("records")]
    totals = _money_record(receivables.totals(shown))
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    params.pop("by", None)
    return render(
        request,
        "finance/receivables.html",
        {
            "form": form,
            "page": page,
            "query": params.urlencode(),
            "buckets": [(key, label) for key, label, _f, _l in receivables.BUCKETS],
            "totals": totals,
            "totals_ages": list(
                zip((b[1] for b in receivables.BUCKETS), totals["ages"], strict=True)
            ),
            "regions": [
                _money_record(r)
                for r in receivables.group_totals(shown, "region").to_dict("records")
            ],
            "managers": [
                _money_record(r)
                for r in receivables.group_totals(shown, "manager").to_dict("records")
            ],
            "is_network": is_network,
            "today": today,
        },
    )
