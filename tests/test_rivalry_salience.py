"""An issue fought over before weighs more (``rivalry_salience``; Hensel 2001)."""

import math
from dataclasses import replace

import pytest
from scenario_factory import fearon_scenario

from brink.sim.dispute import CHALLENGER, TARGET
from brink.sim.exit_costs import reputation_cost
from brink.sim.model import CrisisModel
from brink.sim.params import ModelParams


def _dispute(rivalry: int, salience: float):
    scenario = fearon_scenario()
    demand = replace(scenario.demands[0], rivalry=rivalry, stakes_challenger=2.0)
    scenario = replace(scenario, demands=(demand,))
    params = ModelParams().with_overrides({"rivalry_salience": salience})
    model = CrisisModel(scenario, params, seed=1)
    model.step()
    return model, next(iter(model.disputes.values()))


def test_salience_raises_both_sides_stakes_by_the_log_of_earlier_disputes():
    _, plain = _dispute(rivalry=6, salience=0.0)
    _, salient = _dispute(rivalry=6, salience=0.5)
    factor = 1.0 + 0.5 * math.log1p(6)
    assert plain.stakes(CHALLENGER) == 2.0
    assert salient.stakes(CHALLENGER) == pytest.approx(2.0 * factor)
    assert salient.stakes(TARGET) == pytest.approx(plain.stakes(TARGET) * factor)


def test_no_earlier_disputes_no_change_and_reputation_follows_the_stakes():
    _, first = _dispute(rivalry=0, salience=1.5)
    assert first.stakes(CHALLENGER) == 2.0  # a first dispute is no more salient
    model, salient = _dispute(rivalry=3, salience=1.0)
    plain_model, plain = _dispute(rivalry=3, salience=0.0)
    ratio = reputation_cost(model, salient, TARGET) / reputation_cost(plain_model, plain, TARGET)
    assert ratio == pytest.approx(1.0 + math.log1p(3))
