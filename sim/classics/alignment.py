"""Which side a scenario's unaligned states lean to, by landscape theory (Axelrod & Bennett 1993).

The crisis model knows who stands on each side of a dispute; landscape theory places the rest.
Sizes are the states' CINC shares. Propensities come from what a scenario records about a pair,
with the same weights as the rebuilt 1936 Europe case (:mod:`brink.sim.classics.europe_1936`):

- +1 for each shared defence or offence alliance in force at the scenario's start, +0.5 for each
  shared neutrality, non-aggression or consultation pact;
- +0.5 if both have the same regime type and −0.5 if one is a democracy and the other an
  autocracy (Axelrod & Bennett's regime similarity; anocracies sit between);
- + the pair's trade dependence, the mean of the two shares of own GDP traded with the other
  (interdependence pulls together).
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Mapping

from brink.scenarios.spec import Scenario
from brink.sim.classics.europe_1936 import WEIGHTS
from brink.sim.classics.landscape import lean_of_unaligned
from brink.sim.classics.talks import members_in_force

REGIME_SAME = 0.5
REGIME_OPPOSED = -0.5
PACT_KINDS = ("defense", "offense")


def scenario_propensities(scenario: Scenario) -> dict[tuple[str, str], float]:
    """Propensities of every pair of states in a scenario (rules in the module docstring).

    Returns:
        ``{(a, b): p}`` with ``a < b``, pairs with p = 0 left out.
    """
    year = int(scenario.start_date[:4])
    values: dict[tuple[str, str], float] = {}

    def add(a: str, b: str, amount: float) -> None:
        if a != b and amount:
            key = (a, b) if a < b else (b, a)
            values[key] = values.get(key, 0.0) + amount

    for alliance in scenario.alliances.values():
        members = sorted(members_in_force(alliance, year))
        weight = WEIGHTS["pact"] if alliance.kind in PACT_KINDS else WEIGHTS["other_pact"]
        for a, b in itertools.combinations(members, 2):
            add(a, b, weight)
    states = scenario.states
    for a, b in itertools.combinations(sorted(states), 2):
        regimes = {states[a].regime, states[b].regime}
        if len(regimes) == 1:
            add(a, b, REGIME_SAME)
        elif regimes == {"democracy", "autocracy"}:
            add(a, b, REGIME_OPPOSED)
        trade = (states[a].trade.get(b, 0.0) + states[b].trade.get(a, 0.0)) / 2
        add(a, b, trade)
    return values


def lean_in_scenario(
    scenario: Scenario, aligned: Mapping[str, Hashable]
) -> dict[str, Hashable | None]:
    """The side each state not in ``aligned`` leans to (None: indifferent).

    Args:
        scenario: The scenario (sizes, alliances, regimes, trade).
        aligned: Side label of each state already committed; exactly two labels.

    Returns:
        For every other state of the scenario, a side label or None.
    """
    sizes = {code: state.capability for code, state in scenario.states.items()}
    return lean_of_unaligned(sizes, scenario_propensities(scenario), aligned)
