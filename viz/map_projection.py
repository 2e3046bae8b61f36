"""Where things stand on the crisis map: outlines, the map's extent, and each state's place.

Outlines are Natural Earth 1:110m (public domain), bundled in ``data/``: no tile server and no
network. The map is equirectangular, true to shape at its middle latitude (:class:`Extent`);
:func:`map_extent` picks the region a scenario needs and :func:`anchor` places each state's mark
on it, moving a far-away capital to the map's edge. Used by the matplotlib map
(:mod:`brink.viz.map`), the vector map (:mod:`brink.viz.vector`) and the war map.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from matplotlib.path import Path as MplPath

from brink.scenarios.spec import Scenario

WORLD_FILE = Path(__file__).resolve().parent.parent / "data" / "naturalearth-110m-countries.geojson"

#: The ring of Natural Earth's Russia feature that is Crimea (data/README.md).
CRIMEA_BOX = (32.5, 36.5, 44.4, 46.2)  # lon_min, lon_max, lat_min, lat_max

HISTORICAL_FILE = WORLD_FILE.with_name("historical-states.csv")

#: The inner German border (1949–1990) as (lon, lat), north to south, placed by hand on places
#: it ran by (data/historical-states.md): the German Democratic Republic is Germany's outline
#: east of it.
INNER_GERMAN_BORDER = (
    (10.90, 54.10),  # the Bay of Lübeck, off Priwall
    (10.88, 53.95),  # Lübeck-Schlutup
    (10.77, 53.70),  # the Ratzeburg lake
    (10.60, 53.37),  # the Elbe at Lauenburg
    (11.10, 53.20),  # the Elbe at Dömitz
    (11.57, 53.04),  # the Elbe at Schnackenburg
    (11.25, 52.85),  # the Wendland, south of the Elbe
    (10.78, 52.55),  # Wolfsburg's east
    (11.02, 52.22),  # Helmstedt–Marienborn
    (10.62, 51.80),  # the Harz mountains
    (10.28, 51.50),  # Duderstadt
    (10.05, 51.22),  # the Werra at Eschwege
    (9.93, 50.87),  # Philippsthal
    (10.08, 50.55),  # the Rhön
    (10.75, 50.32),  # south of Hildburghausen
    (10.98, 50.35),  # Coburg's north
    (11.60, 50.40),  # Ludwigsstadt
    (11.92, 50.42),  # north of Hof
    (12.10, 50.32),  # the tripoint with Czechoslovakia near Prex
)


@dataclass(frozen=True)
class Historical:
    """A state as it stood in a span of years, drawn with today's ``units`` (data/README)."""

    code: str
    name: str
    years: tuple[int, int]
    units: tuple[str, ...]


@cache
def historical_states() -> tuple[Historical, ...]:
    """The rows of ``data/historical-states.csv``."""
    import csv

    with open(HISTORICAL_FILE, encoding="utf-8", newline="") as handle:
        return tuple(
            Historical(
                row["code"],
                row["name"],
                (int(row["from_year"]), int(row["to_year"])),
                tuple(row["units"].split()),
            )
            for row in csv.DictReader(handle)
        )


def historical_units(code: str, year: int) -> tuple[str, ...]:
    """Today's outlines that made up state ``code`` in ``year`` (none: it is drawn as itself)."""
    for state in historical_states():
        if state.code == code and state.years[0] <= year <= state.years[1]:
            return state.units
    return ()


def _year(scenario: Scenario) -> int:
    try:
        return int(str(scenario.start_date)[:4])
    except ValueError:
        return 10_000


@dataclass(frozen=True)
class Country:
    """One Natural Earth feature: its code (``ADM0_A3``), name and rings of (lon, lat)."""

    code: str
    name: str
    rings: tuple[np.ndarray, ...]


