"""What a standoff costs and risks, and what a war is worth: the world's facts every decision rule
reads (docs/model.md §4.4).

These are facts of the situation, not of how a state decides, so they live in ``sim/`` and every
rule in ``agents/`` (and the ultimatum of :mod:`brink.sim.dispute_moves`) uses the same ones.
Utilities are in units of the issue. A war decides the contested share X (the demand's size): it
is worth W = p·X·v_C − c − S to the challenger and (1 − p·X)·v_T − c − S to the target, with c the
war cost (grows with the opponent's power, falls with resolve, jumps when both principals are
nuclear) and S the expected cost of sanctions threatened against a use of force.

A standoff at level ℓ carries a daily hazard of war h(ℓ): none up to a threat, the display hazard
at a display of force, the spiral hazard at a use of force (Schelling 1960, ch. 8: the threat
that leaves something to chance); holding one's own level above a threat costs the running cost.
"""

from __future__ import annotations

from dataclasses import dataclass

from brink.sim.dispute import CHALLENGER, TARGET, Dispute, other
from brink.sim.hostility import Hostility
from brink.sim.sanctions import severity_cost

#: War cost c(r) = scale · (OPPONENT_FLOOR + opponent's share of power) · (RESOLVE_CEILING − r):
#: a state of average resolve (0.5) facing an equal opponent pays 0.75 × scale.
OPPONENT_FLOOR = 0.25
RESOLVE_CEILING = 1.5
#: Below this, a war cost is treated as not depending on resolve at all (dividing by it would
#: overflow): a difference of 1e-12 issue units changes no decision.
FLAT_SLOPE = 1e-12


@dataclass(frozen=True)
class WarCost:
    """c(r) = slope · (ceiling − r) + fixed: a state's war cost as a function of its resolve."""

    slope: float
    ceiling: float
    fixed: float

    def at(self, resolve: float) -> float:
        return max(0.0, self.slope * (self.ceiling - resolve) + self.fixed)


def war_cost_function(model, dispute: Dispute, side: str, viewer: str | None = None) -> WarCost:
    """The war cost of ``side``'s decider in ``dispute``, as a function of its resolve, as
    ``viewer`` (default: the side itself) sees it.

    From the war model (:mod:`brink.sim.war_outlook`): the projected days of fighting, weighted
    by the opponent's strength, times ``war_cost_scale`` per 100 days and the state's risk
    factor, falling with resolve; plus the risk of a war between nuclear-armed coalitions.

    Fearon mode: ``challenger_cost`` fixes c_A; ``target_cost_max`` makes c_T = c̄ · (1 − r),
    which is uniform on [0, c̄] when resolve is uniform; with ``win_probability`` fixed the
    cost is docs/model.md's first form, scale · (floor + opponent's share of power) · (ceiling − r).
    """
    params = model.params
    if side == CHALLENGER and params.challenger_cost is not None:
        return WarCost(0.0, 0.0, params.challenger_cost)
    if side == TARGET and params.target_cost_max is not None:
        return WarCost(params.target_cost_max, 1.0, 0.0)
    cost = _war_cost(model, dispute, side, viewer)
    factor = democratic_factor(model, dispute, side)
    if factor == 1.0:
        return cost
    return WarCost(cost.slope * factor, cost.ceiling, cost.fixed * factor)


def democratic_factor(model, dispute: Dispute, side: str) -> float:
    """(1 + d)^(democracies among this side's decider and its opponent): a democracy's leaders
    answer for a costly war, so they count its costs higher (Bueno de Mesquita, Morrow, Siverson
    & Smith 1999, "An institutional explanation of the democratic peace"), and a democracy
    fights harder once in war, so fighting one costs more (Reiter & Stam 2002, *Democracies at
    War*). Two democracies each see a war with the other as the costliest of all: the dyadic
    democratic peace (Russett & Oneal 2001)."""
    weight = model.params.democratic_war_cost
    if weight <= 0:
        return 1.0
    democracies = sum(
        model.states[dispute.decider(which)].regime == "democracy" for which in (side, other(side))
    )
    return (1.0 + weight) ** democracies


