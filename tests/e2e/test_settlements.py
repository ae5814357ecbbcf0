"""Settlements in the browser: the owner submits a sales report, the manager approves it, the
owner finds the royalty accrued with its explanation in the statement and downloads the
reconciliation act, whose text carries the accrued amounts and the closing balance."""

import io
import re
from decimal import Decimal

import pypdf
import pytest
from django.utils import formats, translation
from playwright.sync_api import expect

from finance.models import Balance, Entry
from reporting.models import Submission
from tests.e2e.conftest import content, download, nav, sign_in
from tests.finance.conftest import make_agreement

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def squeeze(text: str) -> str:
    """PDF text without any spaces (the act's figures are grouped with narrow spaces)."""
    return "".join(text.split()).replace("\u00a0", "").replace("\u202f", "")


def test_report_approval_accrues_royalty_and_the_act_shows_it(
    page, shot, browser, live_server, network, sales, period
):
    make_agreement(network.unit, royalty="6", marketing="2")

    # The owner submits the month's sales report.
    sign_in(page, "owner")
    nav(page, "Reports").click()
    row = page.get_by_role("row").filter(has_text="Sales").filter(has_text=period.label)
    row.get_by_role("link", name="Fill in").click()
    page.get_by_label("Revenue").fill("150000")
    page.get_by_label("Receipts").fill("600")
    page.get_by_label("Staff").fill("7")
    page.get_by_label("Format").select_option("Kiosk")
    page.get_by_role("button", name="Submit report").click()
    expect(page.get_by_text("Report submitted. Thank you!")).to_be_visible()
    submission = Submission.objects.get(unit=network.unit, template=sales)
    assert not Entry.objects.filter(unit=network.unit).exists()  # nothing owed before approval
    shot("submitted")

    # The manager approves it from the review queue.
    manager = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    manager.set_default_timeout(15_000)
    sign_in(manager, "manager")
    nav(manager, "Reports").click()
    manager.get_by_role("row").filter(has_text=network.unit.code).get_by_role(
        "link", name="Review"
    ).click()
    expect(manager).to_have_url(re.compile(rf"/reports/review/{submission.pk}/$"))
    manager.get_by_role("button", name="Approve").click()
    expect(manager.get_by_text("Report approved.")).to_be_visible()
    manager.context.close()

    # Accrued once each, at once: 6 % royalty and 2 % marketing of 150 000.
    entries = dict(
        Entry.objects.filter(unit=network.unit).values_list("kind", "amount").order_by("kind")
    )
    assert entries == {"marketing": Decimal("3000.00"), "royalty": Decimal("9000.00")}
    assert Balance.objects.get(unit=network.unit).amount == Decimal("12000.00")

    # The owner: from the dashboard's settlements block to the statement.
    page.goto("/")
    block = page.locator("#block-finance-title").locator("xpath=..")
    expect(block).to_contain_text("12,000.00")
    block.get_by_role("link", name=re.compile("Statement and reconciliation act")).click()
    expect(page).to_have_url(re.compile(rf"/finance/u/{network.unit.code}/$"))
    expect(page.locator(".balance")).to_contain_text("12,000.00")
    royalty = page.get_by_role("row").filter(has_text="Royalty")
    expect(royalty).to_contain_text(period.start.strftime("%B %Y"))
    expect(royalty).to_contain_text("9,000.00")
    # The accrual explains itself: base × rate = amount.
    expect(royalty).to_contain_text(re.compile(r"150,000\.00.*× 6.*= .*9,000\.00"))
    shot("statement")

    act, response = download(page, page.get_by_role("link", name="Reconciliation statement, PDF"))
    assert response.headers["content-type"] == "application/pdf"
    assert act.suggested_filename.startswith(f"act-{network.unit.code}-")
    reader = pypdf.PdfReader(io.BytesIO(content(act)))
    text = " ".join(p.extract_text() for p in reader.pages)
    flat = squeeze(text)
    assert "Актсверки" in flat
    with translation.override("ru"):
        month = formats.date_format(period.start, "F Y")  # "Ноябрь 2026"
    assert squeeze(f"Роялти за {month}") in flat
    assert squeeze(f"Маркетинговый фонд за {month}") in flat
    # Each accrual once per party's column; 12 000 owed: the turnover and the closing balance
    # in both columns, and the conclusion.
    assert flat.count("9000,00") == 2 and flat.count("3000,00") == 2
    assert flat.count("12000,00") == 5
    assert "составляет12000,00руб.(Двенадцатьтысячрублей00копеек)" in flat
    assert squeeze(network.unit.legal_name) in flat
    assert page.csp_violations == []