@cache
def world() -> dict[str, Country]:
    """Natural Earth 110m countries keyed by ``ADM0_A3`` (France and Norway lack ``ISO_A3``).

    Crimea's ring is taken out of Russia and kept under the key ``CRIMEA``.
    """
    features = json.loads(WORLD_FILE.read_text(encoding="utf-8"))["features"]
    countries: dict[str, Country] = {}
    for feature in features:
        props = feature["properties"]
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        # Outer rings only: holes in 110m outlines are lakes, which the map does not need.
        rings = [np.asarray(polygon[0], dtype=float) for polygon in polygons]
        code = props["ADM0_A3"]
        if code == "RUS":
            crimea = [ring for ring in rings if _inside_box(ring, CRIMEA_BOX)]
            rings = [ring for ring in rings if not _inside_box(ring, CRIMEA_BOX)]
            countries["CRIMEA"] = Country("CRIMEA", "Crimea", tuple(crimea))
        countries[code] = Country(code, props["NAME"], tuple(rings))
    germany = countries.get("DEU")
    if germany is not None and germany.rings:
        countries["GDR"] = Country("GDR", "German Democratic Republic", (_east_of_border(germany),))
    return countries


def _east_of_border(germany: Country) -> np.ndarray:
    """The German Democratic Republic: Germany's main ring east of :data:`INNER_GERMAN_BORDER`
    (the stretch of coast and border between the line's two ends that holds Germany's
    easternmost point), closed by the line itself."""
    ring = max(germany.rings, key=len)
    points = ring[:-1] if np.allclose(ring[0], ring[-1]) else ring
    north, south = np.array(INNER_GERMAN_BORDER[0]), np.array(INNER_GERMAN_BORDER[-1])
    i = int(np.argmin(np.hypot(*(points - north).T)))
    j = int(np.argmin(np.hypot(*(points - south).T)))
    n = len(points)
    forward = [points[(i + k) % n] for k in range((j - i) % n + 1)]  # north → south one way
    backward = [points[(i - k) % n] for k in range((i - j) % n + 1)]  # the other way
    east = max((forward, backward), key=lambda arc: max(p[0] for p in arc))
    border = list(INNER_GERMAN_BORDER[1:-1])[::-1]  # back north from the tripoint
    return np.asarray([*east, *border, east[0]], dtype=float)


def _inside_box(
    ring: np.ndarray, box: tuple[float, float, float, float], tolerance: float = 0.1
) -> bool:
    """True if the ring lies in the box, give or take ``tolerance`` degrees (the README's box
    is rounded: Crimea's ring spans 32.45–36.53° E, 44.36–46.22° N)."""
    lon_min, lon_max, lat_min, lat_max = box
    return bool(
        ring[:, 0].min() >= lon_min - tolerance
        and ring[:, 0].max() <= lon_max + tolerance
        and ring[:, 1].min() >= lat_min - tolerance
        and ring[:, 1].max() <= lat_max + tolerance
    )


@cache
def _paths(code: str) -> tuple[MplPath, ...]:
    country = world().get(code)
    return tuple(MplPath(ring) for ring in country.rings) if country else ()


def contains(code: str, lon: float, lat: float) -> bool:
    """True if (lon, lat) lies inside the outline of ``code`` (Natural Earth 110m)."""
    return any(path.contains_point((lon, lat)) for path in _paths(code))


@cache
def border_point(
    host: str, start: tuple[float, float], toward: tuple[float, float]
) -> tuple[float, float]:
    """Where troops in ``host`` massed toward a neighbour stand: the last point of the line
    from ``start`` toward ``toward`` (both (lon, lat)) that is still in ``host``'s territory,
    pulled back a little so the marker sits on the host's side of the border."""
    if not _paths(host):
        return start
    fractions = np.linspace(0.0, 1.0, 101)
    last = 0.0
    for fraction in fractions:
        lon = start[0] + fraction * (toward[0] - start[0])
        lat = start[1] + fraction * (toward[1] - start[1])
        if contains(host, lon, lat):
            last = fraction
    last = max(0.0, last - 0.04)
    return (start[0] + last * (toward[0] - start[0]), start[1] + last * (toward[1] - start[1]))


