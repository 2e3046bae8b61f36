"""The decision rules a state can own, by name (the protocol is :mod:`brink.sim.decisions`).

- ``screening`` (:mod:`brink.agents.screening_rule`): the war-of-attrition stopping rule with
  brinkmanship at decision points, the default (``decision_rule`` 1);
- ``quantal`` (:mod:`brink.agents.quantal_rule`): quantal response to expected utilities at
  review points, the rule of Brink 0.1;

``decision_rule`` (a parameter, so ``--set``, a scenario's ``parameters:``, a sweep and a fit can
all choose it) picks the rule every state uses.
"""

from __future__ import annotations

from brink.agents.quantal_rule import QuantalRule
from brink.agents.screening_rule import ScreeningRule

RULES = {0: QuantalRule, 1: ScreeningRule}


def rule_for(params) -> object:
    """A fresh rule object for one state in one run (rules may keep memory per dispute)."""
    return RULES[params.decision_rule]()
