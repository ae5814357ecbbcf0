"""Statement downloads: the XLSX adds up, the reconciliation act carries the figures."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from finance import selectors, services, statements
from finance.models import Payment

from .conftest import make_agreement

pytestmark = pytest.mark.django_db

BASE = "/finance/u/{}/"


@pytest.fixture
def ledger(network):
    unit = network.unit
    unit.legal_name = "ООО «Хлебный двор»"
    unit.inn = "1655000001"
    unit.save()
    make_agreement(unit)
    services.entry_adjust(
        unit=unit, amount="1000.00", text="до периода", user=None, on=date(2026, 1, 10)
    )
    services.entry_adjust(
        unit=unit, amount="75000.00", text="роялти", user=None, on=date(2026, 2, 5)
    )
    services.entry_adjust(
        unit=unit, amount="1234.56", text="маркетинг", user=None, on=date(2026, 2, 6)
    )
    services.payment_record(
        payment=Payment(
            unit=unit,
            paid_on=date(2026, 2, 20),
            amount=Decimal("50000.00"),
            number="777",
            fingerprint="p777",
        )
    )
    return unit


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def squeeze(text: str) -> str:
    return "".join(text.split()).replace("\u00a0", "")


def test_statement_entries_add_up_to_the_change_of_balance(ledger):
    statement = selectors.unit_statement(ledger, start=date(2026, 2, 1), end=date(2026, 2, 28))
    assert statement.opening == Decimal("1000.00")
    assert statement.closing - statement.opening == sum(e.amount for e in statement.rows)
    assert statement.closing == Decimal("27234.56")
    debit, credit = statements.turnover(statement)
    assert debit - credit == statement.closing - statement.opening


def test_xlsx_download(ledger, client_for, network):
    response = client_for(network.owner).get(
        BASE.format(ledger.code) + "statement.xlsx", {"from": "2026-02-01", "to": "2026-02-28"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][6] == 1000  # opening balance
    body = rows[2:-2]
    assert len(body) == 3
    debit = sum(Decimal(str(r[4] or 0)) for r in body)
    credit = sum(Decimal(str(r[5] or 0)) for r in body)
    assert debit - credit == Decimal("26234.56")
    assert rows[-1][6] == pytest.approx(27234.56)
    assert rows[-2][4] == pytest.approx(76234.56) and rows[-2][5] == 50000


def test_reconciliation_act_pdf(ledger, client_for, network):
    response = client_for(network.owner).get(
        BASE.format(ledger.code) + "act.pdf", {"from": "2026-02-01", "to": "2026-02-28"}
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    flat = squeeze(text)
    for figure in ("1000,00", "75000,00", "1234,56", "50000,00", "76234,56", "27234,56"):
        assert figure in flat, figure
    assert "ООО«Франчайзер»" in flat and "ООО«Хлебныйдвор»" in flat
    assert "7701234567" in flat and "1655000001" in flat  # both parties' INN
    assert "FA-KZN-001" in flat  # the agreement
    assert "01.02.2026" in flat and "28.02.2026" in flat
    # Both parties' columns: each figure appears once per side.
    assert flat.count("75000,00") == 2
    assert flat.count("27234,56") >= 2


def test_downloads_are_audited_and_other_units_get_404(ledger, client_for, network):
    from franchise.models import AuditEvent

    url = BASE.format(ledger.code) + "act.pdf"
    assert client_for(network.other_member).get(url).status_code == 404
    client_for(network.manager).get(url, {"from": "not-a-date", "to": "2026-13-45"})
    assert AuditEvent.objects.filter(action="download", unit=ledger).count() == 1


def test_a_backwards_range_is_turned_round(ledger, client_for, network):
    response = client_for(network.owner).get(
        BASE.format(ledger.code), {"from": "2026-02-28", "to": "2026-02-01"}
    )
    assert response.status_code == 200
    assert response.context["statement"].start == date(2026, 2, 1)
