"""A parameter that changes nothing is a bug (docs/model.md §9): each one, moved across its range,
must change some output of the kitchen-sink, the war or the declining-power scenario under common
seeds."""

from __future__ import annotations

import pytest
from scenario_factory import kitchen_sink_scenario, protected_state_scenario, war_scenario

from brink.errors import BrinkInputError
from brink.sim.model import simulate
from brink.sim.params import PARAMETERS, ModelParams, parse_assignments, scenario_params


def declining_power_scenario():
    """A great power whose capability is falling against its neighbour's makes its demand: the
    preventive motive (``shift_years``) weighs on its choice. The kitchen sink's only trend is a
    third state's, which no decision reads."""
    from dataclasses import replace

    base = protected_state_scenario()
    states = dict(base.states)
    states["GRT"] = replace(states["GRT"], capability_trend=-0.05)
    return replace(base, states=states)


SCENARIOS = (kitchen_sink_scenario(), war_scenario(), declining_power_scenario())
SEEDS = range(12)
#: Parameters only the expected-utility rule of Brink 0.1 reads are checked under that rule.
QUANTAL_ONLY = {"option_value"}


def outputs(overrides, scenario, seed):
    if QUANTAL_ONLY & set(overrides):
        overrides = {**overrides, "decision_rule": 0}
    r = simulate(scenario, scenario_params(scenario, overrides), seed=seed)
    return (r.runs, r.steps, r.events, r.beliefs, r.fronts)


def changes_something(low: dict, high: dict) -> bool:
    """Whether some output of some scenario and seed differs between the two settings; stops at
    the first difference (most parameters show one in the first run, so the check costs two
    runs, not seventy-two)."""
    return any(
        outputs(low, scenario, seed) != outputs(high, scenario, seed)
        for scenario in SCENARIOS
        for seed in SEEDS
    )


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
    assert changes_something({name: low}, {name: high}), f"{name} changes nothing"


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
