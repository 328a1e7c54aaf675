import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.deposits.factories import DepositFactory, EstimateFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_list_is_paginated_and_names_each_deposit_by_slug(client) -> None:
    for _ in range(25):
        DepositFactory()
    body = client.get("/api/v1/deposits/").json()
    assert body["count"] == 25 and len(body["results"]) == 20 and body["next"]
    first = body["results"][0]
    assert {"slug", "url", "page", "name_en", "name_ru", "name_kk", "region", "location", "commodities"} <= set(first)
    assert first["url"].endswith(f"/api/v1/deposits/{first['slug']}/")


def test_list_filters_like_the_page(client) -> None:
    DepositFactory(slug="li-one", commodities=["Li", "Ta"])
    DepositFactory(slug="w-one", commodities=["W"])
    body = client.get("/api/v1/deposits/", {"commodity": "Ta"}).json()
    assert [d["slug"] for d in body["results"]] == ["li-one"]
    assert body["results"][0]["commodities"] == ["Li", "Ta"]


@pytest.mark.parametrize(
    "query",
    [{"commodity": "XX"}, {"stage": "dreaming"}, {"sort": "secret"}, {"region": ""}, {"commodity": " "}],
)
def test_invalid_filter_is_a_400_naming_the_field(client, query: dict) -> None:
    """An empty value too (found by schemathesis): the page's form sends `region=` for any
    region, the API's document names no empty region."""
    response = client.get("/api/v1/deposits/", query)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(query)


def test_the_page_still_takes_an_empty_filter_for_any(client) -> None:
    DepositFactory(slug="li-one", commodities=["Li"])
    response = client.get("/deposits/", {"region": "", "commodity": "", "q": ""})
    assert response.status_code == 200 and "li-one" in response.content.decode()


def test_detail_has_estimates_sources_and_no_unpublished(client) -> None:
    deposit = DepositFactory(slug="bakennoye")
    EstimateFactory(deposit=deposit)
    SourceFactory(deposit=deposit)
    DepositFactory(slug="hidden", is_published=False, published_at=None)
    body = client.get("/api/v1/deposits/bakennoye/").json()
    assert body["estimates"][0]["commodity"] == "Li"
    assert body["estimates"][0]["estimate_class"] == "resource"
    assert body["sources"][0]["title"]
    assert client.get("/api/v1/deposits/hidden/").status_code == 404
    assert client.get("/api/v1/deposits/nope/").status_code == 404
    assert [d["slug"] for d in client.get("/api/v1/deposits/").json()["results"]] == ["bakennoye"]


def test_list_endpoint_runs_the_same_queries_for_5_and_50_deposits(client) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/deposits/", {"commodity": "Li"}).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(5):
        DepositFactory(commodities=["Li", "Ta"])
    at_five = count()
    for _ in range(45):
        DepositFactory(commodities=["Li", "Nb"])
    assert count() == at_five <= 5  # revision, commodity lookup, count, page, commodities


def test_commodity_codes_match_whatever_their_case(client) -> None:
    DepositFactory(slug="li-one", commodities=["Li"])
    for code in ("li", "LI", "Li"):
        assert [d["slug"] for d in client.get("/api/v1/deposits/", {"commodity": code}).json()["results"]] == ["li-one"]


def test_commodities_are_listed(client) -> None:
    codes = [c["code"] for c in client.get("/api/v1/commodities/").json()]
    assert codes[:3] == ["Li", "W", "REE"]
    assert client.get("/api/v1/commodities/W/").json()["name_en"] == "Tungsten"


def test_the_read_api_refuses_writes(client, registrar) -> None:
    assert client.post("/api/v1/deposits/", {}, content_type="application/json").status_code == 405
    assert client.delete("/api/v1/deposits/whatever/").status_code == 405
    client.force_login(registrar)
    assert client.post("/api/v1/deposits/", {}, content_type="application/json").status_code == 405


def test_openapi_schema_and_docs_are_served(client) -> None:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/deposits/" in paths and "/api/v1/deposits/{slug}/" in paths and "/api/v1/commodities/" in paths
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert "https://" not in docs.content.decode()  # assets are ours, never a CDN's
