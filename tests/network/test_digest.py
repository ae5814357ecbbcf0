"""The weekly digest: what changed, once per manager per week."""

import pytest
from django.core import mail
from django.core.management import call_command

from portal.activity import WeeklyDigestLog
from reporting.network import digest

from .conftest import report_all, today

pytestmark = pytest.mark.django_db


def test_digest_sent_once_a_week_with_the_portfolio_only(network, sales, food_safety):
    from .conftest import assign

    report_all(network.unit, sales, skip=(0,), revenue=100, receipts=1)
    assign(food_safety, network.unit)
    assert digest.digests_send(today=today()) == 2  # manager and other_manager
    assert digest.digests_send(today=today()) == 0
    call_command("network_digest")
    assert len(mail.outbox) == 2
    assert WeeklyDigestLog.objects.count() == 2
    body = next(m.body for m in mail.outbox if m.to == [network.manager.email])
    assert "Food safety (2)" in body
    assert "KZN-001" in body and "EKB-001" not in body


def test_digest_page(network, sales, client_for):
    report_all(network.unit, sales, skip=(0,), revenue=100, receipts=1)
    html = client_for(network.manager).get("/network/digest/").content.decode()
    assert "Call first" in html and "KZN-001" in html and "EKB-001" not in html
