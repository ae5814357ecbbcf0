"""The API keys screens of the Wagtail admin: who gets in, issuing a key (shown once, and it
works), revoking one, the expiry check and the list's query count."""

import json
import re
from datetime import timedelta

from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from finance.models import Entry, Payment
from integration import services
from integration.models import IntegrationKey
from orders.models import OrderStatus
from tests import factories

UNITS = "/api/v1/units/"


def _key_admin():
    """Franchisor staff allowed to manage keys (admin access + the key permissions)."""
    user = factories.editor(username="keyadmin")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="integration",
            codename__in=["add_integrationkey", "change_integrationkey"],
        )
    )
    return user


def _api(raw):
    return Client(HTTP_AUTHORIZATION=f"Api-Key {raw}")


def _raw_key(html):
    match = re.search(r'<code class="api-key"[^>]*>([^<]+)</code>', html)
    assert match, html
    return match.group(1)


def test_screens_are_for_key_managers_only(network, client_for):
    key, _ = services.key_issue_for_unit(unit=network.unit, name="POS", scopes=["units:read"])
    urls = [
        reverse("integration_keys:index"),
        reverse("integration_keys:add"),
        reverse("integration_keys:revoke", args=[key.pk]),
    ]
    for user in (network.editor, network.manager, network.owner, network.lead):
        c = client_for(user)
        for url in urls:
            assert c.get(url).status_code in (302, 403), (user, url)
        assert c.post(urls[-1]).status_code in (302, 403)
        r = c.post(urls[1], {"name": "x", "kind": "network", "scopes": ["units:read"]})
        assert r.status_code in (302, 403)
    assert IntegrationKey.objects.count() == 1
    key.refresh_from_db()
    assert not key.revoked
    # The holder of the permissions gets in; no edit or delete of a key.
    c = client_for(_key_admin())
    for url in urls:
        assert c.get(url).status_code == 200, url
    assert c.get(reverse("integration_keys:edit", args=[key.pk])).status_code in (302, 403)
    assert c.post(reverse("integration_keys:delete", args=[key.pk])).status_code in (302, 403)
    assert IntegrationKey.objects.filter(pk=key.pk).exists()


def test_create_shows_the_key_once_and_it_authenticates(network, client_for):
    c = client_for(_key_admin())
    form = c.get(reverse("integration_keys:add")).content.decode()
    assert 'value="units:read"' in form and 'value="exchange:write"' in form
    r = c.post(
        reverse("integration_keys:add"),
        {"name": "POS Kazan", "kind": "unit", "unit": network.unit.pk, "scopes": ["units:read"]},
    )
    assert r.status_code == 200
    assert "no-store" in r["Cache-Control"]
    html = r.content.decode()
    raw = _raw_key(html)
    assert f"Authorization: Api-Key {raw}" in html and UNITS in html
    key = IntegrationKey.objects.get()
    assert key.name == "POS Kazan" and key.scopes == ["units:read"]
    assert raw.startswith(key.prefix) and raw != key.hashed_key
    # The key sees its unit, and only it.
    answer = _api(raw).get(UNITS)
    assert answer.status_code == 200
    assert [u["code"] for u in answer.json()["results"]] == [network.unit.code]
    # Never shown again: not on the list.
    listing = c.get(reverse("integration_keys:index")).content.decode()
    assert "POS Kazan" in listing and key.prefix in listing and raw not in listing


def test_network_and_person_keys_use_their_services(network, client_for):
    c = client_for(_key_admin())
    r = c.post(
        reverse("integration_keys:add"),
        {"name": "BI", "kind": "network", "region": network.region.pk, "scopes": ["units:read"]},
    )
    raw = _raw_key(r.content.decode())
    assert [u["code"] for u in _api(raw).get(UNITS).json()["results"]] == [network.unit.code]
    r = c.post(
        reverse("integration_keys:add"),
        {"name": "Mine", "kind": "person", "person": network.manager.pk, "scopes": ["units:read"]},
    )
    raw = _raw_key(r.content.decode())
    assert IntegrationKey.objects.get(name="Mine").user == network.manager
    assert _api(raw).get(UNITS).status_code == 200
    # A unit's key without a unit, a person's without a person: errors next to the fields.
    for kind, field in (("unit", "unit"), ("person", "person")):
        r = c.post(
            reverse("integration_keys:add"), {"name": "x", "kind": kind, "scopes": ["units:read"]}
        )
        assert r.status_code == 200 and field in r.context["form"].errors
    assert IntegrationKey.objects.count() == 2


def test_revoke_confirms_then_the_key_is_refused(network, client_for):
    key, raw = services.key_issue_for_unit(unit=network.unit, name="POS", scopes=["units:read"])
    assert _api(raw).get(UNITS).status_code == 200
    c = client_for(_key_admin())
    listing = c.get(reverse("integration_keys:index")).content.decode()
    url = reverse("integration_keys:revoke", args=[key.pk])
    assert url in listing
    page = c.get(url).content.decode()
    assert '<form method="post"' in page
    key.refresh_from_db()
    assert not key.revoked  # GET only asks
    assert c.post(url).status_code == 302
    key.refresh_from_db()
    assert key.revoked and key.revoked_at is not None
    assert _api(raw).get(UNITS).status_code == 401
    assert url not in c.get(reverse("integration_keys:index")).content.decode()
    assert c.post(reverse("integration_keys:revoke", args=["nope"])).status_code == 404


