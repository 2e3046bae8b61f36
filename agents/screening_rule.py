"""The screening standoff (rule name ``screening``): a crisis as a contest in risk-taking under
incomplete information (docs/model.md, "The standoff").

Each day of a standoff each side holds at some cost and some risk of a war nobody chose; the side
that gives way first loses the issue and pays what giving way costs (:mod:`brink.sim.exit_costs`).
Holding therefore reveals resolve, and each side's belief that the other will give way is
updated every day the other holds (Fearon 1994; Powell 1987, 1990; Kilgour & Zagare 1991;
Slantchev 2011). The stopping rule is the war of attrition's (:mod:`brink.agents.attrition`),
with each side's ratio

    z(r) = Δ(r) / κ(r),   Δ(r) = r · v · x + E,   κ(r) = k + e·(ℓ − 2)⁺ + h(ℓ) · L(r)

where r is the side's private resolve (how much its leaders value the issue, relative to its
nominal stakes v), x the demand, E the cost of giving way, k the daily cost of a standoff
(``standoff_cost``), e the running cost of its military level, h(ℓ) the daily hazard that the
standoff slides into war and L(r) = max(0, −G(r)) what such a war would cost it relative to
giving way. G(r), a war's gain over giving way, is r·p·x·v − c(r) − S + E (+ the preventive
motive, for a side the balance of power is shifting against) for the challenger and
λ·r·v·(x − p·x) − c(r) − S + E (+ its preventive motive) for the target, where λ is the target's
loss aversion (it also weighs the issue at λ·r·v·x in Δ). Sanctions already imposed are no cost
of holding — they stay whoever gives way — while threatened ones weigh on the step that would
set them off.

At decision points (the dispute opens, the other side moves, something happens in the dispute,
or the daily ``review_rate`` chance) a side also weighs climbing one rung of the escalation
ladder, which raises the hazard and costs for both to make the other quit sooner (Schelling's
competition in risk-taking; Powell 1990): a quantal choice (``precision``). From a use of force
it chooses war when war's gain beats everything the standoff offers — deliberately, with no
quantal noise: a war is not started by a tremble. The challenger takes an open offer (one the
scenario's timeline puts on the table) when it beats its own contest, and at the moment it would
otherwise back down. A target offers a compromise only at its breaking point, as a last offer
before it gives in, and only where the demand is for part of the issue: earlier, an offer to
split the issue tells the other side that one's resolve is low, and is met by holding out
(Fearon 1995, pp. 390–401, on private information and the incentive to misrepresent; Schelling
1960, ch. 2). The moment of giving way follows the stopping rule exactly.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass

import numpy as np
from scipy.special import betaincinv

from brink.agents.attrition import AttritionView
from brink.agents.decision import choice_probabilities, quantal_choice
from brink.sim import standoff
from brink.sim.decisions import HOLD, Situation
from brink.sim.dispute import CHALLENGER, TARGET, Dispute, other
from brink.sim.exit_costs import exit_cost, preventive_motive
from brink.sim.hostility import Hostility
from brink.sim.maths import chance_per_step
from brink.sim.options import Option
from brink.sim.standoff import daily_hazard

#: How far ahead (days) a side values the contest when it weighs a move; a year.
CONTEST_HORIZON = 365.0


@dataclass(frozen=True)
class SideTerms:
    """What the standoff is worth to one side, and what it costs, as functions of its resolve."""

    issue: float  # v · x: the issue at stake; value of prevailing is r · issue + exit
    exit: float  # E: the cost of giving way beyond the issue
    flow: float  # k + e·(ℓ − 2)⁺: the daily cost of holding, before war risk
    hazard: float  # h(ℓ): the daily chance the standoff slides into war
    war_slope: float  # c(r) = war_slope · (ceiling − r) + war_fixed
    war_ceiling: float
    war_fixed: float
    war_prize: float  # the war's prize per unit resolve, over giving way
    war_extra: float  # −S + E + preventive motive

    def war_gain(self, resolve):
        """G(r): a war's gain over giving way now."""
        cost = np.maximum(0.0, self.war_slope * (self.war_ceiling - resolve) + self.war_fixed)
        return resolve * self.war_prize - cost + self.war_extra

    def prevailing(self, resolve):
        """Δ(r): what the other's giving way is worth, over giving way oneself."""
        return resolve * self.issue + self.exit

    def ratio(self, resolve):
        """z(r) = Δ(r)/κ(r) in days (∞ where holding costs nothing)."""
        daily = self.flow + self.hazard * np.maximum(0.0, -self.war_gain(resolve))
        with np.errstate(divide="ignore"):
            return np.where(daily > 0, self.prevailing(resolve) / np.maximum(daily, 1e-300), 1e12)


