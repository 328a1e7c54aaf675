"""The API against its own OpenAPI document, with schemathesis: generated requests (valid and
not), anonymous, with a partner token of each scope and as a signed-in investor, must never answer 5xx, and every
answer must be one the document describes (status, content type, body, headers).

Every generated request goes as the callers the operation lets in: a token with a scope its
document names, an investor signed in to the portal where it names the session, and the
anonymous caller where it names none or an empty requirement. The
callers it refuses (authentication and scope come before the request is read) are sent its
first request only: their answer is the same refusal whatever the request, and
tests/partners/test_scopes.py holds each operation to its scopes.

Bounded in time: a few examples per operation (SCHEMATHESIS_EXAMPLES to go further)."""

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import positive_data_acceptance
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import ignored_auth

from partners.scopes import SCOPES
from tests.investors import factories as investor_factories
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
def callers(db, client, investor, registrar) -> Iterator[dict[str, dict[str, dict[str, str]]]]:
    """Anonymous, a partner client holding each scope alone, and an investor of a verified
    organisation signed in to the portal ("session"): the headers and cookies they send."""
    sent: dict[str, dict[str, dict[str, str]]] = {"anonymous": {}}
    for scope in SCOPES:
        credentials = partner_client(scope, name=f"Client with {scope}")
        answer = client.post("/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=credentials.basic)
        sent[scope] = {"headers": {"Authorization": f"Bearer {answer.json()['access_token']}"}}
    investor_factories.verified_organisation(investor, registrar)
    client.force_login(investor)
    csrf = "s" * 32  # a CSRF secret of the cookie's form, sent back in the header as the portal does
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    sent["session"] = {
        "headers": {"X-CSRFToken": csrf},
        "cookies": {settings.SESSION_COOKIE_NAME: session, settings.CSRF_COOKIE_NAME: csrf},
    }
    # As Django's test client does while it runs a request: the end of a request through the
    # WSGI application must not close the test's connection (and its transaction).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield sent
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _admitted(operation: dict[str, Any]) -> set[str]:
    """The callers the operation's document lets in: each scope it names; the signed-in investor
    where it names the portal's session; anonymous where it names no requirement, or an empty one."""
    requirements = operation.get("security")
    admitted = {scope for requirement in requirements or [] for scopes in requirement.values() for scope in scopes}
    if any("cookieAuth" in requirement for requirement in requirements or []):
        admitted.add("session")
    if not requirements or {} in requirements:
        admitted.add("anonymous")
    return admitted


@pytest.fixture(scope="module")
def refused_seen() -> set[tuple[str, str]]:
    """(operation, caller) pairs already sent as a refused caller."""
    return set()


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_the_api_keeps_to_its_document(case, callers, refused_seen) -> None:
    admitted = _admitted(case.operation.definition.raw)
    for caller, sent in callers.items():
        if caller not in admitted:
            if (case.operation.label, caller) in refused_seen:
                continue
            refused_seen.add((case.operation.label, caller))
        excluded = [positive_data_acceptance]
        if caller == "session":
            # The session's cookies replace those schemathesis generates (to see the API take
            # a missing or forged session) and would turn such a case into a signed-in one.
            if case._meta is not None and case._meta.is_negative_at(ParameterLocation.COOKIE):
                continue
            excluded.append(ignored_auth)
        # Not checked: that every schema-valid request is accepted. Some valid-looking values are
        # refused by the data, rightly (a commodity code nobody discloses, a box with no area,
        # an Idempotency-Key reused for another body, an id that names nothing).
        case.call_and_validate(**sent, excluded_checks=excluded)
