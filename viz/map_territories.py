"""Contested territories that are not states (a scenario's ``territories:``) on the crisis map.

:func:`draw_territories` draws each territory as what the scenario gives — its polygon, else its
bounding box, else a circle of its area (``size``) around its middle, at least a few pixels
wide — outlined with dashes and hatched, with its name and its holder. A territory is drawn
only where it falls inside the map's extent. :func:`brink.viz.map.draw_map` calls it once, in
the layer of what changes.
"""

from __future__ import annotations

import math
from typing import Any

from matplotlib.axes import Axes
from matplotlib.patches import Ellipse, Patch, Polygon

from brink.scenarios.spec import Scenario, TerritorySpec
from brink.viz.map_projection import Extent

TERRITORY_EDGE = "#7a0177"
#: Smallest radius (degrees of latitude) of a territory drawn as a circle, so an island group
#: stays visible on a map of a continent.
MIN_RADIUS_DEG = 0.35
KM_PER_DEGREE = 111.195  # along a meridian (mean Earth radius, IUGG)


def territory_corners(place: TerritorySpec) -> list[tuple[float, float]] | None:
    """(lon, lat) corners of the territory's polygon or box, or None when it is a point."""
    if place.outline:
        return [(lon, lat) for lat, lon in place.outline]
    if place.box is not None:
        south, west, north, east = place.box
        return [(west, south), (east, south), (east, north), (west, north)]
    return None


def draw_territories(ax: Axes, scenario: Scenario, extent: Extent) -> int:
    """Draw every territory inside ``extent``; return how many were drawn."""
    drawn = 0
    for place in scenario.territories.values():
        lat, lon = place.at
        if not extent.inside(lon, lat):
            continue
        corners = territory_corners(place)
        style: dict[str, Any] = dict(
            facecolor="none",
            edgecolor=TERRITORY_EDGE,
            linestyle="--",
            linewidth=1.2,
            hatch="///",
            zorder=4,
            label=f"territory {place.id}",
        )
        patch: Patch
        if corners is not None:
            patch = Polygon(corners, closed=True, **style)
        else:
            radius = MIN_RADIUS_DEG
            if place.size:
                radius = max(radius, math.sqrt(place.size / math.pi) / KM_PER_DEGREE)
            # an equirectangular map stretches a degree of longitude by 1/cos(latitude)
            width = 2 * radius / max(0.2, math.cos(math.radians(lat)))
            patch = Ellipse((lon, lat), width, 2 * radius, **style)
        ax.add_patch(patch)
        holder = scenario.states[place.held_by].name
        ax.annotate(
            f"{place.name} (held by {holder})",
            (lon, lat),
            xytext=(0, -10),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=7.5,
            color=TERRITORY_EDGE,
            zorder=7,
            bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.7),
        )
        drawn += 1
    return drawn
