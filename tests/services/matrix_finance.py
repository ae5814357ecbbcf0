"""Cross-unit URL matrix entries of the finance app (merged into url_matrix.ROUTES)."""

from .url_matrix import Case, statuses, unit_scoped, unit_write  # noqa: F401


def make_unmatched_payment(net) -> dict:
    from datetime import date

    from finance.models import Payment

    payment = Payment.objects.create(
        paid_on=date(2026, 1, 15), amount="100.00", payer_inn="7799999999", fingerprint="matrix"
    )
    return {"payment": payment}


def _statement():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("bank.csv", b"date,amount,payer inn\n01.01.2026,10,7799999999\n")


#: The payment pages are the finance staff's (a group none of the matrix roles is in): every
#: role gets 404, as for a page that does not exist.
FINANCE_ONLY = statuses()

ROUTES: dict = {
    "finance:unit_ledger": Case(args=lambda net: [net.unit.code], expect=unit_scoped()),
    "finance:payments": Case(expect=FINANCE_ONLY),
    "finance:payment_new": [
        Case(expect=FINANCE_ONLY),
        Case(
            method="POST",
            data=lambda net: {"paid_on": "2026-01-15", "amount": "10", "payer_inn": ""},
            expect=FINANCE_ONLY,
        ),
    ],
    "finance:payment_import": [
        Case(expect=FINANCE_ONLY),
        Case(method="POST", data=lambda net: {"file": _statement()}, expect=FINANCE_ONLY),
    ],
    "finance:payment_queue": Case(expect=FINANCE_ONLY),
    "finance:payment_assign": Case(
        args=lambda net: [net.payment.pk],
        method="POST",
        setup=make_unmatched_payment,
        data=lambda net: {"unit": net.unit.code},
        expect=FINANCE_ONLY,
    ),
}

UPLOAD_ROUTES: dict = {
    "finance:payment_import": (
        "editor",
        Case(method="POST", data=lambda net: {"file": _statement()}),
    ),
}
ROUTES["finance:unit_statement_xlsx"] = Case(args=lambda net: [net.unit.code], expect=unit_scoped())
ROUTES["finance:unit_act_pdf"] = Case(args=lambda net: [net.unit.code], expect=unit_scoped())


def _receivables_absent(net, role: str) -> list[str]:
    """A portfolio's receivables name none of the other portfolio's units."""
    if role == "manager":
        return [net.other_unit.code]
    if role == "other_manager":
        return [net.unit.code]
    return []


ROUTES["finance:receivables"] = [
    Case(
        expect=statuses(404, manager=200, other_manager=200, lead=200),
        absent=_receivables_absent,
        note="a manager's portfolio, the lead's network; unit people get 404",
    ),
    Case(
        data=lambda net: {"format": "xlsx", "by": "region"},
        expect=statuses(404, manager=200, other_manager=200, lead=200),
        note="the export (binary: its rows are checked in tests/finance/test_receivables.py)",
    ),
]
