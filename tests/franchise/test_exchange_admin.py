"""Wagtail admin listings of tasks and requests: scoped, filtered, exported, read-only."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from franchise import access
from franchise.models import Role, UnitRequest, UnitTask
from franchise.tasks_requests import services
from tests import factories
from tests.franchise.test_documents import _queries

TODAY = timezone.localdate()


def _task(unit, manager, title, days=5, **kw):
    return UnitTask.objects.create(
        unit=unit,
        title=title,
        due_date=TODAY + timedelta(days=days),
        created_by=manager,
        **kw,
    )


def _request(unit, owner, subject, days=2, **kw):
    return UnitRequest.objects.create(
        unit=unit,
        kind=UnitRequest.Kind.QUESTION,
        subject=subject,
        text="…",
        due_date=TODAY + timedelta(days=days),
        created_by=owner,
        assignee=unit.account_manager,
        **kw,
    )


@pytest.fixture
def work(network):
    return {
        "mine": _task(
            network.unit, network.manager, "Repaint the sign", responsible=network.member
        ),
        "late": _task(network.unit, network.manager, "Send the hygiene act", days=-3),
        "done": _task(
            network.unit, network.manager, "Old task", days=-9, status=UnitTask.Status.DONE
        ),
        "theirs": _task(network.other_unit, network.other_manager, "Ural inventory"),
        "ask": _request(network.unit, network.owner, "Where is the price list?"),
        "their_ask": _request(network.other_unit, network.other_member, "Ural question"),
    }


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


TASKS = "network_tasks:index"
REQUESTS = "network_requests:index"


def test_manager_sees_only_the_portfolio(network, client_for, work):
    html = client_for(network.manager).get(reverse(TASKS)).content.decode()
    assert "Repaint the sign" in html and "Send the hygiene act" in html
    assert "Ural inventory" not in html
    html = client_for(network.other_manager).get(reverse(TASKS)).content.decode()
    assert "Ural inventory" in html
    assert "Repaint the sign" not in html and "Send the hygiene act" not in html
    assert network.unit.trading_name not in html  # not even in the unit filter
    html = client_for(network.other_manager).get(reverse(REQUESTS)).content.decode()
    assert "Ural question" in html and "Where is the price list?" not in html


def test_other_portfolio_gets_404_on_inspect_and_lead_sees_all(network, client_for, work):
    inspect = reverse("network_tasks:inspect", args=[work["mine"].pk])
    assert client_for(network.other_manager).get(inspect).status_code == 404
    response = client_for(network.manager).get(inspect)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Repaint the sign" in html
    lead = client_for(network.lead)
    html = lead.get(reverse(TASKS)).content.decode()
    assert "Repaint the sign" in html and "Ural inventory" in html
    assert lead.get(inspect).status_code == 200
    request_inspect = reverse("network_requests:inspect", args=[work["ask"].pk])
    assert client_for(network.other_manager).get(request_inspect).status_code == 404
    assert client_for(network.manager).get(request_inspect).status_code == 200


@pytest.mark.parametrize("who", ["owner", "member", "other_member", "editor", "stranger"])
def test_unit_people_and_editors_get_nothing(network, client_for, work, who):
    client = client_for(getattr(network, who))
    for url in [
        reverse(TASKS),
        reverse(REQUESTS),
        reverse("network_tasks:inspect", args=[work["mine"].pk]),
        reverse(TASKS) + "?export=csv",
    ]:
        response = client.get(url)
        assert response.status_code in (302, 403, 404), (who, url)
        assert b"Repaint the sign" not in _body(response)


def test_anonymous_is_sent_to_login(network, client_for, work):
    response = client_for(None).get(reverse(TASKS))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_admin_cannot_change_tasks(network, client_for, work):
    """Changes go through the cabinet's services: add, edit and delete refuse, even for a lead."""
    task = work["mine"]
    for who in [network.manager, network.lead]:
        client = client_for(who)
        for url in [
            reverse("network_tasks:add"),
            reverse("network_tasks:edit", args=[task.pk]),
            reverse("network_tasks:delete", args=[task.pk]),
        ]:
            assert client.get(url).status_code in (302, 403, 404), url
        client.post(reverse("network_tasks:edit", args=[task.pk]), {"status": "cancelled"})
        client.post(reverse("network_tasks:delete", args=[task.pk]))
    task.refresh_from_db()
    assert task.status == UnitTask.Status.OPEN


