"""The belligerents' forces in one war's theatre, held as lists of floats (one slot per state).

A war is fought and projected day by day many times over — decisions project the war they would
start, for each side and for several coalitions of joiners — so this arithmetic is the model's
innermost loop. A theatre holds two to a handful of states: at that size plain Python floats
are several times faster than numpy arrays, whose per-call overhead dwarfs the work, and a sum
over a side is taken slot by slot in a fixed order on every machine. The rules themselves are
those of :mod:`brink.sim.forces` (arrival) and :mod:`brink.sim.combat` (losses); this class only
holds the numbers.
"""

from __future__ import annotations

import math

from brink.sim.forces import Contingent
from brink.sim.support import DAYS_PER_YEAR, MAX_SANCTIONS_DRAIN

_FIELDS = (
    "in_theatre",  # thousands fighting now
    "pool",  # thousands committed but not yet in the theatre
    "tau",  # time constant of the pool's arrival, days
    "quality",  # combat power per soldier relative to the war's average
    "weight",  # 1 for a belligerent; a projection's would-be joiner enters gradually
    "sent",  # thousands sent so far, first day included
    "lost",  # thousands lost so far
    "manpower",  # thousands: active forces and reserves (what exhaustion is measured against)
    "capability",  # CINC share (for aid's absorption)
    "cut",  # share of GDP that sanctions in force cut
)


class Theatre:
    """Per-slot lists over the belligerents of one war; ``challenger[slot]`` marks the
    challenger's side."""

    # the per-slot lists of _FIELDS, made by __init__
    in_theatre: list[float]
    pool: list[float]
    tau: list[float]
    quality: list[float]
    weight: list[float]
    sent: list[float]
    lost: list[float]
    manpower: list[float]
    capability: list[float]
    cut: list[float]

    def __init__(self) -> None:
        self.codes: list[str] = []
        self.slot: dict[str, int] = {}
        self.challenger: list[bool] = []
        for name in _FIELDS:
            setattr(self, name, [])

    def __contains__(self, code: str) -> bool:
        return code in self.slot

    def __len__(self) -> int:
        return len(self.codes)

    def add(self, contingent: Contingent, weight: float, capability: float) -> int:
        """Append a contingent; return its slot."""
        self.slot[contingent.code] = len(self.codes)
        self.codes.append(contingent.code)
        self.challenger.append(contingent.side == "challenger")
        values = {
            "in_theatre": contingent.in_theatre,
            "pool": contingent.pool,
            "tau": contingent.arrival_days,
            "quality": contingent.quality,
            "weight": weight,
            "sent": contingent.sent,
            "lost": contingent.lost,
            "manpower": contingent.manpower,
            "capability": capability,
            "cut": 0.0,
        }
        for name in _FIELDS:
            getattr(self, name).append(float(values[name]))
        return self.slot[contingent.code]

    def by_side(self, values: list[float]) -> tuple[float, float]:
        """(challenger's sum, target's sum) of per-slot values, summed in slot order."""
        challenger = target = 0.0
        for value, on_challenger in zip(values, self.challenger, strict=True):
            if on_challenger:
                challenger += value
            else:
                target += value
        return challenger, target

    def weighted(self, name: str) -> list[float]:
        """A field times each slot's weight (a gradual joiner counts with its weight)."""
        values = getattr(self, name)
        return [value * weight for value, weight in zip(values, self.weight, strict=True)]

    def reinforce(self, days: float) -> None:
        """Move what arrives over ``days`` from the pools into the theatre."""
        for slot, (pool, tau) in enumerate(zip(self.pool, self.tau, strict=True)):
            arriving = pool * -math.expm1(-days / tau)
            self.pool[slot] = pool - arriving
            self.in_theatre[slot] += arriving
            self.sent[slot] += arriving

    def base_power(self, days: float, sanctions_effect: float, everything: bool = False):
        """(challenger, target) Σ troops × quality × weight × what sanctions leave; with
        ``everything``, as if every committed force had arrived."""
        if everything:
            troops = [here + pool for here, pool in zip(self.in_theatre, self.pool, strict=True)]
        else:
            troops = self.in_theatre
        values = [t * q * w for t, q, w in zip(troops, self.quality, self.weight, strict=True)]
        if sanctions_effect > 0 and self.any_cut:
            values = [
                value
                * (1.0 - min(MAX_SANCTIONS_DRAIN, sanctions_effect * cut * days / DAYS_PER_YEAR))
                for value, cut in zip(values, self.cut, strict=True)
            ]
        return self.by_side(values)

    def attrit(
        self, challenger_share: float, target_share: float, days: float, replaced: float = 0.0
    ) -> None:
        """Each side loses its daily share of its forces in the theatre over ``days``; the share
        ``replaced`` of the losses joins the pool, to arrive as reinforcements do."""
        challenger_lost = -math.expm1(-challenger_share * days)
        target_lost = -math.expm1(-target_share * days)
        for slot, here in enumerate(self.in_theatre):
            lost = here * (challenger_lost if self.challenger[slot] else target_lost)
            self.in_theatre[slot] = here - lost
            self.lost[slot] += lost
            if replaced > 0.0:
                self.pool[slot] += replaced * lost

    @property
    def any_cut(self) -> bool:
        return any(self.cut)

    def tally(self) -> dict[str, tuple[float, ...]]:
        """Side -> (sent, lost, in the theatre, still to come, manpower), weighted; each summed
        in slot order, as :meth:`by_side` does."""
        sums = [0.0] * 10  # challenger's five, then the target's
        for slot, weight in enumerate(self.weight):
            base = 0 if self.challenger[slot] else 5
            sums[base] += self.sent[slot] * weight
            sums[base + 1] += self.lost[slot] * weight
            sums[base + 2] += self.in_theatre[slot] * weight
            sums[base + 3] += self.pool[slot] * weight
            sums[base + 4] += self.manpower[slot] * weight
        return {"challenger": tuple(sums[:5]), "target": tuple(sums[5:])}
