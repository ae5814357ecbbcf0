"""The network's figures are computed once and cached under the data versions of what they
read: the next request is cheaper and shows the same rows, a write shows at once, and a
manager's slice of the cached network holds their portfolio only."""

import re
from datetime import timedelta

import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from franchise.models import Franchisee, UnitTask
from reporting import services
from reporting.network import scorecards

from .conftest import active, due_periods, report_all, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(network, sales):
    report_all(network.unit, sales, skip=(0,), revenue=100, receipts=10)
    report_all(network.other_unit, sales, revenue=90, receipts=10)
    active(network.owner, network.unit)
    return network


def rows(html: str) -> list[str]:
    """The table's rows as rendered, whitespace squeezed."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [" ".join(r.split()) for r in re.findall(r"<tr .*?</tr>", body, re.S)]


def row_of(html: str, code: str) -> str:
    return next(r for r in rows(html) if f'data-code="{code}"' in r)


def get(client, url, *, sql=False):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    queries = [q["sql"] for q in ctx.captured_queries]
    return response.content.decode(), queries if sql else len(queries)


def test_second_request_is_cheaper_and_renders_the_same_rows(data, client_for):
    client = client_for(data.lead)
    client.get("/dashboard/", follow=True)  # the day's activity row is written
    first, first_queries = get(client, "/network/", sql=True)
    second, second_queries = get(client, "/network/", sql=True)
    assert rows(first) == rows(second) and len(rows(first)) == 2
    assert len(second_queries) < len(first_queries)
    # Cached: no report, value, training, task or activity table is read again.
    read = ("reporting_", "learning_", "franchise_unittask", "franchise_unitrequest", "activity")
    assert [q for q in first_queries if any(t in q for t in read)]
    assert not [q for q in second_queries if any(t in q for t in read)], second_queries


def test_a_report_submitted_through_the_service_shows_at_once(data, sales, client_for):
    client = client_for(data.lead)
    assert "1 report missing" in row_of(get(client, "/network/")[0], "KZN-001")
    newest = due_periods(sales)[0]
    submission = services.submission_open(unit=data.unit, template=sales, period=newest)
    services.submission_save(
        submission=submission, data={"revenue": 120, "receipts": 12}, user=data.owner, submit=True
    )
    row = row_of(get(client, "/network/")[0], "KZN-001")
    assert "report missing" not in row
    assert "120" in row  # the key figure of the newest period
    csv = client.get("/network/?format=csv").content.decode()
    assert "report missing" not in next(line for line in csv.splitlines() if "KZN-001" in line)


def test_a_task_approval_and_activity_show_at_once(data, client_for):
    client = client_for(data.lead)
    assert "task overdue" not in row_of(get(client, "/network/")[0], "EKB-001")
    assert "Nobody used the portal" in row_of(get(client, "/network/")[0], "EKB-001")
    UnitTask.objects.create(
        unit=data.other_unit, title="Fix the sign", due_date=today() - timedelta(days=1)
    )
    active(data.other_member, data.other_unit)
    row = row_of(get(client, "/network/")[0], "EKB-001")
    assert "1 task overdue" in row and "Nobody used the portal" not in row


def test_admin_panel_is_fresh_after_a_write(data, client_for):
    client = client_for(data.lead)
    home = client.get("/admin/").content.decode()
    assert "Network at a glance" in home
    panel = home.split("network-headlines", 1)[1]
    assert re.search(r"<span>0</span>\s*requests unanswered", panel)
    from franchise.models import UnitRequest

    UnitRequest.objects.create(
        unit=data.unit, kind="question", subject="s", text="t", due_date=today() - timedelta(2)
    )
    panel = client.get("/admin/").content.decode().split("network-headlines", 1)[1]
    assert re.search(r"<span>1</span>\s*requests unanswered", panel)


def test_a_managers_view_of_the_cached_network_holds_the_portfolio_only(data, client_for):
    lead = client_for(data.lead)
    for url in ("/network/", "/network/adoption/", "/network/u/EKB-001/", "/network/digest/"):
        assert lead.get(url).status_code == 200  # the whole network is cached now
    manager = client_for(data.manager)
    for url in ("/network/", "/network/?format=csv", "/network/digest/", "/network/charts/"):
        html = manager.get(url).content.decode()
        assert "EKB-001" not in html, url
        assert "KZN-001" in html or url.endswith("charts/"), url
    assert manager.get("/network/u/EKB-001/").status_code == 404
    other = client_for(data.other_manager)
    html = other.get("/network/").content.decode()
    assert 'data-code="EKB-001"' in html and "KZN-001" not in html
    regions = other.get("/network/adoption/?format=csv&by=region").content.decode()
    assert "Урал" in regions and "Поволжье" not in regions


def test_the_cached_slice_equals_the_portfolio_computed_alone(data):
    portfolio = scorecards.units_in_scope(data.manager)
    sliced = scorecards.network_table(portfolio, today=today())
    alone = scorecards.scorecard_frame(scorecards.load_sources(portfolio, today=today()))
    assert list(sliced["code"]) == ["KZN-001"]
    columns = [c for c in alone.columns if c != "last_active"]
    pd.testing.assert_frame_equal(
        sliced[columns].reset_index(drop=True),
        alone[columns].reset_index(drop=True),
        check_dtype=False,
    )
    assert sliced["last_active"].tolist() == alone["last_active"].tolist()


def test_a_closed_unit_leaves_the_cached_network(data, client_for):
    client = client_for(data.lead)
    assert 'data-code="EKB-001"' in get(client, "/network/")[0]
    Franchisee.objects.filter(pk=data.other_unit.pk).update(status=Franchisee.Status.CLOSED)
    assert 'data-code="EKB-001"' not in get(client, "/network/")[0]
