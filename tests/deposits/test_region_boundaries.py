"""Region (oblast) boundaries: the state's own data, loaded by a registrar in the admin as
GeoJSON, checked, and drawn on every map as a layer."""

import json

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from deposits import services
from deposits.models import RegionBoundary
from events.models import Event

pytestmark = pytest.mark.django_db

ADD = "/admin/deposits/regionboundary/add/"


def _square(west: float, south: float, size: float = 1.0) -> dict:
    ring = [[west, south], [west + size, south], [west + size, south + size], [west, south + size], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def _collection(*geometries: dict) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": g} for g in geometries],
    }


# Inside East Kazakhstan, and inside Karaganda region: both well within the border.
EAST = _collection(_square(82.0, 49.0), _square(83.0, 49.0))
KARAGANDA = _collection(_square(72.0, 48.0))


def _upload(client, region: str, data: object, source: str = "Committee for Land Management, 2025"):
    body = json.dumps(data).encode() if not isinstance(data, bytes) else data
    upload = SimpleUploadedFile("boundary.geojson", body, content_type="application/geo+json")
    return client.post(ADD, {"region": region, "source": source, "boundary_file": upload})


def test_registrar_loads_a_boundary_in_the_admin_and_the_maps_show_it(
    client, registrar, django_capture_on_commit_callbacks
) -> None:
    cache.clear()
    client.force_login(registrar)
    assert client.get("/map/context/regions.geojson").json()["features"] == []  # the maps add no layer
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, "east_kazakhstan", EAST)
    assert response.status_code == 302, response.content.decode()[:2000]
    boundary = RegionBoundary.objects.get(region="east_kazakhstan")
    assert boundary.geometry["type"] == "MultiPolygon" and boundary.loaded_by == registrar
    assert Event.objects.filter(type="region.boundary_loaded", actor=registrar).count() == 1

    layer = client.get("/map/context/regions.geojson").json()
    [feature] = layer["features"]
    assert feature["properties"]["name_en"] == "East Kazakhstan Region"
    assert feature["properties"]["name_ru"] and feature["properties"]["name_kk"]
    assert '<li data-layer="regions" hidden>' in client.get("/map/").content.decode()  # map.js shows it


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "The file is not GeoJSON"),
        ({"type": "Point", "coordinates": [82.5, 49.5]}, "made of polygons only"),
        (_collection(_square(60.0, 56.0)), "beyond Kazakhstan"),  # in Russia
        (_collection(_square(7450000.0, 5400000.0)), "WGS84"),  # projected metres, not degrees
        (
            _collection({"type": "Polygon", "coordinates": [[[82, 49], [83, 50], [83, 49], [82, 50], [82, 49]]]}),
            "crosses itself",
        ),
    ],
)
def test_a_bad_boundary_file_is_refused_with_a_reason_and_changes_nothing(client, registrar, data, message) -> None:
    client.force_login(registrar)
    response = _upload(client, "east_kazakhstan", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RegionBoundary.objects.exists() and not Event.objects.exists()


def test_a_boundary_that_overlaps_another_regions_is_refused(registrar) -> None:
    services.region_boundary_load(actor=registrar, region="east_kazakhstan", data=EAST, source="State data")
    with pytest.raises(ValidationError, match="overlaps the loaded boundary of East Kazakhstan Region"):
        services.region_boundary_load(actor=registrar, region="abai", data=EAST, source="State data")
    services.region_boundary_load(actor=registrar, region="karaganda", data=KARAGANDA, source="State data")
    assert RegionBoundary.objects.count() == 2


def test_loading_again_replaces_the_boundary_and_the_served_layer(
    client, registrar, django_capture_on_commit_callbacks
) -> None:
    cache.clear()
    services.region_boundary_load(actor=registrar, region="karaganda", data=KARAGANDA, source="2024 data")
    assert client.get("/map/context/regions.geojson").json()["features"][0]["properties"]["source"] == "2024 data"
    with django_capture_on_commit_callbacks(execute=True):
        services.region_boundary_load(actor=registrar, region="karaganda", data=KARAGANDA, source="2025 data")
    assert RegionBoundary.objects.count() == 1
    assert client.get("/map/context/regions.geojson").json()["features"][0]["properties"]["source"] == "2025 data"
    assert list(Event.objects.filter(type="region.boundary_loaded").values_list("payload__replaced", flat=True)) == [
        False,
        True,
    ]


def test_investors_and_other_officials_cannot_load_boundaries(client, investor, make_user) -> None:
    from accounts.roles import Role

    client.force_login(investor)
    assert _upload(client, "karaganda", KARAGANDA).status_code == 302  # to the admin's sign-in
    client.force_login(make_user(Role.REVIEWER))
    assert _upload(client, "karaganda", KARAGANDA).status_code == 403
    assert not RegionBoundary.objects.exists()
