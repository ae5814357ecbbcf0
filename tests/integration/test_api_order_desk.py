"""A franchisor integration runs the order desk through /api/v1/: a network key whose service
user holds the desk's right (review, network-wide) confirms, ships and rejects orders with the
desk's own services; without the right, the write scope or as a unit, it is a 403 with a
machine-readable body and nothing changes."""

from types import SimpleNamespace

import pytest

from franchise.models import AuditEvent
from integration import services
from integration.api.writes import AUDIT_ACTION
from orders.models import Invoice, OrderEvent, OrderStatus, Stock

from .conftest import make_order
from .test_api_writes import problem, send

DESK = ["orders:read", "orders:write"]


@pytest.fixture
def desk(network, shop):
    order = make_order(network.unit, "D-0001", shop.product)
    _key, raw = services.key_issue_for_network(name="1C desk", scopes=DESK, order_desk=True)
    return SimpleNamespace(order=order, path=f"/api/v1/orders/{order.number}/", raw=raw)


def _writes():
    return AuditEvent.objects.filter(action=AUDIT_ACTION)


def _state(order):
    order.refresh_from_db()
    return (
        order.status,
        OrderEvent.objects.filter(order=order).count(),
        Invoice.objects.filter(order=order).count(),
        Stock.objects.get().reserved,
        _writes().count(),
    )


@pytest.mark.django_db
def test_desk_key_confirms_ships_and_rejects(api, network, shop, desk):
    client = api(desk.raw)
    tag = client.get(desk.path)["ETag"]
    confirmed = send(
        client,
        "post",
        f"{desk.path}confirm/",
        {"note": "from 1C"},
        HTTP_IF_MATCH=tag,
        HTTP_IDEMPOTENCY_KEY="1c-confirm-1",
    )
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == OrderStatus.INVOICED
    assert Invoice.objects.filter(order=desk.order).count() == 1  # the desk's service issued it
    assert Stock.objects.get().reserved == 2
    replay = send(
        client,
        "post",
        f"{desk.path}confirm/",
        {"note": "from 1C"},
        HTTP_IDEMPOTENCY_KEY="1c-confirm-1",
    )
    assert replay["Idempotent-Replayed"] == "true" and replay.json() == confirmed.json()
    problem(send(client, "post", f"{desk.path}ship/", HTTP_IF_MATCH=tag), 412)  # stale tag
    shipped = send(client, "post", f"{desk.path}ship/", HTTP_IF_MATCH=confirmed["ETag"])
    assert shipped.status_code == 200 and shipped.json()["status"] == OrderStatus.SHIPPED
    assert Stock.objects.get().on_hand == 8
    # Every unit of the network: the other unit's order too.
    rejected = send(
        client, "post", f"/api/v1/orders/{shop.other_order.number}/reject/", {"reason": "No"}
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == OrderStatus.REJECTED
    rows = list(_writes().order_by("created_at", "pk"))
    assert [e.details["operation"] for e in rows] == ["order.confirm", "order.ship", "order.reject"]
    assert {e.actor.username.split("-")[1] for e in rows} == {"network"}
    assert rows[0].details["key"] == desk.raw.split(".")[0]
    assert rows[2].unit == network.other_unit


@pytest.mark.django_db
def test_a_region_desk_key_runs_its_region_only(api, network, shop):
    _key, raw = services.key_issue_for_network(
        name="Volga desk", scopes=DESK, region=network.region, order_desk=True
    )
    path = f"/api/v1/orders/{shop.other_order.number}/"
    problem(send(api(raw), "post", f"{path}reject/", {"reason": "x"}), 404)
    assert send(api(raw), "post", f"/api/v1/orders/{shop.order.number}/reject/", {"reason": "x"})
    assert shop.order.__class__.objects.get(pk=shop.order.pk).status == OrderStatus.REJECTED


def _refusals(network):
    """(what, raw key, the problem's type) of each key that may not run the desk."""
    _key, no_right = services.key_issue_for_network(name="1C", scopes=DESK)
    _key, read_only = services.key_issue_for_network(
        name="1C ro", scopes=["orders:read"], order_desk=True
    )
    _key, unit = services.key_issue_for_unit(unit=network.unit, name="POS", scopes=DESK)
    return [
        ("no desk right", no_right, "right_missing"),
        ("read-only scope", read_only, "scope_missing"),
        ("unit key", unit, "right_missing"),
    ]


@pytest.mark.django_db
def test_refusals_are_403_with_a_reason_and_change_nothing(api, network, shop, desk):
    before = _state(desk.order)
    for what, raw, code in _refusals(network):
        assert api(raw).get(desk.path).status_code == 200, what  # it may read the order
        for name, body in (("confirm", {}), ("ship", {}), ("reject", {"reason": "x"})):
            answer = send(api(raw), "post", f"{desk.path}{name}/", body, HTTP_IDEMPOTENCY_KEY=name)
            refusal = problem(answer, 403)
            assert refusal["type"] == f"/api/v1/problems/{code}", (what, refusal)
            assert refusal["detail"]
            if code == "right_missing":
                assert refusal["errors"] == {"right": ["review"]}
    assert _state(desk.order) == before
    denied = AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS_DENIED)
    assert denied.filter(target=f"order:{desk.order.number}").count() == 6  # the right's refusals


@pytest.mark.django_db
def test_an_order_the_key_cannot_see_is_404(api, network, shop):
    _key, raw = services.key_issue_for_unit(unit=network.other_unit, name="POS", scopes=DESK)
    problem(send(api(raw), "post", f"/api/v1/orders/{shop.order.number}/confirm/"), 404)
    assert _state(shop.order)[0] == OrderStatus.SUBMITTED