def _war_cost(model, dispute: Dispute, side: str, viewer: str | None) -> WarCost:
    params = model.params
    if side == CHALLENGER and params.challenger_cost is not None:
        return WarCost(0.0, 0.0, params.challenger_cost)
    if side == TARGET and params.target_cost_max is not None:
        return WarCost(params.target_cost_max, 1.0, 0.0)
    decider = model.states[dispute.decider(side)]
    if params.win_probability is not None or not dispute.war_views:
        p_side = dispute.win_probability if side == CHALLENGER else 1.0 - dispute.win_probability
        slope = params.war_cost_scale * (OPPONENT_FLOOR + 1.0 - p_side) * decider.risk_factor()
        both_nuclear = all(
            any(model.states[s].nuclear for s in dispute.principals(which))
            for which in (CHALLENGER, TARGET)
        )
        return WarCost(slope, RESOLVE_CEILING, params.nuclear_war_cost if both_nuclear else 0.0)
    view = dispute.war_views[viewer or side]
    slope = view.cost_weight[side] * decider.risk_factor()
    return WarCost(slope, RESOLVE_CEILING, dispute.nuclear_risk[side])


def daily_hazard(model, level: int) -> float:
    """Chance per day that a standoff at ``level`` becomes war without a decision."""
    if level >= Hostility.WAR:
        return 1.0
    if level == Hostility.USE_OF_FORCE:
        return model.params.spiral_hazard
    if level == Hostility.DISPLAY:
        return model.params.display_hazard
    return 0.0


def war_risk(model, level: int) -> float:
    """q(ℓ): chance of war over the planning horizon at a standoff level."""
    return 1.0 - (1.0 - daily_hazard(model, level)) ** model.params.planning_days


def running_cost(model, level: int) -> float:
    """Cost over the planning horizon of holding one's own level (nothing up to a threat)."""
    above_threat = max(0, level - Hostility.THREAT)
    return model.params.escalation_cost * above_threat * model.params.planning_days


def audience_cost(model, dispute: Dispute, side: str) -> float:
    """Cost of backing down after public commitments (Fearon 1994; Weeks 2008 by regime)."""
    state = model.states[dispute.decider(side)]
    commitments = state.commitments.get(dispute.id, 0)
    return model.params.audience_cost(state.regime) * commitments


def threatened_sanctions(model, dispute: Dispute, side: str) -> float:
    """Expected cost of sanctions threatened against this side's use of force."""
    decider = dispute.decider(side)
    territory = set(dispute.territory(other(side))) | {dispute.theatre}
    total = 0.0
    for sanction in model.sanctions.values():
        spec = sanction.spec
        if (
            sanction.status == "threatened"
            and spec.trigger_actor == decider
            and spec.trigger_against in territory
        ):
            total += model.params.threat_credibility * severity_cost(
                model, decider, spec.senders, spec.severity
            )
    return total


def war_share(model, dispute: Dispute, viewer: str) -> float:
    """p: the share of the contested issue ``viewer``'s side expects a war to give the challenger
    (the war model's projection from its point of view; fixed in Fearon mode)."""
    if model.params.win_probability is not None or not dispute.war_views:
        return dispute.win_probability
    return dispute.war_views[viewer].share


def war_value(model, dispute: Dispute, side: str, resolve: float, viewer: str) -> float:
    """W: a war decides the contested share X (the dispute's demand size), of which the
    challenger expects to end up with p — minus the war cost and threatened sanctions. With
    X = 1 (the whole issue) this is docs/model.md's p·v_C − c_C and (1 − p)·v_T − c_T
    (Fearon 1995), with p what the war is expected to bring, not a chance of winning."""
    p = war_share(model, dispute, viewer)
    disputed = dispute.spec.size
    prize = p * disputed if side == CHALLENGER else 1.0 - p * disputed
    cost = war_cost_function(model, dispute, side, viewer).at(resolve)
    return prize * dispute.stakes(side) - cost - threatened_sanctions(model, dispute, side)
