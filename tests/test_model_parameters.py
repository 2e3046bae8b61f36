"""A parameter that changes nothing is a bug (docs/model.md §9): each one, moved across its range,
must change some output of the kitchen-sink or the war scenario under common seeds."""

from __future__ import annotations

import pytest
from scenario_factory import kitchen_sink_scenario, war_scenario

from brink.errors import BrinkInputError
from brink.sim.model import simulate
from brink.sim.params import PARAMETERS, ModelParams, parse_assignments, scenario_params

SCENARIOS = (kitchen_sink_scenario(), war_scenario())
SEEDS = range(12)
#: Parameters only the expected-utility rule of Brink 0.1 reads are checked under that rule.
QUANTAL_ONLY = {"option_value"}


def outputs(overrides):
    records = []
    if QUANTAL_ONLY & set(overrides):
        overrides = {**overrides, "decision_rule": 0}
    for scenario in SCENARIOS:
        params = scenario_params(scenario, overrides)
        records += [simulate(scenario, params, seed=seed) for seed in SEEDS]
    return [(r.runs, r.steps, r.events, r.beliefs, r.fronts) for r in records]


def extremes(name):
    spec = PARAMETERS[name]
    if spec.optional:  # None derives the value; any set value replaces it
        return None, (spec.low + spec.high) / 2 if spec.high <= 1 else 0.3
    low, high = spec.low, spec.high
    if name == "horizon":
        return 60, 150
    if name == "step_days":
        return 1, 7
    return low, high


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(PARAMETERS))
def test_every_parameter_changes_some_output(name):
    low, high = extremes(name)
    assert outputs({name: low}) != outputs({name: high}), f"{name} changes nothing"


def test_unknown_parameter_suggests_the_nearest_name():
    with pytest.raises(BrinkInputError, match="did you mean 'spiral_hazard'"):
        parse_assignments(["spiral_hazzard=0.1"])


def test_out_of_range_parameter_is_a_located_error():
    with pytest.raises(BrinkInputError) as error:
        parse_assignments(["precision=-1"])
    assert str(error.value).startswith("command line: --set precision: -1 is below 0")


def test_integer_parameter_rejects_fractions():
    with pytest.raises(BrinkInputError, match="whole number"):
        ModelParams().with_overrides({"horizon": 10.5})
