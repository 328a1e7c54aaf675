"""Partner clients: tokens by client credentials, scopes, rotation with a grace period,
revocation at once, rate limits, and who may register a client."""

import json
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command
from django.utils import timezone
from oauth2_provider.models import AccessToken

from events.models import Event
from partners.models import PartnerClient
from partners.scopes import EVENTS_READ, REGISTER_READ, SCREENING_WRITE
from partners.services import partner_client_revoke, partner_client_rotate_secret
from tests.partners.factories import bearer, partner_client, token_response

pytestmark = pytest.mark.django_db

EVENT_TYPES = "/api/v1/event-types/"
DEPOSITS = "/api/v1/deposits/"


def test_a_client_gets_a_token_with_its_scopes_and_no_user(client) -> None:
    credentials = partner_client(REGISTER_READ, EVENTS_READ)
    answer = token_response(client, credentials)
    assert answer.status_code == 200
    body = answer.json()
    assert body["token_type"] == "Bearer" and set(body["scope"].split()) == {REGISTER_READ, EVENTS_READ}
    token = AccessToken.objects.get(application=credentials.client)
    assert token.user is None  # a token of the system, not of a person
    assert body["access_token"] not in {token.token, ""}  # kept as a checksum only


def test_the_secret_is_stored_hashed(client) -> None:
    credentials = partner_client(REGISTER_READ)
    stored = PartnerClient.objects.get(pk=credentials.client.pk).client_secret
    assert stored != credentials.secret and check_password(credentials.secret, stored)


def test_a_wrong_secret_gets_no_token(client) -> None:
    credentials = partner_client(REGISTER_READ)
    answer = token_response(client, credentials, secret="not-the-secret")
    assert answer.status_code == 401 and answer.json()["error"] == "invalid_client"


def test_a_client_cannot_ask_for_a_scope_it_was_not_given(client) -> None:
    credentials = partner_client(REGISTER_READ)
    answer = token_response(client, credentials, scope=[REGISTER_READ, SCREENING_WRITE])
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_scope"


def test_a_token_reaches_an_operation_with_its_scope_and_not_without(client) -> None:
    reader = partner_client(REGISTER_READ, name="Survey")
    events_only = partner_client(EVENTS_READ, name="Feed reader")
    assert client.get(DEPOSITS, **bearer(client, reader)).status_code == 200
    refused = client.get(DEPOSITS, **bearer(client, events_only))
    assert refused.status_code == 403
    assert "register:read" in refused.json()["detail"]
    assert client.get(EVENT_TYPES, **bearer(client, events_only)).status_code == 200


def test_a_token_cannot_reach_an_operation_for_people(client) -> None:
    credentials = partner_client()  # every scope
    for path in ("/api/v1/me/", "/api/v1/notifications/", "/api/v1/organisations/"):
        answer = client.get(path, **bearer(client, credentials))
        assert answer.status_code == 403, path
        assert answer.json()["detail"] == "Partner clients may not use this operation."


def test_a_token_narrowed_at_request_lacks_the_scope_it_left_out(client) -> None:
    credentials = partner_client(REGISTER_READ, EVENTS_READ)
    headers = bearer(client, credentials, scope=[EVENTS_READ])
    assert client.get(DEPOSITS, **headers).status_code == 403


@pytest.mark.parametrize("token", ["Bearer not-a-token", "Bearer ", "bearer x\u00e9"])
def test_an_unknown_token_is_refused_not_treated_as_anonymous(client, token) -> None:
    answer = client.get(DEPOSITS, HTTP_AUTHORIZATION=token)
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"].startswith("Bearer")
    assert answer["Content-Type"] == "application/problem+json"


def test_an_expired_token_is_refused(client) -> None:
    credentials = partner_client(REGISTER_READ)
    headers = bearer(client, credentials)
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert client.get(DEPOSITS, **headers).status_code == 401


def test_a_token_in_the_query_string_is_not_accepted(client) -> None:
    credentials = partner_client(REGISTER_READ)
    token = bearer(client, credentials)["HTTP_AUTHORIZATION"].split()[1]
    answer = client.get(f"/api/v1/me/?access_token={token}")
    assert answer.status_code == 403  # anonymous: the token was not read from the URL


