"""What the parties of a dispute do in a step: signals, decisions, ultimatum, war's start and end.

Costly acts move every observer's belief (docs/model.md §5); each party reviews its course and
picks an option by quantal response (§4.4); an ultimatum comes at its deadline (Fearon 1995,
§4.5); a standoff may slide into war, and a war's end settles the dispute and tests the allies'
credibility (§6). :class:`DisputeMoves` holds these methods of
:class:`~brink.sim.model.CrisisModel`, which inherits them; they read and change the model's
state through ``self``.
"""

from __future__ import annotations

import numpy as np
from scipy.special import betainc

from brink.sim.bargaining import optimal_demand
from brink.sim.coalitions import join_probabilities
from brink.sim.decisions import ESCALATIONS, HOLD, YIELDS, Situation, ask, open_options
from brink.sim.dispute import CHALLENGER, TARGET, Dispute, other
from brink.sim.hostility import Hostility
from brink.sim.maths import chance_per_step
from brink.sim.model_parts import ModelParts
from brink.sim.options import Option
from brink.sim.outcomes import Outcome
from brink.sim.standoff import (
    FLAT_SLOPE,
    audience_cost,
    daily_hazard,
    running_cost,
    threatened_sanctions,
    war_cost_function,
    war_value,
)
from brink.sim.war import War

DEPLOYMENT_SIGNAL_TROOPS = 10.0  # thousands: a deployment this large signals like a mobilisation
STAY_OUT_LOGGED = 0.05  # a third state's staying out of a war is logged when it had this chance


