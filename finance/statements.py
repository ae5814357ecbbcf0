"""A unit's statement as downloads: an XLSX table and a PDF laid out like a Russian
reconciliation act ("Акт сверки взаиморасчётов").

Both are built from `selectors.unit_statement`, so their figures are the page's: the opening
balance, the entries of the range and the closing balance, which the entries add up to.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats, translation
from django.utils.translation import gettext as _

from portal.pdf import render_pdf
from reporting.exports import xlsx_bytes

from .models import Agreement, EntryKind
from .selectors import Statement


def entry_title(entry) -> str:
    """What the entry is, as a document line: "Royalty for March 2026", "Payment No. 15"."""
    kind = entry.get_kind_display()
    details = entry.details or {}
    if entry.reverses_id:
        kind = _("Reversal: %(kind)s") % {"kind": kind}
    if entry.kind == EntryKind.PAYMENT and details.get("number"):
        return _("%(kind)s, document No. %(number)s") % {"kind": kind, "number": details["number"]}
    if entry.kind == EntryKind.INVOICE and details.get("number"):
        return _("%(kind)s No. %(number)s") % {"kind": kind, "number": details["number"]}
    if entry.period_start:
        period = formats.date_format(entry.period_start, "F Y")
        return _("%(kind)s for %(period)s") % {"kind": kind, "period": period}
    return kind


# XLSX -------------------------------------------------------------------------------------


def statement_xlsx(unit, statement: Statement) -> bytes:
    """Opening balance, one row per entry (debit: the unit owes more; credit: less), closing
    balance; the running balance in the last column."""
    columns = [_("Date"), _("Entry"), _("Details"), _("Due"), _("Debit"), _("Credit"), _("Balance")]
    running = statement.opening
    rows = [[statement.start, _("Opening balance"), "", None, None, None, running]]
    for entry in statement.rows:
        running += entry.amount
        rows.append(
            [
                entry.posted_on,
                entry_title(entry),
                getattr(entry, "text", ""),
                entry.due_on if entry.amount > 0 else None,
                entry.amount if entry.amount > 0 else None,
                -entry.amount if entry.amount < 0 else None,
                running,
            ]
        )
    debit, credit = turnover(statement)
    rows.append([None, _("Turnover for the period"), "", None, debit, credit, None])
    rows.append([statement.end, _("Closing balance"), "", None, None, None, statement.closing])
    return xlsx_bytes(columns, rows, title=f"{unit.code} {statement.start:%Y-%m-%d}")


def turnover(statement: Statement) -> tuple[Decimal, Decimal]:
    """(debit, credit) of the range: what was charged, what was paid or credited."""
    debit = sum((e.amount for e in statement.rows if e.amount > 0), Decimal(0))
    credit = sum((-e.amount for e in statement.rows if e.amount < 0), Decimal(0))
    return debit, credit


# Reconciliation act -----------------------------------------------------------------------


@dataclass
class ActLine:
    """One line of the act: the franchisor's debit/credit and the unit's mirror image."""

    date: object
    title: str
    debit: Decimal | None = None  # by the franchisor's books: the unit owes
    credit: Decimal | None = None  # by the franchisor's books: the unit paid

    @property
    def unit_debit(self):
        return self.credit

    @property
    def unit_credit(self):
        return self.debit


def _balance_line(on, title: str, amount: Decimal) -> ActLine:
    return ActLine(
        on, title, debit=amount if amount > 0 else None, credit=-amount if amount < 0 else None
    )


@dataclass
class Parties:
    franchisor_name: str
    franchisor_inn: str
    franchisor_kpp: str
    unit_name: str
    unit_inn: str
    unit_kpp: str
    agreement_number: str = ""
    agreement_date: object = None


def parties_of(unit) -> Parties:
    """The legal details of both sides: the agreement's for the franchisor, the unit's own."""
    agreement = Agreement.objects.filter(unit=unit).first()
    if agreement is None:
        from orders.models import FranchisorDetails

        seller = FranchisorDetails.load()
        franchisor = (seller.legal_name, seller.inn, seller.kpp)
    else:
        franchisor = (
            agreement.franchisor_name,
            agreement.franchisor_inn,
            agreement.franchisor_kpp,
        )
    return Parties(
        *franchisor,
        unit_name=unit.legal_name or unit.trading_name,
        unit_inn=unit.inn,
        unit_kpp=unit.kpp,
        agreement_number=agreement.number if agreement else "",
        agreement_date=agreement.signed_on if agreement else None,
    )


def act_context(unit, statement: Statement, parties: Parties) -> dict:
    lines = [_balance_line(statement.start, _("Opening balance"), statement.opening)]
    for entry in statement.rows:
        lines.append(
            ActLine(
                entry.posted_on,
                entry_title(entry),
                debit=entry.amount if entry.amount > 0 else None,
                credit=-entry.amount if entry.amount < 0 else None,
            )
        )
    debit, credit = turnover(statement)
    totals = ActLine(None, _("Turnover for the period"), debit=debit, credit=credit)
    closing = _balance_line(statement.end, _("Closing balance"), statement.closing)
    return {
        "unit": unit,
        "statement": statement,
        "parties": parties,
        "opening": lines[0],
        "lines": lines[1:],
        "totals": totals,
        "closing": closing,
        "owed": abs(statement.closing),
        "unit_owes": statement.closing > 0,
        "franchisor_owes": statement.closing < 0,
    }


def act_pdf(unit, statement: Statement) -> bytes:
    """The act in Russian whoever asks: it is a document signed by both parties."""
    from orders.invoices import amount_in_words

    parties = parties_of(unit)
    with translation.override("ru"):
        context = act_context(unit, statement, parties)
        context["in_words"] = amount_in_words(context["owed"])
        return render_pdf("pdf/reconciliation_act.html", context)
