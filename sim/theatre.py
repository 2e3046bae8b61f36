"""The belligerents' forces in one war's theatre, held as arrays (one slot per state).

A war is fought and projected day by day many times over — decisions project the war they would
start, for each side and for several coalitions of joiners — so the per-day arithmetic is done
on numpy arrays rather than state by state. The rules themselves are those of
:mod:`brink.sim.forces` (arrival) and :mod:`brink.sim.combat` (losses); this class only holds the
numbers.
"""

from __future__ import annotations

import numpy as np

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
    "capability",  # CINC share (for aid's absorption)
    "cut",  # share of GDP that sanctions in force cut
)


class Theatre:
    """Arrays over the belligerents of one war; ``challenger`` marks the challenger's side."""

    def __init__(self) -> None:
        self.codes: list[str] = []
        self.slot: dict[str, int] = {}
        self.challenger = np.zeros(0, dtype=bool)
        for name in _FIELDS:
            setattr(self, name, np.zeros(0))
        self._sides = np.zeros((0, 2))  # columns: on the challenger's side, on the target's

    def __contains__(self, code: str) -> bool:
        return code in self.slot

    def __len__(self) -> int:
        return len(self.codes)

    def add(self, contingent: Contingent, weight: float, capability: float) -> int:
        """Append a contingent; return its slot."""
        self.slot[contingent.code] = len(self.codes)
        self.codes.append(contingent.code)
        self.challenger = np.append(self.challenger, contingent.side == "challenger")
        values = {
            "in_theatre": contingent.in_theatre,
            "pool": contingent.pool,
            "tau": contingent.arrival_days,
            "quality": contingent.quality,
            "weight": weight,
            "sent": contingent.sent,
            "lost": contingent.lost,
            "capability": capability,
            "cut": 0.0,
        }
        for name in _FIELDS:
            setattr(self, name, np.append(getattr(self, name), values[name]))
        on_challenger = self.challenger.astype(float)
        self._sides = np.column_stack([on_challenger, 1.0 - on_challenger])
        return self.slot[contingent.code]

    def by_side(self, values: np.ndarray) -> tuple[float, float]:
        """(challenger's sum, target's sum) of per-slot values."""
        challenger, target = (values @ self._sides).tolist()
        return challenger, target

    def reinforce(self, days: float) -> None:
        """Move what arrives over ``days`` from the pools into the theatre."""
        arriving = self.pool * -np.expm1(-days / self.tau)
        self.pool = self.pool - arriving
        self.in_theatre = self.in_theatre + arriving
        self.sent = self.sent + arriving

    def base_power(self, days: float, sanctions_effect: float, everything: bool = False):
        """(challenger, target) Σ troops × quality × weight × what sanctions leave; with
        ``everything``, as if every committed force had arrived."""
        troops = self.in_theatre + self.pool if everything else self.in_theatre
        values = troops * self.quality * self.weight
        if sanctions_effect > 0 and self.any_cut:
            drain = np.minimum(
                MAX_SANCTIONS_DRAIN, sanctions_effect * self.cut * days / DAYS_PER_YEAR
            )
            values = values * (1.0 - drain)
        return self.by_side(values)

    def attrit(self, challenger_share: float, target_share: float, days: float) -> None:
        """Each side loses its daily share of its forces in the theatre over ``days``."""
        shares = np.where(self.challenger, challenger_share, target_share)
        lost = self.in_theatre * -np.expm1(-shares * days)
        self.in_theatre = self.in_theatre - lost
        self.lost = self.lost + lost

    @property
    def any_cut(self) -> bool:
        return bool(self.cut.any())

    def tally(self) -> dict[str, tuple[float, ...]]:
        """Side -> (sent, lost, in the theatre, still to come), weighted."""
        rows = np.array((self.sent, self.lost, self.in_theatre, self.pool)) * self.weight
        sums = (rows @ self._sides).T.tolist()
        return {"challenger": tuple(sums[0]), "target": tuple(sums[1])}
