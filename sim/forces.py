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
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from brink.sim.power import troops_in_theatre


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


def _committable(model, code: str, theatre: str) -> float:
    state = model.states[code]
    if code == theatre:
        reserves = state.spec.reserves
        if reserves is None:
            reserves = model.params.reserve_ratio * state.troops
        return state.troops + reserves
    share = state.spec.committable
    if share is None:
        share = model.params.committable_share
    return max(share * state.troops, _in_theatre(model, code, theatre))


def _in_theatre(model, code: str, theatre: str) -> float:
    key = ("in", code, theatre, model.steps_done, len(model.deployments))
    cached = model.forces_cache.get(key)
    if cached is None:
        cached = model.forces_cache[key] = troops_in_theatre(model, code, theatre)
    return cached


def arrival_days(model, code: str, theatre: str) -> float:
    """τ for ``code``'s reinforcements to ``theatre``: mobilisation slowed by distance."""
    params = model.params
    distance = model.distance_to_theatre(code, theatre)
    return params.mobilisation_days * (1.0 + distance / params.logistics_km)


def raise_contingent(
    model, code: str, side: str, theatre: str, step: int, mobilised_days: float = 0.0
) -> Contingent:
    """The contingent ``code`` brings to a war on the day it enters it.

    ``mobilised_days``: days since the state began to mobilise for this dispute (its side's
    display of force); what would have arrived by now is already in the theatre.
    """
    state = model.states[code]
    total = committable_forces(model, code, theatre)
    tau = arrival_days(model, code, theatre)
    if code == theatre:
        first_day = model.params.home_ready_share * state.troops
    else:
        first_day = min(_in_theatre(model, code, theatre), state.troops)
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
    )
