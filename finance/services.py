"""Writes of the finance app: ledger postings, accruals, reversals, payments.

Every posting goes through `_post` (many at once: `entries_post_bulk`), which writes the entry,
moves the unit's balance row and recomputes the unit's summary (`finance.summary`) in the same
transaction. Reruns are safe because each source has a unique constraint: a second
posting of the same invoice, payment or report fee revision fails inside a savepoint and the
first row is returned instead.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, DecimalField, F, Max, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from franchise.models import Franchisee
from portal.money import round_money

from . import summary
from .fees import compute
from .models import MONEY, Agreement, Balance, Entry, EntryKind, FeeRule, Payment
from .signals import payment_recorded

#: The largest single amount accepted from a person or a file (a typo guard, not a policy).
MAX_AMOUNT = Decimal("1000000000.00")


def _post(entry: Entry) -> Entry:
    """Write `entry`, add its amount to the unit's balance row (which also locks it) and
    recompute the unit's summary (caller holds a transaction)."""
    entry.save()
    Balance.objects.get_or_create(unit_id=entry.unit_id)
    Balance.objects.filter(unit_id=entry.unit_id).update(
        amount=F("amount") + entry.amount, updated_at=timezone.now()
    )
    summary.refresh([entry.unit_id], days=[entry.posted_on])
    return entry


def _post_once(entry: Entry, **source) -> tuple[Entry, bool]:
    """Post unless the unique source already has its entry: (entry, created)."""
    try:
        with transaction.atomic():
            return _post(entry), True
    except IntegrityError:
        existing = Entry.objects.filter(reverses__isnull=True, **source).first()
        if existing is None:
            raise
        return existing, False


@transaction.atomic
def entry_reverse(*, entry: Entry, user=None, why: str = "", on: date | None = None) -> Entry:
    """The counter-entry of `entry` (only one can exist: `reverses` is unique)."""
    if entry.reverses_id:
        raise ValidationError(_("A reversal cannot be reversed; post a new entry instead."))
    reversal = Entry(
        unit_id=entry.unit_id,
        kind=entry.kind,
        posted_on=on or timezone.localdate(),
        period_start=entry.period_start,
        due_on=entry.due_on,
        amount=-entry.amount,
        submission_id=entry.submission_id,
        revision=entry.revision,
        invoice_id=entry.invoice_id,
        payment_id=entry.payment_id,
        reverses=entry,
        created_by=user,
        details={"type": "reversal", "date": entry.posted_on.isoformat(), "why": why},
    )
    try:
        with transaction.atomic():
            return _post(reversal)
    except IntegrityError as error:
        raise ValidationError(_("This entry has already been reversed.")) from error


def _checked_amount(amount) -> Decimal:
    amount = round_money(amount)
    if amount == 0 or abs(amount) > MAX_AMOUNT:
        raise ValidationError(_("The amount must be non-zero and under a billion."))
    return amount


@transaction.atomic
def entry_adjust(*, unit: Franchisee, amount, text: str, user, on: date | None = None) -> Entry:
    """A manual adjustment by finance staff (positive: the unit owes more)."""
    if not text.strip():
        raise ValidationError(_("Say why the balance is adjusted."))
    on = on or timezone.localdate()
    return _post(
        Entry(
            unit=unit,
            kind=EntryKind.ADJUSTMENT,
            posted_on=on,
            due_on=on,
            amount=_checked_amount(amount),
            created_by=user,
            details={"type": "note", "text": text.strip()[:300]},
        )
    )


# Accruals from approved reports -------------------------------------------------------


def rules_in_force(agreement: Agreement, month: date, template_slug: str) -> list[FeeRule]:
    """Per fee kind, the rule with the latest start on or before `month` for this report."""
    latest: dict[str, FeeRule] = {}
    for rule in sorted(agreement.rules.all(), key=lambda r: r.effective_from):
        if rule.effective_from <= month and rule.template_slug == template_slug:
            latest[rule.kind] = rule
    return list(latest.values())


def _labels(definitions) -> dict[str, dict]:
    """{field key: {"label": English, "label_ru": Russian, ...}} from a report version's
    frozen definitions: every language given, so that a fee line, stored once and never
    changed, can name its field in the language of whoever reads it (`fees.explain`)."""
    return {
        d["key"]: {
            name: text
            for name, text in d.items()
            if (name == "label" or name.startswith("label_")) and isinstance(text, str) and text
        }
        for d in definitions
    }