class DisputeMoves(ModelParts):
    """The moves of the parties of each dispute in :class:`~brink.sim.model.CrisisModel`."""

    # ------------------------------------------------------------------ signals (§5)
    def _stakes_of(self, code: str) -> float:
        stakes = [
            d.stakes(CHALLENGER if d.challenger == code else TARGET)
            for d in self.disputes.values()
            if code in (d.challenger, d.target_leader)
        ]
        return max(stakes) if stakes else 1.0

    def _signal(self, actor: str, cost_over_stakes: float) -> None:
        if cost_over_stakes <= 0:
            return
        for observer in self.states.values():
            if observer.code != actor:
                observer.observe_signal(actor, cost_over_stakes, self.params.belief_learning_rate)

    def _signal_weakness(self, actor: str, backing_down: bool) -> None:
        for observer in self.states.values():
            if observer.code != actor:
                observer.observe_weakness(actor, backing_down, self.params.belief_learning_rate)

    def _signal_deployment(self, owner: str, troops: float) -> None:
        size = min(1.0, troops / DEPLOYMENT_SIGNAL_TROOPS)
        self._signal(owner, size * running_cost(self, 3) / self._stakes_of(owner))

    # ------------------------------------------------------------------ decisions (§4.4)
    def _decide(self, dispute: Dispute) -> None:
        """Each party's state asks its decision rule for today's choice (sim/decisions.py), the
        challenger first; a rule's answer is checked against the options open to it."""
        choices = {}
        for side in (CHALLENGER, TARGET):
            rule = self.states[dispute.decider(side)].rule
            situation = Situation(self, dispute, side, open_options(dispute, side), self.rng)
            choices[side] = ask(rule, situation)
        dispute.review_due = set()
        levels_before = dict(dispute.level)
        highest_before = dict(dispute.max_level)
        for side in (CHALLENGER, TARGET):
            if choices[side] != HOLD:
                self._apply_choice(dispute, side, choices[side], levels_before)
            if choices[side] in (*ESCALATIONS, Option.OFFER_COMPROMISE):
                dispute.review_due.add(other(side))
        challenger_yields = choices[CHALLENGER] in (Option.BACK_DOWN, Option.ACCEPT_OFFER)
        target_yields = choices[TARGET] == Option.CONCEDE
        if challenger_yields and target_yields:
            # Both give way on the same day. Concessions in a standoff are a war of attrition
            # in continuous time (Maynard Smith 1974; Fudenberg & Tirole 1986): two never fall
            # on the same instant, and the first ends the contest on its terms. A day hides
            # which came first, so each side is first with even chance. (Splitting the issue
            # instead made a compromise of every standoff both sides wanted out of, which the
            # MID data code as one side's yield: compromises are 8 % of pre-1990 MIDs.)
            if self.rng.random() < 0.5:
                target_yields = False
            else:
                challenger_yields = False
        if challenger_yields and choices[CHALLENGER] == Option.ACCEPT_OFFER:
            if dispute.offer is None:  # open_options opens accept_offer only to an open offer
                raise ValueError(f"dispute {dispute.id}: an offer accepted that was not made")
            self._settle(dispute, Outcome.COMPROMISE, dispute.offer)
        elif challenger_yields:
            self._settle(dispute, self._backing_down_outcome(dispute), 0.0)
        elif target_yields:
            self._settle(dispute, Outcome.YIELD_TARGET, dispute.demand)
        elif max(dispute.level.values()) >= Hostility.WAR:
            self._begin_war(dispute, detail="chose war")
        if dispute.status == "settled":
            # Settled the same day one side moved to war: no war was fought, so the highest
            # level stays below war (MID hostility level 5 means a war took place).
            for side in (CHALLENGER, TARGET):
                if dispute.level[side] >= Hostility.WAR:
                    dispute.level[side] = Hostility.USE_OF_FORCE
                    before = highest_before.get(side, Hostility.NONE)
                    dispute.max_level[side] = max(before, Hostility.USE_OF_FORCE)
        self._escalated_last_step = {
            (dispute.id, side)
            for side in (CHALLENGER, TARGET)
            if dispute.level[side] > levels_before[side]
        } | {key for key in self._escalated_last_step if key[0] != dispute.id}

    def _apply_choice(
        self, dispute: Dispute, side: str, choice: Option, levels_before: dict[str, int]
    ) -> None:
        actor = dispute.decider(side)
        opponent = dispute.decider(other(side))
        level = dispute.level[side]
        if choice in ESCALATIONS:
            new_level = min(Hostility.WAR, level + 1)
            dispute.set_level(side, new_level, self.steps_done)
            self.log_event(actor, choice, opponent, dispute.id, new_level)
            added_cost = running_cost(self, new_level) - running_cost(self, level)
            if new_level == Hostility.USE_OF_FORCE:
                added_cost += threatened_sanctions(self, dispute, side)
            self._signal(actor, added_cost / dispute.stakes(side))
        elif choice == Option.OFFER_COMPROMISE:
            dispute.offer = self.params.offer_share * dispute.demand
            self.log_event(actor, choice, opponent, dispute.id, level, dispute.offer)
            self._signal_weakness(actor, backing_down=False)
        elif choice in YIELDS:
            self.log_event(
                actor,
                choice,
                opponent,
                dispute.id,
                level,
                dispute.demand if choice == Option.CONCEDE else 0.0,
            )
            self._signal_weakness(actor, backing_down=True)
        elif choice == Option.ACCEPT_OFFER:
            self.log_event(actor, choice, opponent, dispute.id, level, dispute.offer)
        else:  # press / resist
            self.log_event(actor, choice, opponent, dispute.id, level)
            if (dispute.id, other(side)) in self._escalated_last_step:
                self._signal_weakness(actor, backing_down=False)

    def _backing_down_outcome(self, dispute: Dispute) -> Outcome:
        """How a challenger's backing down is coded, by the MID rules (Jones, Bremer & Singer
        1996): a yield is a visible capitulation. A challenger that drops its demand without
        having staked more than the demand itself on it — no hands-tying statement, no
        ultimatum — concedes nothing anyone can see: its demand lapses, the issue stays
        unresolved, and the dispute is a stalemate (57 % of pre-1990 MIDs end so, 59 % of those
        that reached a use of force; yields by side A are 3.6 %). One that displayed force
        *and* tied its hands beyond the demand, then stands down, has yielded."""
        challenger = self.states[dispute.challenger]
        staked = challenger.commitments.get(dispute.id, 0) - (1 if dispute.spec.public else 0)
        if dispute.spec.deadline is not None and dispute.spec.deadline <= self.steps_done:
            staked += 1
        if dispute.max_level[CHALLENGER] <= Hostility.THREAT or staked <= 0:
            return Outcome.STALEMATE
        return Outcome.YIELD_CHALLENGER

    def _settle(self, dispute: Dispute, outcome: Outcome, settlement: float) -> None:
        dispute.status = "settled"
        dispute.outcome = outcome
        dispute.settlement = settlement
        dispute.end_step = self.steps_done

    # ------------------------------------------------------------------ ultimatum (§4.5)
    def _ultimatum(self, dispute: Dispute) -> None:
        """Fearon (1995): the challenger makes the take-it-or-leave-it demand that maximises its
        expected utility given its belief over the target's war cost; the target accepts iff
        accepting is at least as good as fighting (a tie accepts)."""
        p = dispute.win_probability
        stakes_target = dispute.stakes(TARGET)
        target_cost = war_cost_function(self, dispute, TARGET)
        target_sanctions = threatened_sanctions(self, dispute, TARGET)
        audience_target = audience_cost(self, dispute, TARGET)

        contested = dispute.spec.size

        def resolve_threshold(demand):
            # Accept iff v_T(1 − x) − a_T ≥ (1 − p·X)v_T − c_T(r) − S_T, i.e. c_T(r) ≥ K(x);
            # with X = 1, Fearon's c_B ≥ x − p.
            needed = (
                (1 - p * contested) * stakes_target
                - target_sanctions
                - stakes_target * (1 - demand)
                + audience_target
            )
            if target_cost.slope <= FLAT_SLOPE:
                return np.where(target_cost.fixed >= needed, 2.0, -1.0)
            return target_cost.ceiling - (needed - target_cost.fixed) / target_cost.slope

        target_resolve = self.states[dispute.target_leader].resolve
        if dispute.spec.ultimatum.information == "complete":

            def acceptance(demand):
                return (target_resolve <= resolve_threshold(demand) + 1e-12).astype(float)
        else:
            belief = self.states[dispute.challenger].belief_about(dispute.target_leader)

            def acceptance(demand):
                return betainc(
                    belief.alpha, belief.beta, np.clip(resolve_threshold(demand), 0.0, 1.0)
                )

        challenger_war = war_value(
            self, dispute, CHALLENGER, self.states[dispute.challenger].resolve, CHALLENGER
        )
        demand, _ = optimal_demand(
            acceptance, dispute.stakes(CHALLENGER), challenger_war, largest=contested
        )
        dispute.demand = demand
        self.log_event(
            dispute.challenger,
            "ultimatum",
            dispute.target_leader,
            dispute.id,
            dispute.level[CHALLENGER],
            demand,
        )
        accepts = target_resolve <= float(resolve_threshold(np.array([demand]))[0]) + 1e-12
        if accepts:
            self.log_event(
                dispute.target_leader,
                "accept_ultimatum",
                dispute.challenger,
                dispute.id,
                dispute.level[TARGET],
                demand,
            )
            self._settle(dispute, Outcome.YIELD_TARGET, demand)
            return
        self.log_event(
            dispute.target_leader,
            "reject_ultimatum",
            dispute.challenger,
            dispute.id,
            dispute.level[TARGET],
            demand,
        )
        if challenger_war >= -audience_cost(self, dispute, CHALLENGER):
            self._begin_war(dispute, detail="ultimatum refused")
        else:
            self.log_event(
                dispute.challenger,
                Option.BACK_DOWN,
                dispute.target_leader,
                dispute.id,
                dispute.level[CHALLENGER],
                0.0,
            )
            self._settle(dispute, Outcome.YIELD_CHALLENGER, 0.0)

    # ------------------------------------------------------------------ war (§6)
    def _spiral(self, dispute: Dispute) -> None:
        """Schelling's threat that leaves something to chance: a standoff at a display or use of
        force may slide into war without anyone choosing it."""
        hazard = daily_hazard(self, dispute.standoff_level)
        if hazard <= 0:
            return
        if self.rng.random() < chance_per_step(hazard, self.params.step_days):
            self.log_event(
                dispute.challenger,
                "spiral",
                dispute.target_leader,
                dispute.id,
                Hostility.WAR,
                detail="the standoff slides into war",
            )
            self._begin_war(dispute, detail="spiral")

    def _lapse(self, dispute: Dispute) -> None:
        """An issue neither side has given up may lapse: governments turn to other business, a
        season or an election passes, and the dispute ends unresolved — the MID record's most
        common ending, stalemate (57 % of pre-1990 disputes; 63 % end with no settlement at
        all). A daily hazard ``lapse_rate``; none is drawn when it is 0."""
        rate = self.params.lapse_rate
        if rate <= 0 or not dispute.is_open():
            return
        if self.rng.random() < chance_per_step(rate, self.params.step_days):
            self.log_event(
                dispute.challenger,
                "lapse",
                dispute.target_leader,
                dispute.id,
                dispute.level[CHALLENGER],
                detail="the issue lapses unresolved",
            )
            self._settle(dispute, Outcome.STALEMATE, 0.0)

    def _begin_war(self, dispute: Dispute, detail: str) -> None:
        dispute.status = "war"
        dispute.ever_war = True
        for side in (CHALLENGER, TARGET):
            dispute.set_level(side, Hostility.WAR, self.steps_done)
        self.log_event(
            dispute.challenger,
            "war",
            dispute.target_leader,
            dispute.id,
            Hostility.WAR,
            detail=detail,
        )
        if not dispute.join_probabilities:
            dispute.join_probabilities = join_probabilities(self, dispute)
        war = War.begin(self, dispute)
        dispute.war = war
        members = war.members
        dispute.side_challenger = set(members[CHALLENGER])
        dispute.side_target = set(members[TARGET])

    def _end_war(self, dispute: Dispute, outcome: Outcome, share: float) -> None:
        war = dispute.war
        if war is None:
            raise ValueError(f"dispute {dispute.id} has no war to end")
        settlement = share * dispute.demand
        self.log_event(
            dispute.challenger,
            "settle" if war.end_reason == "settlement" else "break",
            dispute.target_leader,
            dispute.id,
            Hostility.WAR,
            settlement,
            detail=f"{outcome} after {war.days:.0f} days of war ({war.end_reason})",
        )
        self._settle(dispute, outcome, settlement)
        war.stayed_out = sorted(war.candidates)
        for code in war.stayed_out:
            p_challenger, p_target = dispute.join_probabilities.get(code, (0.0, 0.0))
            if max(p_challenger, p_target) >= STAY_OUT_LOGGED:
                self.log_event(
                    code,
                    "stay_out",
                    None,
                    dispute.id,
                    None,
                    detail=f"stayed out of the war (P join = {p_challenger + p_target:.2f})",
                )
        self._update_credibility(dispute, war)

    def _update_credibility(self, dispute: Dispute, war: War) -> None:
        """docs/model.md §6: an ally that joined when its partner was attacked gains credibility;
        one that stayed out loses more. Only defence commitments to the attacked side count."""
        attacked = set(dispute.principals(TARGET))
        joined = set(war.members[TARGET])
        for alliance in self.alliances.values():
            if alliance.kind != "defense" or not (attacked & alliance.members):
                continue
            for member in alliance.members - attacked:
                if member in joined:
                    alliance.record_conduct(member, True, self.params)
                elif member in war.stayed_out:
                    alliance.record_conduct(member, False, self.params)
