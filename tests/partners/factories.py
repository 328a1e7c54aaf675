"""Partner clients and their tokens, made through the services (as an administrator would)."""

import base64
from collections.abc import Iterable
from dataclasses import dataclass

from django.test import Client

from partners.models import PartnerClient
from partners.scopes import SCOPES
from partners.services import partner_client_create


@dataclass
class Credentials:
    client: PartnerClient
    secret: str

    @property
    def basic(self) -> str:
        return "Basic " + base64.b64encode(f"{self.client.client_id}:{self.secret}".encode()).decode()


def partner_client(*scopes: str, name: str = "Partner system", rate_per_minute: int | None = None) -> Credentials:
    client, secret = partner_client_create(
        actor=None, name=name, scopes=list(scopes or SCOPES), rate_per_minute=rate_per_minute
    )
    return Credentials(client, secret)


def token_response(http: Client, credentials: Credentials, *, scope: Iterable[str] | None = None, secret: str = ""):
    data = {"grant_type": "client_credentials"}
    if scope is not None:
        data["scope"] = " ".join(scope)
    auth = credentials.basic
    if secret:
        auth = "Basic " + base64.b64encode(f"{credentials.client.client_id}:{secret}".encode()).decode()
    return http.post("/o/token/", data, HTTP_AUTHORIZATION=auth)


def bearer(http: Client, credentials: Credentials, *, scope: Iterable[str] | None = None) -> dict[str, str]:
    """The headers of a call made with a fresh token of the client's."""
    answer = token_response(http, credentials, scope=scope)
    assert answer.status_code == 200, answer.content
    return {"HTTP_AUTHORIZATION": f"Bearer {answer.json()['access_token']}"}
