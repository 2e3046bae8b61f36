"""War as a process: forces arrive, fight, move the front, and the sides bargain as they fight.

This replaces the whole-force Lanchester war of docs/model.md §6 (see ``docs/war.md`` for the model
in words and its sources). A :class:`War` holds one contingent per belligerent
(:mod:`brink.sim.forces`), the share of the contested territory the challenger controls, and what
each side believes of the balance. Each day:

1. third states may join a side, and aid flows (:mod:`brink.sim.support`);
2. reinforcements arrive (:mod:`brink.sim.forces`);
3. the sides fight: losses and the movement of control (:mod:`brink.sim.combat`);
4. the war may end — by collapse, conquest or a settlement the sides both prefer to fighting on
   (:mod:`brink.sim.war_termination`); a war still going at the horizon is reported as such.

The same class projects a war that has not started, deterministically and in expectation
(:meth:`War.project`, in :mod:`brink.sim.war_projection`), for one coalition of joiners who
enter as would-be joiners do; battle luck is left out, and the chance of a settlement on each
day is carried as probability mass.
Decisions value war from that projection (:mod:`brink.sim.war_outlook`), so states weigh the war
they would actually start.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from brink.sim import combat, places, support, war_termination
from brink.sim.dispute import CHALLENGER, TARGET, Dispute, other
from brink.sim.forces import raise_contingent
from brink.sim.outcomes import Outcome
from brink.sim.theatre import Theatre
from brink.sim.war_projection import SIDES, WarProjecting, believed_resolve


@dataclass
class War(WarProjecting):
    dispute: Dispute
    start_step: int
    theatre: str
    home_side: str | None  # the side fighting on its own soil (defender's advantage), if any
    theatre_forces: Theatre = field(default_factory=Theatre)  # one slot per belligerent
    employment: dict[str, float] = field(default_factory=dict)  # side -> force employment
    optimism: dict[str, float] = field(default_factory=dict)  # side -> misperception now
    resolve: dict[str, float] = field(default_factory=dict)
    #: side -> share of its true break point a projection's viewer expects (1 in a real war)
    cohesion_seen: dict[str, float] = field(default_factory=dict)
    risk: dict[str, float] = field(default_factory=dict)
    capability: dict[str, float] = field(default_factory=dict)  # donors' capability, by code
    candidates: dict[str, tuple[float, float]] = field(default_factory=dict)  # code -> logits
    tripwire_side: dict[str, str] = field(default_factory=dict)  # code -> side its troops are on
    stayed_out: list[str] = field(default_factory=list)
    control: float = 0.0
    days: float = 0.0
    learned: float = 0.0  # what fighting has revealed of the balance (war_termination.learning)
    log_shift: float = 0.0  # a viewer's bias added to the true balance (projections only)
    last_log_ratio: float = 0.0
    aid_flows: dict[str, list[tuple[str, float, float]]] = field(default_factory=dict)
    sanctions_cut: dict[str, float] = field(default_factory=dict)  # code -> GDP share cut
    sanctions_seen: tuple = ()
    end_reason: str | None = None
    _aid_cache: dict = field(default_factory=dict)
    _power_memo: dict = field(default_factory=dict)  # side -> power, until forces change
    _average_per_soldier: float | None = None
    _aid_groups: dict = field(default_factory=dict)  # side -> [(start, amount)], from aid_flows
    _weights_version: int = 0  # bumped whenever who is in the war, or how much, changes

    # -------------------------------------------------------------- who is in it
    @property
    def members(self) -> dict[str, list[str]]:
        """Side -> states fighting on it (weight 1)."""
        result: dict[str, list[str]] = {CHALLENGER: [], TARGET: []}
        forces = self.theatre_forces
        for slot, code in enumerate(forces.codes):
            if forces.weight[slot] >= 1.0:
                result[CHALLENGER if forces.challenger[slot] else TARGET].append(code)
        return result

    def __contains__(self, code: str) -> bool:
        return code in self.theatre_forces

    def casualties(self, side: str | None = None) -> float:
        forces = self.theatre_forces
        both = forces.by_side(forces.weighted("lost"))
        return sum(both) if side is None else both[SIDES.index(side)]

    def forces(self, side: str) -> float:
        forces = self.theatre_forces
        return forces.by_side(forces.weighted("in_theatre"))[SIDES.index(side)]

    def _side_capability(self, side: str) -> float:
        both = self._power_memo.get("capability")
        if both is None:
            forces = self.theatre_forces
            both = self._power_memo["capability"] = forces.by_side(forces.weighted("capability"))
        return both[SIDES.index(side)]

    # -------------------------------------------------------------- combat power
    def changed(self) -> None:
        """Forces, weights or the day changed: combat power must be computed anew."""
        self._power_memo.clear()

    def powers(self, model, everything: bool = False) -> tuple[float, float]:
        """(challenger's, target's) combat power in the theatre (see :mod:`brink.sim.combat`);
        with ``everything``, as if every committed force had arrived."""
        key = "everything" if everything else "now"
        memo = self._power_memo.get(key)
        if memo is not None:
            return memo
        params = model.params
        base = self.theatre_forces.base_power(self.days, params.sanctions_war_effect, everything)
        employment = self.employment
        result = []
        for side, value in zip(SIDES, base, strict=True):
            value *= employment.get(side, 1.0)
            if side == self.home_side:
                value *= params.defender_advantage
            # a side that receives no aid has factor 1 (aid_factor would say so, more slowly)
            result.append(
                value * self.aid_factor(model, side) if self.aid_flows.get(side) else value
            )
        memo = self._power_memo[key] = (result[0], result[1])
        return memo

    def power(self, model, side: str) -> float:
        return self.powers(model)[SIDES.index(side)]

    def aid_factor(self, model, side: str) -> float:
        """Combat-power factor of the aid ``side`` receives today (cached for the day)."""
        key = (side, self.days, self._weights_version)
        cached = self._aid_cache.get(key)
        if cached is not None:
            return cached
        groups = self._aid_groups.get(side)
        if groups is None:
            by_start: dict[float, float] = {}
            for donor, level, start in self.aid_flows.get(side, ()):
                amount = level * self.capability_of(model, donor)
                by_start[start] = by_start.get(start, 0.0) + amount
            groups = self._aid_groups[side] = sorted(by_start.items())
        if not groups:
            factor = 1.0
        else:
            received = sum(
                amount * support.ramp(self.days - start, model.params) for start, amount in groups
            )
            factor = support.aid_multiplier(received, self._side_capability(side), model.params)
        if len(self._aid_cache) > 64:
            self._aid_cache.clear()
        self._aid_cache[key] = factor
        return factor

    def donors(self, model, side: str) -> list[tuple[str, float]]:
        """(donor, aid it delivers today) for each state whose aid to ``side`` has started, the
        largest first; the amount is capability-weighted, as :meth:`aid_factor` sums it."""
        delivered: dict[str, float] = {}
        for donor, level, start in self.aid_flows.get(side, ()):
            if start <= self.days:
                amount = level * self.capability_of(model, donor)
                amount *= support.ramp(self.days - start, model.params)
                delivered[donor] = delivered.get(donor, 0.0) + amount
        flowing = [(code, amount) for code, amount in delivered.items() if amount > 0]
        return sorted(flowing, key=lambda item: (-item[1], item[0]))

    def capability_of(self, model, code: str) -> float:
        if code not in self.capability:
            self.capability[code] = model.states[code].capability
        return self.capability[code]

    def future_log_ratio(self, model) -> float:
        """ln(power ratio) once every committed force has arrived (no further losses)."""
        challenger, target = self.powers(model, everything=True)
        return (
            math.log(max(challenger, combat.MIN_POWER) / max(target, combat.MIN_POWER))
            + self.log_shift
        )

    def log_ratio(self, model) -> float:
        challenger, target = self.powers(model)
        return (
            math.log(max(challenger, combat.MIN_POWER) / max(target, combat.MIN_POWER))
            + self.log_shift
        )

    # -------------------------------------------------------------- setting up
    @classmethod
    def begin(cls, model, dispute: Dispute, *, projection_view: str | None = None) -> War:
        """A war over ``dispute`` from today: principals' contingents, third states waiting.

        With ``projection_view`` (a side, or "neutral") the war is set up for :meth:`project`:
        third states enter as weighted contingents and misperceptions are their expectations.
        """
        theatre = dispute.theatre
        soil = places.holder(model, theatre)  # a territory's holder defends it as its own
        home_side = None
        for side in SIDES:
            if soil in dispute.territory(side) or soil in dispute.principals(side):
                home_side = side
        war = cls(
            dispute=dispute, start_step=model.steps_done, theatre=theatre, home_side=home_side
        )
        for side in SIDES:
            for code in dispute.principals(side):
                war.add(model, code, side, weight=1.0)
            decider = model.states[dispute.decider(side)]
            war.resolve[side] = decider.resolve
            war.risk[side] = decider.risk_factor()
        params = model.params
        for code in sorted(dispute.join_probabilities):
            if code in war:
                continue
            war.candidates[code] = dispute.join_logits[code]
            engaged = _troops_at_risk(model, code, dispute)
            if engaged is not None:
                war.tripwire_side[code] = engaged
        if projection_view is None:
            for side in SIDES:
                war.employment[side] = math.exp(
                    params.force_employment_spread * model.rng.standard_normal()
                )
                war.optimism[side] = model.states[dispute.decider(side)].optimism
        else:
            expected = params.optimism * war_termination.HALF_NORMAL_MEAN
            if projection_view in SIDES:
                # The viewer does not know the other's resolve: it takes its belief's mean, and
                # expects the other to break sooner than it will (cohesion_optimism).
                opponent = other(projection_view)
                war.resolve[opponent] = believed_resolve(model, dispute, projection_view)
                war.cohesion_seen[opponent] = math.exp(-params.cohesion_optimism)
            for side in SIDES:
                war.employment[side] = 1.0
                own = model.states[dispute.decider(side)].optimism
                war.optimism[side] = expected if projection_view != side else 0.0
                if projection_view == side:
                    # the viewer takes its own estimate for the truth
                    war.log_shift = own if side == CHALLENGER else -own
                elif projection_view == "neutral":
                    war.optimism[side] = own
        war.refresh_sanctions(model, expect_threats=projection_view is not None)
        war.aid_flows = {side: [] for side in SIDES}
        war._scenario_aid(model)
        war._sympathetic_aid(model)
        war._set_quality(model)
        return war

    def refresh_sanctions(self, model, expect_threats: bool = False) -> None:
        """What share of each belligerent's GDP the sanctions in force cut; a projection also
        counts the threats this war would trigger."""
        seen = tuple(s.status for s in model.sanctions.values())
        if seen == self.sanctions_seen and self.sanctions_cut:
            return
        self.sanctions_seen = seen
        key = (self.dispute.id, seen, expect_threats)
        cached = model.sanctions_cut_cache.get(key)
        if cached is not None:
            self.sanctions_cut = cached
            self._apply_cuts()
            return
        territory = {side: set(self.dispute.territory(side)) for side in SIDES}
        self.sanctions_cut = {}
        for sanction in model.sanctions.values():
            spec = sanction.spec
            applies = sanction.status == "imposed"
            if expect_threats and sanction.status == "threatened":
                for side in SIDES:
                    if spec.trigger_actor in self.dispute.principals(side) and (
                        spec.trigger_against in territory[other(side)]
                        or spec.trigger_against == self.theatre
                    ):
                        applies = True
            if applies:
                self.sanctions_cut[spec.target] = self.sanctions_cut.get(
                    spec.target, 0.0
                ) + support.sanctions_cut(model, spec)
        model.sanctions_cut_cache[key] = self.sanctions_cut
        self._apply_cuts()

    def _apply_cuts(self) -> None:
        forces = self.theatre_forces
        forces.cut = [float(self.sanctions_cut.get(code, 0.0)) for code in forces.codes]
        self.changed()

    def add(self, model, code: str, side: str, weight: float) -> None:
        since = (
            self.dispute.displayed_since.get(side)
            if code in self.dispute.principals(side)
            else None
        )
        mobilised = 0.0 if since is None else (model.steps_done - since) * model.params.step_days
        contingent = raise_contingent(
            model, code, side, self.theatre, model.steps_done, mobilised_days=mobilised
        )
        state = model.states[code]
        if self._average_per_soldier is not None:
            contingent.quality = combat.quality(
                state.capability, state.troops, self._average_per_soldier
            )
        slot = self.theatre_forces.add(contingent, weight, state.capability)
        self.theatre_forces.cut[slot] = self.sanctions_cut.get(code, 0.0)
        self._weights_version += 1
        self.changed()

    def _set_quality(self, model) -> None:
        forces = self.theatre_forces
        capability = sum(model.states[c].capability for c in forces.codes)
        troops = sum(model.states[c].troops for c in forces.codes)
        self._average_per_soldier = capability / troops if troops > 0 else 0.0
        forces.quality = [
            combat.quality(
                model.states[c].capability, model.states[c].troops, self._average_per_soldier
            )
            for c in forces.codes
        ]
        self.changed()

    def _scenario_aid(self, model) -> None:
        for side in SIDES:
            members = set(self.dispute.principals(side))
            for donor, level, day in support.scenario_aid(model, members, model.steps_done):
                started = (day - self.start_step) * model.params.step_days
                self.aid_flows[side].append((donor, level, started))

    def _sympathetic_aid(self, model) -> None:
        """Third states that would rather one side won send aid from the war's start: the level
        is ``aid_propensity`` × the gap in their affinity to the two sides (a rival of one side's
        principal has affinity −1 to it, so the enemy of an enemy helps)."""
        propensity = model.params.aid_propensity
        if propensity <= 0:
            return
        for code, gaps in sorted(self.dispute.sympathy.items()):
            if code in self:
                continue
            for side, gap in zip(SIDES, gaps, strict=True):
                level = min(1.0, propensity * gap)
                if level > 0.0:
                    self.aid_flows[side].append((code, level, 0.0))

    # -------------------------------------------------------------- a day of war
    def joins_today(self, model, days: float) -> list[tuple[str, str]]:
        """Third states that enter the war over the next ``days`` (random draws)."""
        entering = []
        window = model.params.join_window_days
        for code in sorted(self.candidates):
            logits = self.candidates[code]
            for index, side in enumerate(SIDES):
                if logits[index] == -math.inf:
                    continue
                lost = self.control if side == TARGET else 0.0
                chance = support.join_chance(logits[index], lost, model.params)
                if self.tripwire_side.get(code) == side:
                    hazard = chance if self.days == 0 else 0.0
                else:
                    hazard = support.join_hazard(chance, self.days, self.days + days, window)
                if model.rng.random() < hazard:
                    entering.append((code, side))
                    break
        for code, _ in entering:
            del self.candidates[code]
        return entering

    def enter(self, model, code: str, side: str) -> None:
        self.add(model, code, side, weight=1.0)
        (self.dispute.side_challenger if side == CHALLENGER else self.dispute.side_target).add(code)
        self.aid_flows[side] = [f for f in self.aid_flows[side] if f[0] != code]
        self.aid_flows[other(side)] = [f for f in self.aid_flows[other(side)] if f[0] != code]
        self._aid_groups = {}
        self._weights_version += 1

    def fight(self, model, days: float, luck: float = 0.0) -> None:
        """Reinforcements arrive, then ``days`` of losses and movement of the front."""
        params = model.params
        self.theatre_forces.reinforce(days)
        self.changed()
        challenger, target = self.powers(model)
        challenger *= math.exp(self.log_shift + luck)
        log_ratio = math.log(max(challenger, combat.MIN_POWER)) - math.log(
            max(target, combat.MIN_POWER)
        )
        home_is_target = self.home_side == TARGET
        # the side holding the ground attacked today has the defender's advantage
        dug_in = math.exp(
            0.5 * combat.dug_in_shift(log_ratio, self.control, home_is_target, params)
        )
        forces = self.theatre_forces
        challenger_troops, target_troops = forces.by_side(forces.weighted("in_theatre"))
        # Lanchester's square law: each side's losses come from the other's fire.
        challenger_loss = combat.daily_loss_share(challenger_troops, target / dug_in, params)
        target_loss = combat.daily_loss_share(target_troops, challenger * dug_in, params)
        forces.attrit(challenger_loss, target_loss, days, params.replacement_share)
        self.last_log_ratio = log_ratio
        movement = combat.front_movement(log_ratio, self.control, home_is_target, params)
        self.control = min(1.0, max(0.0, self.control + movement * days))
        self.learned += war_termination.learning(movement, days, params)
        self.days += days
        self.changed()

    def collapsed(self, side: str, model, tallies=None) -> bool:
        tallies = tallies or self.theatre_forces.tally()
        _, lost, own, coming, manpower = tallies[side]
        limit = war_termination.break_point(model.params, self.resolve[side])
        limit *= self.cohesion_seen.get(side, 1.0)
        if manpower > 0 and lost / manpower >= limit:
            return True
        # Outnumbered twenty to one with nothing more on the way: the front gives (a side whose
        # forces are still mostly on their way has not yet fought).
        opponent = tallies[other(side)][2]
        return opponent > 0 and coming < own and own < war_termination.COLLAPSE_RATIO * opponent

    def believed_log_ratios(self, model, truth: float | None = None) -> tuple[float, float]:
        """Each side's estimate of ln(challenger's power / target's): truth ± misperception."""
        if truth is None:
            truth = self.log_ratio(model)
        challenger = truth + war_termination.misperception(self.optimism[CHALLENGER], self.learned)
        target = truth - war_termination.misperception(self.optimism[TARGET], self.learned)
        return challenger, target

    def offer_range(self, model) -> tuple[float, float] | None:
        """The bargaining range today, or None (no overlap, or a commitment problem)."""
        params = model.params
        now = self.log_ratio(model)
        if war_termination.commitment_problem(now, self.future_log_ratio(model), params):
            return None
        challenger_view, target_view = self.believed_log_ratios(model, now)
        share_c = 1.0 / (1.0 + math.exp(-now))
        delay = war_termination.delay_days(params)
        costs = {}
        for side, opponent_share in ((CHALLENGER, 1.0 - share_c), (TARGET, share_c)):
            daily = war_termination.daily_war_cost(
                params, opponent_share, self.risk[side], self.resolve[side]
            )
            stake = self.dispute.stakes(side) * max(self.dispute.spec.size, 1e-9)
            costs[side] = daily * delay / max(stake, 1e-9)
        return war_termination.bargaining_range(
            self.control,
            challenger_view,
            target_view,
            costs[CHALLENGER],
            costs[TARGET],
            params,
            self.home_side == TARGET,
        )

    def step(self, model) -> tuple[Outcome, float] | None:
        """One step of war with its random draws; returns (outcome, share) when it ends."""
        params = model.params
        days = params.step_days
        self.refresh_sanctions(model)
        for code, side in self.joins_today(model, days):
            self.enter(model, code, side)
            model.log_event(
                code,
                "join_war",
                self.dispute.decider(side),
                self.dispute.id,
                5,
                detail=f"joins {self.dispute.decider(side)} on day {int(self.days) + 1} of the war",
            )
        luck = params.battle_noise * model.rng.standard_normal()
        self.fight(model, days, luck)
        ended = self._decisive_end(model)
        if ended is not None:
            return ended
        bargain = self.offer_range(model)
        if bargain is not None:
            offer_chance = -math.expm1(days * math.log1p(-min(params.offer_rate, 1 - 1e-12)))
            if model.rng.random() < offer_chance:
                share = (bargain[0] + bargain[1]) / 2.0
                self.end_reason = "settlement"
                return war_termination.settlement_outcome(share), share
        return None

    def _decisive_end(self, model) -> tuple[Outcome, float] | None:
        tallies = self.theatre_forces.tally()
        challenger_broke = self.collapsed(CHALLENGER, model, tallies)
        target_broke = self.collapsed(TARGET, model, tallies)
        if challenger_broke and not target_broke:
            self.end_reason = "collapse of the challenger"
            return Outcome.VICTORY_TARGET, 0.0
        if target_broke:
            self.end_reason = "collapse of the target"
            return Outcome.VICTORY_CHALLENGER, 1.0
        if self.control >= 1.0:
            self.end_reason = "conquest"
            return Outcome.VICTORY_CHALLENGER, 1.0
        return None


def _troops_at_risk(model, code: str, dispute: Dispute) -> str | None:
    """The side on whose soil in the theatre ``code`` has troops (a tripwire), if any."""
    for deployment in model.active_deployments():
        if deployment.owner != code or deployment.host == code:
            continue
        for side in SIDES:
            if deployment.host in dispute.principals(side) and deployment.host == dispute.theatre:
                return side
    return None
