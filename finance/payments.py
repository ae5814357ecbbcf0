"""Payments by hand and from bank statements: checking, matching, preview, all-or-nothing import.

A payment is matched to a unit by the payer's INN (the unit's legal details,
`Franchisee.inn`) and to an order invoice by an invoice number found in its purpose text; an
INN that no unit (or several units) has leaves it unmatched, and it waits in the queue for a
person. An import is previewed first (every problem by its line), then written in one
transaction only if no line has an error. Running the same file twice adds nothing: the file's
SHA-256 is unique on `BankStatement`, and each payment's fingerprint (date, number, amount,
payer, purpose) is unique on `Payment`, so a payment already recorded from another file or by
hand is skipped, not doubled.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from franchise.models import Franchisee
from portal.money import format_money, round_money
from portal.safe_files import clip

from . import services
from .bank_files import ParsedFile, RawLine, read_statement
from .models import Agreement, BankStatement, Payment
from .services import MAX_AMOUNT, payment_record
from .signals import payments_recorded

INN_RE = re.compile(r"^(\d{10}|\d{12})$")
AMOUNT_RE = re.compile(r"^-?\d+(?:[.,]\d{1,2})?$")
#: Tokens of a purpose text that may be an invoice number ("2026-000123", "А-15/3").
TOKEN_RE = re.compile(r"[0-9A-Za-zА-Яа-яЁё][0-9A-Za-zА-Яа-яЁё/_-]*")
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y")
EARLIEST = date(2000, 1, 1)


def franchisor_inns() -> set[str]:
    """The INNs money must be paid to: the legal details on invoices and every agreement's."""
    from orders.models import FranchisorDetails

    inns = set(Agreement.objects.values_list("franchisor_inn", flat=True).distinct())
    details = FranchisorDetails.load()
    if details.inn:
        inns.add(details.inn)
    return {inn.strip() for inn in inns if inn and inn.strip()}


def fingerprint(*, paid_on: date, number: str, amount: Decimal, payer_inn: str, purpose: str):
    """One payment seen in two statements (or typed, then imported) is one row."""
    key = "|".join(
        [paid_on.isoformat(), number.strip(), str(round_money(amount)), payer_inn.strip()]
        + [" ".join(purpose.split()).lower()]
    )
    return hashlib.sha256(key.encode()).hexdigest()


# Checking single values -----------------------------------------------------------------


