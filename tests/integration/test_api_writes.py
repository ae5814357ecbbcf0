"""Writes through /api/v1/: report drafts, order status changes, payments; ledger reads.

Each write goes through the app's own service and validation, is scoped and unit-bound like
the reads, is safe to retry (Idempotency-Key, If-Match) and leaves an audit row.
"""

import json
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finance.models import Balance, Entry, Payment
from franchise import access
from franchise.models import AuditEvent
from integration import services
from integration.api.writes import AUDIT_ACTION
from orders.models import Order, OrderStatus, Stock
from reporting import periods as P
from reporting.models import ChangeLog, Submission, Value
from tests import factories
from tests.reporting.conftest import make_template

from .conftest import make_order

WRITE = ["reports:read", "reports:write", "orders:read", "orders:write", "finance:read"]
JSON = "application/json"


@pytest.fixture
def wkeys(network):
    """Write keys: the unit's, another unit's, a read-only one, the manager's, finance's."""

    def unit_key(unit, scopes):
        return services.key_issue_for_unit(unit=unit, name="POS", scopes=scopes)[1]

    finance = factories.UserFactory(username="accountant")
    finance.groups.add(access.ensure_groups()[access.FINANCE])
    _key, finance_raw = services.key_issue_for_user(
        user=finance, name="Bank", scopes=["finance:read", "finance:write"]
    )
    _key, manager_raw = services.key_issue_for_user(user=network.manager, name="Desk", scopes=WRITE)
    _key, other_manager_raw = services.key_issue_for_user(
        user=network.other_manager, name="Desk 2", scopes=WRITE
    )
    return SimpleNamespace(
        unit=unit_key(network.unit, WRITE),
        other=unit_key(network.other_unit, WRITE),
        read_only=unit_key(network.unit, ["reports:read", "orders:read", "finance:read"]),
        manager=manager_raw,
        other_manager=other_manager_raw,
        finance=finance_raw,
        finance_user=finance,
    )


@pytest.fixture
def report(db):
    template = make_template()
    return SimpleNamespace(template=template, period=P.last_closed("monthly", timezone.localdate()))


def send(client, method, path, body=None, **headers):
    """A JSON request; `headers` as Django META names (HTTP_IF_MATCH=...)."""
    data = body if isinstance(body, str | bytes) else json.dumps(body or {})
    return getattr(client, method)(path, data=data, content_type=JSON, **headers)


def problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["type"].startswith("/api/v1/problems/")
    return body


def _create(client, network, report, values=None, **headers):
    body = {
        "unit": network.unit.code,
        "template": report.template.slug,
        "period": report.period.key,
        "values": values or {},
    }
    return send(client, "post", "/api/v1/submissions/", body, **headers)


def _writes():
    return AuditEvent.objects.filter(action=AUDIT_ACTION)


# Submissions ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_draft_created_changed_and_submitted(api, wkeys, network, report):
    client = api(wkeys.unit)
    created = _create(client, network, report, {"revenue": "120000.00", "receipts": 400})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["unit"] == network.unit.code
    values = {v["field"]: v["number"] for v in body["values"]}
    assert Decimal(values["revenue"]) == Decimal("120000")
    assert Decimal(values["average_check"]) == Decimal("300.00")  # the service computed it
    path = f"/api/v1/submissions/{body['id']}/"

    etag = client.get(path)["ETag"]
    assert etag == created["ETag"]
    assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304
    changed = send(
        client, "patch", path, {"values": {"staff": 12, "open_sundays": True}}, HTTP_IF_MATCH=etag
    )
    assert changed.status_code == 200, changed.content
    assert changed["ETag"] != etag
    stored = dict(Value.objects.filter(submission_id=body["id"]).values_list("field_key", "number"))
    assert stored["staff"] == 12 and stored["open_sundays"] == 1
    assert stored["revenue"] == Decimal("120000")  # PATCH leaves the others alone

    submitted = send(client, "post", f"{path}submit/")
    assert submitted.status_code == 200, submitted.content
    submission = Submission.objects.get(pk=body["id"])
    assert submission.status == "submitted" and submission.submitted_by.username.startswith("api-")
    again = send(client, "post", f"{path}submit/")
    assert again.status_code == 200 and again.json()["status"] == "submitted"
    operations = [e.details["operation"] for e in _writes().order_by("created_at", "pk")]
    assert operations == [
        "submission.create",
        "submission.update",
        "submission.submit",
        "submission.submit",
    ]
    event = _writes().first()
    assert event.unit == network.unit and event.details["key"]


