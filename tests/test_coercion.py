"""Coercion in the screening standoff: a threat of war is believed as far as it is carried out.

``agents/screening_rule.threat_of_war``: once a side uses force (its next rung is war), the other
side counts a daily chance of war equal to that side's rate of decision points (``review_rate``)
times the believed share of its types for whom war beats giving way — the rate at which the rule
really starts such a war (docs/model.md, "Coercion").
"""

from __future__ import annotations

import pytest
from scenario_factory import protected_state_scenario

from brink.agents.screening_rule import threat_of_war
from brink.sim.dispute import CHALLENGER, TARGET
from brink.sim.hostility import Hostility
from brink.sim.model import CrisisModel, simulate
from brink.sim.params import scenario_params


def _day_one(overrides=None, **scenario_options):
    """The great power's demand on its small neighbour (no ally bound to it) after day 1."""
    scenario = protected_state_scenario(pact=False, **scenario_options)
    model = CrisisModel(scenario, scenario_params(scenario, overrides or {}), seed=7)
    model.step()
    return model, next(iter(model.disputes.values()))


def _threat_seen_by_target(model, dispute, level):
    dispute.level[CHALLENGER] = level
    belief = model.states[dispute.target_leader].belief_about(dispute.challenger)
    return threat_of_war(model, dispute, CHALLENGER, belief, level)


def test_a_threat_counts_from_a_use_of_force_at_the_rate_of_decision_points():
    """A great power massed at a small neighbour's border would rather fight than give way in
    most of its types: at a use of force the target counts nearly review_rate a day of war, and
    twice the review rate doubles it; at a display of force, from which the rule starts no war,
    it counts none."""
    model, dispute = _day_one()
    rate = model.params.review_rate
    at_force = _threat_seen_by_target(model, dispute, Hostility.USE_OF_FORCE)
    assert 0.5 * rate < at_force <= rate
    assert _threat_seen_by_target(model, dispute, Hostility.DISPLAY) == 0.0
    faster, dispute = _day_one({"review_rate": 2 * rate})
    assert _threat_seen_by_target(faster, dispute, Hostility.USE_OF_FORCE) == pytest.approx(
        2 * at_force
    )


def test_a_threat_from_a_side_that_would_lose_the_war_counts_for_nothing():
    """The small neighbour's threat against the great power is not believed: none of its types
    would rather fight that war than give way."""
    model, dispute = _day_one()
    dispute.level[TARGET] = Hostility.USE_OF_FORCE
    belief = model.states[dispute.challenger].belief_about(dispute.target_leader)
    assert threat_of_war(model, dispute, TARGET, belief, Hostility.USE_OF_FORCE) == 0.0


def test_a_small_state_alone_gives_way_to_a_great_power_that_would_fight():
    """Through whole runs: without an ally, the small neighbour gives way (concedes or takes a
    compromise) in a good share of runs rather than fight a war it would lose (22 of these 40
    seeds on 8 December; the rest end unresolved)."""
    scenario = protected_state_scenario(pact=False, horizon=180)
    params = scenario_params(scenario, {})
    outcomes = [simulate(scenario, params, seed, run=0).runs[0]["outcome"] for seed in range(40)]
    gave_way = sum(outcome in ("yield_target", "compromise") for outcome in outcomes)
    assert gave_way >= 10, outcomes
