"""Experiment files, factors, designs, outcomes and intervals of ``brink sweep`` (no runs)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brink.errors import BrinkInputError, Location
from brink.experiments.analysis.analyze import standardised_coefficients
from brink.experiments.intervals import wilson
from brink.experiments.sweep.designs import build_design, max_abs_correlation
from brink.experiments.sweep.experiment import load_experiment
from brink.experiments.sweep.factors import apply_factors, resolve_factor
from brink.experiments.sweep.outcomes import OutcomeEvaluator, OutcomeSpec
from brink.scenarios.loader import load_scenario
from brink.sim.params import scenario_params

WORLD = """\
name: world
description: A great power demands border districts of a small neighbour with a distant ally.
start: 2020-01-01
horizon: 40
states:
  GRT: {name: Great, regime: autocracy, nuclear: true, capital: [55.75, 37.62],
        capability: 0.04, troops: 800, resolve: {mean: 0.6, spread: 0.15}}
  SML: {name: Small, regime: democracy, capital: [54.69, 25.28], capability: 0.004, troops: 40}
  ALY: {name: Ally, regime: democracy, capital: [38.9, -77.04],
        capability: 0.12, troops: 1300}
alliances:
  PACT: {name: Pact, kind: defense, members: {SML: 2004, ALY: 1949}}
deployments:
  tripwire: {owner: ALY, host: SML, troops: 2}
  massed: {owner: GRT, host: GRT, near: SML, troops: 100}
demands:
  border: {by: GRT, on: SML, issue: border districts, size: 0.3}
timeline:
  - day: 5
    deploy: {id: reinforcement, owner: ALY, host: SML, troops: 1.5}
"""

EXPERIMENT = """\
name: smoke
scenario: world.yaml
seed: 7
replications: 3
design: {kind: factorial, levels: 3}
factors:
  deployments.tripwire.troops: {levels: [0, 5, 20]}
  alliances.PACT.reliability: {low: 0.2, high: 1.0}
outcomes:
  war: {kind: war}
  force_on_pact: {kind: force, by: GRT, against: PACT}