@pytest.mark.django_db
def test_put_replaces_all_values_and_needs_if_match(api, wkeys, network, report):
    client = api(wkeys.unit)
    created = _create(client, network, report, {"revenue": 1000, "staff": 3, "comment": "ok"})
    path = f"/api/v1/submissions/{created.json()['id']}/"
    problem(send(client, "put", path, {"values": {"staff": 4}}), 428)
    stale = problem(
        send(client, "put", path, {"values": {"staff": 4}}, HTTP_IF_MATCH='"0123"'), 412
    )
    assert stale["detail"]
    assert Value.objects.get(submission_id=created.json()["id"], field_key="staff").number == 3
    replaced = send(client, "put", path, {"values": {"staff": 4}}, HTTP_IF_MATCH=created["ETag"])
    assert replaced.status_code == 200, replaced.content
    rows = {v.field_key: v for v in Value.objects.filter(submission_id=created.json()["id"])}
    assert rows["staff"].number == 4 and rows["revenue"].number is None
    assert rows["comment"].text == ""
    # The old ETag is stale now.
    problem(
        send(client, "patch", path, {"values": {"staff": 5}}, HTTP_IF_MATCH=created["ETag"]), 412
    )


@pytest.mark.django_db
def test_idempotent_create_returns_the_first_answer(api, wkeys, network, report):
    client = api(wkeys.unit)
    first = _create(client, network, report, {"revenue": 10}, HTTP_IDEMPOTENCY_KEY="abc-1")
    again = _create(client, network, report, {"revenue": 10}, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Submission.objects.count() == 1
    assert _writes().count() == 1
    other_body = _create(client, network, report, {"revenue": 11}, HTTP_IDEMPOTENCY_KEY="abc-1")
    problem(other_body, 409)
    # Without a key, a second create of the same report is refused: change it instead.
    assert "id" in problem(_create(client, network, report), 409)["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("{not json", None),
        ("[1, 2]", "non_field_errors"),
        ({"unit": "KZN-001", "template": "sales", "period": "x", "values": {}}, "period"),
        ({"unit": "KZN-001", "template": "sales", "values": {}, "colour": "red"}, "colour"),
        ({"unit": 5, "template": [], "period": "2020-01-01"}, "template"),
        ({"values": {"staff": 500}}, "values"),  # over the field's maximum
        ({"values": {"staff": "many"}}, "values"),
        ({"values": {"staff": [1]}}, "values"),
        ({"values": {"staff": True}}, "values"),
        ({"values": {"open_sundays": "perhaps"}}, "values"),
        ({"values": {"average_check": 5}}, "values"),  # computed, not entered
        ({"values": {"nonsense": 5}}, "values"),
        ({"values": {"revenue": "1.123"}}, "values"),  # money: two decimals
        ({"values": "revenue=5"}, "values"),
    ],
)
def test_bad_bodies_are_400_and_save_nothing(api, wkeys, network, report, body, field):
    if isinstance(body, dict) and "unit" not in body:
        body = {
            "unit": network.unit.code,
            "template": report.template.slug,
            "period": report.period.key,
            **body,
        }
    response = send(api(wkeys.unit), "post", "/api/v1/submissions/", body)
    result = problem(response, 400)
    if field:
        assert field in result["errors"], result
    assert Submission.objects.count() == 0 and not _writes().exists()


@pytest.mark.django_db
def test_open_period_and_unknown_template(api, wkeys, network, report):
    client = api(wkeys.unit)
    current = P.period_containing("monthly", timezone.localdate())
    body = {"unit": network.unit.code, "template": "sales", "period": current.key}
    assert "period" in problem(send(client, "post", "/api/v1/submissions/", body), 400)["errors"]
    body = {**body, "template": "nope", "period": report.period.key}
    problem(send(client, "post", "/api/v1/submissions/", body), 404)


@pytest.mark.django_db
def test_submit_checks_required_fields_and_submitted_is_read_only(api, wkeys, network, report):
    client = api(wkeys.unit)
    created = _create(client, network, report, {"revenue": 100})
    path = f"/api/v1/submissions/{created.json()['id']}/"
    missing = problem(send(client, "post", f"{path}submit/"), 400)
    assert "receipts" in missing["errors"]["values"]
    assert Submission.objects.get().status == "draft"
    done = send(
        client,
        "patch",
        path,
        {"values": {"receipts": 2, "staff": 1}},
        HTTP_IF_MATCH=created["ETag"],
    )
    assert send(client, "post", f"{path}submit/").status_code == 200
    late = send(client, "patch", path, {"values": {"staff": 2}}, HTTP_IF_MATCH=done["ETag"])
    problem(late, 412)  # submitting changed it
    tag = client.get(path)["ETag"]
    problem(send(client, "patch", path, {"values": {"staff": 2}}, HTTP_IF_MATCH=tag), 409)
    assert Value.objects.get(field_key="staff").number == 1


@pytest.mark.django_db
def test_submission_writes_are_scoped_and_unit_bound(api, wkeys, network, report):
    created = _create(api(wkeys.unit), network, report, {"revenue": 100})
    path = f"/api/v1/submissions/{created.json()['id']}/"
    tag = created["ETag"]
    changes = ChangeLog.objects.count()
    # A read-only key: 403 on every write.
    reader = api(wkeys.read_only)
    problem(_create(reader, network, report), 403)
    problem(send(reader, "patch", path, {"values": {"staff": 1}}, HTTP_IF_MATCH=tag), 403)
    problem(send(reader, "post", f"{path}submit/"), 403)
    # Another unit's key, and the manager (who reviews but does not work in the unit): 404.
    for raw in (wkeys.other, wkeys.manager):
        client = api(raw)
        problem(_create(client, network, report), 404)
        problem(send(client, "patch", path, {"values": {"staff": 1}}, HTTP_IF_MATCH=tag), 404)
        problem(send(client, "post", f"{path}submit/"), 404)
    assert api(wkeys.manager).get(path).status_code == 200  # reading is still his right
    assert ChangeLog.objects.count() == changes
    assert Submission.objects.get().status == "draft"
    denied = AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS_DENIED)
    assert denied.filter(target=f"unit:{network.unit.code}").count() == 2
    assert _writes().count() == 1


