import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deposits import services
from tests.deposits.factories import DepositFactory

pytestmark = pytest.mark.django_db


def _get(client, url: str) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response, len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/api/v1/deposits/", "/open-data/deposits.geojson", "/open-data/deposits.csv"])
def test_a_repeated_anonymous_request_is_answered_from_the_cache_with_one_query(client, url: str) -> None:
    DepositFactory()
    first, cold = _get(client, url)
    second, warm = _get(client, url)
    assert cold > 1 and warm == 1  # the revision check
    assert second.content == first.content and second["Content-Type"] == first["Content-Type"]


def test_a_change_through_a_service_is_seen_at_once(client, registrar) -> None:
    deposit = DepositFactory(slug="bakennoye")
    assert [d["slug"] for d in client.get("/api/v1/deposits/").json()["results"]] == ["bakennoye"]
    services.deposit_unpublish(actor=registrar, deposit=deposit)
    assert client.get("/api/v1/deposits/").json()["results"] == []
    assert client.get("/api/v1/deposits/bakennoye/").status_code == 404


def test_signed_in_users_are_never_served_from_the_cache(client, registrar) -> None:
    DepositFactory()
    client.force_login(registrar)
    client.get("/api/v1/deposits/")
    _, queries = _get(client, "/api/v1/deposits/")
    assert queries > 1


def test_errors_are_not_cached(client) -> None:
    assert client.get("/api/v1/deposits/", {"stage": "x"}).status_code == 400
    DepositFactory(slug="late")
    assert client.get("/api/v1/deposits/late/").status_code == 200