def test_rows_link_to_the_cabinet(network, client_for, work):
    html = client_for(network.manager).get(reverse(TASKS)).content.decode()
    assert services.task_url(work["mine"]) in html
    html = client_for(network.manager).get(reverse(REQUESTS)).content.decode()
    assert services.request_url(work["ask"]) in html


def test_filters_and_search(network, client_for, work):
    client = client_for(network.lead)

    def titles(query):
        html = client.get(reverse(TASKS) + query).content.decode()
        return {
            t
            for t in ["Repaint the sign", "Send the hygiene act", "Old task", "Ural inventory"]
            if t in html
        }

    assert titles("?overdue=true") == {"Send the hygiene act"}
    assert titles(f"?unit={network.other_unit.pk}") == {"Ural inventory"}
    assert titles("?status=done") == {"Old task"}
    assert titles(f"?due_date_from={TODAY.isoformat()}") == {"Repaint the sign", "Ural inventory"}
    assert titles("?q=hygiene") == {"Send the hygiene act"}
    assert titles("?q=EKB-001") == {"Ural inventory"}


def test_csv_export_has_the_portfolio_rows(network, client_for, work):
    response = client_for(network.manager).get(reverse(TASKS) + "?export=csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(_body(response).decode("utf-8-sig"))))
    assert sorted(r["Title"] for r in rows) == [
        "Old task",
        "Repaint the sign",
        "Send the hygiene act",
    ]
    row = next(r for r in rows if r["Title"] == "Repaint the sign")
    assert row["Unit code"] == network.unit.code
    assert row["Status"] == "Open"
    assert row["Due date"] == (TODAY + timedelta(days=5)).isoformat()
    # Filters apply to the export too.
    late = client_for(network.manager).get(reverse(TASKS) + "?export=csv&overdue=true")
    rows = list(csv.DictReader(io.StringIO(_body(late).decode("utf-8-sig"))))
    assert [r["Title"] for r in rows] == ["Send the hygiene act"]


def test_xlsx_export_of_requests(network, client_for, work):
    response = client_for(network.other_manager).get(reverse(REQUESTS) + "?export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(_body(response))).active
    rows = list(sheet.iter_rows(values_only=True))
    header, data = rows[0], rows[1:]
    assert "Subject" in header and "Unit code" in header
    assert [r[header.index("Subject")] for r in data] == ["Ural question"]
    assert data[0][header.index("Unit code")] == network.other_unit.code
    assert data[0][header.index("Kind")] == "Question"


@pytest.mark.parametrize("index", [TASKS, REQUESTS])
@pytest.mark.parametrize("who", ["manager", "lead"])
def test_listing_query_count_is_the_same_for_few_and_many_rows(
    network, client_for, work, index, who
):
    client = client_for(getattr(network, who))
    urls = [reverse(index), reverse(index) + "?overdue=true&q=a", reverse(index) + "?export=csv"]
    few = [_queries(client, url) for url in urls]
    for i in range(30):
        unit = factories.UnitFactory(region=network.region)
        owner = factories.member_of(unit, Role.OWNER)
        manager = network.manager if i % 2 else network.other_manager
        access.set_account_manager(unit, manager)
        _task(unit, manager, f"Task {i}", days=i - 15, responsible=owner)
        _request(unit, owner, f"Question {i}", days=i - 15)
    client = client_for(getattr(network, who))
    assert [_queries(client, url) for url in urls] == few


def test_every_object_view_of_the_network_screens_is_scoped(network, client_for, work):
    """Inspect, history and usage look their object up apart from the listing: scoped too."""
    from franchise.models import AuditEvent

    event = AuditEvent.objects.create(action="grant", unit=network.unit, target="owner")
    outsider = client_for(network.other_manager)
    insider = client_for(network.manager)
    for url in [
        reverse("network_tasks:inspect", args=[work["mine"].pk]),
        reverse("network_requests:inspect", args=[work["ask"].pk]),
        reverse("units:history", args=[network.unit.pk]),
        reverse("units:usage", args=[network.unit.pk]),
        reverse("units:inspect", args=[network.unit.pk]),
        reverse("units:edit", args=[network.unit.pk]),
        reverse("audit:inspect", args=[event.pk]),
    ]:
        response = outsider.get(url)
        assert response.status_code == 404, url
        assert network.unit.trading_name not in response.content.decode()
        assert insider.get(url).status_code == 200, url
