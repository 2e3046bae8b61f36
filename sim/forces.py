"""Forces over time: what a belligerent has in the theatre, what it can send, and how fast.

No state fights with its whole army on the first day of a war. A belligerent's **contingent**
in a war's theatre starts with the troops that already stand there (deployments on the
theatre's soil or massed at its border, :func:`brink.sim.power.troops_in_theatre`) and grows by
mobilisation toward what the state can commit to this one war:

- a state fighting on its **own soil** has ``home_ready_share`` of its active forces in place on
  the first day and can commit all of them plus its reservists (``reserves``, default
  ``reserve_ratio`` × active) — national mobilisation (Posen 1984, *The Sources of Military
  Doctrine*, on mass armies; IISS, *The Military Balance*, lists reserves of the same order as
  active forces for most states);
- any other state can commit ``committable`` of its active forces (default ``committable_share``;
  the rest holds its other borders and commitments), of which what is already in the theatre
  counts first.

Mobilisation starts with a display of force — the MID project's level 3 is mobilisation and
the movement of troops (Jones, Bremer & Singer 1996) — so a principal that has stood at level 3
or above for a while enters a war with what has arrived since. What is not yet in the theatre
arrives at a rate that falls with distance: the pool shrinks as
e^(−t/τ) with τ = ``mobilisation_days`` × (1 + d / ``logistics_km``), d the distance from the
state's capital to the theatre. The exponential is the simplest arrival law with a time scale;
the distance term is the logistics side of Boulding's (1962) loss-of-strength gradient, which
the balance of power already applies to capability (:mod:`brink.sim.power`).

**Bases, staging areas and fleets** (the scenario's ``bases:``). Forces held away from the
capital are already mobilised: from a base d km from the theatre they arrive with
τ = ``mobilisation_days`` × d / ``logistics_km`` (at least ``MIN_ARRIVAL_DAYS``), the transport
term alone. The pool is drawn from the nearest bases first, up to the troops each holds, the
rest from the capital, and its τ is the troop-weighted mean of theirs, which keeps the pool's
mean arrival time (an expeditionary force staged near the theatre — Britain's at Ascension in
1982, the coalition's in Saudi Arabia in 1990–91 — fights within days or weeks, not the months
its capital's distance would take). Troops at staging areas and at sea were gathered for this
crisis, so they add to what the owner can commit beyond ``committable_share``; a standing base
does not. A territory's ``garrison`` stands in the theatre on the first day.

Exhaustion is measured against a state's **manpower**, its active forces and reserves
(:mod:`brink.sim.war_termination`); a belligerent replaces the share ``replacement_share`` of
its losses, which return to its pool and arrive as reinforcements do.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from brink.sim import places
from brink.sim.power import troops_in_theatre

#: Shortest time constant of arrival: forces a short way off still need a day or so to move.
MIN_ARRIVAL_DAYS = 1.0


@dataclass
class Contingent:
    """One belligerent's forces in one war's theatre, in thousands of personnel."""

    code: str
    side: str
    in_theatre: float  # thousands fighting now
    pool: float  # thousands committed to this war but not yet in the theatre
    arrival_days: float  # τ: time constant of the pool's arrival
    quality: float = 1.0  # combat power per soldier, relative to the war's average
    joined_step: int = 0
    sent: float = 0.0  # thousands sent to the theatre so far, first-day forces included
    lost: float = 0.0  # thousands lost so far
    manpower: float = 0.0  # thousands: active forces and reserves (exhaustion's measure)

    def reinforce(self, days: float) -> float:
        """Move what arrives over ``days`` from the pool into the theatre; return it."""
        if self.pool <= 0.0:
            return 0.0
        arriving = self.pool * -math.expm1(-days / self.arrival_days)
        self.pool -= arriving
        self.in_theatre += arriving
        self.sent += arriving
        return arriving


def committable_forces(model, code: str, theatre: str) -> float:
    """Thousands that ``code`` can commit to a war in ``theatre`` in all (first day included)."""
    key = (code, theatre, model.steps_done, len(model.deployments))
    cached = model.forces_cache.get(key)
    if cached is None:
        cached = model.forces_cache[key] = _committable(model, code, theatre)
    return cached


def manpower(model, code: str) -> float:
    """Thousands of active forces and reserves: what a state's exhaustion is measured against."""
    state = model.states[code]
    reserves = state.spec.reserves
    if reserves is None:
        reserves = model.params.reserve_ratio * state.troops
    return state.troops + reserves


