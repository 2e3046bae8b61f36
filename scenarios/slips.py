"""Slips that load as valid values but are not what the writer meant, refused with one line.

Checked once a scenario's sections are built (``ScenarioBuilder.build`` in
:mod:`brink.scenarios.builder`), for states with a ``cow:`` code against the bundled data:

- a ``cow:`` code that is no COW state, or no state in the start year (within NMC's years);
- a state's ``troops`` far above its COW ``milper``, and a deployment larger than its owner's
  armed forces: troops are thousands, and ``3000`` (three million) is the slip;
- a capital that is neither near COW's capital of the state nor inside (or near) the Natural
  Earth outline that holds it: often latitude and longitude swapped, which the message says.

States without a ``cow:`` code (invented ones, or a scenario code the data do not know) are
checked only against the scenario's own numbers.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import Any

from brink.errors import BrinkInputError
from brink.scenarios import spec
from brink.scenarios.datasets import DATA_DIR, nmc_number, nmc_rows

OUTLINES_FILE = DATA_DIR / "naturalearth-110m-countries.geojson"
#: How far a capital may lie from COW's capital of the state and still be taken as meant: a
#: seat of government other than COW's (Bonn for Berlin, Tel Aviv for Jerusalem) is closer.
NEAR_CAPITAL_KM = 150.0
#: How far outside its state's Natural Earth 1:110m outline a capital may lie: the coarse
#: outline cuts off coastal cities by tens of kilometres (Havana, Copenhagen).
NEAR_OUTLINE_KM = 75.0
#: A state's own ``troops`` may exceed its COW ``milper`` by mobilisation, but not by this much:
#: the German army of August 1914 mobilised 3.8 million (Herwig 1997) on a peace strength NMC
#: gives as 864 thousand for 1913, about 4.4 times.
MOBILISATION_LIMIT = 5.0
EARTH_RADIUS_KM = 6371.0

Fail = Callable[[str, str], BrinkInputError]


def check_slips(
    fail: Fail,
    doc: Mapping[str, Any],
    states: Mapping[str, spec.StateSpec],
    forces: Iterable[tuple[str, float, str]],
    start_year: int,
) -> None:
    """Raise the first slip found, at its key.

    Args:
        fail: Makes a located error from a message and a dotted key path.
        doc: The checked document (to tell given values from filled ones).
        states: The built states.
        forces: (owner, thousands of troops, key path) of every deployment, in ``deployments:``
            and the timeline.
        start_year: The year of ``start``.
    """
    for code, state in states.items():
        ccode = state.ccode
        if ccode is None:
            continue
        path = f"states.{code}"
        _check_code(fail, code, ccode, path, start_year)
        _check_troops(fail, doc, code, state, ccode, path, start_year)
        _check_capital(fail, code, state, ccode, path, start_year)
    for owner, troops, path in forces:
        owner_state = states.get(owner)
        if owner_state is None or troops <= owner_state.troops:
            continue
        raise fail(
            f"{troops:,.4g} thousand troops is more than {owner}'s whole armed forces "
            f"({owner_state.troops:,.4g} thousand); troops are in thousands: {troops:,.4g} means "
            f"{troops * 1000:,.0f} soldiers",
            f"{path}.troops",
        )


def _nmc_span(ccode: int) -> tuple[int, int] | None:
    years = [year for code, year in nmc_rows() if code == ccode]
    return (min(years), max(years)) if years else None


@cache
def _by_letters() -> dict[str, int]:
    return {str(row["stateabb"]): code for (code, _), row in nmc_rows().items()}


def _check_code(fail: Fail, code: str, ccode: int, path: str, year: int) -> None:
    span = _nmc_span(ccode)
    if span is None:
        hint = ""
        if code in _by_letters():
            hint = f"; {code} is COW {_by_letters()[code]}"
        raise fail(
            f"COW code {ccode} is no state of the COW system (not in NMC v6.0){hint}; "
            "brink data states --date DATE --match NAME finds a state's code",
            f"{path}.cow",
        )
    last_data_year = max(known for _, known in nmc_rows())
    if year <= last_data_year and (ccode, year) not in nmc_rows():
        abb = nmc_rows()[ccode, span[0]]["stateabb"]
        raise fail(
            f"COW {ccode} ({abb}) is not a state of the COW system in {year} (NMC has it "
            f"in {span[0]}–{span[1]}, with gaps where it was occupied or absorbed)",
            f"{path}.cow",
        )


def _check_troops(
    fail: Fail,
    doc: Mapping[str, Any],
    code: str,
    state: spec.StateSpec,
    ccode: int,
    path: str,
    year: int,
) -> None:
    record = doc["states"][code]
    if "troops" not in record:
        return  # filled from NMC
    capabilities = doc.get("capabilities") or {}
    year = capabilities.get("year", year)
    row = nmc_rows().get((ccode, year))
    milper = math.nan if row is None else nmc_number(row, "milper")
    if math.isnan(milper) or milper <= 0:
        return
    if state.troops > MOBILISATION_LIMIT * milper:
        raise fail(
            f"{state.troops:,.4g} thousand troops is {state.troops / milper:.0f} times {code}'s "
            f"armed forces in {year} (COW NMC milper {milper:,.0f} thousand); troops are in "
            f"thousands: {state.troops:,.4g} means {state.troops * 1000:,.0f} soldiers",
            f"{path}.troops",
        )


# -- capitals and outlines -------------------------------------------------------------------


def distance_km(first: tuple[float, float], second: tuple[float, float]) -> float:
    """Great-circle distance of two (lat, lon) points (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*first, *second))
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