def principal_of(scenario: Scenario, target: str) -> str:
    """The state that stands for a target: the state itself, or an alliance's leader."""
    alliance = scenario.alliances.get(target)
    if alliance is None:
        return target
    if alliance.leader:
        return alliance.leader
    members = [m.state for m in alliance.members if m.state in scenario.states]
    return max(members, key=lambda code: scenario.states[code].capability, default=target)


@dataclass(frozen=True)
class Extent:
    lon_min: float
    lon_max: float
    lat_min: float
    lat_max: float

    @property
    def aspect(self) -> float:
        """y/x scale of an equirectangular map true to shape at its middle latitude."""
        return 1.0 / math.cos(math.radians((self.lat_min + self.lat_max) / 2))

    def inside(self, lon: float, lat: float) -> bool:
        return self.lon_min <= lon <= self.lon_max and self.lat_min <= lat <= self.lat_max


def _distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points (haversine, R = 6371 km)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


#: Least share of the map's width and height between a theatre's capital and the map's edge.
THEATRE_INSET = 0.18


def _theatres(scenario: Scenario) -> list[str]:
    """The states fought over, for framing: each dispute's ``theatre``, else its target state
    (a demand on an alliance names no place by itself)."""
    found = []
    for spec in scenario.demands:
        code = getattr(spec, "theatre", None) or spec.on
        if code in scenario.states and code not in found:
            found.append(code)
    return found


def map_extent(scenario: Scenario, reach_km: float = 2500.0, ratio: float = 1.45) -> Extent:
    """The region to draw: the disputes' principals and every state within ``reach_km`` of
    them, with margins, widened to the figure's width/height ``ratio``.

    States farther away (the United States in a European crisis) are drawn at the map's edge
    with an arrow toward where they are, so the theatre is not lost in an ocean.
    """
    states = scenario.states
    principals = {demand.by for demand in scenario.demands} | {
        demand.on for demand in scenario.demands
    }
    core = [code for code in principals if code in states] or list(states)
    centre_lat = float(np.mean([states[c].capital[0] for c in core]))
    centre_lon = float(np.mean([states[c].capital[1] for c in core]))
    chosen = [
        code
        for code, spec in states.items()
        if code in core or _distance_km(spec.capital, (centre_lat, centre_lon)) <= reach_km
    ]
    lats = [states[c].capital[0] for c in chosen]
    lons = [states[c].capital[1] for c in chosen]
    # Margins leave room for names, troop labels and arrows next to the outermost capitals.
    lat_min, lat_max = min(lats) - 4.5, max(lats) + 4.5
    lon_min, lon_max = min(lons) - 9.0, max(lons) + 9.0
    # The theatres stand well inside the frame, not in a corner (issue 27: Cuba in 1962 and
    # Egypt and Israel in 1973 sat at the edge of a map spanning Washington to Moscow).
    for code in _theatres(scenario):
        lat, lon = states[code].capital
        lon_min = min(lon_min, (lon - THEATRE_INSET * lon_max) / (1 - THEATRE_INSET))
        lon_max = max(lon_max, (lon - THEATRE_INSET * lon_min) / (1 - THEATRE_INSET))
        lat_min = min(lat_min, (lat - THEATRE_INSET * lat_max) / (1 - THEATRE_INSET))
        lat_max = max(lat_max, (lat - THEATRE_INSET * lat_min) / (1 - THEATRE_INSET))
    # Widen the shorter side so the map fills a figure of the given ratio.
    aspect = 1.0 / math.cos(math.radians((lat_min + lat_max) / 2))
    width, height = lon_max - lon_min, (lat_max - lat_min) * aspect
    if width / height < ratio:
        grow = (ratio * height - width) / 2
        lon_min, lon_max = lon_min - grow, lon_max + grow
    else:
        grow = (width / ratio - height) / 2 / aspect
        lat_min, lat_max = lat_min - grow, lat_max + grow
    return Extent(lon_min, lon_max, max(-85.0, lat_min), min(85.0, lat_max))