def _fee_plan(submission, agreement, values, labels, live, revisions, user) -> list[tuple]:
    """[(live entry to reverse or None, new entry or None)] for the fees of `submission`: a fee
    whose amount is unchanged is left out; a fee now zero is only reversed."""
    on = _accrual_day(submission)
    due = submission.period_end + timedelta(days=agreement.payment_days)
    plan = []
    for rule in rules_in_force(agreement, submission.period_start, submission.template.slug):
        amount, details = compute(rule.terms(), values.get(rule.field_key))
        details.update(labels.get(rule.field_key) or {"label": rule.field_key})
        current = live.get(rule.kind)
        if (current.amount if current is not None else 0) == amount:
            continue  # unchanged, or nothing accrued and nothing due
        new = None
        if amount != 0:
            new = Entry(
                unit_id=submission.unit_id,
                kind=rule.kind,
                posted_on=on,
                period_start=submission.period_start,
                due_on=due,
                amount=amount,
                submission=submission,
                revision=revisions.get(rule.kind, 0) + 1,
                created_by=user,
                details=details,
            )
        plan.append((current, new))
    return plan


def _accrual_day(submission) -> date:
    """The ledger day of a report's fees: the day it was approved."""
    reviewed = timezone.localdate(submission.reviewed_at) if submission.reviewed_at else None
    return reviewed or timezone.localdate()


def _agreement_of(submission, agreement) -> bool:
    return agreement is not None and submission.period_start >= agreement.starts_on


@transaction.atomic
def accruals_post(*, submission, user=None) -> list[Entry]:
    """Accrue the fees of an approved report; on a rerun with other figures, reverse the live
    accrual of each changed fee and post the new one (revision + 1). Same figures: nothing."""
    agreement = (
        Agreement.objects.filter(unit_id=submission.unit_id)
        .prefetch_related("rules__tiers")
        .first()
    )
    if not _agreement_of(submission, agreement):
        return []
    values = dict(submission.values.values_list("field_key", "number"))
    live = {
        e.kind: e
        for e in Entry.objects.filter(
            submission=submission, reverses__isnull=True, reversed_by__isnull=True
        )
    }
    revisions = dict(
        Entry.objects.filter(submission=submission)
        .values_list("kind")
        .annotate(top=Max("revision"))
        .values_list("kind", "top")
    )
    labels = _labels(submission.version.fields)
    plan = _fee_plan(submission, agreement, values, labels, live, revisions, user)
    posted = []
    for current, new in plan:
        if current is not None:
            why = _("report approved again")
            entry_reverse(entry=current, user=user, why=why, on=_accrual_day(submission))
        if new is None:
            continue
        entry, created = _post_once(
            new, submission=submission, kind=new.kind, revision=new.revision
        )
        if created:
            posted.append(entry)
    return posted


def accruals_post_many(*, submissions, user=None) -> list[Entry]:
    """`accruals_post` for many approved reports at once (a month of the network): the fees
    are planned from a few queries; those of reports nothing has accrued yet are posted with
    `entries_post_bulk`, a report whose accrued fees are unchanged is left alone, and one
    approved again with other figures goes through `accruals_post`."""
    from reporting.models import Value as Figure

    reports = list(submissions.select_related("template", "version"))
    if not reports:
        return []
    agreements = {
        a.unit_id: a
        for a in Agreement.objects.filter(
            unit_id__in={r.unit_id for r in reports}
        ).prefetch_related("rules__tiers")
    }
    reports = [r for r in reports if _agreement_of(r, agreements.get(r.unit_id))]
    ids = [r.pk for r in reports]
    live: dict[int, dict] = defaultdict(dict)
    values: dict[int, dict] = defaultdict(dict)
    accrued = set()
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        accrued.update(
            Entry.objects.filter(submission_id__in=chunk).values_list("submission_id", flat=True)
        )
        for entry in Entry.objects.filter(
            submission_id__in=chunk, reverses__isnull=True, reversed_by__isnull=True
        ):
            live[entry.submission_id][entry.kind] = entry
        rows = Figure.objects.filter(submission_id__in=chunk).values_list(
            "submission_id", "field_key", "number"
        )
        for submission_id, key, number in rows:
            values[submission_id][key] = number
    fresh, again = [], []
    for r in reports:
        labels = _labels(r.version.fields)
        plan = _fee_plan(r, agreements[r.unit_id], values[r.pk], labels, live[r.pk], {}, user)
        if r.pk in accrued:
            if plan:  # other figures than those accrued: reversals, next revisions
                again.append(r)
        else:
            fresh += [new for _current, new in plan if new is not None]
    posted = []
    try:
        with transaction.atomic():
            posted = entries_post_bulk(fresh)
    except IntegrityError:  # another worker accrued some of them meanwhile: one by one
        again = reports
    for r in again:
        posted += accruals_post(submission=r, user=user)
    return posted


