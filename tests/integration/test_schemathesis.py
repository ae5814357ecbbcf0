"""Property-based contract test of /api/v1/ against its own live OpenAPI schema (schemathesis).

Every operation the schema lists gets generated input (path ids, filters, cursors, bodies,
Idempotency-Key / If-Match headers) sent in-process to the Django WSGI app with a real key.
No input may give a 500, and every answer must be one the schema declares, shaped as declared.

The operations are driven one by one with Hypothesis here (not `schema.parametrize()`: its
pytest plugin does not run on pytest 9), derandomized and small, so CI time stays bounded.
"""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from integration import services
from integration.models import RESOURCES

ALL_SCOPES = [f"{r}:{m}" for r in RESOURCES for m in ("read", "write")]
CONTRACT = [not_a_server_error, response_schema_conformance, status_code_conformance]
BOUNDED = settings(
    max_examples=12,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def wsgi_app():
    """The production WSGI app in-process, its request signals kept off the test transaction."""
    from portal.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield application
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def run_operation(operation, headers, mode, checks):
    @given(case=operation.as_strategy(generation_mode=mode))
    @BOUNDED
    def check(case):
        with transaction.atomic():  # a failed example must not break the others (PostgreSQL)
            case.call_and_validate(headers=headers, checks=checks)

    check()


@pytest.mark.parametrize(
    "mode, checks",
    [
        pytest.param(GenerationMode.POSITIVE, CONTRACT, id="valid-input"),
        pytest.param(GenerationMode.NEGATIVE, [not_a_server_error], id="invalid-input"),
    ],
)
def test_every_operation_conforms_to_the_schema(network, shop, wsgi_app, mode, checks):
    _key, raw = services.key_issue_for_network(name="Fuzz", scopes=ALL_SCOPES, keeps_books=True)
    headers = {"Authorization": f"Api-Key {raw}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    failures = []
    for operation in operations:
        try:
            run_operation(operation, headers, mode, checks)
        except Unsatisfiable:
            # Only free-text path parameters (a code, a slug): no input of it is invalid.
            assert mode is GenerationMode.NEGATIVE, operation.label
        except Exception as exc:  # every operation is tried; all failures reported together
            failures.append(f"{operation.label}: {exc}")
        except BaseExceptionGroup as group:
            failures.append(f"{operation.label}: {group}\n" + "\n".join(map(str, group.exceptions)))
    assert not failures, "\n\n".join(failures)


@pytest.fixture
def full_key(network):
    return services.key_issue_for_network(name="All", scopes=ALL_SCOPES, keeps_books=True)[1]


def test_an_offset_postgresql_cannot_store_is_read_in_utc(shop, api, full_key):
    """Found by the fuzzing above on PostgreSQL (a 500 and a broken transaction before)."""
    since = "1624-08-07T20:45:27-23:22"
    for path in ("/api/v1/ledger-entries/", "/api/v1/orders/"):
        response = api(full_key).get(path, {"updated_since": since})
        assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    "query", [{"updated_since": "0001-01-01T00:00:00+01:00"}, {"unit": "KZN\x00"}]
)
def test_filters_the_database_cannot_take_are_a_400(shop, api, full_key, query):
    response = api(full_key).get("/api/v1/orders/", query)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["errors"]) == list(query)


def test_a_nul_in_a_path_or_a_body_is_no_500(shop, api, full_key):
    assert api(full_key).get("/api/v1/units/KZN%00/").status_code == 404
    response = api(full_key).post(
        "/api/v1/payments/", data={"payer_name": "A\x00"}, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == ["payer_name"]