def anchor(scenario: Scenario, code: str, extent: Extent) -> tuple[float, float, bool]:
    """Map position (lon, lat) of a state's capital, and whether it is on the map.

    An alliance stands at the middle of its members' capitals on the map (its leader's
    capital when none is). A capital outside the extent is moved to the edge along the line
    from the map's centre, so arrows from far-away states still show.
    """
    alliance = scenario.alliances.get(code)
    if alliance is not None:
        points = [
            scenario.states[m.state].capital
            for m in alliance.members
            if m.state in scenario.states and extent.inside(*scenario.states[m.state].capital[::-1])
        ]
        if points:
            lats, lons = zip(*points, strict=True)
            return float(np.mean(lons)), float(np.mean(lats)), True
        code = principal_of(scenario, code)
    spec = scenario.states.get(code)
    if spec is None:
        centre = ((extent.lon_min + extent.lon_max) / 2, (extent.lat_min + extent.lat_max) / 2)
        return (*centre, False)
    lat, lon = spec.capital
    if extent.inside(lon, lat):
        return lon, lat, True
    # A state whose capital is off the map but whose land is on it (Kazakhstan on a map of the
    # Black Sea) stands on that land: it is on the map, not "off map" (issue 27).
    visible = visible_territory(scenario, code, extent)
    if visible is not None:
        return visible[0], visible[1], True
    cx, cy = (extent.lon_min + extent.lon_max) / 2, (extent.lat_min + extent.lat_max) / 2
    dx, dy = lon - cx, lat - cy
    inset_x = 0.06 * (extent.lon_max - extent.lon_min)
    inset_y = 0.08 * (extent.lat_max - extent.lat_min)
    scale = min(
        (extent.lon_max - inset_x - cx) / dx if dx > 0 else math.inf,
        (extent.lon_min + inset_x - cx) / dx if dx < 0 else math.inf,
        (extent.lat_max - inset_y - cy) / dy if dy > 0 else math.inf,
        (extent.lat_min + inset_y - cy) / dy if dy < 0 else math.inf,
    )
    return cx + scale * dx, cy + scale * dy, False


#: A state counts as on the map when at least this share of the map's inner area is its land.
VISIBLE_SHARE = 0.005
_VISIBLE_CACHE: dict[tuple, tuple[Scenario, tuple[float, float] | None]] = {}


def visible_territory(scenario: Scenario, code: str, extent: Extent) -> tuple[float, float] | None:
    """A point of ``code``'s land well inside the map, nearest its capital, when that land
    covers at least :data:`VISIBLE_SHARE` of the map away from its edges; else ``None``."""
    key = (id(scenario), code, extent)
    cached = _VISIBLE_CACHE.get(key)
    if cached is not None and cached[0] is scenario:
        return cached[1]
    outlines = [outline for outline, owner in outline_owners(scenario).items() if owner == code]
    inset_x = 0.03 * (extent.lon_max - extent.lon_min)
    inset_y = 0.05 * (extent.lat_max - extent.lat_min)
    lons = np.linspace(extent.lon_min + inset_x, extent.lon_max - inset_x, 48)
    lats = np.linspace(extent.lat_min + inset_y, extent.lat_max - inset_y, 32)
    grid = np.array([(x, y) for x in lons for y in lats])
    inside = np.zeros(len(grid), dtype=bool)
    for outline in outlines:
        for path in _paths(outline):
            inside |= path.contains_points(grid)
    found = None
    if inside.mean() >= VISIBLE_SHARE:
        lat, lon = scenario.states[code].capital
        points = grid[inside]
        # the point nearest the capital, then pulled a little toward the land's middle so the
        # label and badge sit on it, not on its edge
        nearest = points[np.argmin(np.hypot(points[:, 0] - lon, points[:, 1] - lat))]
        middle = points.mean(axis=0)
        candidate = 0.7 * nearest + 0.3 * middle
        if not any(path.contains_point(candidate) for o in outlines for path in _paths(o)):
            candidate = nearest
        found = (float(candidate[0]), float(candidate[1]))
    if len(_VISIBLE_CACHE) >= 256:
        _VISIBLE_CACHE.pop(next(iter(_VISIBLE_CACHE)))
    _VISIBLE_CACHE[key] = (scenario, found)
    return found


