"""The statistics page's SVG charts, computed as shapes: the template only draws them."""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from licensing.models import ApplicationState
from licensing.statistics.selectors import OUTCOME_LABELS, OUTCOMES, STAGES, BacklogPoint, OutcomeRow

S = ApplicationState


# Okabe-Ito colours (told apart with colour-blindness); every shape also has a dark outline.
OUTCOME_COLOURS = {
    "granted": "#009E73",
    "refused": "#D55E00",
    "withdrawn": "#7A7A7A",
    "lapsed": "#E69F00",
    "pending": "#0072B2",
}


STAGE_COLOURS = {
    S.LODGED: "#56B4E9",
    S.UNDER_REVIEW: "#0072B2",
    S.INFO_REQUESTED: "#E69F00",
    S.OBJECTION_PERIOD: "#CC79A7",
    S.ASSESSMENT: "#009E73",
    S.SCREENING: "#D55E00",
    S.RECOMMENDED: "#3D3D3D",
}


# Charts (server-rendered SVG) ----------------------------------------------------------------
# Geometry in viewBox units; the template draws it and writes every text, so it is escaped and
# translated there. The charts scale with the width of the page (viewBox, width 100 %).

CHART_WIDTH = 320


@dataclass(frozen=True)
class Segment:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str
    value: int


@dataclass(frozen=True)
class OutcomeBar:
    label: str
    label_y: float
    total: int
    total_x: float
    total_y: float
    segments: list[Segment]


@dataclass(frozen=True)
class OutcomeChart:
    width: int
    height: int
    bars: list[OutcomeBar]


def outcome_chart(rows: Iterable[OutcomeRow]) -> OutcomeChart:
    """Horizontal bars, one per row, stacked by outcome, the name above each bar."""
    rows = list(rows)
    room = CHART_WIDTH - 48  # the rest holds the total at the end of the bar
    scale = room / max([r.lodged for r in rows] + [1])
    bars, y = [], 0.0
    for row in rows:
        x, segments = 0.0, []
        for name in OUTCOMES:
            value = row.outcome(name)
            if value:
                width = value * scale
                segments.append(Segment(x, y + 20, width, 22, OUTCOME_COLOURS[name], str(OUTCOME_LABELS[name]), value))
                x += width
        bars.append(OutcomeBar(row.label, y + 14, row.lodged, x + 6, y + 36, segments))
        y += 58
    return OutcomeChart(CHART_WIDTH, max(int(y), 58), bars)


@dataclass(frozen=True)
class Tick:
    y: float
    value: int

    @property
    def label_y(self) -> float:
        return self.y + 4


@dataclass(frozen=True)
class Column:
    as_at: date
    x: float
    total: int
    segments: list[Segment]
    label_x: float
    labelled: bool


@dataclass(frozen=True)
class BacklogChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    ticks: list[Tick]
    columns: list[Column]


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, … that is at least `value`."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def backlog_chart(points: Sequence[BacklogPoint]) -> BacklogChart:
    """Columns, one per point, stacked by stage, with a scale of up to five steps."""
    left, right, top, height = 36, CHART_WIDTH - 22, 10, 240
    bottom = height - 30
    peak = nice_ceiling(max([p.total for p in points] + [1]))
    step = max(peak // 5, 1) if peak > 5 else 1
    scale = (bottom - top) / peak
    ticks = [Tick(bottom - v * scale, v) for v in range(0, peak + 1, step)]
    band = (right - left) / max(len(points), 1)
    every = max(math.ceil(len(points) / 5), 1)
    columns = []
    for n, point in enumerate(points):
        x, y, segments = left + n * band + band * 0.15, float(bottom), []
        for stage in STAGES:
            value = point.by_state.get(stage, 0)
            if value:
                y -= value * scale
                segments.append(Segment(x, y, band * 0.7, value * scale, STAGE_COLOURS[stage], str(stage.label), value))
        labelled = (len(points) - 1 - n) % every == 0  # the last column always has its date
        columns.append(Column(point.as_at, x, point.total, segments, left + n * band + band / 2, labelled))
    return BacklogChart(CHART_WIDTH, height, left, right, top, bottom, ticks, columns)