# Order invoices -----------------------------------------------------------------------


def ledger_post_invoice(*, invoice) -> Entry:
    """The accrual of an issued order invoice; once per invoice whatever the reruns."""
    with transaction.atomic():
        entry, _created = _post_once(
            Entry(
                unit_id=invoice.unit_id,
                kind=EntryKind.INVOICE,
                posted_on=invoice.issued_on,
                due_on=invoice.due_on,
                amount=_checked_amount(invoice.total),
                invoice=invoice,
                details={
                    "type": "invoice",
                    "number": invoice.number,
                    "date": invoice.issued_on.isoformat(),
                },
            ),
            invoice=invoice,
        )
    return entry


# Payments -----------------------------------------------------------------------------


def payment_entry(payment: Payment, user) -> Entry:
    """The (unsaved) ledger entry of a matched payment: one place for its shape."""
    return Entry(
        unit_id=payment.unit_id,
        kind=EntryKind.PAYMENT,
        posted_on=payment.paid_on,
        amount=-payment.amount,
        payment=payment,
        created_by=user,
        details={"type": "payment", "number": payment.number, "purpose": payment.purpose},
    )


def _payment_entry(payment: Payment, user) -> Entry:
    entry, _created = _post_once(payment_entry(payment, user), payment=payment)
    return entry


def entries_post_bulk(entries: list[Entry]) -> list[Entry]:
    """`_post` for many new entries (a statement import, the demo): one insert, one balance
    update per unit, one summary recompute for all the units touched (caller holds a
    transaction)."""
    now = timezone.now()
    for entry in entries:
        entry.created_at = now
    Entry.objects.bulk_create(entries, batch_size=500)
    moves: dict[int, Decimal] = defaultdict(Decimal)
    for entry in entries:
        moves[entry.unit_id] += entry.amount
    Balance.objects.bulk_create(
        [Balance(unit_id=unit_id) for unit_id in moves], ignore_conflicts=True, batch_size=500
    )
    units = sorted(moves)
    for start in range(0, len(units), 500):  # one UPDATE for 500 units, not one each
        chunk = units[start : start + 500]
        delta = Case(
            *(When(unit_id=u, then=Value(moves[u])) for u in chunk),
            output_field=DecimalField(**MONEY),
        )
        Balance.objects.filter(unit_id__in=chunk).update(amount=F("amount") + delta, updated_at=now)
    summary.refresh(moves, days={entry.posted_on for entry in entries})
    return entries


@transaction.atomic
def payment_record(*, payment: Payment, user=None) -> Payment:
    """Save a new payment (manual or from a file); matched to a unit, post it at once."""
    payment.amount = _checked_amount(payment.amount)
    if payment.amount < 0:
        raise ValidationError(_("A payment cannot be negative."))
    payment.created_by = payment.created_by or user
    try:
        with transaction.atomic():
            payment.save()
    except IntegrityError as error:
        raise ValidationError(_("This payment has already been recorded.")) from error
    if payment.unit_id:
        _payment_entry(payment, user)
    payment_recorded.send(sender=Payment, payment=payment, user=user)
    return payment


@transaction.atomic
def payment_assign(*, payment: Payment, unit: Franchisee, user) -> Payment:
    """Take a payment out of the unmatched queue: it belongs to `unit` from now on."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.unit_id:
        raise ValidationError(_("This payment is already matched."))
    payment.unit = unit
    payment.save(update_fields=["unit"])
    _payment_entry(payment, user)
    return payment
