"""Sanctions and trade exposure (docs/model.md §3, §4.4).

A sanction cuts a share σ (severity) of the trade between its senders and its target. Its cost to
each side is σ times that side's trade exposure to the other (share of GDP), converted to issue
units by ``sanctions_effectiveness`` over the planning horizon, and paid per step while imposed.
A threatened sanction enters the would-be violator's expected utility of using force, weighted by
how credible threats are believed to be.
"""

from __future__ import annotations

from dataclasses import dataclass

from brink.scenarios.spec import SanctionSpec
from brink.sim.geography import great_circle_km

MAX_GRAVITY_EXPOSURE = 0.25  # no partner is more than a quarter of a state's GDP in trade
MIN_GRAVITY_DISTANCE_KM = 300.0


def gravity_exposure(capability_partner: float, distance_km: float, scale: float) -> float:
    """Default trade exposure of a state to a partner, as a share of its GDP.

    Tinbergen's (1962) gravity model: trade grows with the partner's economic mass and falls with
    distance; as a share of the home state's GDP its own mass cancels, leaving
    scale · mass_partner / (distance / 1000 km). CINC share stands in for economic mass.
    """
    distance = max(distance_km, MIN_GRAVITY_DISTANCE_KM) / 1000.0
    return min(MAX_GRAVITY_EXPOSURE, scale * capability_partner / distance)


@dataclass
class Sanction:
    spec: SanctionSpec
    status: str = "pending"  # pending (not yet declared), threatened, imposed, lifted
    triggered: bool = False  # its trigger happened this step; imposed at the next step's start
    ever_imposed: bool = False

    @property
    def is_threat(self) -> bool:
        return self.spec.trigger_actor is not None


def trade_exposure(model, home: str, partner: str) -> float:
    """Share of ``home``'s GDP in trade with ``partner``: the scenario's figure, else gravity
    (cached on the model until capabilities change)."""
    cache = getattr(model, "trade_cache", None)
    if cache is None:
        return _trade_exposure(model, home, partner)
    key = (home, partner)
    value = cache.get(key)
    if value is None:
        value = cache[key] = _trade_exposure(model, home, partner)
    return value


def _trade_exposure(model, home: str, partner: str) -> float:
    state = model.states[home]
    given = state.spec.trade.get(partner)
    if given is not None:
        return given
    other = model.states[partner]
    distance = great_circle_km(state.capital, other.capital)
    return gravity_exposure(other.capability, distance, model.params.trade_gravity_scale)


def severity_cost(
    model, home: str, counterparts: tuple[str, ...] | list[str], severity: float
) -> float:
    """Issue units ``home`` loses over the planning horizon when σ of its trade with
    ``counterparts`` is cut."""
    exposure = sum(trade_exposure(model, home, other) for other in counterparts if other != home)
    return severity * exposure * model.params.sanctions_effectiveness
