"""A war's expected course, before it starts: :meth:`WarProjecting.project`.

Moved out of :mod:`brink.sim.war` (whose :class:`~brink.sim.war.War` inherits it) so that module
stays one day of a real war. The projection fights the same war deterministically and in
expectation, for one coalition of joiners who enter as would-be joiners do; battle luck is left
out, and the chance of a settlement on each day is carried as probability mass.
:mod:`brink.sim.war_outlook` averages it over sampled coalitions, so states value the war they
would actually start (docs/war.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from brink.sim import support, war_termination
from brink.sim.dispute import CHALLENGER, TARGET, other

if TYPE_CHECKING:
    from brink.sim.theatre import Theatre

SIDES = (CHALLENGER, TARGET)
#: A projection's stride grows to this share of the days already projected: a long war's later
#: months are projected in longer steps (the exact exponentials of arrival, attrition and
#: settlement take any step), so a projection over three years costs about thirty steps, not
#: two hundred.
STRIDE_GROWTH = 1.0 / 6.0

#: The resolution at which a projection reads the viewer's belief about its opponent's resolve
#: (on the 0–1 resolve scale): a side does not plan a war on the third decimal of a belief.
BELIEF_STEP = 0.02


def believed_resolve(model, dispute, view: str) -> float:
    """The resolve ``view`` (a side) expects of its opponent in a war: its belief's mean, read at
    ``BELIEF_STEP`` (so that a projection, and its cache key, change only when it moves a step)."""
    viewer = model.states[dispute.decider(view)]
    belief = viewer.belief_about(dispute.decider(other(view)))
    return round(belief.mean / BELIEF_STEP) * BELIEF_STEP


@dataclass
class WarProjection:
    """What a war is expected to bring, from one point of view (all in expectation)."""

    share: float  # share of the demand the challenger ends up with
    days: float  # duration (capped at the projection's horizon)
    casualties: dict[str, float]  # thousands lost per side
    cost_weight: dict[str, float]  # Σ days × (floor + opponent's power share) × scale/100
    still_running: float  # probability mass of a war still going at the horizon


class WarProjecting:
    """The projection half of :class:`brink.sim.war.War` (a mixin: it uses the war's forces,
    fighting and bargaining)."""

    if TYPE_CHECKING:
        # what the projection uses of the war (sim/war.py declares and makes them)
        theatre_forces: Theatre
        tripwire_side: dict[str, str]
        candidates: dict[str, tuple[float, float]]
        control: float
        days: float
        last_log_ratio: float
        _weights_version: int

        def add(self, model, code: str, side: str, weight: float) -> None: ...

        def changed(self) -> None: ...

        def fight(self, model, days: float, luck: float = 0.0) -> None: ...

        def casualties(self, side: str | None = None) -> float: ...

        def offer_range(self, model) -> tuple[float, float] | None: ...

        def _decisive_end(self, model) -> tuple[str, float] | None: ...

    def project(
        self, model, horizon_days: float, joiners: dict[str, str], stride: float = 3.0
    ) -> WarProjection:
        """Deterministic, expected course of this war up to ``horizon_days`` if exactly the third
        states in ``joiners`` (code -> side) join.

        Joiners enter as their would-be joining does over time (at once for a tripwire); the
        chance of a settlement each day is carried as probability mass; battle luck averages
        out. :mod:`brink.sim.war_outlook` averages this over sampled coalitions.
        """
        params = model.params
        window = params.join_window_days
        forces = self.theatre_forces
        gradual = []
        for code, side in sorted(joiners.items()):
            self.add(model, code, side, weight=0.0)
            gradual.append((forces.slot[code], self.tripwire_side.get(code) == side))
        self.candidates = {}
        alive = 1.0
        share = days = 0.0
        cost_weight = dict.fromkeys(SIDES, 0.0)
        log_no_offer = math.log1p(-min(params.offer_rate, 1 - 1e-12))
        first_stride = stride
        while self.days < horizon_days and alive > 1e-4:
            # Later days are projected in longer strides: a war's first weeks decide most of
            # what it brings, and a long war's later months change slowly (see STRIDE_GROWTH).
            stride = max(first_stride, min(STRIDE_GROWTH * self.days, horizon_days - self.days))
            offer_chance = -math.expm1(stride * log_no_offer)
            if joiners:
                entered = support.entered_by(self.days + stride, window)
                for slot, tripwire in gradual:
                    forces.weight[slot] = 1.0 if tripwire else entered
                self._weights_version += 1
                self.changed()
            self.fight(model, stride)
            share_c = 1.0 / (1.0 + math.exp(-self.last_log_ratio))
            for side, opponent_share in ((CHALLENGER, 1.0 - share_c), (TARGET, share_c)):
                cost_weight[side] += (
                    alive
                    * stride
                    * params.war_cost_scale
                    / 100.0
                    * (war_termination.OPPONENT_FLOOR + opponent_share)
                )
            ended = self._decisive_end(model)
            if ended is not None:
                share += alive * ended[1]
                days += alive * self.days
                alive = 0.0
                break
            bargain = self.offer_range(model)
            if bargain is not None:
                settled = alive * offer_chance
                share += settled * (bargain[0] + bargain[1]) / 2.0
                days += settled * self.days
                alive -= settled
        share += alive * self.control
        days += alive * self.days
        return WarProjection(
            share=share,
            days=days,
            casualties={side: self.casualties(side) for side in SIDES},
            cost_weight=cost_weight,
            still_running=alive,
        )
