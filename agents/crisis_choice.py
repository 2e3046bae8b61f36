"""How the ``quantal`` rule (:mod:`brink.agents.quantal_rule`) values a party's options
(docs/model.md §4.4). The world's facts it reads — war values, hazards, running costs — are in
:mod:`brink.sim.standoff`.

Utilities are in units of the issue. Settling at share s for the challenger is worth v_C·s to it
and v_T·(1 − s) to the target; the status quo is s = 0. A war decides the contested share X (the
demand as first made): it is worth W = p·X·v_C − c − S to the challenger and (1 − p·X)·v_T − c − S
to the target — docs/model.md's p·v − c when the whole issue is at stake (X = 1) — with c the war
cost (grows with the opponent's power, falls with resolve, jumps when both principals are nuclear)
and S the expected cost of sanctions threatened against a use of force.

A standoff at level ℓ carries a risk of war over the planning horizon H,
q(ℓ) = 1 − (1 − h(ℓ))^H, with daily hazard h = 0 up to a threat, the display hazard at a display
of force and the spiral hazard at a use of force (Schelling 1960, ch. 8: the threat that leaves
something to chance), and costs the running cost of one's own level above a threat. Each side
values standing at a rung ℓ' of the escalation ladder (Kahn 1965) as

    V(ℓ') = π(ℓ) · G + (1 − π(ℓ)) · [q(ℓ) · W + (1 − q(ℓ)) · SQ − H · cost(ℓ')],  ℓ = max(ℓ', ℓ_opp)

where G is what it gets when the opponent gives in, SQ what it gets in a stalemate, and π(ℓ) its
belief that the opponent prefers giving in to standing firm at ℓ. That belief comes from its Beta
belief over the opponent's resolve: the opponent gives in iff its resolve is below the threshold
at which its war cost makes standing firm worse than yielding (the logic of Fearon 1995 applied
to resolve rather than to cost). Escalating one level is valued at the best rung it opens
(levels move one step at a time, §4.4), so a state can climb toward a use of force it values.

Options — challenger: press, escalate, accept an open offer, back down; target: resist,
counter-escalate, offer a compromise, concede.
"""

from __future__ import annotations

from brink.agents.beliefs import ResolveBelief
from brink.sim import standoff
from brink.sim.decisions import CHALLENGER_OPTIONS, TARGET_OPTIONS
from brink.sim.dispute import CHALLENGER, TARGET, Dispute, other
from brink.sim.hostility import Hostility
from brink.sim.options import Option
from brink.sim.standoff import (
    FLAT_SLOPE,
    WarCost,
    running_cost,
    war_cost_function,
    war_risk,
)

__all__ = ["CHALLENGER_OPTIONS", "TARGET_OPTIONS", "Outlook"]