@pytest.mark.django_db
def test_revoked_and_expired_keys_cannot_write(api, wkeys, network, report):
    key, raw = services.key_issue_for_unit(unit=network.unit, name="old", scopes=WRITE)
    services.key_revoke(key=key)
    problem(_create(api(raw), network, report), 401)
    _key, raw = services.key_issue_for_unit(
        unit=network.unit, name="x", scopes=WRITE, expires=timezone.now() - timedelta(1)
    )
    problem(_create(api(raw), network, report), 401)
    assert Submission.objects.count() == 0


# Orders -----------------------------------------------------------------------------------


def _order(network, shop, number="A-0001", unit=None):
    order = make_order(unit or network.unit, number, shop.product)
    return order, f"/api/v1/orders/{number}/"


@pytest.mark.django_db
def test_franchisor_confirms_ships_and_delivers(api, wkeys, network, shop):
    order, path = _order(network, shop)
    client = api(wkeys.manager)
    tag = client.get(path)["ETag"]
    confirmed = send(
        client,
        "post",
        f"{path}confirm/",
        {"quantities": {"BR-1": "1"}, "note": "one left"},
        HTTP_IF_MATCH=tag,
        HTTP_IDEMPOTENCY_KEY="c-1",
    )
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == OrderStatus.INVOICED
    assert confirmed.json()["lines"][0]["quantity"] == "1.000"
    assert Stock.objects.get(product=shop.product).reserved == 1
    replay = send(
        client,
        "post",
        f"{path}confirm/",
        {"quantities": {"BR-1": "1"}, "note": "one left"},
        HTTP_IDEMPOTENCY_KEY="c-1",
    )
    assert replay.status_code == 200 and replay["Idempotent-Replayed"] == "true"
    problem(send(client, "post", f"{path}confirm/"), 409)  # already handled
    problem(send(client, "post", f"{path}ship/", HTTP_IF_MATCH=tag), 412)  # stale
    shipped = send(client, "post", f"{path}ship/")
    assert shipped.status_code == 200 and shipped.json()["status"] == OrderStatus.SHIPPED
    assert Stock.objects.get(product=shop.product).on_hand == 9
    delivered = send(client, "post", f"{path}deliver/")
    assert delivered.json()["status"] == OrderStatus.DELIVERED
    operations = [e.details["operation"] for e in _writes().order_by("created_at", "pk")]
    assert operations == ["order.confirm", "order.ship", "order.deliver"]
    assert _writes().order_by("created_at", "pk")[0].details["status_to"] == OrderStatus.INVOICED