Ring = list[tuple[float, float]]  # (lon, lat) points, as GeoJSON stores them


@cache
def outlines() -> tuple[tuple[str, tuple[Ring, ...], tuple[float, float, float, float]], ...]:
    """Natural Earth 1:110m outlines: (name, outer rings, bounding box lon/lat) per feature."""
    with open(OUTLINES_FILE, encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    result = []
    for feature in features:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        rings = tuple([tuple(point[:2]) for point in polygon[0]] for polygon in polygons)
        lons = [lon for ring in rings for lon, _ in ring]
        lats = [lat for ring in rings for _, lat in ring]
        box = (min(lons), min(lats), max(lons), max(lats))
        result.append((feature["properties"]["NAME"], rings, box))
    return tuple(result)


def _inside(point: tuple[float, float], ring: Ring) -> bool:
    """Ray casting (even–odd rule) for a (lat, lon) point in a ring of (lon, lat) points."""
    lat, lon = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat):
            crossing = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if lon < crossing:
                inside = not inside
    return inside


def _edge_km(point: tuple[float, float], ring: Ring) -> float:
    """Distance from a point to a ring's edges, in a local equirectangular projection."""
    lat, lon = point
    scale = math.cos(math.radians(lat))
    best = math.inf
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        ax, ay = (x1 - lon) * scale, y1 - lat
        bx, by = (x2 - lon) * scale, y2 - lat
        dx, dy = bx - ax, by - ay
        length = dx * dx + dy * dy
        t = 0.0 if length == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length))
        best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best * math.pi / 180 * EARTH_RADIUS_KM


def outline_distance_km(point: tuple[float, float], rings: tuple[Ring, ...]) -> float:
    """0 inside an outline, else the distance to its nearest edge."""
    if any(_inside(point, ring) for ring in rings):
        return 0.0
    return min(_edge_km(point, ring) for ring in rings)


def outline_of(point: tuple[float, float]) -> tuple[str, tuple[Ring, ...]] | None:
    """The outline holding a point, or the nearest within :data:`NEAR_OUTLINE_KM`."""
    lat, lon = point
    nearest, best = None, NEAR_OUTLINE_KM
    for name, rings, (west, south, east, north) in outlines():
        margin = 2.0  # degrees around the box, for points just off a coast
        if not (west - margin <= lon <= east + margin and south - margin <= lat <= north + margin):
            continue
        distance = outline_distance_km(point, rings)
        if distance == 0.0:
            return name, rings
        if distance <= best:
            nearest, best = (name, rings), distance
    return nearest


def _fits(point: tuple[float, float], capital: tuple[float, float], rings: Any) -> bool:
    if not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180):
        return False
    if distance_km(point, capital) <= NEAR_CAPITAL_KM:
        return True
    return rings is not None and outline_distance_km(point, rings) <= NEAR_OUTLINE_KM


def _check_capital(
    fail: Fail, code: str, state: spec.StateSpec, ccode: int, path: str, year: int
) -> None:
    from brink.scenarios.state_data import capital_of

    known = capital_of(ccode, year)
    if known is None:
        return
    capital = (known.lat, known.lon)
    given = state.capital
    if distance_km(given, capital) <= NEAR_CAPITAL_KM:
        return
    found = outline_of(capital)
    rings = None if found is None else found[1]
    if _fits(given, capital, rings):
        return
    place = f"{found[0]}'s outline (Natural Earth 1:110m)" if found else "its capital"
    swapped = (given[1], given[0])
    if _fits(swapped, capital, rings):
        advice = f"latitude and longitude swapped? [{swapped[0]:g}, {swapped[1]:g}] is in it"
    else:
        advice = f"give [latitude, longitude]: {known.name} is [{known.lat:g}, {known.lon:g}]"
    raise fail(
        f"[{given[0]:g}, {given[1]:g}] is not in or near {place}, where {code} (COW "
        f"{ccode}) has its capital in {year}; {advice}",
        f"{path}.capital",
    )
