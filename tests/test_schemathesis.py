"""The API against its own OpenAPI document, with schemathesis: generated requests (valid and
not), anonymous and with a partner token of each scope, must never answer 5xx, and every
answer must be one the document describes (status, content type, body, headers).

Bounded in time: a few examples per operation and caller (SCHEMATHESIS_EXAMPLES to go further)."""

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from partners.scopes import SCOPES
from tests.partners.factories import partner_client

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "6"))


@pytest.fixture(scope="module")
def api_schema(django_db_blocker) -> Any:
    # Serving the document reads no table, but the start of a request checks the connection an
    # earlier test may have left open: let it.
    with django_db_blocker.unblock():
        return schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def callers(db, client) -> Iterator[dict[str, dict[str, str]]]:
    """Anonymous, and a partner client holding each scope alone: their request headers."""
    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    for scope in SCOPES:
        credentials = partner_client(scope, name=f"Client with {scope}")
        answer = client.post("/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=credentials.basic)
        headers[scope] = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    # As Django's test client does while it runs a request: the end of a request through the
    # WSGI application must not close the test's connection (and its transaction).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield headers
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_the_api_keeps_to_its_document(case, callers) -> None:
    for headers in callers.values():
        # Not checked: that every schema-valid request is accepted. Some valid-looking values are
        # refused by the data, rightly (a commodity code nobody discloses, a box with no area,
        # an Idempotency-Key reused for another body, an id that names nothing).
        case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])
