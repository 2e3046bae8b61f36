"""Building blocks of the vector map's SVG: the projection, paths, arcs and labels.

Shared by :mod:`brink.viz.vector` (the crisis: postures, ties, demands, forces) and
:mod:`brink.viz.warmap` (the war: the front, forces by side, aid flows).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

from brink.scenarios.spec import Scenario
from brink.viz.map_projection import Extent, map_extent

if TYPE_CHECKING:
    import numpy as np

WIDTH = 1000.0  # the SVG's user units across; the page scales it to its column


@dataclass(frozen=True)
class Projection:
    """Equirectangular, true to shape at the extent's middle latitude (as the PNG map)."""

    extent: Extent

    @property
    def scale(self) -> float:
        return WIDTH / (self.extent.lon_max - self.extent.lon_min)

    @property
    def height(self) -> float:
        return (self.extent.lat_max - self.extent.lat_min) * self.extent.aspect * self.scale

    def xy[T: (float, np.ndarray)](self, lon: T, lat: T) -> tuple[T, T]:
        """SVG coordinates of a point, or of arrays of points."""
        return (
            (lon - self.extent.lon_min) * self.scale,
            (self.extent.lat_max - lat) * self.extent.aspect * self.scale,
        )


def projection(scenario: Scenario) -> Projection:
    """The map's projection for ``scenario`` (its extent from
    :func:`brink.viz.map_projection.map_extent`)."""
    return Projection(map_extent(scenario))


def svg_path(rings, proj: Projection) -> str:
    """An SVG path of closed rings of (lon, lat) points."""
    parts = []
    for ring in rings:
        xs = (ring[:, 0] - proj.extent.lon_min) * proj.scale
        ys = (proj.extent.lat_max - ring[:, 1]) * proj.extent.aspect * proj.scale
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
        parts.append(f"M{points}Z")
    return "".join(parts)


def attr(value: object) -> str:
    """``value`` escaped for an attribute."""
    return html.escape(str(value), quote=True)


def thousands(value: float) -> str:
    """``106k`` troops, ``2.5k``, from thousands."""
    if value >= 10:
        return f"{value:,.0f}k"
    return f"{value:,.1f}k".replace(".0k", "k")


def curve(start, end, bend: float) -> tuple[str, tuple[float, float]]:
    """A quadratic arc from ``start`` to ``end`` bent sideways by ``bend`` × its length; the
    path and the arc's midpoint."""
    (x1, y1), (x2, y2) = start, end
    cx, cy = (x1 + x2) / 2 + bend * (y2 - y1), (y1 + y2) / 2 - bend * (x2 - x1)
    mid = (0.25 * x1 + 0.5 * cx + 0.25 * x2, 0.25 * y1 + 0.5 * cy + 0.25 * y2)
    return f"M{x1:.1f},{y1:.1f}Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}", mid


@dataclass(frozen=True)
class Label:
    """A label the page places: the point it names, its text and its priority (high first)."""

    kind: str  # name, offmap, demand, sanction, troops
    text: str
    x: float
    y: float
    priority: float
    colour: str = "#222222"
    code: str = ""  # the state it names (hover and click read it)
    tip: str = ""  # what hovering shows when it is not a state
    #: Never hidden (the principals, the theatre, the largest forces, the sides at war): the
    #: page places it before the others, farther away with a leader line, or shortened to
    #: ``short``, rather than drop it (issue 27).
    essential: bool = False
    short: str = ""

    @property
    def rank(self) -> float:
        """The order the page places labels in: essential ones first, then by priority."""
        return self.priority + (ESSENTIAL_RANK if self.essential else 0.0)

    def svg(self) -> str:
        data = f' data-code="{attr(self.code)}"' if self.code else ""
        if self.tip:
            data += f' data-tip="{attr(self.tip)}"'
        if self.essential:
            data += ' data-essential="1"'
        if self.short:
            data += f' data-short="{attr(self.short)}"'
        return (
            f'<g class="brink-label k-{self.kind}" data-x="{self.x:.1f}" data-y="{self.y:.1f}" '
            f'data-priority="{self.rank:.3f}"{data}>'
            f'<line class="leader" stroke="{self.colour}"/>'
            f'<rect rx="3" stroke="{self.colour}"/>'
            f'<text fill="{self.colour}">{html.escape(self.text)}</text></g>'
        )


ESSENTIAL_RANK = 100.0
