"""Keys see what their user may see (franchise/access.py), scoped and revocable."""

from datetime import timedelta

import pytest
from django.utils import timezone

from integration import services
from integration.models import IntegrationKey

ENDPOINTS = {
    "units": "code",
    "submissions": "id",
    "orders": "number",
    "invoices": "number",
}


def _codes(response, field="code"):
    assert response.status_code == 200, response.content
    return sorted(row[field] for row in response.json()["results"])


@pytest.mark.django_db
def test_unit_key_sees_only_its_unit(api, keys, network, shop):
    client = api(keys.unit)
    assert _codes(client.get("/api/v1/units/")) == [network.unit.code]
    assert _codes(client.get("/api/v1/orders/"), "number") == ["Z-0001"]
    assert _codes(client.get("/api/v1/invoices/"), "number") == ["S-0001"]
    assert client.get(f"/api/v1/orders/{shop.other_order.number}/").status_code == 404
    assert client.get(f"/api/v1/units/{network.other_unit.code}/").status_code == 404
    detail = client.get(f"/api/v1/orders/{shop.order.number}/").json()
    assert detail["lines"][0]["sku"] == "BR-1"
    assert detail["events"][0]["to_status"] == "submitted"


@pytest.mark.django_db
def test_other_units_key_gets_404_for_every_object(api, keys, shop, network):
    client = api(keys.other)
    for path in (
        f"/api/v1/units/{network.unit.code}/",
        f"/api/v1/orders/{shop.order.number}/",
        f"/api/v1/invoices/{shop.invoice.number}/",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_network_key_sees_every_unit_and_region_key_its_region(api, keys, network, shop):
    assert _codes(api(keys.network).get("/api/v1/units/")) == sorted(
        [network.unit.code, network.other_unit.code]
    )
    assert _codes(api(keys.region).get("/api/v1/units/")) == [network.unit.code]
    assert _codes(api(keys.region).get("/api/v1/orders/"), "number") == ["Z-0001"]


@pytest.mark.django_db
def test_manager_session_sees_his_portfolio(client_for, network, shop):
    response = client_for(network.manager).get("/api/v1/orders/")
    assert _codes(response, "number") == ["Z-0001"]


@pytest.mark.django_db
def test_stock_only_for_the_franchisor(api, keys, shop):
    assert api(keys.unit).get("/api/v1/stock/").json()["results"] == []
    rows = api(keys.network).get("/api/v1/stock/").json()["results"]
    assert rows[0]["warehouse"] == "main" and rows[0]["available"] == "10.000"


@pytest.mark.django_db
def test_scope_missing_is_403_problem(api, keys, shop):
    response = api(keys.narrow).get("/api/v1/orders/")
    assert response.status_code == 403
    body = response.json()
    assert body["status"] == 403 and body["type"].startswith("/api/v1/problems/")
    assert api(keys.narrow).get("/api/v1/units/").status_code == 200


@pytest.mark.django_db
def test_revoked_expired_and_unknown_keys_get_401(api, keys, network):
    services.key_revoke(key=keys.unit_key)
    assert api(keys.unit).get("/api/v1/units/").status_code == 401
    key, raw = services.key_issue_for_unit(
        unit=network.unit, name="old", scopes=["units:read"], expires=timezone.now() - timedelta(1)
    )
    assert api(raw).get("/api/v1/units/").status_code == 401
    response = api("nope.nope").get("/api/v1/units/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert response.json()["detail"]
    assert api(None).get("/api/v1/units/").status_code == 401


@pytest.mark.django_db
def test_key_is_stored_hashed_and_last_use_recorded(api, keys):
    key = IntegrationKey.objects.get(pk=keys.unit_key.pk)
    assert keys.unit not in (key.hashed_key, key.id)
    assert key.last_used_at is None
    api(keys.unit).get("/api/v1/units/")
    key.refresh_from_db()
    assert key.last_used_at is not None


@pytest.mark.django_db
def test_updated_since_and_cursor(api, keys, shop):
    client = api(keys.network)
    later = (timezone.now() + timedelta(minutes=1)).isoformat()
    assert client.get("/api/v1/orders/", {"updated_since": later}).json()["results"] == []
    bad = client.get("/api/v1/orders/", {"updated_since": "yesterday"})
    assert bad.status_code == 400
    assert "updated_since" in bad.json()["errors"]
    first = client.get("/api/v1/orders/", {"page_size": 1}).json()
    assert len(first["results"]) == 1 and first["next"]
    second = client.get(first["next"]).json()
    assert [first["results"][0]["number"], second["results"][0]["number"]] == ["Z-0001", "Z-0002"]
    assert client.get("/api/v1/orders/", {"cursor": "garbage"}).status_code == 404


@pytest.mark.django_db
def test_throttled_per_key(api, keys, settings):
    from integration.api.auth import ClientThrottle

    ClientThrottle.THROTTLE_RATES = {"api": "2/min"}
    try:
        client = api(keys.unit)
        statuses = [client.get("/api/v1/units/").status_code for _ in range(3)]
    finally:
        ClientThrottle.THROTTLE_RATES = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert statuses == [200, 200, 429]


@pytest.mark.django_db
def test_schema_and_docs_are_served_locally(client):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200 and b"/api/v1/orders/" in schema.content
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html and "cdn" not in html.lower()