def side_terms(
    model,
    dispute: Dispute,
    side: str,
    viewer: str,
    level: int,
    own_level: int,
    threat: float = 0.0,
):
    """:class:`SideTerms` of ``side`` as ``viewer`` sees them, at standoff ``level`` with
    ``side`` standing at ``own_level``, facing a daily chance ``threat`` that the other side
    chooses war (:func:`threat_of_war`)."""
    params = model.params
    stakes = dispute.stakes(side)
    demand = dispute.demand
    exit = exit_cost(model, dispute, side)
    # Sanctions already imposed are not a cost of holding: they stay until the senders lift
    # them, whoever gives way (a sunk cost changes no choice). Threatened ones weigh on the
    # step that would trigger them (a use of force) and on war.
    flow = params.standoff_cost + params.escalation_cost * max(0, own_level - Hostility.THREAT)
    cost = standoff.war_cost_function(model, dispute, side, viewer)
    p = standoff.war_share(model, dispute, viewer)
    contested = dispute.spec.size
    prize = p * contested * stakes if side == CHALLENGER else (demand - p * contested) * stakes
    if side == TARGET:
        prize *= params.loss_aversion
    extra = (
        -standoff.threatened_sanctions(model, dispute, side)
        + exit
        + preventive_motive(model, dispute, side)
    )
    # Prospect theory: the target frames the demand as a loss of what it holds, the challenger
    # as a gain; losses loom larger (Tversky & Kahneman 1992: λ ≈ 2.25; in crises, Levy 1997,
    # McDermott 1998). The status quo is defended harder than it is attacked.
    weight = params.loss_aversion if side == TARGET else 1.0
    return SideTerms(
        issue=weight * stakes * demand,
        exit=exit,
        flow=flow,
        hazard=(daily_hazard(model, level) + threat) if level < Hostility.WAR else 0.0,
        war_slope=cost.slope,
        war_ceiling=cost.ceiling,
        war_fixed=cost.fixed,
        war_prize=prize,
        war_extra=extra,
    )


#: Quantiles of a belief over which the share of war-minded types is counted.
_THREAT_QUANTILES = (np.arange(25) + 0.5) / 25


def threat_of_war(model, dispute: Dispute, side: str, belief, level: int) -> float:
    """The daily chance, as one who holds ``belief`` over ``side``'s resolve sees it, that
    ``side`` chooses war: ``war_threat_rate`` times the believed share of its types for whom a
    war beats giving way — once it has displayed force, so that
    the threat is a military one. This is what makes a threat coerce (Schelling 1966, ch. 2:
    compellence): a side that believes the other would rather fight than give way counts the
    war it risks by holding, and the weaker gives way sooner."""
    if dispute.level[side] < Hostility.DISPLAY:
        return 0.0
    params = model.params
    terms = side_terms(model, dispute, side, side, level, dispute.level[side])
    resolves = betaincinv(belief.alpha, belief.beta, _THREAT_QUANTILES)
    warlike = float(np.mean(terms.war_gain(resolves) > 0.0))
    return params.war_threat_rate * warlike


@dataclass(frozen=True)
class Reasons:
    """What the screening rule weighs at a decision point (:meth:`ScreeningRule.explain`)."""

    values: dict[str, float]  # each option's value over giving way now, in issue units
    probabilities: dict[str, float]  # the quantal chance of each, were it to review today
    war_now: bool  # the next rung is war and its gain beats everything the standoff offers
    gives_way_now: bool  # past its breaking point: it gives way today
    days_to_yield: float  # days it would still hold before giving way
    chance_other_yields: float  # believed chance the other gives way first (within a year)
    belief_other_resolve: float  # mean of its Beta belief over the other's resolve
    war_gain: float  # G(r): a war now, over giving way now
    war_share: float | None  # the share of the issue it expects a war to bring (sim/war_outlook)
    war_days: float | None  # how long it expects such a war to last, in days


@dataclass
class Standoff:
    """One side's running view of one dispute: since ``day``, the other's types quit as
    ``view`` says, and this side gives way ``days_to_yield`` days after ``day``."""

    day: int
    signature: tuple
    view: AttritionView
    days_to_yield: float


