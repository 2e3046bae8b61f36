"""Where a war is fought and where forces come from: theatres that are states or territories,
and the bases, staging areas and fleets that forces are held at (docs/war.md §1).

A dispute's theatre is a state (its soil; distances are taken from its capital) or a territory
of the scenario's ``territories:`` section — an island group, a province, a strip of border —
whose soil is its holder's and whose distances are taken from its middle. A base (``bases:``)
holds some of its owner's troops somewhere other than the capital: at a point, or on a host's
territory.
"""

from __future__ import annotations

from brink.scenarios.spec import BaseSpec, TerritorySpec
from brink.sim.geography import great_circle_km


def territory(model, theatre: str) -> TerritorySpec | None:
    """The territory ``theatre`` names, or None when it is a state."""
    return model.crisis.territories.get(theatre)


def holder(model, theatre: str) -> str:
    """The state on whose soil the theatre lies: a territory's holder, else the state itself."""
    place = territory(model, theatre)
    return theatre if place is None else place.held_by


def point(model, theatre: str) -> tuple[float, float]:
    """(lat, lon) where distances to the theatre are taken."""
    place = territory(model, theatre)
    return model.states[theatre].capital if place is None else place.at


def distance_to_theatre(model, code: str, theatre: str) -> float:
    """Great-circle km from ``code``'s capital to the theatre (0 for the theatre's own state)."""
    if code == theatre:
        return 0.0
    place = territory(model, theatre)
    if place is None:
        return model.distance(code, theatre)
    key = (code, theatre)
    cached = model._distances.get(key)
    if cached is None:
        cached = model._distances[key] = great_circle_km(model.states[code].capital, place.at)
    return cached


def base_point(model, base: BaseSpec) -> tuple[float, float]:
    """(lat, lon) of a base: its own point, else its host's capital."""
    if base.at is not None:
        return base.at
    return model.states[base.host].capital


def bases_of(model, code: str) -> tuple[BaseSpec, ...]:
    """The bases, staging areas and fleets that hold ``code``'s forces."""
    return tuple(base for base in model.crisis.bases if base.owner == code)


def base_distance(model, base: BaseSpec, theatre: str) -> float:
    """Great-circle km from a base to the theatre (0 for a base on the theatre's own soil)."""
    if base.at is None and base.host == theatre:
        return 0.0
    key = ("base", base.id, theatre)
    cached = model._distances.get(key)
    if cached is None:
        cached = model._distances[key] = great_circle_km(
            base_point(model, base), point(model, theatre)
        )
    return cached