"""


def write(folder: Path, experiment: str = EXPERIMENT, world: str = WORLD) -> Path:
    (folder / "world.yaml").write_text(world, encoding="utf-8")
    path = folder / "exp.yaml"
    path.write_text(textwrap.dedent(experiment), encoding="utf-8")
    return path


def error_of(folder: Path, experiment: str) -> BrinkInputError:
    with pytest.raises(BrinkInputError) as caught:
        load_experiment(write(folder, experiment))
    return caught.value


def test_experiment_file_is_read_with_its_factors_design_and_outcomes(tmp_path):
    experiment = load_experiment(write(tmp_path))
    assert experiment.seed == 7 and experiment.replications == 3
    assert [f.name for f in experiment.factors] == [
        "deployments.tripwire.troops",
        "alliances.PACT.reliability",
    ]
    assert experiment.factors[0].levels == (0.0, 5.0, 20.0)
    assert experiment.factors[1].bounds == (0.2, 1.0)
    assert [o.name for o in experiment.outcomes] == ["war", "force_on_pact"]
    assert experiment.outcomes[1].label == "GRT uses force on PACT"
    design = build_design(experiment)
    assert len(design) == 9  # 3 levels × 3 levels
    assert sorted(set(design.points[:, 1])) == [0.2, 0.6, 1.0]


def test_unknown_factor_names_its_line_and_the_nearest_valid_name(tmp_path):
    error = error_of(
        tmp_path, EXPERIMENT.replace("alliances.PACT.reliability", "alliances.PACT.reliabilty")
    )
    text = str(error)
    assert error.location.line == 8 and error.location.column == 3
    assert "unknown factor 'alliances.PACT.reliabilty'" in text
    assert "did you mean 'alliances.PACT.reliability'" in text


def test_unknown_parameter_factor_suggests_the_parameter(tmp_path):
    experiment = EXPERIMENT.replace("alliances.PACT.reliability", "parameters.spiral_hazrd")
    assert "did you mean 'parameters.spiral_hazard'" in str(error_of(tmp_path, experiment))


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("{low: 0.2, high: 1.0}", "{low: 0.2, high: 1.4}"), 8, "1.4 is outside [0, 1]"),
        (("{low: 0.2, high: 1.0}", "{low: 0.9, high: 0.2}"), 8, "low 0.9 is not below high 0.2"),
        (("kind: factorial", "kind: factorail"), 5, "did you mean 'factorial'"),
        (("replications: 3", "replications: 0"), 4, "is not a whole number ≥ 1"),
        (("kind: force, by: GRT", "kind: force, by: XXX"), 11, "no state 'XXX'"),
        (("{kind: war}", "{kind: wars}"), 10, "unknown outcome kind 'wars'"),
        (("seed: 7", "seed: 7\nseed: 8"), 4, "given twice"),
        (("design: {kind: factorial, levels: 3}", "design: {kind: sobol}"), 5, "needs 'samples'"),
        (("levels: [0, 5, 20]", "levels: [0, 5, 5]"), 7, "a level is given twice"),
        (("scenario: world.yaml", "scenario: elsewhere.yaml"), 2, "no scenario 'elsewhere.yaml'"),
    ],
)
def test_mistakes_are_located_errors(tmp_path, change, line, message):
    error = error_of(tmp_path, EXPERIMENT.replace(*change))
    assert error.location.file.endswith("exp.yaml")
    assert error.location.line == line
    assert message in str(error)


def test_yaml_syntax_error_and_unsafe_tag_are_located(tmp_path):
    error = error_of(tmp_path, EXPERIMENT.replace("seed: 7", "seed: [7"))
    assert "not valid YAML" in str(error) and error.location.line is not None
    error = error_of(tmp_path, EXPERIMENT.replace("seed: 7", "seed: !!python/object:os.system 7"))
    assert "is not allowed" in str(error) and error.location.line == 3


def test_a_sampled_design_rejects_level_lists(tmp_path):
    experiment = EXPERIMENT.replace(
        "kind: factorial, levels: 3", "kind: latin_hypercube, samples: 8"
    )
    assert "give low and high, not levels" in str(error_of(tmp_path, experiment))


def test_factors_change_the_scenario_and_parameters_they_name(tmp_path):
    write(tmp_path)
    scenario = load_scenario(tmp_path / "world.yaml")
    params = scenario_params(scenario)
    names = [
        "deployments.tripwire.troops",
        "deployments.reinforcement.troops",
        "alliances.PACT.reliability",
        "states.GRT.resolve.mean",
        "demands.border.size",
        "parameters.spiral_hazard",
        "parameters.planning_days",
    ]
    targets = {name: resolve_factor(name, scenario, Location()) for name in names}
    values = dict(zip(names, [7.0, 3.5, 0.4, 0.55, 0.8, 0.1, 12.0], strict=True))
    changed, new_params = apply_factors(scenario, params, values, targets)
    assert changed.deployments[0].troops == 7.0
    assert next(e for e in changed.events if e.ref == "reinforcement").troops == 3.5
    assert changed.alliances["PACT"].reliability == 0.4
    assert changed.states["GRT"].resolve.mean == 0.55
    assert changed.demands[0].size == 0.8
    assert new_params.spiral_hazard == 0.1 and new_params.planning_days == 12.0
    # the originals are untouched (frozen data, copies made)
    assert scenario.deployments[0].troops == 2 and params.spiral_hazard != 0.1
    assert scenario.alliances["PACT"].reliability is None


def test_impossible_combination_of_valid_values_is_an_error(tmp_path):
    write(tmp_path)
    scenario = load_scenario(tmp_path / "world.yaml")
    name = "states.GRT.resolve.mean"
    targets = {name: resolve_factor(name, scenario, Location())}
    with pytest.raises(BrinkInputError, match=r"no Beta distribution has mean 0\.99"):
        apply_factors(scenario, scenario_params(scenario), {name: 0.99}, targets)


def _experiment_with(tmp_path, design: str, samples: str):
    text = EXPERIMENT.replace("kind: factorial, levels: 3", f"kind: {design}, {samples}")
    text = text.replace("{levels: [0, 5, 20]}", "{low: 0, high: 20}")
    return load_experiment(write(tmp_path, text))


def test_latin_hypercube_is_stratified_reproducible_and_reports_correlation(tmp_path):
    experiment = _experiment_with(tmp_path, "latin_hypercube", "samples: 20")
    design = build_design(experiment)
    again = build_design(load_experiment(experiment.path))
    assert np.array_equal(design.points, again.points)
    assert design.points.shape == (20, 2)
    # one point in each of 20 equal strata of each factor's range
    strata = np.floor((design.points[:, 0] - 0) / 20 * 20).astype(int)
    assert sorted(strata) == list(range(20))
    assert design.max_correlation == pytest.approx(
        abs(np.corrcoef(design.points.T)[0, 1]), abs=1e-12
    )
    # more replications do not change the design (its stream is apart from the runs')
    assert np.array_equal(build_design(experiment.resized(replications=9)).points, design.points)


def test_sobol_and_morris_sizes_follow_salib(tmp_path):
    sobol = build_design(_experiment_with(tmp_path, "sobol", "samples: 16"))
    assert sobol.points.shape == (16 * (2 + 2), 2)
    morris = build_design(_experiment_with(tmp_path, "morris", "samples: 5"))
    assert morris.points.shape == (5 * (2 + 1), 2)
    assert morris.levels == 4


def test_max_abs_correlation_of_known_columns():
    x = np.arange(10.0)
    assert max_abs_correlation(np.column_stack([x, -2 * x])) == pytest.approx(1.0)
    assert max_abs_correlation(np.column_stack([x, np.ones(10)])) == 0.0


def test_outcomes_read_the_runs_rows(tmp_path):
    write(tmp_path)
    scenario = load_scenario(tmp_path / "world.yaml")
    specs = [
        OutcomeSpec("war", "war", "war"),
        OutcomeSpec("force_pact", "force", "", by="GRT", against="PACT"),
        OutcomeSpec("ally_fights", "war", "", against="ALY"),
        OutcomeSpec("yielded", "outcome", "", value="yield_target"),
        OutcomeSpec("level4", "level", "", at_least=4),
    ]
    evaluator = OutcomeEvaluator(specs, scenario)
    row = {
        "dispute": "border",
        "challenger": "GRT",
        "target": "SML",
        "war": False,
        "challenger_level": 4,
        "max_level": 4,
        "outcome": "yield_target",
        "side_target": "",
    }
    assert evaluator.evaluate([row]) == {
        "war": False,
        "force_pact": True,
        "ally_fights": False,
        "yielded": True,
        "level4": True,
    }
    fought = {
        **row,
        "war": True,
        "challenger_level": 5,
        "max_level": 5,
        "outcome": "victory_challenger",
        "side_target": "ALY;SML",
    }
    assert evaluator.evaluate([row, fought])["ally_fights"] is True
    quiet = {**row, "challenger_level": 2, "max_level": 2, "outcome": "stalemate"}
    assert evaluator.evaluate([quiet]) == dict.fromkeys(evaluator.evaluate([quiet]), False)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 5000), st.data())
def test_wilson_interval_holds_the_estimate_inside_zero_one(n, data):
    k = data.draw(st.integers(0, n))
    low, high = wilson(k, n)
    assert 0.0 <= low <= k / n <= high <= 1.0
    assert (low == 0.0) == (k == 0) and (high == 1.0) == (k == n)


def test_wilson_matches_a_published_value():
    # Brown, Cai & DasGupta (2001), Table: n = 20, x = 4 → Wilson (0.081, 0.416)
    low, high = wilson(4, 20)
    assert (round(float(low), 3), round(float(high), 3)) == (0.081, 0.416)


def test_standardised_regression_coefficients_recover_a_linear_model():
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 1, (400, 3))
    y = 2 * x[:, 0] - 1 * x[:, 1] + 0 * x[:, 2]
    coefficients, r2 = standardised_coefficients(x, y)
    expected = np.array([2, -1, 0]) * x.std(axis=0) / y.std()
    assert np.allclose(coefficients, expected, atol=1e-9) and r2 == pytest.approx(1.0)


@pytest.mark.parametrize("name", ["tripwire", "sensitivity"])
def test_bundled_experiments_load(name):
    experiment = load_experiment(name)
    design = build_design(experiment)
    if name == "tripwire":
        assert experiment.scenario.name == "baltic_tripwire"
        levers = {f.name: f.kind for f in experiment.factors if f.role == "lever"}
        assert levers == {
            "deployments.tripwire_gbr.troops": "number",
            "alliances.NATO.members.EST": "boolean",
        }
        uncertainties = [f.name for f in experiment.factors if f.role == "uncertainty"]
        assert uncertainties[0] == "alliances.NATO.reliability"
        assert all(name.startswith("parameters.") for name in uncertainties[1:])
        # 16 futures for each of 4 × 2 lever settings
        assert design.kind == "latin_hypercube" and len(design) == 16 * 8
    else:
        assert experiment.scenario.name == "black_sea_2022"
        assert design.kind == "morris"
        assert len(design) == experiment.design.samples * (len(experiment.factors) + 1)
        assert all(f.name.startswith("parameters.") for f in experiment.factors)


def test_samples_and_replications_resize_the_design(tmp_path):
    experiment = load_experiment(write(tmp_path))
    grown = experiment.resized(samples=5, replications=2)
    assert len(build_design(grown)) == 3 * 5  # listed levels kept, the range gets 5 levels
    assert grown.replications == 2
    lhs = _experiment_with(tmp_path, "latin_hypercube", "samples: 20")
    assert len(build_design(lhs.resized(samples=7))) == 7
    listed = EXPERIMENT.replace("{low: 0.2, high: 1.0}", "{levels: [0.2, 1.0]}")
    with pytest.raises(BrinkInputError, match="changes nothing"):
        load_experiment(write(tmp_path, listed)).resized(samples=4)
    with pytest.raises(BrinkInputError, match="--replications"):
        experiment.resized(replications=0)


def test_an_outcome_that_never_varies_has_no_importance():
    x = np.random.default_rng(1).uniform(0, 1, (20, 2))
    coefficients, r2 = standardised_coefficients(x, np.full(20, 0.2) + np.arange(20) * 1e-18)
    assert np.array_equal(coefficients, np.zeros(2)) and np.isnan(r2)


def test_a_relative_range_is_built_around_the_scenario_value(tmp_path):
    text = EXPERIMENT.replace(
        "alliances.PACT.reliability: {low: 0.2, high: 1.0}",
        "alliances.PACT.reliability: {relative: 0.5}\n"
        "  parameters.spiral_hazard: {relative: 0.5}\n"
        "  deployments.reinforcement.troops: {relative: 0.2}",
    )
    factors = {f.name: f for f in load_experiment(write(tmp_path, text)).factors}
    scenario = load_scenario(tmp_path / "world.yaml")
    params = scenario_params(scenario)
    # no reliability in the file: the base is the model's defence-pact reliability, capped at 1
    base = params.reliability_defense
    assert factors["alliances.PACT.reliability"].bounds == (base * 0.5, min(1.0, base * 1.5))
    assert factors["parameters.spiral_hazard"].bounds == (
        params.spiral_hazard * 0.5,
        params.spiral_hazard * 1.5,
    )
    assert factors["deployments.reinforcement.troops"].bounds == (
        pytest.approx(1.2),
        pytest.approx(1.8),
    )
    error = error_of(tmp_path, EXPERIMENT.replace("{low: 0.2, high: 1.0}", "{relative: 1.5}"))
    assert "not a share between 0 and 1" in str(error) and error.location.line == 8