def _committable(model, code: str, theatre: str) -> float:
    state = model.states[code]
    if code == theatre:
        return manpower(model, code)
    share = state.spec.committable
    if share is None:
        share = model.params.committable_share
    # Forces gathered for this crisis at staging areas or at sea are committed to it.
    staged = sum(b.troops for b in places.bases_of(model, code) if b.kind != "base")
    return min(state.troops, max(share * state.troops, _in_theatre(model, code, theatre) + staged))


def _in_theatre(model, code: str, theatre: str) -> float:
    key = ("in", code, theatre, model.steps_done, len(model.deployments))
    cached = model.forces_cache.get(key)
    if cached is None:
        cached = troops_in_theatre(model, code, theatre)
        place = places.territory(model, theatre)
        if place is not None and place.held_by == code:
            cached += place.garrison
        model.forces_cache[key] = cached
    return cached


def arrival_days(model, code: str, theatre: str) -> float:
    """τ for ``code``'s reinforcements to ``theatre`` from its capital: mobilisation slowed by
    distance."""
    params = model.params
    distance = model.distance_to_theatre(code, theatre)
    return params.mobilisation_days * (1.0 + distance / params.logistics_km)


def base_arrival_days(model, distance_km: float) -> float:
    """τ for forces already mobilised at a base ``distance_km`` from the theatre: only the way
    there delays them."""
    params = model.params
    return max(MIN_ARRIVAL_DAYS, params.mobilisation_days * distance_km / params.logistics_km)


def pool_arrival_days(model, code: str, theatre: str, pool: float) -> float:
    """τ of a pool of ``pool`` thousand: drawn first from the nearest bases, staging areas and
    fleets (up to the troops each holds), the rest from the capital; the time constants are
    averaged by troops, which keeps the pool's mean arrival time."""
    tau_capital = arrival_days(model, code, theatre)
    bases = places.bases_of(model, code)
    if pool <= 0.0 or not bases:
        return tau_capital
    sources = sorted(
        (places.base_distance(model, base, theatre), base.id, base.troops) for base in bases
    )
    left = pool
    weighted = 0.0
    for distance, _, troops in sources:
        taken = min(left, troops)
        tau = base_arrival_days(model, distance)
        if tau >= tau_capital:
            break
        weighted += taken * tau
        left -= taken
        if left <= 0.0:
            break
    return (weighted + left * tau_capital) / pool


def raise_contingent(
    model, code: str, side: str, theatre: str, step: int, mobilised_days: float = 0.0
) -> Contingent:
    """The contingent ``code`` brings to a war on the day it enters it.

    ``mobilised_days``: days since the state began to mobilise for this dispute (its side's
    display of force); what would have arrived by now is already in the theatre.
    """
    state = model.states[code]
    total = committable_forces(model, code, theatre)
    if code == theatre:
        first_day = model.params.home_ready_share * state.troops
    else:
        first_day = min(_in_theatre(model, code, theatre), state.troops)
    tau = pool_arrival_days(model, code, theatre, max(0.0, total - first_day))
    if mobilised_days > 0:
        first_day += (total - first_day) * -math.expm1(-mobilised_days / tau)
    return Contingent(
        code=code,
        side=side,
        in_theatre=first_day,
        pool=max(0.0, total - first_day),
        arrival_days=tau,
        joined_step=step,
        sent=first_day,
        manpower=manpower(model, code),
    )