def test_past_expiry_is_refused_next_to_the_field(network, client_for):
    c = client_for(_key_admin())
    today = timezone.localdate()
    data = {"name": "BI", "kind": "network", "scopes": ["units:read"]}
    for day in (today - timedelta(days=1), today):
        r = c.post(reverse("integration_keys:add"), {**data, "expires_on": day.isoformat()})
        assert r.status_code == 200
        assert "expires_on" in r.context["form"].errors
        assert "Choose a day in the future." in r.content.decode()
    assert not IntegrationKey.objects.exists()
    r = c.post(
        reverse("integration_keys:add"),
        {**data, "expires_on": (today + timedelta(days=30)).isoformat()},
    )
    raw = _raw_key(r.content.decode())
    key = IntegrationKey.objects.get()
    assert timezone.localdate(key.expiry_date) == today + timedelta(days=30)
    assert _api(raw).get(UNITS).status_code == 200


def test_unknown_scope_is_a_form_error(network, client_for):
    c = client_for(_key_admin())
    r = c.post(
        reverse("integration_keys:add"),
        {"name": "BI", "kind": "network", "scopes": ["units:delete"]},
    )
    assert r.status_code == 200 and "scopes" in r.context["form"].errors
    assert not IntegrationKey.objects.exists()


def test_list_filters_and_search(network, client_for):
    services.key_issue_for_unit(unit=network.unit, name="POS Kazan", scopes=["units:read"])
    gone, _ = services.key_issue_for_network(name="Old BI", scopes=["units:read"])
    services.key_revoke(key=gone)
    services.key_issue_for_user(user=network.manager, name="Manager", scopes=["units:read"])
    c = client_for(_key_admin())
    index = reverse("integration_keys:index")

    def shown(**query):
        return sorted(k.name for k in c.get(index, query).context["object_list"])

    assert shown() == ["Manager", "Old BI", "POS Kazan"]
    assert shown(revoked="true") == ["Old BI"]
    assert shown(q="kazan") == ["POS Kazan"]
    assert shown(kind="unit") == ["POS Kazan"]
    assert shown(kind="network") == ["Old BI"]
    assert shown(kind="person") == ["Manager"]
    assert shown(kind="network", revoked="false") == []
    html = c.get(index).content.decode()
    assert f"Unit: {network.unit.code}" in html and "Network" in html
    assert "Person: " in html


def test_list_query_count_does_not_grow_with_keys(network, client_for):
    c = client_for(_key_admin())
    index = reverse("integration_keys:index")

    def count():
        """Queries of one listing (caches warm)."""
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(index).status_code == 200
        return len(ctx.captured_queries)

    def issue(n):
        services.key_issue_for_unit(unit=network.unit, name=f"POS {n}", scopes=["units:read"])
        services.key_issue_for_network(name=f"BI {n}", scopes=["units:read"], region=network.region)
        services.key_issue_for_user(user=network.manager, name=f"M {n}", scopes=["units:read"])

    issue(0)
    c.get(index)  # warm per-session caches
    few = count()
    for n in range(1, 12):
        issue(n)
    c.get(index)  # issuing grants roles, which empties the permission caches: warm them again
    assert count() == few


PAYMENT = {"unit": "", "paid_on": "2026-03-02", "amount": "10.00", "number": "7"}


def _post_payment(raw, unit):
    body = json.dumps({**PAYMENT, "unit": unit.code})
    return _api(raw).post("/api/v1/payments/", body, content_type="application/json")


def test_a_network_key_that_keeps_books_records_payments(network, client_for):
    c = client_for(_key_admin())
    form = c.get(reverse("integration_keys:add")).content.decode()
    assert 'name="keeps_books"' in form and 'name="order_desk"' in form
    scopes = ["finance:read", "finance:write"]
    r = c.post(
        reverse("integration_keys:add"),
        {"name": "1C books", "kind": "network", "keeps_books": "on", "scopes": scopes},
    )
    books = _raw_key(r.content.decode())
    r = c.post(reverse("integration_keys:add"), {"name": "1C", "kind": "network", "scopes": scopes})
    plain = _raw_key(r.content.decode())
    refused = _post_payment(plain, network.unit)
    assert refused.status_code == 403 and refused.json()["type"].endswith("/permission_denied")
    assert not Payment.objects.exists()
    assert _post_payment(books, network.unit).status_code == 201
    payment = Payment.objects.get()
    assert payment.unit == network.unit and Entry.objects.filter(payment=payment).count() == 1
    html = c.get(reverse("integration_keys:index")).content.decode()
    assert "Network (keeps books)" in html


def test_a_network_key_that_runs_the_order_desk(network, shop, client_for):
    order = shop.order
    c = client_for(_key_admin())
    scopes = ["orders:read", "orders:write"]
    r = c.post(
        reverse("integration_keys:add"),
        {"name": "1C desk", "kind": "network", "order_desk": "on", "scopes": scopes},
    )
    raw = _raw_key(r.content.decode())
    rejected = _api(raw).post(
        f"/api/v1/orders/{order.number}/reject/",
        json.dumps({"reason": "Closed"}),
        content_type="application/json",
    )
    assert rejected.status_code == 200, rejected.content
    order.refresh_from_db()
    assert order.status == OrderStatus.REJECTED
    assert "Network (order desk)" in c.get(reverse("integration_keys:index")).content.decode()


def test_network_rights_only_for_a_network_key(network, client_for):
    c = client_for(_key_admin())
    for extra in ("keeps_books", "order_desk"):
        r = c.post(
            reverse("integration_keys:add"),
            {
                "name": "POS",
                "kind": "unit",
                "unit": network.unit.pk,
                extra: "on",
                "scopes": ["units:read"],
            },
        )
        assert r.status_code == 200 and extra in r.context["form"].errors
    assert not IntegrationKey.objects.exists()