@cache
def _rings_in(extent: Extent) -> tuple[tuple[str, np.ndarray], ...]:
    """The outlines that reach into the extent (5° margin); cached per extent."""
    margin = 5.0
    found = []
    for code in world():
        if code in ("CRIMEA", "GDR"):  # drawn only where their years call for it
            continue
        for ring in world()[code].rings:
            if (
                ring[:, 0].max() >= extent.lon_min - margin
                and ring[:, 0].min() <= extent.lon_max + margin
                and ring[:, 1].max() >= extent.lat_min - margin
                and ring[:, 1].min() <= extent.lat_max + margin
            ):
                found.append((code, ring))
    return tuple(found)


def outline_owners(scenario: Scenario) -> dict[str, str]:
    """Which scenario state each Natural Earth outline is coloured for: a state's own outline,
    and for a state that no longer exists, or whose lands differed in the scenario's year
    (``data/historical-states.csv``), those of today's states on its territory, unless the
    scenario has that state itself."""
    owners: dict[str, str] = {}
    year = _year(scenario)
    for code in scenario.states:
        for outline in historical_units(code, year):
            if outline not in scenario.states:
                owners[outline] = code
    owners.update({code: code for code in scenario.states if code != "GDR" or two_germanys(year)})
    return owners


def historical_owners(scenario: Scenario) -> set[str]:
    """The scenario's states drawn from several of today's outlines (one shape each)."""
    owners = outline_owners(scenario)
    return {owner for outline, owner in owners.items() if outline != owner}


def two_germanys(year: int) -> bool:
    """Whether the map of ``year`` shows two German states (1949–1990)."""
    return 1949 <= year <= 1990


def map_rings(scenario: Scenario, extent: Extent) -> tuple[tuple[str, np.ndarray], ...]:
    """The outlines of the scenario's map: :func:`_rings_in` and, in 1949–1990, the German
    Democratic Republic's drawn over Germany's (so it comes after it)."""
    rings = _rings_in(extent)
    if not two_germanys(_year(scenario)) or "GDR" not in world():
        return rings
    extra = tuple(("GDR", ring) for ring in world()["GDR"].rings)
    return (*rings, *extra)


def historical_name(code: str, year: int) -> str | None:
    """The name of the state ``code`` stood for in ``year``, if the table has one."""
    for state in historical_states():
        if state.code == code and state.years[0] <= year <= state.years[1]:
            return state.name
    return None


#: Arrows pointing from the map toward a state off it, by compass sector (east first).
_ARROWS = ("→", "↗", "↑", "↖", "←", "↙", "↓", "↘")


def off_map(scenario: Scenario) -> list[dict[str, str]]:
    """The states off the map, for the strip beside it: code, name and an arrow toward it."""
    extent = map_extent(scenario)
    cx, cy = (extent.lon_min + extent.lon_max) / 2, (extent.lat_min + extent.lat_max) / 2
    found = []
    for code, spec in scenario.states.items():
        if anchor(scenario, code, extent)[2]:
            continue
        lat, lon = spec.capital
        angle = math.degrees(math.atan2(lat - cy, lon - cx)) % 360
        arrow = _ARROWS[round(angle / 45) % 8]
        found.append({"code": code, "name": spec.name, "arrow": arrow})
    return found
