import pytest

from geography.kazakhstan import in_kazakhstan, kazakhstan_outline, polygon_in_kazakhstan


@pytest.mark.parametrize(
    ("name", "lon", "lat"),
    [("Astana", 71.45, 51.17), ("Almaty", 76.89, 43.24), ("Aktau", 51.2, 43.65), ("Oskemen", 82.6, 49.95)],
)
def test_kazakh_cities_are_in_kazakhstan(name: str, lon: float, lat: float) -> None:
    assert in_kazakhstan(longitude=lon, latitude=lat), name


@pytest.mark.parametrize(
    ("name", "lon", "lat"),
    [
        ("Tashkent", 69.28, 41.31),
        ("Bishkek", 74.59, 42.87),
        ("Omsk", 73.37, 54.99),
        ("Urumqi", 87.6, 43.8),
        ("Caspian Sea", 50.0, 44.5),
    ],
)
def test_places_beyond_the_border_are_not(name: str, lon: float, lat: float) -> None:
    assert not in_kazakhstan(longitude=lon, latitude=lat), name


def test_outline_is_a_closed_multipolygon_around_kazakhstan() -> None:
    outline = kazakhstan_outline()
    assert outline["type"] == "MultiPolygon"
    ring = max((polygon[0] for polygon in outline["coordinates"]), key=len)
    assert ring[0] == ring[-1]
    lons = [p[0] for p in ring]
    lats = [p[1] for p in ring]
    assert 46 < min(lons) < 47.5 and 87 < max(lons) < 87.5
    assert 40.5 < min(lats) < 41 and 55 < max(lats) < 55.5


def test_polygon_check_refuses_malformed_geojson() -> None:
    with pytest.raises(ValueError):
        polygon_in_kazakhstan({"type": "Point", "coordinates": [70, 48]})
    with pytest.raises(ValueError):
        polygon_in_kazakhstan({"type": "Polygon", "coordinates": "nonsense"})
    square = {"type": "Polygon", "coordinates": [[[70, 48], [70.1, 48], [70.1, 48.1], [70, 48.1], [70, 48]]]}
    assert polygon_in_kazakhstan(square)