@pytest.mark.django_db
def test_reject_needs_a_reason_and_bad_quantities_are_refused(api, wkeys, network, shop):
    order, path = _order(network, shop)
    client = api(wkeys.manager)
    assert "reason" in problem(send(client, "post", f"{path}reject/", {}), 400)["errors"]
    assert (
        "reason" in problem(send(client, "post", f"{path}reject/", {"reason": " "}), 400)["errors"]
    )
    bad = send(client, "post", f"{path}confirm/", {"quantities": {"XX-9": 1}})
    assert "quantities" in problem(bad, 400)["errors"]
    problem(send(client, "post", f"{path}confirm/", {"quantities": {"BR-1": "-1"}}), 400)
    problem(send(client, "post", f"{path}confirm/", {"quantities": {"BR-1": "99"}}), 409)  # stock
    problem(send(client, "post", f"{path}confirm/", {"colour": "red"}), 400)
    problem(send(client, "post", f"{path}confirm/", "{oops"), 400)
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED and Stock.objects.get().reserved == 0
    rejected = send(client, "post", f"{path}reject/", {"reason": "Out of season"})
    assert rejected.status_code == 200 and rejected.json()["status"] == OrderStatus.REJECTED
    assert rejected.json()["events"][-1]["note"] == "Out of season"


@pytest.mark.django_db
def test_order_transitions_need_scope_and_the_right(api, wkeys, network, shop):
    order, path = _order(network, shop)
    problem(send(api(wkeys.read_only), "post", f"{path}confirm/"), 403)
    # The unit itself sees the order but has no review right: 403 naming the right.
    for name in ("confirm", "reject", "ship"):
        refusal = problem(send(api(wkeys.unit), "post", f"{path}{name}/", {"reason": "x"}), 403)
        assert refusal["errors"] == {"right": ["review"]}
    # Another unit, another portfolio's manager: they do not see it at all.
    for raw in (wkeys.other, wkeys.other_manager):
        for name in ("confirm", "reject", "ship"):
            problem(send(api(raw), "post", f"{path}{name}/", {"reason": "x"}), 404)
    problem(send(api(wkeys.other), "post", f"{path}deliver/"), 404)
    problem(send(api(wkeys.other_manager), "post", f"{path}deliver/"), 404)
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED and not _writes().exists()
    # A network lead's key reads every order but changes none (no review right).
    _key, lead = services.key_issue_for_user(user=network.lead, name="BI", scopes=WRITE)
    assert api(lead).get(path).status_code == 200
    problem(send(api(lead), "post", f"{path}confirm/"), 403)
    problem(send(api(lead), "post", f"{path}deliver/"), 403)  # order_deliver refuses it