class ScreeningRule:
    """The war-of-attrition stopping rule with brinkmanship at decision points."""

    name = "screening"

    def __init__(self) -> None:
        self.standoffs: dict[str, Standoff] = {}

    # ------------------------------------------------------------------ the day's choice
    def choose(self, situation: Situation) -> str:
        model, dispute, side = situation.model, situation.dispute, situation.side
        review_chance = chance_per_step(model.params.review_rate, model.params.step_days)
        reviews = situation.rng.random() < review_chance or situation.reviews
        current = self._standoff(situation)
        elapsed = situation.day - current.day
        me = model.states[dispute.decider(side)]
        if elapsed >= current.days_to_yield:
            return self._give_way(situation)
        if not reviews:
            return HOLD
        return self._review(situation, current, elapsed, me.resolve)

    @staticmethod
    def _give_way(situation: Situation) -> Option:
        if situation.side == CHALLENGER:
            if Option.ACCEPT_OFFER in situation.options:
                return Option.ACCEPT_OFFER  # half a loaf beats none
            return Option.BACK_DOWN
        if Option.OFFER_COMPROMISE in situation.options and situation.dispute.spec.size < 1.0:
            # A last offer before giving in: the target that has reached its breaking point
            # proposes to split what is demanded (``offer_share`` of it) and concedes only if
            # the challenger will not take it (Pillar 1983, on concessions at the end of a
            # contest of resolve). A demand for the whole of an issue leaves nothing between
            # keeping it and giving it up.
            return Option.OFFER_COMPROMISE
        return Option.CONCEDE

    # ------------------------------------------------------------------ the running view
    def _signature(self, situation: Situation) -> tuple:
        model, dispute = situation.model, situation.dispute
        me = model.states[dispute.decider(situation.side)]
        belief = me.belief_about(dispute.decider(other(situation.side)))
        return (
            dispute.level[CHALLENGER],
            dispute.level[TARGET],
            dispute.offer,
            dispute.demand,
            round(belief.alpha, 6),
            round(belief.beta, 6),
            round(standoff.war_share(model, dispute, situation.side), 4),
            tuple(
                model.states[dispute.decider(s)].commitments.get(dispute.id, 0)
                for s in (CHALLENGER, TARGET)
            ),
            tuple(sanction.status for sanction in model.sanctions.values()),
        )

    def _standoff(self, situation: Situation) -> Standoff:
        signature = self._signature(situation)
        current = self.standoffs.get(situation.dispute.id)
        if current is not None and current.signature == signature:
            return current
        floor = 0.0
        if current is not None:
            floor = current.view.floor_after(situation.day - current.day)
        view, days = self._contest_view(
            situation,
            floor,
            situation.dispute.standoff_level,
            situation.dispute.level[situation.side],
        )
        current = Standoff(situation.day, signature, view, days)
        self.standoffs[situation.dispute.id] = current
        return current

    def _contest_view(self, situation: Situation, floor: float, level: int, own_level: int):
        """The view of the other side at standoff ``level`` (this side at ``own_level``) and
        the days until this side gives way."""
        model, dispute, side = situation.model, situation.dispute, situation.side
        opponent = other(side)
        me = model.states[dispute.decider(side)]
        them = model.states[dispute.decider(opponent)]
        belief = me.belief_about(them.code)
        their_level = max(dispute.level[opponent], 1)
        feared_by_them = threat_of_war(model, dispute, side, them.belief_about(me.code), level)
        feared_by_me = threat_of_war(model, dispute, opponent, belief, level)
        theirs = side_terms(model, dispute, opponent, side, level, their_level, feared_by_them)
        view = AttritionView(belief.alpha, belief.beta, floor, theirs.ratio)
        mine = side_terms(model, dispute, side, side, level, own_level, feared_by_me)
        own_ratio = float(mine.ratio(np.asarray(me.resolve)))
        return view, view.days_until_yield(own_ratio)

    # ------------------------------------------------------------------ decision points
    def _value(
        self,
        situation: Situation,
        view: AttritionView,
        days_to_yield: float,
        level: int,
        own_level: int,
        since: float = 0.0,
    ) -> float:
        """The contest's value over giving way now: the chance the other gives way first times
        what prevailing is worth, less the expected days of holding times their cost and the
        chance of an unchosen war times its loss."""
        model, dispute, side = situation.model, situation.dispute, situation.side
        me = model.states[dispute.decider(side)]
        mine = side_terms(model, dispute, side, side, level, own_level)
        resolve = me.resolve
        remaining = max(0.0, days_to_yield - since)
        stop = min(remaining, CONTEST_HORIZON)
        lapse = model.params.lapse_rate
        chance, days = view.outlook(since, since + stop, lapse)
        war_chance = -math.expm1(-mine.hazard * days)
        loss = max(0.0, -float(mine.war_gain(resolve)))
        # A lapse leaves the status quo: for the target as good as prevailing, for the
        # challenger the exit cost it did not pay.
        lapsed = lapse * days * (float(mine.prevailing(resolve)) if side == TARGET else mine.exit)
        return (
            (1.0 - war_chance) * (chance * float(mine.prevailing(resolve)) + lapsed)
            - mine.flow * days
            - war_chance * loss
        )

    def _review(self, situation: Situation, current: Standoff, elapsed: int, resolve: float):
        values, war_now = self._weigh(situation, current, elapsed, resolve)
        if war_now:
            return Option.ESCALATE if situation.side == CHALLENGER else Option.COUNTER_ESCALATE
        return quantal_choice(values, situation.model.params.precision, situation.rng)

    def _weigh(
        self, situation: Situation, current: Standoff, elapsed: int, resolve: float
    ) -> tuple[dict[str, float], bool]:
        """The value of each option weighed at a decision point, over giving way now, and
        whether the next rung is war and war's gain beats everything the standoff offers."""
        model, dispute, side = situation.model, situation.dispute, situation.side
        own_level = dispute.level[side]
        level = dispute.standoff_level
        firm = Option.PRESS if side == CHALLENGER else Option.RESIST
        escalate = Option.ESCALATE if side == CHALLENGER else Option.COUNTER_ESCALATE
        values: dict[str, float] = {
            firm: self._value(
                situation, current.view, current.days_to_yield, level, own_level, since=elapsed
            )
        }
        war_now = False
        if escalate in situation.options:
            higher = own_level + 1
            if higher >= Hostility.WAR:
                # Starting a war is a deliberate decision, not a tremble: chosen when a war's
                # gain beats everything the standoff offers, with no quantal noise.
                mine = side_terms(model, dispute, side, side, level, own_level)
                war_now = float(mine.war_gain(resolve)) > max(values.values())
            else:
                floor = current.view.floor_after(elapsed)
                view, days = self._contest_view(situation, floor, max(level, higher), higher)
                values[escalate] = self._value(situation, view, days, max(level, higher), higher)
                # a use of force sets off the sanctions threatened
                if higher == Hostility.USE_OF_FORCE:
                    values[escalate] -= standoff.threatened_sanctions(model, dispute, side)
        if Option.ACCEPT_OFFER in situation.options:
            values[Option.ACCEPT_OFFER] = self._offer_value(situation, CHALLENGER, resolve)
        return values, war_now

    # ------------------------------------------------------------------ what it weighs
    def explain(self, situation: Situation) -> Reasons:
        """What this rule weighs in ``situation``, for a person deciding in its place
        (``brink view --play``): worked out on a copy of the rule, so neither the rule's memory
        nor the run's generator is touched and no choice of the run changes."""
        probe = copy.deepcopy(self)
        model, dispute, side = situation.model, situation.dispute, situation.side
        me = model.states[dispute.decider(side)]
        them = dispute.decider(other(side))
        current = probe._standoff(situation)
        elapsed = situation.day - current.day
        values, war_now = probe._weigh(situation, current, elapsed, me.resolve)
        stop = min(max(0.0, current.days_to_yield - elapsed), CONTEST_HORIZON)
        chance, _days = current.view.outlook(elapsed, elapsed + stop, model.params.lapse_rate)
        mine = side_terms(model, dispute, side, side, dispute.standoff_level, dispute.level[side])
        belief = me.belief_about(them)
        views = getattr(dispute, "war_views", None) or {}
        war = views.get(side)
        return Reasons(
            values=values,
            probabilities=choice_probabilities(values, model.params.precision),
            war_now=war_now,
            gives_way_now=elapsed >= current.days_to_yield,
            days_to_yield=max(0.0, current.days_to_yield - elapsed),
            chance_other_yields=chance,
            belief_other_resolve=belief.alpha / (belief.alpha + belief.beta),
            war_gain=float(mine.war_gain(me.resolve)),
            war_share=None if war is None else float(war.share),
            war_days=None if war is None else float(war.days),
        )

    def _offer_value(self, situation: Situation, side: str, resolve: float) -> float:
        """A compromise at share o of the demand, over giving way now: the challenger gains
        r·v·o and keeps the exit cost but for the audience cost of the shortfall; the target
        keeps r·v·(x − o) and pays that share of its exit cost."""
        model, dispute = situation.model, situation.dispute
        share = dispute.offer if side == CHALLENGER else model.params.offer_share * dispute.demand
        if share is None:  # accept_offer is open only to an open offer (sim/decisions.py)
            raise ValueError(f"dispute {dispute.id}: no offer is open to value")
        demand = max(dispute.demand, 1e-9)
        exit = exit_cost(model, dispute, side)
        stakes = dispute.stakes(side)
        if side == CHALLENGER:
            shortfall = max(0.0, 1.0 - share / demand)
            return (
                resolve * stakes * share
                + exit
                - standoff.audience_cost(model, dispute, CHALLENGER) * shortfall
            )
        return resolve * stakes * (demand - share) + exit * (1.0 - share / demand)
