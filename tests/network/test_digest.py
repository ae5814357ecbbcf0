"""The weekly digest: what changed, once per manager per week."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.template.loader import render_to_string

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


def test_network_pdf_lists_the_units_needing_attention_first_and_counts_the_rest(
    network, sales, settings
):
    from franchise.models import Franchisee
    from reporting.network.views import pdf_context

    settings.NETWORK_PDF_MAX_ROWS = 1
    units = Franchisee.objects.all()
    context = pdf_context(network.lead, units, today=today())
    open_units = units.exclude(status=Franchisee.Status.CLOSED).count()
    assert len(context["rows"]) == 1
    assert context["more_rows"] == open_units - 1
    html = render_to_string("pdf/network_digest.html", context)
    assert f"And {open_units - 1} more unit" in html