def test_revocation_refuses_tokens_and_new_tokens_at_once(client) -> None:
    credentials = partner_client(REGISTER_READ)
    headers = bearer(client, credentials)
    partner_client_revoke(actor=None, client=credentials.client, reason="contract ended")
    assert client.get(DEPOSITS, **headers).status_code == 401
    assert token_response(client, credentials).status_code == 401
    assert Event.objects.filter(type="partner_client.revoked").count() == 1


def test_rotation_keeps_the_old_secret_for_the_grace_period_only(client) -> None:
    credentials = partner_client(REGISTER_READ)
    new_secret = partner_client_rotate_secret(actor=None, client=credentials.client, grace=timedelta(hours=24))
    assert token_response(client, credentials).status_code == 200  # the old one, still in grace
    assert token_response(client, credentials, secret=new_secret).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert token_response(client, credentials).status_code == 401
        assert token_response(client, credentials, secret=new_secret).status_code == 200


def test_a_second_rotation_retires_the_first_secret_at_once(client) -> None:
    credentials = partner_client(REGISTER_READ)
    partner_client_rotate_secret(actor=None, client=credentials.client)
    partner_client_rotate_secret(actor=None, client=credentials.client)
    assert token_response(client, credentials).status_code == 401


def test_each_client_has_its_own_rate_limit(client) -> None:
    slow = partner_client(REGISTER_READ, name="Slow", rate_per_minute=2)
    other = partner_client(REGISTER_READ, name="Other", rate_per_minute=2)
    headers, other_headers = bearer(client, slow), bearer(client, other)
    assert [client.get(EVENT_TYPES.replace("event-types", "commodities"), **headers).status_code for _ in range(2)] == [
        200,
        200,
    ]
    limited = client.get("/api/v1/commodities/", **headers)
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert limited.json()["status"] == 429
    assert client.get("/api/v1/commodities/", **other_headers).status_code == 200
    assert client.get("/api/v1/commodities/").status_code == 200  # people are not limited by it


def test_the_command_prints_the_credentials_once_as_json(client) -> None:
    out = StringIO()
    call_command("partner_client_create", name="Bank", scopes="register:read payments:write", json=True, stdout=out)
    data = json.loads(out.getvalue())
    assert data["scopes"] == ["register:read", "payments:write"]
    stored = PartnerClient.objects.get(client_id=data["client_id"])
    assert stored.organisation.name == "Bank" and stored.client_secret != data["client_secret"]
    answer = client.post(
        "/o/token/",
        {"grant_type": "client_credentials", "client_id": data["client_id"], "client_secret": data["client_secret"]},
    )
    assert answer.status_code == 200


def test_the_command_refuses_an_unknown_scope() -> None:
    with pytest.raises(CommandError, match="Unknown scopes: everything"):
        call_command("partner_client_create", name="Bank", scopes="everything", stdout=StringIO())
    assert not PartnerClient.objects.exists()


def test_a_scope_taken_away_stops_working_for_tokens_already_issued(client) -> None:
    from partners.services import partner_client_change

    credentials = partner_client(REGISTER_READ, EVENTS_READ)
    headers = bearer(client, credentials)
    assert client.get(DEPOSITS, **headers).status_code == 200
    partner_client_change(actor=None, client=credentials.client, scopes=[EVENTS_READ], rate_per_minute=600)
    assert client.get(DEPOSITS, **headers).status_code == 403  # the same token, the next request
    assert client.get(EVENT_TYPES, **headers).status_code == 200
    assert Event.objects.filter(type="partner_client.changed").count() == 1


def test_only_administrators_manage_clients(make_user) -> None:
    from django.core.exceptions import PermissionDenied

    from accounts.roles import Role
    from partners.services import partner_client_create

    with pytest.raises(PermissionDenied):
        partner_client_create(actor=make_user(Role.REGISTRAR), name="Bank", scopes=[REGISTER_READ])
    assert not PartnerClient.objects.exists()
