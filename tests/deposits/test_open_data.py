import csv
import io

import pytest

from tests.deposits.factories import DepositFactory
from tests.open_data import fetch

pytestmark = pytest.mark.django_db


def test_csv_has_one_row_per_published_deposit(client) -> None:
    DepositFactory(slug="bakennoye", name_en="Bakennoye", commodities=["Li", "Ta"])
    DepositFactory(slug="hidden", is_published=False, published_at=None)
    response = fetch(client, "/open-data/deposits.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())  # Excel reads the file as UTF-8
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["slug"] for r in rows] == ["bakennoye"]
    assert rows[0]["commodities"] == "Li;Ta"
    assert rows[0]["url"].endswith("/deposits/bakennoye/")


def test_csv_neutralises_formulas(client) -> None:
    DepositFactory(name_en='=HYPERLINK("http://evil")')
    rows = list(csv.DictReader(io.StringIO(fetch(client, "/open-data/deposits.csv").content.decode("utf-8-sig"))))
    assert rows[0]["name_en"].startswith("'=")


def test_geojson_is_a_feature_collection_of_points(client) -> None:
    deposit = DepositFactory(commodities=["W"])
    body = fetch(client, "/open-data/deposits.geojson").json()
    assert body["type"] == "FeatureCollection"
    feature = body["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [float(deposit.longitude), float(deposit.latitude)]}
    assert feature["properties"]["commodities"] == ["W"]
