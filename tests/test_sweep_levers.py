"""Levers apart from uncertainties, categorical and yes/no factors, and outcomes that are numbers
or series: parsing with located errors, the crossed design, shards and resume."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_sweep_experiment import write
from test_sweep_run import InProcess

from brink.errors import BrinkInputError
from brink.experiments.sweep import shards
from brink.experiments.sweep.designs import build_design
from brink.experiments.sweep.experiment import load_experiment
from brink.experiments.sweep.outcomes import OutcomeEvaluator, OutcomeSpec
from brink.experiments.sweep.run import read_design, run_sweep
from brink.scenarios.loader import load_scenario

MIXED = """\
name: mixed
scenario: world.yaml
seed: 7
replications: 3
design: {kind: latin_hypercube, samples: 4}
uncertainties:
  alliances.PACT.reliability: {low: 0.2, high: 1.0}
  states.GRT.regime: {levels: [autocracy, democracy]}
levers:
  deployments.tripwire.troops: {levels: [0, 20]}
  alliances.PACT.members.SML: {levels: [true, false]}
outcomes:
  war: {kind: war}
  days: {kind: duration}
  dead: {kind: casualties}
  top: {kind: max_level}
  got: {kind: share, by: GRT}
  first: {kind: first_force}
  hostility: {kind: hostility}
