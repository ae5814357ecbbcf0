"""Payments in the browser: finance staff import the demo 1C bank statement (preview, then
confirm), assign a payment from the queue, and the unit's balance changes."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from finance.demo import DEMO_FILE
from finance.models import Balance, Payment
from franchise import access
from tests import factories
from tests.e2e.conftest import nav, sign_in
from tests.finance.conftest import make_agreement

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

#: The payer's INN of the demo statement's first payment (42 000,00 ₽).
FIRST_PAYER = "770000001600"


def test_import_the_demo_statement_and_assign_from_the_queue(page, shot, network):
    network.unit.inn = FIRST_PAYER
    network.unit.save()
    make_agreement(network.unit)
    books = factories.UserFactory(username="accountant")
    books.groups.add(access.ensure_groups()[access.FINANCE])

    sign_in(page, "accountant")
    nav(page, "Payments").click()
    expect(page).to_have_url(re.compile(r"/finance/payments/$"))
    page.get_by_role("link", name="Import a bank statement").click()
    page.get_by_label("Bank statement").set_input_files(str(DEMO_FILE))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("New payments: 10")).to_be_visible()
    expect(page.get_by_text("no unit has INN 7700000023")).to_be_visible()
    shot("preview")
    assert not Payment.objects.exists()
    page.get_by_role("button", name="Import 10 payments").click()
    expect(page.get_by_role("heading", name="Imported")).to_be_visible()
    expect(page.get_by_text("10 payments (1 matched, 9 in the queue)")).to_be_visible()
    page.get_by_role("link", name="The queue of unmatched payments").click()
    expect(page).to_have_url(re.compile(r"/finance/payments/queue/$"))
    assert Balance.objects.get(unit=network.unit).amount == Decimal("-42000.00")

    row = page.get_by_role("row").filter(has_text="7700000023")
    row.get_by_role("textbox").fill(network.unit.code)
    row.get_by_role("button", name="Assign").click()
    expect(page.get_by_text(f"assigned to {network.unit}")).to_be_visible()
    shot("assigned")
    assert Balance.objects.get(unit=network.unit).amount == Decimal("-87150.00")

    page.goto(f"/finance/u/{network.unit.code}/")
    expect(page.locator(".balance")).to_contain_text("87,150.00")
