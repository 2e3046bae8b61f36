"""The decision rules a state can own (the protocol is :mod:`brink.sim.decisions`).

Built in:

- ``screening`` (:mod:`brink.agents.screening_rule`): the war-of-attrition stopping rule with
  brinkmanship at decision points, the default (``decision_rule`` 1);
- ``quantal`` (:mod:`brink.agents.quantal_rule`): quantal response to expected utilities at
  review points, the rule of Brink 0.1;

``decision_rule`` (a parameter, so ``--set``, a scenario's ``parameters:``, a sweep and a fit can
all choose it) picks the built-in every state uses when no other rule is named for it.

From outside: a scenario's ``rules:`` block and ``--rule [STATE=]MODULE:NAME`` name a rule for
a state, or for every state (:mod:`brink.scenarios.rule_specs` reads the text,
:mod:`brink.scenarios.rule_loader` finds the rule, imported by name in whichever process runs
the model). Each state makes a fresh rule object here, for each run.
"""

from __future__ import annotations

from brink.agents.quantal_rule import QuantalRule
from brink.agents.screening_rule import ScreeningRule
from brink.errors import BrinkInputError, Location
from brink.scenarios.rule_loader import resolve_rule
from brink.scenarios.rule_specs import rule_for_state
from brink.scenarios.spec import RuleSpec

RULES = {0: QuantalRule, 1: ScreeningRule}


def rule_for(params, rules: tuple[RuleSpec, ...] = (), code: str | None = None) -> object:
    """A fresh rule object for one state in one run (rules may keep memory per dispute): the
    rule ``rules`` names for ``code``, else the built-in ``decision_rule`` picks."""
    spec = rule_for_state(rules, code) if rules and code is not None else None
    if spec is None:
        return RULES[params.decision_rule]()
    resolved = resolve_rule(spec)
    try:
        rule = resolved.maker()
    except Exception as error:
        raise BrinkInputError(
            f"rule '{spec}': making it raised {type(error).__name__}: {error}",
            Location(key="rules"),
        ) from None
    if not callable(getattr(rule, "choose", None)):
        raise BrinkInputError(
            f"rule '{spec}': {resolved.name}() made a {type(rule).__name__}, which has no "
            "choose(situation) method (see brink.sim.decisions.DecisionRule)",
            Location(key="rules"),
        )
    return rule
