"""The boundary reader's limits, in the web process: memory, shapes and points."""

import io
import subprocess
import sys
from pathlib import Path

import pytest

from licensing.domain import boundaries
from tests.documents import corpus

pytestmark = pytest.mark.django_db

PROBE = """
import io, resource, sys
import django
django.setup()
from licensing.domain import boundaries
from tests.documents import corpus
bomb = corpus.shapefile_bomb(400)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    boundaries.blocks_from_boundary(io.BytesIO(bomb), "area.zip")
except boundaries.BoundaryError:
    pass
print(len(bomb), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
"""


def test_a_400_kb_shapefile_bomb_costs_the_web_process_no_memory() -> None:
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=root,
        env={"DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    size, grown_kb = int(out[0]), int(out[1])
    assert size < 500_000
    assert grown_kb < 20_000  # it took 800 MB (and kept them) when the members were read whole


def test_a_shapefile_with_too_many_points_is_refused() -> None:
    with pytest.raises(boundaries.BoundaryError, match="more than 100000 points"):
        boundaries.blocks_from_boundary(io.BytesIO(corpus.shapefile_many_points(100_001)), "area.zip")


def test_a_real_shapefile_gives_its_blocks() -> None:
    assert boundaries.blocks_from_boundary(io.BytesIO(corpus.shapefile_zip()), "area.zip")
