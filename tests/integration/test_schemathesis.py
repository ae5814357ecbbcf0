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
from django.db import close_old_connections
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
