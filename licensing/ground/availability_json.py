"""The availability answer written straight to JSON text, byte for byte what the serializers
(`api.BlockStateSerializer`, which documents it) and DRF's JSON renderer write.

A box holds up to 2,500 blocks, most of them free: serialising each block field by field cost
several times the three queries behind it. Here a free block is one template filled with its
code and id, a block's code and outline are put together from its row's and its column's
parts (computed once per answer), and only the blocks the database returned rows for (held,
claimed, opening) are written field by field."""

import json
from collections.abc import Callable
from datetime import datetime
from functools import cache, partial

from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from licensing.domain import grid
from licensing.ground.selectors import Availability, application_reference

_dumps = partial(json.dumps, ensure_ascii=JSONRenderer.ensure_ascii, separators=(",", ":"))

# What follows a free block's code and id: every other field is empty.
_FREE_TAIL = ',"status":"free","licence":null,"claims":[],"opens_at":null}'


def _datetime_writer() -> Callable[[datetime | None], str]:
    """A datetime as the serializers write it (ISO 8601 in the current time zone), memoised:
    a claim's time repeats on every block of its application."""
    field = serializers.DateTimeField()
    found: dict[datetime | None, str] = {}

    def write(value: datetime | None) -> str:
        text = found.get(value)
        if text is None:
            text = found[value] = _dumps(field.to_representation(value))  # type: ignore[arg-type]
        return text

    return write


def _blocks(blocks: list[int], rows: Availability, *, features: bool) -> str:
    """Each block's state as JSON text, joined: the items of the JSON answer or, with `features`,
    GeoJSON features of the blocks' outlines with the state in their properties."""
    written = _datetime_writer()
    licence = cache(lambda number: _dumps(number) if number else "null")  # a licence holds 20 blocks or so
    # A block's code and outline from its row's and its column's parts; JSON writes a float as
    # its repr, here of the numbers grid.ring() computes.
    latitude = cache(lambda row: grid.code(row * grid.MINUTES_LON)[:5])
    longitude = cache(lambda column: grid.code(column)[5:])
    south_north = cache(lambda row: (repr(row / 60 - 90), repr((row + 1) / 60 - 90)))
    west_east = cache(lambda column: (repr(column / 60 - 180), repr((column + 1) / 60 - 180)))
    found = rows.held.keys() | rows.claims.keys() | rows.opening.keys()
    written_blocks = []
    for block in blocks:
        row, column = divmod(block, grid.MINUTES_LON)
        code = latitude(row) + longitude(column)
        if block not in found:
            state = '{"code":"' + code + '","id":' + str(block) + _FREE_TAIL
        else:
            status = rows.status(block)
            claims = ",".join(
                '{"application":"'
                + application_reference(number)
                + '","rank":'
                + str(rank)
                + (',"contested":true,"received_at":' if contested else ',"contested":false,"received_at":')
                + written(received_at)
                + "}"
                for number, rank, contested, received_at in rows.claims.get(block, ())
            )
            opens_at = written(rows.opening[block]) if status == "opening" else "null"
            state = (
                f'{{"code":"{code}","id":{block},"status":"{status}","licence":{licence(rows.held.get(block))},'
                f'"claims":[{claims}],"opens_at":{opens_at}}}'
            )
        if features:
            south, north = south_north(row)
            west, east = west_east(column)
            state = (
                f'{{"type":"Feature","id":"{code}","geometry":{{"type":"Polygon","coordinates":[[[{west},{south}],'
                f'[{east},{south}],[{east},{north}],[{west},{north}],[{west},{south}]]]}},"properties":{state}}}'
            )
        written_blocks.append(state)
    return ",".join(written_blocks)


def _escaped(text: str) -> bytes:
    # As DRF's renderer: JSON that is also a strict subset of JavaScript.
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").encode()


def availability_json(blocks: list[int], rows: Availability) -> bytes:
    """The blocks' states, a JSON array in the order of `blocks`."""
    return _escaped("[" + _blocks(blocks, rows, features=False) + "]")


def availability_geojson(blocks: list[int], rows: Availability) -> bytes:
    """A FeatureCollection of the blocks' outlines, each state in its properties (as
    `grid.feature_collection` builds it)."""
    return _escaped('{"type":"FeatureCollection","features":[' + _blocks(blocks, rows, features=True) + "]}")
