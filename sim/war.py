"""War between two coalitions, day by day (MODEL.md §6).

When war starts, every third state draws against its probability of joining each side
(§4.2); each join or stay-out is an event. The coalitions' effective forces in the theatre then
wear each other down by Lanchester's (1916) square law, dA/dt = −β·B, dB/dt = −α·A, solved
exactly over each step (:func:`brink.sim.lanchester.square_law`). A side's fighting quality is
its power per soldier relative to the average of both sides, so a side with more capability per
soldier kills more efficiently. A side breaks when its losses pass its break point, which grows
with its principal's resolve; the other side then wins. Each day the sides may also negotiate a
settlement at the share the current balance of forces supports (a compromise). A war still going
at the horizon is a stalemate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from brink.sim.dispute import CHALLENGER, TARGET, Dispute
from brink.sim.lanchester import square_law
from brink.sim.power import projected_capability, projected_force

MAX_BREAK_POINT = 0.95


@dataclass
class War:
    dispute: Dispute
    start_step: int
    members: dict[str, list[str]] = field(default_factory=dict)  # side -> states fighting
    initial: dict[str, float] = field(default_factory=dict)  # side -> thousands of troops
    forces: dict[str, float] = field(default_factory=dict)
    effectiveness: dict[str, float] = field(default_factory=dict)
    break_point: dict[str, float] = field(default_factory=dict)
    stayed_out: list[str] = field(default_factory=list)

    @property
    def casualties(self) -> float:
        return sum(self.initial[s] - self.forces[s] for s in (CHALLENGER, TARGET))

    def losses(self, side: str) -> float:
        return (self.initial[side] - self.forces[side]) / max(self.initial[side], 1e-9)

    def force_share(self) -> float:
        """The challenger's share of the fighting strength now: the share a settlement gets it."""
        a = self.forces[CHALLENGER] * self.effectiveness[CHALLENGER]
        b = self.forces[TARGET] * self.effectiveness[TARGET]
        return a / (a + b) if a + b > 0 else 0.5


def start_war(model, dispute: Dispute) -> War:
    """Form the coalitions (third states draw against P(join)) and their forces in theatre."""
    war = War(dispute=dispute, start_step=model.steps_done)
    members = {
        CHALLENGER: list(dispute.principals(CHALLENGER)),
        TARGET: list(dispute.principals(TARGET)),
    }
    for code in sorted(dispute.join_probabilities):
        p_challenger, p_target = dispute.join_probabilities[code]
        draw = model.rng.random()
        if draw < p_target:
            members[TARGET].append(code)
            model.log_event(
                code,
                "join_war",
                dispute.decider(TARGET),
                dispute.id,
                5,
                detail=f"joins {dispute.decider(TARGET)} (P = {p_target:.2f})",
            )
        elif draw < p_target + p_challenger:
            members[CHALLENGER].append(code)
            model.log_event(
                code,
                "join_war",
                dispute.challenger,
                dispute.id,
                5,
                detail=f"joins {dispute.challenger} (P = {p_challenger:.2f})",
            )
        else:
            war.stayed_out.append(code)
            model.log_event(
                code,
                "stay_out",
                None,
                dispute.id,
                None,
                detail=f"stays out (P = {p_challenger + p_target:.2f})",
            )
    war.members = members
    power = {}
    for side in (CHALLENGER, TARGET):
        war.initial[side] = sum(projected_force(model, k, dispute.theatre) for k in members[side])
        war.forces[side] = war.initial[side]
        power[side] = sum(projected_capability(model, k, dispute.theatre) for k in members[side])
    total_power = power[CHALLENGER] + power[TARGET]
    total_force = war.initial[CHALLENGER] + war.initial[TARGET]
    for side in (CHALLENGER, TARGET):
        per_soldier = power[side] / max(war.initial[side], 1e-9)
        average = total_power / max(total_force, 1e-9)
        quality = per_soldier / average if average > 0 else 1.0
        war.effectiveness[side] = model.params.lanchester_effectiveness * quality
        resolve = model.states[dispute.decider(side)].resolve
        war.break_point[side] = min(MAX_BREAK_POINT, model.params.break_point * (0.5 + resolve))
    dispute.side_challenger = set(members[CHALLENGER])
    dispute.side_target = set(members[TARGET])
    return war


def fight_one_step(model, war: War) -> str | None:
    """Attrition over one step; returns the outcome if the war ended, else None."""
    days = model.params.step_days
    war.forces[CHALLENGER], war.forces[TARGET] = square_law(
        war.forces[CHALLENGER],
        war.forces[TARGET],
        war.effectiveness[CHALLENGER],
        war.effectiveness[TARGET],
        days,
    )
    challenger_broke = war.losses(CHALLENGER) >= war.break_point[CHALLENGER]
    target_broke = war.losses(TARGET) >= war.break_point[TARGET]
    if challenger_broke and target_broke:
        # Both past their break point in the same step: the one further past it breaks.
        challenger_broke = (
            war.losses(CHALLENGER) - war.break_point[CHALLENGER]
            >= war.losses(TARGET) - war.break_point[TARGET]
        )
        target_broke = not challenger_broke
    if target_broke:
        return "victory_challenger"
    if challenger_broke:
        return "victory_target"
    settle_chance = 1.0 - (1.0 - model.params.settle_rate) ** days
    if model.rng.random() < settle_chance:
        return "compromise"
    return None