def parse_amount(value) -> Decimal | None:
    """A Decimal from 1250.50, "1 250,50", "1250.5 ₽"; None for anything else ("12,5,0")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal)):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    else:
        text = str(value or "")
        for junk in ("\u00a0", "\u202f", " ", "'", "₽", "руб.", "руб", "RUB"):
            text = text.replace(junk, "")
        if not AMOUNT_RE.match(text):
            return None
        try:
            amount = Decimal(text.replace(",", "."))
        except InvalidOperation:
            return None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        return None
    return round_money(amount)


def parse_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


def amount_problem(amount: Decimal | None, raw) -> str | None:
    if amount is None:
        return _("amount “%(value)s” is not a number") % {"value": clip(raw, 40) or "—"}
    if amount < 0:
        return _("amount %(value)s is negative: only incoming payments are imported") % {
            "value": clip(raw, 40)
        }
    if amount == 0:
        return _("the amount is zero")
    if amount > MAX_AMOUNT:
        return _("amount %(value)s is implausibly large (over %(max)s)") % {
            "value": format_money(amount),
            "max": format_money(MAX_AMOUNT),
        }
    return None


def date_problem(paid_on: date | None, raw, today: date) -> str | None:
    if paid_on is None:
        return _("date “%(value)s” is not a date (write it as 31.01.2026)") % {
            "value": clip(raw, 40) or "—"
        }
    if paid_on > today + timedelta(days=1):
        return _("date %(value)s is in the future") % {"value": date_format(paid_on)}
    if paid_on < EARLIEST:
        return _("date %(value)s is too far in the past") % {"value": date_format(paid_on)}
    return None


def inn_problem(inn: str) -> str | None:
    if inn and not INN_RE.match(inn):
        return _("the payer's INN “%(value)s” is not an INN (10 or 12 digits)") % {
            "value": clip(inn, 40)
        }
    return None


# Matching ---------------------------------------------------------------------------------


@dataclass
class Planned:
    """A payment checked and matched, not yet written."""

    line: int
    paid_on: date
    amount: Decimal
    number: str
    payer_inn: str
    payer_name: str
    purpose: str
    fingerprint: str
    unit: Franchisee | None = None
    invoice: object = None
    #: "inn", "invoice" or "" (unmatched)
    matched_by: str = ""
    note: str = ""

    def payment(self, **extra) -> Payment:
        return Payment(
            unit=self.unit,
            paid_on=self.paid_on,
            amount=self.amount,
            number=self.number,
            payer_name=self.payer_name,
            payer_inn=self.payer_inn,
            purpose=self.purpose,
            invoice=self.invoice,
            fingerprint=self.fingerprint,
            **extra,
        )


def invoice_tokens(purpose: str) -> set[str]:
    return {t.strip("-/_") for t in TOKEN_RE.findall(purpose or "") if any(c.isdigit() for c in t)}


def match(plans: list[Planned]) -> None:
    """Units by INN and invoices by number, for all the plans in two queries."""
    from orders.models import Invoice

    inns = {p.payer_inn for p in plans if p.payer_inn}
    by_inn: dict[str, list[Franchisee]] = defaultdict(list)
    for chunk in _chunks(sorted(inns)):
        for unit in Franchisee.objects.filter(inn__in=chunk).order_by("code"):
            by_inn[unit.inn].append(unit)
    tokens = {p.line: invoice_tokens(p.purpose) for p in plans}
    invoices = {}
    for chunk in _chunks(sorted(set().union(*tokens.values()) if tokens else ())):
        for invoice in Invoice.objects.filter(number__in=chunk).select_related("unit"):
            invoices[invoice.number] = invoice
    for plan in plans:
        units = by_inn.get(plan.payer_inn, [])
        found = [invoices[t] for t in sorted(tokens[plan.line]) if t in invoices]
        if len(units) == 1:
            plan.unit, plan.matched_by = units[0], "inn"
            plan.invoice = next((i for i in found if i.unit_id == plan.unit.pk), None)
            if found and plan.invoice is None:
                plan.note = _("invoice %(number)s belongs to another unit: not linked") % {
                    "number": found[0].number
                }
            continue
        # No unit, or several with this INN: an invoice number in the purpose decides.
        candidates = [i for i in found if not units or i.unit in units]
        if candidates:
            plan.invoice = candidates[0]
            plan.unit, plan.matched_by = plan.invoice.unit, "invoice"
        elif units:
            plan.note = _(
                "INN %(inn)s belongs to several units (%(units)s): the payment will wait in "
                "the queue"
            ) % {"inn": plan.payer_inn, "units": ", ".join(u.code for u in units[:5])}
        elif plan.payer_inn:
            plan.note = _("no unit has INN %(inn)s: the payment will wait in the queue") % {
                "inn": plan.payer_inn
            }
        else:
            plan.note = _("no payer's INN: the payment will wait in the queue")


def _chunks(values, size: int = 900):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


# Preview ----------------------------------------------------------------------------------


@dataclass
class Preview:
    file_format: str = ""
    encoding: str = ""
    sha256: str = ""
    planned: list[Planned] = field(default_factory=list)
    recorded: list[int] = field(default_factory=list)  # lines already in the portal
    foreign: list[int] = field(default_factory=list)  # lines not paid to the franchisor
    errors: list[tuple[int, str]] = field(default_factory=list)
    already_imported: BankStatement | None = None

    @property
    def matched(self) -> list[Planned]:
        return [p for p in self.planned if p.unit is not None]

    @property
    def unmatched(self) -> list[Planned]:
        return [p for p in self.planned if p.unit is None]

    @property
    def total(self) -> Decimal:
        return sum((p.amount for p in self.planned), Decimal(0))

    @property
    def warnings(self) -> list[tuple[int, str]]:
        return [(p.line, p.note) for p in self.planned if p.note]

    @property
    def can_apply(self) -> bool:
        """No error, a new file, and something in it (payments already recorded from another
        file still mark this one as read, so its second run says so)."""
        return (
            not self.errors
            and self.already_imported is None
            and bool(self.planned or self.recorded)
        )


def _line_error(errors, line: int, message: str) -> None:
    errors.append((line, _("line %(line)s: %(message)s") % {"line": line, "message": message}))


def check_lines(parsed: ParsedFile, *, today: date | None = None) -> Preview:
    """Every line checked and matched; nothing written."""
    today = today or timezone.localdate()
    preview = Preview(parsed.file_format, parsed.encoding)
    for line, message in parsed.errors:
        _line_error(preview.errors, line, message)
    ours = franchisor_inns()
    if parsed.file_format == "1c" and not ours:
        preview.errors.insert(
            0,
            (
                0,
                _(
                    "The franchisor's INN is not set (Settings → Franchisor's legal details), "
                    "so incoming payments cannot be told from outgoing ones."
                ),
            ),
        )
        return preview
    seen: dict[str, int] = {}
    plans: list[Planned] = []
    for raw in parsed.rows:
        plan = _plan(raw, preview, ours, today)
        if plan is None:
            continue
        first = seen.setdefault(plan.fingerprint, plan.line)
        if first != plan.line:
            _line_error(
                preview.errors,
                plan.line,
                _("the same payment as on line %(line)s (date, number, amount, payer, purpose)")
                % {"line": first},
            )
            continue
        plans.append(plan)
    known = set()
    for chunk in _chunks([p.fingerprint for p in plans]):
        rows = Payment.objects.filter(fingerprint__in=chunk).values_list("fingerprint", flat=True)
        known.update(rows)
    for plan in plans:
        if plan.fingerprint in known:
            preview.recorded.append(plan.line)
        else:
            preview.planned.append(plan)
    match(preview.planned)
    preview.errors.sort(key=lambda e: e[0])
    return preview


def _plan(raw: RawLine, preview: Preview, ours: set[str], today: date) -> Planned | None:
    recipient = (raw.recipient_inn or "").strip()
    payer_inn = str(raw.payer_inn or "").strip()
    if raw.recipient_inn is not None and (recipient not in ours or payer_inn in ours):
        preview.foreign.append(raw.line)  # outgoing, or to someone else: not ours to count
        return None
    amount = parse_amount(raw.amount)
    paid_on = parse_date(raw.date)
    problems = [
        (raw.line_of("amount"), amount_problem(amount, raw.amount)),
        (raw.line_of("date"), date_problem(paid_on, raw.date, today)),
        (raw.line_of("payer_inn"), inn_problem(payer_inn)),
    ]
    problems = [(line, text) for line, text in problems if text]
    for line, text in problems:
        _line_error(preview.errors, line, text)
    if problems:
        return None
    number = clip(raw.number, 40)
    purpose = clip(raw.purpose, 500)
    return Planned(
        line=raw.line,
        paid_on=paid_on,
        amount=amount,
        number=number,
        payer_inn=payer_inn,
        payer_name=clip(raw.payer_name, 300),
        purpose=purpose,
        fingerprint=fingerprint(
            paid_on=paid_on, number=number, amount=amount, payer_inn=payer_inn, purpose=purpose
        ),
    )


def statement_preview(*, name: str, data: bytes) -> Preview:
    """What importing this file would do (StatementFileError for an unreadable file)."""
    sha = hashlib.sha256(data).hexdigest()
    preview = check_lines(read_statement(name, data))
    preview.sha256 = sha
    preview.already_imported = (
        BankStatement.objects.filter(sha256=sha).select_related("uploaded_by").first()
    )
    return preview


# Writes -------------------------------------------------------------------------------------


@transaction.atomic
def statement_import(*, name: str, data: bytes, user) -> tuple[Preview, BankStatement | None]:
    """Write the file's payments if no line has an error: all of them or none. Returns the
    preview (with the reason when nothing was written) and the statement row."""
    preview = statement_preview(name=name, data=data)
    if not preview.can_apply:
        return preview, None
    try:
        with transaction.atomic():
            statement = BankStatement.objects.create(
                sha256=preview.sha256,
                filename=clip(name, 200),
                file_format=preview.file_format,
                lines=len(preview.planned),
                uploaded_by=user,
            )
            _write(preview.planned, statement=statement, user=user)
    except IntegrityError as error:
        raise ValidationError(
            _(
                "Another import wrote some of these payments at the same moment; preview the "
                "file again."
            )
        ) from error
    return preview, statement


def _write(plans: list[Planned], *, statement: BankStatement | None, user) -> list[Payment]:
    """Payments, their ledger entries and the units' balances, in bulk (caller is atomic)."""
    now = timezone.now()
    payments = Payment.objects.bulk_create(
        [
            p.payment(statement=statement, line=p.line, created_by=user, created_at=now)
            for p in plans
        ],
        batch_size=500,
    )
    matched = [p for p in payments if p.unit_id]
    services.entries_post_bulk([services.payment_entry(p, user) for p in matched])
    payments_recorded.send(sender=Payment, payments=payments, user=user)
    return payments


@transaction.atomic
def payment_enter(
    *,
    paid_on: date,
    amount: Decimal,
    payer_inn: str = "",
    purpose: str = "",
    number: str = "",
    payer_name: str = "",
    user,
) -> Payment:
    """A payment typed in by finance staff, checked and matched like a line of a file."""
    today = timezone.localdate()
    problem = (
        amount_problem(parse_amount(amount), amount)
        or date_problem(paid_on, paid_on, today)
        or inn_problem(payer_inn.strip())
    )
    if problem:
        raise ValidationError(problem)
    amount = parse_amount(amount)
    number, purpose = number.strip()[:40], " ".join(purpose.split())[:500]
    plan = Planned(
        line=0,
        paid_on=paid_on,
        amount=amount,
        number=number,
        payer_inn=payer_inn.strip(),
        payer_name=payer_name.strip()[:300],
        purpose=purpose,
        fingerprint=fingerprint(
            paid_on=paid_on,
            number=number,
            amount=amount,
            payer_inn=payer_inn.strip(),
            purpose=purpose,
        ),
    )
    match([plan])
    payment = payment_record(payment=plan.payment(), user=user)
    payment.note = plan.note
    payment.matched_by = plan.matched_by
    return payment