"""


def test_levers_are_crossed_with_the_same_points_of_the_uncertainties(tmp_path):
    experiment = load_experiment(write(tmp_path, MIXED))
    roles = {f.name: (f.role, f.kind) for f in experiment.factors}
    assert roles == {
        "alliances.PACT.reliability": ("uncertainty", "number"),
        "states.GRT.regime": ("uncertainty", "category"),
        "deployments.tripwire.troops": ("lever", "number"),
        "alliances.PACT.members.SML": ("lever", "boolean"),
    }
    design = build_design(experiment)
    assert len(design) == 4 * 2 * 2  # four futures, four lever settings
    frame = design.frame()
    blocks = [frame.iloc[i * 4 : (i + 1) * 4] for i in range(4)]
    futures = ["alliances.PACT.reliability", "states.GRT.regime"]
    for block in blocks[1:]:  # every lever setting meets the same futures, in the same order
        pd.testing.assert_frame_equal(
            block[futures].reset_index(drop=True), blocks[0][futures].reset_index(drop=True)
        )
    settings = {
        (row["deployments.tripwire.troops"], row["alliances.PACT.members.SML"])
        for _, row in frame.iterrows()
    }
    assert settings == {(0.0, True), (0.0, False), (20.0, True), (20.0, False)}
    assert set(frame["states.GRT.regime"]) <= {"autocracy", "democracy"}


def test_a_yes_no_lever_changes_the_pact(tmp_path):
    from brink.experiments.sweep.factors import apply_factors, resolve_factor
    from brink.scenarios.spec import Membership
    from brink.sim.params import scenario_params

    write(tmp_path)
    scenario = load_scenario(tmp_path / "world.yaml")
    params = scenario_params(scenario)
    names = ("alliances.PACT.members.SML", "alliances.PACT.kind", "states.GRT.regime")
    targets = {name: resolve_factor(name, scenario, None) for name in names}
    values = {names[0]: False, names[1]: "consultation", names[2]: "democracy"}
    changed, _ = apply_factors(scenario, params, values, targets)
    assert [m.state for m in changed.alliances["PACT"].members] == ["ALY"]
    assert changed.alliances["PACT"].kind == "consultation"
    assert changed.states["GRT"].regime == "democracy"
    kept, _ = apply_factors(scenario, params, {names[0]: True}, targets)
    assert Membership("SML", 2004) in kept.alliances["PACT"].members  # kept as it was
    back, _ = apply_factors(changed, params, {names[0]: True}, targets)
    assert Membership("SML", 2020) in back.alliances["PACT"].members  # from the start year


@pytest.mark.parametrize(
    ("old", "new", "message", "line"),
    [
        (
            "states.GRT.regime: {levels: [autocracy, democracy]}",
            "states.GRT.regime: {levels: [autocracy, monarchy]}",
            "'monarchy' is not one of democracy, anocracy, autocracy",
            8,
        ),
        (
            "alliances.PACT.members.SML: {levels: [true, false]}",
            "alliances.PACT.members.SML: {levels: [true, 1]}",
            "1 is not one of false, true",
            11,
        ),
        (
            "states.GRT.regime: {levels: [autocracy, democracy]}",
            "states.GRT.regime: {low: 0, high: 1}",
            "a categorical factor takes a list of levels",
            8,
        ),
        (
            "days: {kind: duration}",
            "days: {kind: duration, aggregate: median}",
            "unknown aggregate 'median'",
            14,
        ),
        ("war: {kind: war}", "war: {kind: war, aggregate: max}", "'aggregate' applies", 13),
        (
            "alliances.PACT.members.SML: {levels: [true, false]}",
            "alliances.PACT.reliability: {levels: [0.5, 1]}",
            "'alliances.PACT.reliability' is both a lever and an uncertainty",
            11,
        ),
        (
            "kind: latin_hypercube, samples: 4",
            "kind: morris, samples: 4",
            "levers need a factorial or latin_hypercube design",
            10,
        ),
        ("levers:", "factors:", "give 'uncertainties' or its older name 'factors'", 7),
        (
            "alliances.PACT.members.SML: {levels: [true, false]}",
            "alliances.PACT.members.XXX: {levels: [true, false]}",
            "unknown factor 'alliances.PACT.members.XXX'",
            11,
        ),
    ],
)
def test_mistakes_are_located(tmp_path, old, new, message, line):
    assert old in MIXED
    with pytest.raises(BrinkInputError) as caught:
        load_experiment(write(tmp_path, MIXED.replace(old, new)))
    text = str(caught.value)
    assert message in text and f":{line}:" in text, text


def test_a_categorical_factor_in_a_sobol_design_is_refused_where_it_stands(tmp_path):
    text = MIXED.replace("kind: latin_hypercube, samples: 4", "kind: sobol, samples: 4")
    text = text[: text.index("levers:")] + text[text.index("outcomes:") :]
    text = text.replace(
        "uncertainties:", "uncertainties:\n  parameters.spiral_hazard: {relative: 0.5}"
    )
    with pytest.raises(BrinkInputError, match=r":9:.*categorical \(use factorial"):
        load_experiment(write(tmp_path, text))


def test_number_and_series_outcomes_read_the_run_tables(tmp_path):
    write(tmp_path)
    scenario = load_scenario(tmp_path / "world.yaml")
    specs = [
        OutcomeSpec("days", "duration", ""),
        OutcomeSpec("dead", "casualties", ""),
        OutcomeSpec("first", "first_force", ""),
        OutcomeSpec("latest", "first_force", "", aggregate="max"),
        OutcomeSpec("got", "share", "", dispute="border"),
        OutcomeSpec("path", "hostility", ""),
        OutcomeSpec("path_grt", "hostility", "", by="GRT"),
    ]
    base = {"challenger": "GRT", "target": "SML", "side_target": ""}
    rows = [
        {**base, "dispute": "border", "duration": 9, "casualties": 2.5, "settlement": 0.3},
        {**base, "dispute": "other", "duration": 4, "casualties": 1.0, "settlement": 0.0},
    ]
    events = [
        {"step": 3, "actor": "SML", "dispute": "border", "level": 4},  # the target: not counted
        {"step": 5, "actor": "GRT", "dispute": "border", "level": 4},
        {"step": 7, "actor": "GRT", "dispute": "border", "level": 5},
        {"step": 2, "actor": "GRT", "dispute": "other", "level": 4},
        {"step": 1, "actor": "GRT", "dispute": "other", "level": 3},
    ]
    steps = [
        {"step": 1, "state": "GRT", "posture": 2},
        {"step": 1, "state": "SML", "posture": 3},
        {"step": 2, "state": "GRT", "posture": 4},
        {"step": 2, "state": "SML", "posture": 1},
    ]
    values = OutcomeEvaluator(specs, scenario).evaluate(rows, steps, events, horizon=4)
    assert values == {
        "days": 9.0,  # the longest dispute
        "dead": 3.5,  # summed over disputes
        "first": 2.0,  # the earliest first use of force by a challenger
        "latest": 5.0,
        "got": 0.3,
        "path": [3.0, 4.0, 1.0, 1.0],  # padded with level 1 (quiet) to the horizon
        "path_grt": [2.0, 4.0, 1.0, 1.0],
    }
    quiet = OutcomeEvaluator(specs[2:3], scenario).evaluate(rows, steps, [], horizon=4)
    assert quiet == {"first": None}  # never used force: no day


def test_categorical_factors_round_trip_through_shards_and_resume(tmp_path):
    experiment = load_experiment(write(tmp_path, MIXED))
    reference = tmp_path / "reference"
    run_sweep(experiment, reference, InProcess(), progress=False)
    expected = shards.read_shards(reference)
    design = read_design(reference)
    assert design["states.GRT.regime"].map(type).eq(str).all()
    assert design["alliances.PACT.members.SML"].dtype == bool

    out = tmp_path / "sweep"
    run_sweep(experiment, out, InProcess(), progress=False)
    files = sorted((out / "shards").iterdir())
    for path in files[::2]:  # lose every other block, as an interrupted sweep would
        path.unlink()
    resumed = run_sweep(experiment, out, InProcess(), resume=True, progress=False)
    assert resumed.complete
    got = shards.read_shards(out)
    pd.testing.assert_frame_equal(got, expected)
    assert got["states.GRT.regime"].isin(["autocracy", "democracy"]).all()
    assert got["alliances.PACT.members.SML"].dtype == bool
    merged = got.merge(design, on="point", suffixes=("", "_design"))
    for name in ("states.GRT.regime", "alliances.PACT.members.SML"):
        assert (merged[name] == merged[f"{name}_design"]).all()
    lengths = got["y.hostility"].map(len)
    assert lengths.nunique() == 1 and lengths.iloc[0] == experiment.scenario.horizon
    assert np.isfinite(got["y.days"]).all()
