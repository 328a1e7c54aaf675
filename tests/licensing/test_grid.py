"""Properties of the graticular block grid (licensing.domain.grid), which is pure: no database.

Expected values are computed here independently of the module (row/column arithmetic,
the spherical-zone area formula, shapely unions), so a wrong formula in the module fails.
"""

import math
import re
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

from licensing.domain.grid import (
    BLOCK_COUNT,
    EARTH_RADIUS_KM,
    GridError,
    area_km2,
    block_at,
    blocks_in_bbox,
    blocks_in_shape,
    centre,
    code,
    components,
    feature_collection,
    is_contiguous,
    neighbours,
    parse,
    polygon,
    ring,
    south_west,
    total_area_km2,
)

COLUMNS, ROWS = 21600, 10800
FAST = settings(max_examples=60, deadline=None)
FEW = settings(max_examples=25, deadline=None)

# Kazakhstan's extent: lat 40°30′–55°30′, lon 46°24′–87°24′, as grid rows and columns.
KZ_SOUTH, KZ_NORTH, KZ_WEST, KZ_EAST = 40.5, 55.5, 46.4, 87.4
KZ_ROW_MIN, KZ_ROW_MAX = (40 * 60 + 30) + 90 * 60, (55 * 60 + 30) + 90 * 60 - 1
KZ_COL_MIN, KZ_COL_MAX = (46 * 60 + 24) + 180 * 60, (87 * 60 + 24) + 180 * 60 - 1

# A coordinate within this many degrees of a minute line is snapped onto it (the module
# rounds minutes to 9 decimals so that 48.2 lands on minute 2892): about 2 µm on the ground.
SNAP_DEGREES = 1e-9 / 60 * 1.01
STRICT_CODE = re.compile(r"^([NS])(\d{2})([0-5]\d)([EW])(\d{3})([0-5]\d)$", re.ASCII)


def block_of(row: int, col: int) -> int:
    return row * COLUMNS + col


def row_col(block: int) -> tuple[int, int]:
    return block // COLUMNS, block % COLUMNS


def zone_area_km2(south_deg: float, north_deg: float, width_deg: float) -> float:
    """Area of a latitude-longitude cell on the sphere: R²·Δλ·(sin φ2 − sin φ1)."""
    phi1, phi2 = math.radians(south_deg), math.radians(north_deg)
    return EARTH_RADIUS_KM**2 * math.radians(width_deg) * (math.sin(phi2) - math.sin(phi1))


def bounds(block: int) -> tuple[float, float, float, float]:
    """(west, south, east, north) of the block's ring."""
    lons = [p[0] for p in ring(block)]
    lats = [p[1] for p in ring(block)]
    return min(lons), min(lats), max(lons), max(lats)


def rectangle(row: int, col: int, height: int, width: int) -> set[int]:
    return {block_of(r, c) for r in range(row, row + height) for c in range(col, col + width)}


