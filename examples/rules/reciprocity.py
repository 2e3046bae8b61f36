"""Tit-for-tat in a crisis: meet escalation with escalation and accommodation with
accommodation, never escalate first, and otherwise decide as the screening standoff does.

Leng (1993), *Interstate Crisis Behavior, 1816–1980: Realism vs. Reciprocity* (and Leng &
Wheeler 1979), coded the influence strategies of states in crises and found the *reciprocating*
strategy — firm but not bullying: answer a threat in kind, answer a concession in kind, do not
open with coercion — the one most often followed by a settlement on the state's terms or a
compromise, and least often by war. It is Axelrod's (1984) tit-for-tat carried into a crisis:
*nice* (never the first to escalate), *retaliatory* (the opponent's climb is matched at once),
*forgiving* (an offer is taken up). When to give way is left to the built-in war-of-attrition
rule, which this one wraps (a rule from outside may reuse Brink's own).

    brink run black_sea_2022 --rule RUS=examples/rules/reciprocity.py:Reciprocity
"""

from __future__ import annotations

from brink.agents.screening_rule import ScreeningRule
from brink.sim.decisions import HOLD, Situation
from brink.sim.dispute import CHALLENGER, TARGET, other
from brink.sim.options import Option

ESCALATE = {CHALLENGER: Option.ESCALATE, TARGET: Option.COUNTER_ESCALATE}


class Reciprocity:
    """Tit-for-tat on the escalation ladder; the screening standoff decides when to give way."""

    name = "reciprocity"

    def __init__(self) -> None:
        self.inner = ScreeningRule()  # asked every day, so its memory of each standoff is whole

    def choose(self, situation: Situation) -> str:
        advised = self.inner.choose(situation)
        dispute, side = situation.dispute, situation.side
        mine = dispute.level[side]
        theirs = dispute.level[other(side)]
        climb = ESCALATE[side]
        if theirs > mine and climb in situation.options:
            return climb  # retaliatory: the opponent's climb is matched in kind
        if side == CHALLENGER and Option.ACCEPT_OFFER in situation.options:
            return Option.ACCEPT_OFFER  # forgiving: a concession is met with a concession
        if advised == climb:
            return HOLD  # nice: never the first to climb above the opponent
        return advised