class Outlook:
    """Everything one side of a dispute weighs this step, from its own point of view."""

    def __init__(self, model, dispute: Dispute, side: str):
        self.model = model
        self.dispute = dispute
        self.side = side
        self.opponent_side = other(side)
        self.me = model.states[dispute.decider(side)]
        self.opponent = model.states[dispute.decider(self.opponent_side)]
        self.belief: ResolveBelief = self.me.belief_about(self.opponent.code)

    # -- values of the outcomes, for either side --
    def stakes(self, side: str) -> float:
        return self.dispute.stakes(side)

    def status_quo(self, side: str) -> float:
        return 0.0 if side == CHALLENGER else self.stakes(TARGET)

    def gain_if_opponent_yields(self, side: str) -> float:
        if side == CHALLENGER:
            return self.stakes(CHALLENGER) * self.dispute.demand
        return self.stakes(TARGET)

    def audience_cost(self, side: str) -> float:
        """Cost of backing down after public commitments (Fearon 1994)."""
        return standoff.audience_cost(self.model, self.dispute, side)

    def yield_value(self, side: str) -> float:
        """What giving in is worth: backing down (or the open offer) / conceding the demand."""
        if side == CHALLENGER:
            value = -self.audience_cost(CHALLENGER)
            if self.dispute.offer is not None:
                value = max(value, self.accept_offer_value())
            return value
        return self.stakes(TARGET) * (1.0 - self.dispute.demand) - self.audience_cost(TARGET)

    def accept_offer_value(self, share: float | None = None) -> float:
        """Challenger's value of settling at ``share``: partial audience cost for the shortfall."""
        share = self.dispute.offer if share is None else share
        if share is None:
            raise ValueError(f"dispute {self.dispute.id}: no offer is open to value")
        demand = max(self.dispute.demand, 1e-9)
        shortfall = max(0.0, 1.0 - share / demand)
        return self.stakes(CHALLENGER) * share - self.audience_cost(CHALLENGER) * shortfall

    def threatened_sanctions(self, side: str) -> float:
        """Expected cost of sanctions threatened against this side's use of force."""
        return standoff.threatened_sanctions(self.model, self.dispute, side)

    def imposed_sanctions_cost(self, side: str) -> float:
        """Cost over the planning horizon of sanctions now in force on this side's decider."""
        return self.model.sanctions_burden(self.dispute.decider(side))

    def war_share(self) -> float:
        """p: the share of the contested issue this side expects a war to give the challenger."""
        return standoff.war_share(self.model, self.dispute, self.side)

    def war_value(self, side: str, resolve: float) -> float:
        """W, as this side sees the war (:func:`brink.sim.standoff.war_value`)."""
        return standoff.war_value(self.model, self.dispute, side, resolve, self.side)

    def continuation(self, side: str, own_level: int, level: int, resolve: float) -> float:
        """Value of a standoff that neither side gives up, over the planning horizon."""
        risk = war_risk(self.model, level)
        return (
            risk * self.war_value(side, resolve)
            + (1.0 - risk) * self.status_quo(side)
            - running_cost(self.model, own_level)
            - self.imposed_sanctions_cost(side)
        )

    def _firm_parts(self, side: str, level: int) -> tuple[float, float, WarCost]:
        """(F, q, c): ``side``'s continuation with the resolve-dependent war cost taken out, so
        that continuation(r) = F − q · slope · (ceiling − r)."""
        cost = war_cost_function(self.model, self.dispute, side, self.side)
        own_level = self.dispute.level[side]
        firm = self.continuation(side, own_level, level, cost.ceiling)
        return firm, war_risk(self.model, level), cost

    def naive_yield_probability(
        self, observer_side: str, level: int, yield_value: float | None = None
    ) -> float:
        """The observer's belief that the other side gives in at ``level``, if the other side
        expected the observer never to give in: it gives in iff Y ≥ continuation(r), i.e. iff
        its resolve is below a threshold r*; the belief is the observer's Beta CDF at r*."""
        subject = other(observer_side)
        belief = self.model.states[self.dispute.decider(observer_side)].belief_about(
            self.dispute.decider(subject)
        )
        if yield_value is None:
            yield_value = self.yield_value(subject)
        firm, risk, cost = self._firm_parts(subject, level)
        weight = risk * cost.slope
        if weight <= FLAT_SLOPE:
            return 1.0 if yield_value >= firm else 0.0
        return belief.cdf(cost.ceiling - (firm - yield_value) / weight)

    def yield_probability(self, level: int, yield_value: float | None = None) -> float:
        """π(ℓ): my belief that the opponent prefers giving in to standing firm at ``level``.

        One level of strategic reasoning (a level-k view; Stahl & Wilson 1995): the opponent
        stands firm if π'·G + (1 − π')·continuation(r) beats giving in, where π' is what it
        believes of *my* giving in (its naive belief, from its Beta belief over my resolve —
        beliefs move only on public acts, so each side can read the other's). Without this a
        game of chicken between two nuclear powers has each side expecting the other to yield.
        """
        side = self.opponent_side
        if yield_value is None:
            yield_value = self.yield_value(side)
        i_give_in = self.naive_yield_probability(side, level)
        firm, risk, cost = self._firm_parts(side, level)
        gain = self.gain_if_opponent_yields(side)
        stand_firm_at_top = i_give_in * gain + (1.0 - i_give_in) * firm
        weight = (1.0 - i_give_in) * risk * cost.slope
        if weight <= FLAT_SLOPE:
            return 1.0 if yield_value >= stand_firm_at_top else 0.0
        return self.belief.cdf(cost.ceiling - (stand_firm_at_top - yield_value) / weight)

    def rung_value(self, own_level: int) -> float:
        """V(ℓ'): value of standing at ``own_level`` on the ladder (see module docstring)."""
        if own_level >= Hostility.WAR:
            return self.war_value(self.side, self.me.resolve)
        level = max(own_level, self.dispute.level[self.opponent_side])
        if level >= Hostility.WAR:
            return self.war_value(self.side, self.me.resolve)
        opponent_yields = self.yield_probability(level)
        firm = self.continuation(self.side, own_level, level, self.me.resolve)
        value = (
            opponent_yields * self.gain_if_opponent_yields(self.side)
            + (1.0 - opponent_yields) * firm
        )
        if own_level >= Hostility.USE_OF_FORCE:
            value -= self.threatened_sanctions(self.side)
        return value

    def option_utilities(self) -> dict[str, float]:
        """Expected utility of each option open to this side now."""
        own = self.dispute.level[self.side]
        hold = self.rung_value(own)
        escalate = None
        if own < Hostility.WAR:
            escalate = max(self.rung_value(rung) for rung in range(own + 1, Hostility.WAR + 1))
            # Holding keeps the option of climbing later (Kahn 1965: the ladder can be climbed
            # at any time), worth a share δ of the best higher rung.
            hold = max(hold, self.model.params.option_value * escalate)

        utilities: dict[str, float] = {}
        if self.side == CHALLENGER:
            utilities[Option.PRESS] = hold
            if escalate is not None:
                utilities[Option.ESCALATE] = escalate
            if self.dispute.offer is not None:
                utilities[Option.ACCEPT_OFFER] = self.accept_offer_value()
            utilities[Option.BACK_DOWN] = -self.audience_cost(CHALLENGER)
        else:
            utilities[Option.RESIST] = hold
            if escalate is not None:
                utilities[Option.COUNTER_ESCALATE] = escalate
            if self.dispute.offer is None:
                utilities[Option.OFFER_COMPROMISE] = self.offer_value(hold)
            utilities[Option.CONCEDE] = self.yield_value(TARGET)
        return utilities

    def compromise_share(self) -> float:
        return self.model.params.offer_share * self.dispute.demand

    def offer_value(self, hold: float) -> float:
        """Target's value of offering a compromise: accepted with the believed probability that
        the challenger prefers it to standing firm."""
        share = self.compromise_share()
        level = self.dispute.standoff_level
        accepts = self.yield_probability(level, yield_value=self.accept_offer_value(share))
        return accepts * self.stakes(TARGET) * (1.0 - share) + (1.0 - accepts) * hold