# Ledger, balances, payments ----------------------------------------------------------------


@pytest.mark.django_db
def test_payment_recorded_posted_and_idempotent(api, wkeys, network, shop):
    client = api(wkeys.finance)
    body = {
        "unit": network.unit.code,
        "invoice": shop.invoice.number,
        "paid_on": "2026-03-02",
        "amount": "240.00",
        "number": "118",
        "payer_name": "ООО Хлебный двор",
        "purpose": "Оплата по счёту S-0001",
    }
    first = send(client, "post", "/api/v1/payments/", body, HTTP_IDEMPOTENCY_KEY="p-1")
    assert first.status_code == 201, first.content
    again = send(client, "post", "/api/v1/payments/", body, HTTP_IDEMPOTENCY_KEY="p-1")
    assert again.json() == first.json()
    payment = Payment.objects.get()
    assert payment.unit == network.unit and payment.created_by == wkeys.finance_user
    entry = Entry.objects.get(payment=payment)
    assert entry.amount == Decimal("-240.00")
    assert Balance.objects.get(unit=network.unit).amount == Decimal("-240.00")
    # The same payment under another key (or none) is the same row: refused.
    problem(send(client, "post", "/api/v1/payments/", body), 409)
    assert Payment.objects.count() == 1 and _writes().count() == 1

    entries = api(wkeys.unit).get("/api/v1/ledger-entries/").json()["results"]
    assert [(e["kind"], e["amount"], e["payment"]) for e in entries] == [
        ("payment", "-240.00", payment.pk)
    ]
    assert api(wkeys.other).get("/api/v1/ledger-entries/").json()["results"] == []
    balance = api(wkeys.unit).get(f"/api/v1/balances/{network.unit.code}/")
    assert balance.json()["amount"] == "-240.00" and balance["ETag"]
    problem(api(wkeys.other).get(f"/api/v1/balances/{network.unit.code}/"), 404)
    problem(api(wkeys.other).get(f"/api/v1/ledger-entries/{entry.pk}/"), 404)
    # Payments are read back by the unit (and finance), not by another unit.
    listed = api(wkeys.unit).get("/api/v1/payments/").json()["results"]
    assert [(p["id"], p["invoice"], p["amount"]) for p in listed] == [
        (payment.pk, shop.invoice.number, "240.00")
    ]
    assert api(wkeys.unit).get(f"/api/v1/payments/{payment.pk}/")["ETag"]
    assert api(wkeys.other).get("/api/v1/payments/").json()["results"] == []
    problem(api(wkeys.other).get(f"/api/v1/payments/{payment.pk}/"), 404)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"paid_on": "2026-03-02", "amount": "0"}, 400),
        ({"paid_on": "2026-03-02", "amount": "-5"}, 400),
        ({"paid_on": "2026-03-02", "amount": "1.005"}, 400),
        ({"paid_on": "2026-03-02", "amount": "ten"}, 400),
        ({"paid_on": "March", "amount": "10"}, 400),
        ({"paid_on": "2026-03-02", "amount": "10", "bank": "x"}, 400),
        ({"paid_on": "2026-03-02", "amount": "10", "unit": "NOPE"}, 404),
        ({"paid_on": "2026-03-02", "amount": "10", "invoice": "NOPE"}, 404),
        ({"paid_on": "2026-03-02", "amount": "10", "unit": "EKB-001", "invoice": "S-0001"}, 400),
    ],
)
def test_bad_payments_save_nothing(api, wkeys, network, shop, body, status):
    problem(send(api(wkeys.finance), "post", "/api/v1/payments/", body), status)
    assert not Payment.objects.exists() and not Entry.objects.exists()