kz_rows = st.integers(KZ_ROW_MIN, KZ_ROW_MAX)
kz_cols = st.integers(KZ_COL_MIN, KZ_COL_MAX)
kz_blocks = st.builds(block_of, kz_rows, kz_cols)
# Every block, with the poles, the equator, the prime meridian and the antimeridian drawn often.
edge_rows = st.sampled_from([0, 1, ROWS // 2 - 1, ROWS // 2, ROWS - 2, ROWS - 1])
edge_cols = st.sampled_from([0, 1, COLUMNS // 2 - 1, COLUMNS // 2, COLUMNS - 2, COLUMNS - 1])
any_block = st.one_of(st.integers(0, BLOCK_COUNT - 1), st.builds(block_of, edge_rows, edge_cols))


@st.composite
def kz_rectangles(draw: st.DrawFn, max_side: int = 12, min_width: int = 1) -> tuple[int, int, int, int]:
    height = draw(st.integers(1, max_side))
    width = draw(st.integers(min_width, max_side))
    row = draw(st.integers(KZ_ROW_MIN, KZ_ROW_MAX - height + 1))
    col = draw(st.integers(KZ_COL_MIN, KZ_COL_MAX - width + 1))
    return row, col, height, width


def kz_coordinate(low: float, high: float) -> st.SearchStrategy[float]:
    """Any float in range, or one exactly on a minute line, or a decimal on one (48.2)."""
    minutes = st.integers(math.ceil(low * 60), math.floor(high * 60))
    tenths = st.integers(math.ceil(low * 10), math.floor(high * 10))
    return st.one_of(
        st.floats(low, high, allow_nan=False),
        minutes.map(lambda m: m / 60),
        tenths.map(lambda t: t / 10),
    )


kz_lats = kz_coordinate(KZ_SOUTH, KZ_NORTH)
kz_lons = kz_coordinate(KZ_WEST, KZ_EAST)


# --- codes -------------------------------------------------------------------------------


def test_code_spells_the_south_west_corner() -> None:
    assert code(block_of((48 * 60 + 12) + 5400, (81 * 60 + 34) + 10800)) == "N4812E08134"
    assert parse("N4812E08134") == block_of(8292, 15694)
    assert code(0) == "S9000W18000"
    assert code(BLOCK_COUNT - 1) == "N8959E17959"
    assert code(block_of(5400, 10800)) == "N0000E00000"
    assert code(block_of(5399, 10799)) == "S0001W00001"


@FAST
@given(any_block)
def test_parse_inverts_code_for_every_block(block: int) -> None:
    assert parse(code(block)) == block


@FAST
@given(any_block)
def test_code_has_the_documented_shape_and_names_the_corner(block: int) -> None:
    match = STRICT_CODE.match(code(block))
    assert match, code(block)
    ns, lat_deg, lat_min, ew, lon_deg, lon_min = match.groups()
    latitude = (int(lat_deg) + int(lat_min) / 60) * (1 if ns == "N" else -1)
    longitude = (int(lon_deg) + int(lon_min) / 60) * (1 if ew == "E" else -1)
    assert -90 <= latitude < 90 and -180 <= longitude < 180
    assert (longitude, latitude) == pytest.approx(south_west(block), abs=1e-9)


def test_parse_forgives_case_and_surrounding_space() -> None:
    assert parse("  n4812e08134\n") == parse("N4812E08134")


@FAST
@given(
    ns=st.sampled_from("NS"),
    lat=st.integers(0, 89),
    lat_min=st.integers(0, 99),
    ew=st.sampled_from("EW"),
    lon=st.integers(0, 179),
    lon_min=st.integers(0, 99),
)
def test_parse_rejects_sixty_minutes_or_more(ns: str, lat: int, lat_min: int, ew: str, lon: int, lon_min: int) -> None:
    assume(lat_min >= 60 or lon_min >= 60)
    with pytest.raises(GridError):
        parse(f"{ns}{lat:02d}{lat_min:02d}{ew}{lon:03d}{lon_min:02d}")


@FAST
@given(
    ns=st.sampled_from("ABCDEFGHIJKLMOPQRTUVWXYZ0-+ "),
    ew=st.sampled_from("ABCDFGHIJKLMNOPQRSTUVXYZ0-+ "),
    first_is_wrong=st.booleans(),
)
def test_parse_rejects_wrong_hemisphere_letters(ns: str, ew: str, first_is_wrong: bool) -> None:
    text = f"{ns}4812E08134" if first_is_wrong else f"N4812{ew}08134"
    with pytest.raises(GridError):
        parse(text)


@FAST
@given(
    st.one_of(
        st.builds(lambda d, m: f"N{d:02d}{m:02d}E08134", st.integers(90, 99), st.integers(0, 59)),
        st.builds(lambda d, m: f"S{d:02d}{m:02d}E08134", st.integers(90, 99), st.integers(0, 59)).filter(
            lambda t: t != "S9000E08134"
        ),
        st.builds(lambda d, m: f"N4812E{d:03d}{m:02d}", st.integers(180, 999), st.integers(0, 59)),
        st.builds(lambda d, m: f"N4812W{d:03d}{m:02d}", st.integers(180, 999), st.integers(0, 59)).filter(
            lambda t: t != "N4812W18000"
        ),
    )
)
def test_parse_rejects_codes_off_the_grid(text: str) -> None:
    with pytest.raises(GridError):
        parse(text)


def test_the_grid_ends_at_the_south_pole_and_the_antimeridian() -> None:
    assert parse("S9000W18000") == 0
    assert parse("N8959E17959") == BLOCK_COUNT - 1
    for off_grid in ("N9000E00000", "S9001E00000", "N0000E18000", "N0000W18001"):
        with pytest.raises(GridError):
            parse(off_grid)


@FAST
@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=14))
def test_parse_rejects_anything_not_shaped_like_a_code(text: str) -> None:
    assume(not re.fullmatch(r"[NS]\d{4}[EW]\d{5}", text.strip().upper(), re.ASCII))
    with pytest.raises(GridError):
        parse(text)


@pytest.mark.parametrize(
    "text", ["", "N481E08134", "N4812E8134", "N48120E08134", "N4812 E08134", "N4812E08134X", "48N12"]
)
def test_parse_rejects_wrong_lengths(text: str) -> None:
    with pytest.raises(GridError):
        parse(text)


@pytest.mark.parametrize("block", [-1, BLOCK_COUNT])
def test_numbers_outside_the_grid_are_not_blocks(block: int) -> None:
    with pytest.raises(GridError):
        code(block)


# --- points to blocks --------------------------------------------------------------------


@FAST
@given(any_block)
def test_a_blocks_south_west_corner_belongs_to_it(block: int) -> None:
    longitude, latitude = south_west(block)
    assert block_at(longitude=longitude, latitude=latitude) == block


@FAST
@given(kz_blocks, st.floats(1e-6, 1 - 1e-6), st.floats(1e-6, 1 - 1e-6))
def test_points_strictly_inside_a_block_belong_to_it(block: int, fx: float, fy: float) -> None:
    west, south, east, north = bounds(block)
    longitude, latitude = west + fx * (east - west), south + fy * (north - south)
    assert west < longitude < east and south < latitude < north
    assert block_at(longitude=longitude, latitude=latitude) == block


@FAST
@given(kz_lons, kz_lats)
def test_the_block_at_a_point_contains_it(longitude: float, latitude: float) -> None:
    west, south, east, north = bounds(block_at(longitude=longitude, latitude=latitude))
    assert west - SNAP_DEGREES <= longitude < east
    assert south - SNAP_DEGREES <= latitude < north


@FAST
@given(st.integers(-900, 899), st.integers(-1800, 1800))
def test_decimal_degrees_on_a_minute_line_land_on_that_minute(lat_tenths: int, lon_tenths: int) -> None:
    # 48.2 * 60 is 2891.9999999999995 in floating point; it must still be minute 2892.
    row = 5400 + 6 * lat_tenths
    col = (10800 + 6 * lon_tenths) % COLUMNS
    assert block_at(longitude=lon_tenths / 10, latitude=lat_tenths / 10) == block_of(row, col)


@FAST
@given(st.integers(-90, 89), st.integers(0, 59), st.integers(-180, 179), st.integers(0, 59))
def test_degrees_and_minutes_land_on_that_minute(lat_deg: int, lat_min: int, lon_deg: int, lon_min: int) -> None:
    latitude, longitude = lat_deg + lat_min / 60, lon_deg + lon_min / 60
    assume(latitude < 90)
    expected = block_of(5400 + lat_deg * 60 + lat_min, 10800 + lon_deg * 60 + lon_min)
    assert block_at(longitude=longitude, latitude=latitude) == expected


@FAST
@given(kz_blocks)
def test_a_point_on_a_boundary_belongs_to_the_block_north_east_of_it(block: int) -> None:
    west, south, east, north = bounds(block)
    mid_lon, mid_lat = (west + east) / 2, (south + north) / 2
    assert block_at(longitude=east, latitude=mid_lat) == block + 1
    assert block_at(longitude=mid_lon, latitude=north) == block + COLUMNS
    assert block_at(longitude=east, latitude=north) == block + COLUMNS + 1
    assert block_at(longitude=west, latitude=mid_lat) == block
    assert block_at(longitude=mid_lon, latitude=south) == block


def test_worked_example_and_the_edges_of_the_earth() -> None:
    assert block_at(longitude=81 + 34 / 60, latitude=48.2) == parse("N4812E08134")
    assert block_at(longitude=81.5, latitude=48.2) == parse("N4812E08130")
    assert block_at(longitude=-0.0001, latitude=-0.0001) == parse("S0001W00001")
    assert block_at(longitude=-180, latitude=-90) == 0
    assert block_at(longitude=180, latitude=0) == block_at(longitude=-180, latitude=0)
    assert block_at(longitude=179.9999, latitude=89.9999) == BLOCK_COUNT - 1


@pytest.mark.parametrize(
    ("longitude", "latitude"), [(0, 90), (0, -90.0001), (180.0001, 0), (-180.0001, 0), (math.nan, 0), (0, math.nan)]
)
def test_positions_off_the_earth_are_refused(longitude: float, latitude: float) -> None:
    with pytest.raises(GridError):
        block_at(longitude=longitude, latitude=latitude)


# --- outlines ----------------------------------------------------------------------------


@FAST
@given(any_block)
def test_ring_is_a_closed_counter_clockwise_square_of_one_minute(block: int) -> None:
    points = ring(block)
    assert len(points) == 5 and points[0] == points[-1]
    outline = shape(polygon(block))
    assert outline.is_valid and outline.exterior.is_ccw
    west, south, east, north = bounds(block)
    assert (west, south) == south_west(block)
    assert east - west == pytest.approx(1 / 60, abs=1e-12)
    assert north - south == pytest.approx(1 / 60, abs=1e-12)
    assert -180 <= west < east <= 180 and -90 <= south < north <= 90
    assert block_at(longitude=centre(block)[0], latitude=centre(block)[1]) == block


@FAST
@given(any_block)
def test_neighbouring_outlines_share_their_edges_exactly(block: int) -> None:
    # Outlines that miss by a rounding error leave slivers when a tenement's blocks are dissolved.
    row, col = row_col(block)
    _, _, east, north = bounds(block)
    assert bounds(block_of(row, (col + 1) % COLUMNS))[0] == (east if col < COLUMNS - 1 else -180)
    if row < ROWS - 1:
        assert bounds(block + COLUMNS)[1] == north


def test_the_outer_blocks_end_exactly_at_the_poles_and_the_antimeridian() -> None:
    assert bounds(0)[:2] == (-180, -90)
    assert bounds(BLOCK_COUNT - 1)[2:] == (180, 90)


def test_feature_collection_names_each_block_by_its_code() -> None:
    blocks = [parse("N4812E08134"), parse("N4812E08135")]
    collection = feature_collection(blocks, {blocks[0]: {"holder": "Qazaq Ore"}})
    assert [f["id"] for f in collection["features"]] == ["N4812E08134", "N4812E08135"]
    assert collection["features"][0]["properties"] == {"code": "N4812E08134", "holder": "Qazaq Ore"}
    assert collection["features"][1]["geometry"] == polygon(blocks[1])


# --- areas -------------------------------------------------------------------------------


@FAST
@given(any_block)
def test_every_block_has_a_positive_area(block: int) -> None:
    assert area_km2(block) > 0


@FAST
@given(kz_blocks)
def test_blocks_in_kazakhstan_measure_between_one_and_three_and_a_half_km2(block: int) -> None:
    # cos 55.5° and cos 40.5° times (1.853 km)² bound it more tightly: 1.94 to 2.62 km².
    assert 1.0 < area_km2(block) < 3.5
    assert 1.9 < area_km2(block) < 2.65


def test_blocks_shrink_strictly_northwards_in_the_northern_hemisphere() -> None:
    areas = [area_km2(block_of(row, 15000)) for row in range(ROWS // 2, ROWS)]
    assert all(a > b for a, b in pairwise(areas))


@FAST
@given(st.integers(0, ROWS - 1), st.integers(0, COLUMNS - 1), st.integers(0, COLUMNS - 1))
def test_areas_depend_on_latitude_only_and_mirror_across_the_equator(row: int, col: int, other_col: int) -> None:
    assert area_km2(block_of(row, col)) == area_km2(block_of(row, other_col))
    assert area_km2(block_of(row, col)) == pytest.approx(area_km2(block_of(ROWS - 1 - row, col)), rel=1e-9)


@FEW
@given(st.integers(-90, 89), st.integers(-180, 179))
def test_sixty_by_sixty_blocks_make_the_one_degree_cell(lat_deg: int, lon_deg: int) -> None:
    square = rectangle(5400 + lat_deg * 60, 10800 + lon_deg * 60, 60, 60)
    assert total_area_km2(square) == pytest.approx(zone_area_km2(lat_deg, lat_deg + 1, 1), rel=1e-9)


def test_one_column_of_blocks_makes_a_lune_of_the_sphere() -> None:
    column = [block_of(row, 0) for row in range(ROWS)]
    assert total_area_km2(column) == pytest.approx(4 * math.pi * EARTH_RADIUS_KM**2 / COLUMNS, rel=1e-9)


def test_a_block_at_48_north_measures_about_2_3_km2() -> None:
    block = parse("N4800E07000")
    expected = zone_area_km2(48, 48 + 1 / 60, 1 / 60)
    assert area_km2(block) == pytest.approx(expected, rel=1e-12)
    # Cross-check as a flat rectangle: a minute of arc is 1.853 km; east-west it shrinks by cos φ.
    minute_km = 2 * math.pi * EARTH_RADIUS_KM / COLUMNS
    assert minute_km == pytest.approx(1.853, abs=0.001)
    assert area_km2(block) == pytest.approx(minute_km * minute_km * math.cos(math.radians(48 + 1 / 120)), rel=0.005)
    assert area_km2(block) == pytest.approx(2.30, abs=0.01)


# --- blocks in a box ---------------------------------------------------------------------


def overlap_minutes(lo: float, hi: float, cell: int, origin: int) -> Fraction:
    """How far the interval [lo, hi] of degrees reaches into minute `cell`, exactly, in minutes."""
    lo_m, hi_m = (Fraction(lo) + origin) * 60, (Fraction(hi) + origin) * 60
    return min(hi_m, Fraction(cell + 1)) - max(lo_m, Fraction(cell))


@FAST
@given(kz_lons, kz_lats, st.floats(1e-7, 0.4), st.floats(1e-7, 0.4))
def test_box_returns_exactly_the_blocks_whose_interior_it_meets(lon: float, lat: float, dx: float, dy: float) -> None:
    # At least 1e-7° a side: a box thinner than the snapping tolerance may snap to nothing.
    west, south, east, north = lon, lat, lon + dx, lat + dy
    found = blocks_in_bbox(east, north, west, south)
    assert found == blocks_in_bbox(west, south, east, north)
    assert found == sorted(set(found))
    rows = sorted({row_col(b)[0] for b in found})
    cols = sorted({row_col(b)[1] for b in found})
    assert len(found) == len(rows) * len(cols)
    assert rows == list(range(rows[0], rows[-1] + 1)) and cols == list(range(cols[0], cols[-1] + 1))
    # Each block returned meets the box's interior; the blocks beyond it at most touch (or reach
    # into it by less than the snapping tolerance).
    assert all(overlap_minutes(south, north, r, 90) > 0 for r in rows)
    assert all(overlap_minutes(west, east, c, 180) > 0 for c in cols)
    snap = Fraction(1, 10**9)
    assert overlap_minutes(south, north, rows[0] - 1, 90) <= snap
    assert overlap_minutes(south, north, rows[-1] + 1, 90) <= snap
    assert overlap_minutes(west, east, cols[0] - 1, 180) <= snap
    assert overlap_minutes(west, east, cols[-1] + 1, 180) <= snap
    for block in (found[0], found[-1]):
        b_west, b_south, b_east, b_north = bounds(block)
        assert b_west < east and west < b_east and b_south < north and south < b_north


@FAST
@given(kz_rectangles(max_side=40))
def test_box_on_minute_lines_covers_rows_times_columns_and_not_the_next_block(
    rect: tuple[int, int, int, int],
) -> None:
    row, col, height, width = rect
    west, south = col / 60 - 180, row / 60 - 90
    east, north = (col + width) / 60 - 180, (row + height) / 60 - 90
    found = blocks_in_bbox(west, south, east, north)
    assert len(found) == height * width
    assert set(found) == rectangle(row, col, height, width)


@FAST
@given(st.integers(405, 554), st.integers(464, 873), st.integers(1, 5), st.integers(1, 5))
def test_box_on_decimal_degrees_covers_six_minutes_per_tenth(lat10: int, lon10: int, dy: int, dx: int) -> None:
    found = blocks_in_bbox(lon10 / 10, lat10 / 10, (lon10 + dx) / 10, (lat10 + dy) / 10)
    assert set(found) == rectangle(5400 + 6 * lat10, 10800 + 6 * lon10, 6 * dy, 6 * dx)


def test_box_reaching_the_poles_and_the_antimeridian_stays_on_the_grid() -> None:
    assert blocks_in_bbox(179.99, 89.99, 180, 90) == [BLOCK_COUNT - 1]
    assert blocks_in_bbox(-180, -90, -179.99, -89.99) == [0]


@FEW
@given(kz_rectangles(max_side=20))
def test_box_larger_than_the_limit_is_refused(rect: tuple[int, int, int, int]) -> None:
    row, col, height, width = rect
    box = (col / 60 - 180, row / 60 - 90, (col + width) / 60 - 180, (row + height) / 60 - 90)
    assert len(blocks_in_bbox(*box, limit=height * width)) == height * width
    with pytest.raises(GridError):
        blocks_in_bbox(*box, limit=height * width - 1)


@pytest.mark.parametrize(
    "box",
    [
        (81.5, 48.2, 81.5, 48.3),
        (81.5, 48.2, 81.6, 48.2),
        (0, 0, 0, 0),
        (-181, 0, 0, 1),
        (0, -91, 1, 0),
        (0, 0, 1, 90.5),
    ],
)
def test_degenerate_or_unearthly_boxes_are_refused(box: tuple[float, float, float, float]) -> None:
    with pytest.raises(GridError):
        blocks_in_bbox(*box)


# --- blocks in a shape -------------------------------------------------------------------


def outline_of(blocks: set[int]) -> dict:
    return mapping(unary_union([shape(polygon(b)) for b in blocks]))


@FAST
@given(kz_rectangles())
def test_a_rectangle_of_blocks_returns_exactly_those_blocks(rect: tuple[int, int, int, int]) -> None:
    row, col, height, width = rect
    west, south = col / 60 - 180, row / 60 - 90
    east, north = (col + width) / 60 - 180, (row + height) / 60 - 90
    geometry = {
        "type": "Polygon",
        "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
    }
    assert sorted(blocks_in_shape(geometry)) == sorted(rectangle(row, col, height, width))


@FAST
@given(kz_blocks, st.sets(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=1, max_size=30))
def test_the_outline_of_any_set_of_blocks_returns_that_set(corner: int, cells: set[tuple[int, int]]) -> None:
    assume(row_col(corner)[0] + 6 <= KZ_ROW_MAX and row_col(corner)[1] + 6 <= KZ_COL_MAX)
    blocks = {corner + r * COLUMNS + c for r, c in cells}
    assert sorted(blocks_in_shape(outline_of(blocks))) == sorted(blocks)


@FAST
@given(any_block)
def test_a_single_blocks_outline_returns_that_block_anywhere_on_earth(block: int) -> None:
    assert blocks_in_shape(polygon(block)) == [block]


def test_a_shape_with_more_blocks_than_the_limit_is_refused() -> None:
    square = rectangle(8292, 15694, 10, 10)
    assert len(blocks_in_shape(outline_of(square), limit=100)) == 100
    with pytest.raises(GridError):
        blocks_in_shape(outline_of(square), limit=99)


@pytest.mark.parametrize(
    "geometry",
    [
        None,
        "N4812E08134",
        {},
        {"type": "Point", "coordinates": [81.5, 48.2]},
        {"type": "Polygon"},
        {"type": "Polygon", "coordinates": []},
        {"type": "Polygon", "coordinates": 5},
        {"type": "Polygon", "coordinates": [[[81, 48], [81.1, 48.1]]]},
        {"type": "Polygon", "coordinates": [[["a", "b"], [81.1, 48], [81.1, 48.1], ["a", "b"]]]},
        {"type": "Polygon", "coordinates": [[[81, 48], [81.1, 48.1], [81.1, 48], [81, 48.1], [81, 48]]]},
        {"type": "Polygon", "coordinates": [[[170, 0], [190, 0], [190, 1], [170, 1], [170, 0]]]},
        {"type": "MultiPolygon", "coordinates": [[0]]},
    ],
)
def test_invalid_geojson_is_refused(geometry: object) -> None:
    with pytest.raises(GridError):
        blocks_in_shape(geometry)  # type: ignore[arg-type]


# --- contiguity --------------------------------------------------------------------------


def corners(block: int) -> set[tuple[float, float]]:
    """The ring's corners, with 180° written as -180° so blocks across the antimeridian meet."""
    return {((lon + 180) % 360 - 180, lat) for lon, lat in ring(block)}


@FAST
@given(any_block)
def test_neighbours_are_symmetric_and_share_an_edge(block: int) -> None:
    row, _ = row_col(block)
    found = neighbours(block)
    assert len(set(found)) == len(found) == (3 if row in (0, ROWS - 1) else 4)
    for other in found:
        assert block in neighbours(other)
        assert len(corners(block) & corners(other)) == 2


def test_neighbours_cross_the_antimeridian_but_not_the_poles() -> None:
    east_edge = block_of(8292, COLUMNS - 1)
    assert block_of(8292, 0) in neighbours(east_edge)
    assert sorted(neighbours(block_of(ROWS - 1, 5))) == [
        block_of(ROWS - 2, 5),
        block_of(ROWS - 1, 4),
        block_of(ROWS - 1, 6),
    ]
    assert is_contiguous(rectangle(8292, COLUMNS - 2, 2, 2) | rectangle(8292, 0, 2, 2))


@FAST
@given(kz_rectangles())
def test_a_rectangle_of_blocks_is_contiguous(rect: tuple[int, int, int, int]) -> None:
    blocks = rectangle(*rect)
    assert is_contiguous(blocks)
    assert components(blocks) == [blocks]


@FAST
@given(st.builds(block_of, st.integers(0, ROWS - 2), st.integers(0, COLUMNS - 1)), st.booleans())
def test_blocks_touching_only_at_a_corner_are_not_contiguous(block: int, north_west: bool) -> None:
    row, col = row_col(block)
    diagonal = block_of(row + 1, (col + (-1 if north_west else 1)) % COLUMNS)
    assert not is_contiguous([block, diagonal])
    assert sorted(components([block, diagonal]), key=min) == sorted([{block}, {diagonal}], key=min)


@FAST
@given(kz_rectangles(min_width=3), st.data())
def test_removing_a_middle_column_splits_a_rectangle(rect: tuple[int, int, int, int], data: st.DataObject) -> None:
    row, col, height, width = rect
    cut = data.draw(st.integers(1, width - 2))
    left, right = rectangle(row, col, height, cut), rectangle(row, col + cut + 1, height, width - cut - 1)
    assert not is_contiguous(left | right)
    assert sorted(components(left | right), key=min) == [left, right]


@FAST
@given(kz_blocks, st.sets(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=40))
def test_components_partition_the_blocks_into_edge_joined_groups(corner: int, cells: set[tuple[int, int]]) -> None:
    assume(row_col(corner)[0] + 7 <= KZ_ROW_MAX and row_col(corner)[1] + 7 <= KZ_COL_MAX)
    blocks = {corner + r * COLUMNS + c for r, c in cells}
    groups = components(blocks)
    assert sum(len(g) for g in groups) == len(blocks) and set().union(*groups) == blocks
    for group in groups:
        # Independent of the module's graph walk: blocks joined edge to edge dissolve into one polygon.
        assert unary_union([shape(polygon(b)) for b in group]).geom_type == "Polygon"
        assert not any(n in blocks - group for b in group for n in neighbours(b))
    assert is_contiguous(blocks) == (len(groups) <= 1)