@pytest.mark.django_db
def test_payments_only_by_finance_with_the_scope(api, wkeys, network, client_for):
    body = {"unit": network.unit.code, "paid_on": "2026-03-02", "amount": "10"}
    problem(send(api(wkeys.unit), "post", "/api/v1/payments/", body), 403)  # no finance:write
    _key, raw = services.key_issue_for_unit(
        unit=network.unit, name="x", scopes=["finance:read", "finance:write"]
    )
    problem(send(api(raw), "post", "/api/v1/payments/", body), 403)  # not finance staff
    _key, raw = services.key_issue_for_user(
        user=wkeys.finance_user, name="r", scopes=["finance:read"]
    )
    problem(send(api(raw), "post", "/api/v1/payments/", body), 403)
    problem(send(client_for(network.manager), "post", "/api/v1/payments/", body), 403)
    assert not Payment.objects.exists()
    _key, plain = services.key_issue_for_network(name="1C", scopes=["finance:write"])
    problem(send(api(plain), "post", "/api/v1/payments/", body), 403)
    assert not Payment.objects.exists()
    _key, books = services.key_issue_for_network(
        name="1C", scopes=["finance:write"], keeps_books=True
    )
    assert send(api(books), "post", "/api/v1/payments/", body).status_code == 201
    unmatched = send(
        api(wkeys.finance), "post", "/api/v1/payments/", {**body, "unit": None, "number": "2"}
    )
    assert unmatched.status_code == 201 and unmatched.json()["unit"] is None
    # The unmatched one waits in the queue for a person to match it: one entry, 1C's.
    assert Entry.objects.get().payment.created_by.username.startswith("api-network")
    seen = [p["unit"] for p in api(wkeys.finance).get("/api/v1/payments/").json()["results"]]
    assert seen == [network.unit.code, None]  # finance staff see the unmatched one too
    seen = [p["unit"] for p in api(wkeys.unit).get("/api/v1/payments/").json()["results"]]
    assert seen == [network.unit.code]  # its own payment, not the unmatched one


@pytest.mark.django_db
def test_ledger_lists_filter_and_paginate(api, wkeys, network):
    from finance import services as finance_services

    for n in range(3):
        finance_services.entry_adjust(unit=network.unit, amount=10 + n, text=f"n{n}", user=None)
    finance_services.entry_adjust(unit=network.other_unit, amount=5, text="x", user=None)
    client = api(wkeys.manager)
    first = client.get("/api/v1/ledger-entries/", {"page_size": 2}).json()
    second = client.get(first["next"]).json()
    amounts = [e["amount"] for e in first["results"] + second["results"]]
    assert amounts == ["10.00", "11.00", "12.00"] and second["next"] is None
    later = (timezone.now() + timedelta(minutes=1)).isoformat()
    assert client.get("/api/v1/ledger-entries/", {"updated_since": later}).json()["results"] == []
    assert (
        "updated_since"
        in problem(client.get("/api/v1/ledger-entries/", {"updated_since": "soon"}), 400)["errors"]
    )
    balances = client.get("/api/v1/balances/").json()["results"]
    assert balances == [
        {"unit": network.unit.code, "amount": "33.00", "updated_at": balances[0]["updated_at"]}
    ]
    assert client.get("/api/v1/balances/", {"updated_since": later}).json()["results"] == []
    problem(api(wkeys.finance).get("/api/v1/orders/"), 403)  # finance scope only


@pytest.mark.django_db
@pytest.mark.parametrize("resource", ["ledger-entries", "balances", "payments"])
def test_ledger_list_query_count_is_flat(resource, api, network):
    from finance import services as finance_services

    from .test_api_queries import _count

    _key, raw = services.key_issue_for_network(name="BI", scopes=["finance:read"])
    client = api(raw)
    finance_services.entry_adjust(unit=network.unit, amount=1, text="a", user=None)
    finance_services.payment_record(
        payment=Payment(unit=network.unit, paid_on=date(2026, 1, 1), amount=1, fingerprint="first")
    )
    few = _count(client, f"/api/v1/{resource}/")
    for _n in range(20):
        unit = factories.UnitFactory(region=network.region)
        finance_services.entry_adjust(unit=unit, amount=1, text="a", user=None)
        finance_services.payment_record(
            payment=Payment(unit=unit, paid_on=date(2026, 1, 1), amount=1, fingerprint=unit.code)
        )
    many = _count(client, f"/api/v1/{resource}/")
    assert few == many <= 6, (few, many)


@pytest.mark.django_db
def test_order_transition_keeps_other_orders_alone(api, wkeys, network, shop):
    _order(network, shop)
    send(api(wkeys.manager), "post", "/api/v1/orders/A-0001/reject/", {"reason": "no"})
    assert Order.objects.get(number=shop.order.number).status == OrderStatus.SUBMITTED


def test_schema_generates_without_warnings(tmp_path, db):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )
    text = (tmp_path / "schema.yaml").read_text()
    for path in ("/submissions/{id}/submit/", "/orders/{number}/confirm/", "/payments/"):
        assert path in text
    assert "Idempotency-Key" in text and "If-Match" in text


# Any JSON at all ------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(["2026-03-01", "BR-1", "KZN-001", "sales", "1e400", "NaN", "-0"]),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=8,
)
FIELDS = [
    "unit",
    "template",
    "period",
    "values",
    "quantities",
    "note",
    "reason",
    "paid_on",
    "amount",
    "invoice",
    "number",
    "revenue",
    "staff",
    "open_sundays",
    "BR-1",
]
BODIES = st.one_of(
    JSON_VALUES,
    st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, max_size=5),
    st.fixed_dictionaries(
        {"values": st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, max_size=4)}
    ),
    st.fixed_dictionaries(
        {"quantities": st.dictionaries(st.sampled_from(["BR-1", "x"]), JSON_VALUES, max_size=2)}
    ),
    st.binary(max_size=40),
)
ANSWERS = {200, 201, 400, 403, 404, 409, 412, 415, 428}


@pytest.mark.django_db
def test_no_body_answers_500(api, wkeys, network, report, shop):
    created = _create(api(wkeys.unit), network, report, {"revenue": 1})
    draft = f"/api/v1/submissions/{created.json()['id']}/"
    order, order_path = _order(network, shop)
    targets = [
        (wkeys.unit, "post", "/api/v1/submissions/"),
        (wkeys.unit, "patch", draft),
        (wkeys.unit, "put", draft),
        (wkeys.unit, "post", f"{draft}submit/"),
        (wkeys.manager, "post", f"{order_path}confirm/"),
        (wkeys.manager, "post", f"{order_path}reject/"),
        (wkeys.manager, "post", f"{order_path}ship/"),
        (wkeys.finance, "post", "/api/v1/payments/"),
    ]
    clients = {
        raw: Client(raise_request_exception=True, HTTP_AUTHORIZATION=f"Api-Key {raw}")
        for raw in {t[0] for t in targets}
    }

    @settings(
        max_examples=12,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )
    @given(body=BODIES, target=st.sampled_from(targets))
    def check(body, target):
        raw, method, path = target
        data = body if isinstance(body, bytes) else json.dumps(body)
        headers = (
            {"HTTP_IF_MATCH": clients[raw].get(path.removesuffix("submit/"))["ETag"]}
            if (method in ("put", "patch"))
            else {}
        )
        with transaction.atomic():
            response = getattr(clients[raw], method)(path, data=data, content_type=JSON, **headers)
            transaction.set_rollback(True)
        assert response.status_code in ANSWERS, (method, path, body, response.content[:300])
        if response.status_code >= 400:
            assert response["Content-Type"] == "application/problem+json"

    check()
