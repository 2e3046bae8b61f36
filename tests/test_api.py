"""The Python API: ``brink.run`` equals ``brink run``, its errors are located, parameters act."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import brink
from brink.cli import main
from brink.errors import BrinkInputError
from brink.experiments.ensemble.output import TABLE_COLUMNS, read_manifest, read_table
from brink.experiments.intervals import wilson

SCENARIO = "classics/fearon_ultimatum"  # two states, a war in about half the runs: fast


def test_api_run_gives_the_tables_and_summary_the_command_writes(tmp_path):
    out = tmp_path / "cli"
    code = main(
        ["run", SCENARIO, "--runs", "24", "--seed", "11", "--out", str(out), "--no-progress"]
    )
    assert code == 0
    result = brink.run(SCENARIO, runs=24, seed=11)
    assert set(result.tables) == set(TABLE_COLUMNS)
    for name in TABLE_COLUMNS:
        pd.testing.assert_frame_equal(result.tables[name], read_table(out, name), check_exact=True)
    assert result.text == (out / "summary.md").read_text()
    manifest = read_manifest(out)
    assert result.manifest["seeds"] == manifest["seeds"]
    assert result.manifest["parameters"] == manifest["parameters"]
    assert result.manifest["scenario_sha256"] == manifest["scenario_sha256"]
    assert result.root_seed == 11 and len(result.runs) == 24
    # the recorded call runs again to the same tables
    again = eval(result.manifest["call"], {"brink": brink})
    pd.testing.assert_frame_equal(again.runs, result.runs, check_exact=True)


def test_outcome_shares_carry_wilson_intervals():
    result = brink.run(SCENARIO, runs=30, seed=3)
    outcomes = result.outcomes.set_index("outcome")
    counts = result.runs["outcome"].value_counts()
    assert outcomes["count"].sum() == 30
    for outcome, row in outcomes.iterrows():
        assert row["count"] == counts.get(outcome, 0)
        assert (row["low"], row["high"]) == pytest.approx(wilson(row["count"], 30))
    war = result.headline.iloc[1]
    assert war["label"].startswith("War between State A and State B")
    assert war["count"] == int(result.runs["war"].sum()) and war["runs"] == 30
    assert result.plot_outcomes().axes  # a figure with axes, from the runs table


def test_a_loaded_scenario_runs_as_its_name_does():
    scenario = brink.load(SCENARIO)
    by_name = brink.run(SCENARIO, runs=8, seed=5)
    by_object = brink.run(scenario, runs=8, seed=5)
    pd.testing.assert_frame_equal(by_name.steps, by_object.steps, check_exact=True)


def test_a_bad_scenario_name_is_a_located_error_with_the_nearest_name():
    with pytest.raises(BrinkInputError) as caught:
        brink.load("black_sea_2023")
    assert str(caught.value).startswith("black_sea_2023: ")
    assert "did you mean 'black_sea_2022'" in str(caught.value)
    with pytest.raises(BrinkInputError, match="did you mean 'black_sea_2022'"):
        brink.run("black_sea_2023", runs=2)


def test_a_mistake_in_a_scenario_file_is_located_at_its_line(tmp_path):
    source = Path(brink.load(SCENARIO).path)
    text = source.read_text().replace("troops: 100", "troops: -5", 1)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "troops: -5" in row)
    with pytest.raises(BrinkInputError) as caught:
        brink.run(bad, runs=2)
    assert str(caught.value).startswith(f"{bad}:{line}:")
    assert "troops" in str(caught.value)


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"runs": 0}, "brink.run: runs: 0 is out of range"),
        ({"runs": "many"}, "brink.run: runs: 'many' is not a whole number"),
        ({"seed": -1}, "brink.run: seed: -1 is out of range"),
        ({"jobs": 0}, "brink.run: jobs: 0 is out of range"),
        ({"overrides": {"spiral_hazzard": 0.1}}, "did you mean 'spiral_hazard'"),
        ({"overrides": {"spiral_hazard": 7}}, "overrides['spiral_hazard']"),
        ({"params": {"war_cost_scal": 1}}, "params['war_cost_scal']"),
        ({"params": 3}, "params: params is int"),
        ({"horizon": 0}, "horizon"),
    ],
)
def test_bad_arguments_are_errors_that_name_the_argument(arguments, expected):
    with pytest.raises(BrinkInputError) as caught:
        brink.run(SCENARIO, **{"runs": 2, **arguments})
    assert expected in str(caught.value)


def test_params_act_and_the_scenario_and_overrides_take_precedence():
    plain = brink.run(SCENARIO, runs=40, seed=7)
    harsher = brink.run(SCENARIO, runs=40, seed=7, params={"attrition_rate": 0.04})
    assert harsher.params.attrition_rate == 0.04
    assert harsher.manifest["parameters"]["attrition_rate"] == 0.04
    war = plain.runs["war"].astype(bool)
    assert war.any()
    # the same seeds fight the same wars, and every war's losses change with the attrition rate
    assert (harsher.runs["war"] == plain.runs["war"]).all()
    assert (harsher.runs.loc[war, "casualties"] != plain.runs.loc[war, "casualties"]).all()
    assert (harsher.runs.loc[~war, "casualties"] == plain.runs.loc[~war, "casualties"]).all()
    # the scenario's own parameters: block overrides params (its judgement about its case) ...
    ignored = brink.run(SCENARIO, runs=40, seed=7, params={"target_cost_max": 3.0})
    assert ignored.params.target_cost_max == 0.4
    pd.testing.assert_frame_equal(ignored.runs, plain.runs, check_exact=True)
    # ... and overrides (--set) override the scenario: costlier wars, fewer of them
    costly = brink.run(SCENARIO, runs=40, seed=7, overrides={"target_cost_max": 3.0})
    assert costly.params.target_cost_max == 3.0
    assert costly.runs["war"].sum() < plain.runs["war"].sum()
    shorter = brink.run(SCENARIO, runs=4, seed=7, horizon=5)
    assert shorter.params.horizon == 5 and shorter.runs["end_step"].max() <= 5


def test_import_brink_is_quick_and_imports_no_heavy_library():
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, brink; brink.__all__; "
            "print(' '.join(m for m in ('pandas', 'numpy', 'mesa', 'matplotlib', 'brink.api') "
            "if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == ""
    assert callable(brink.run) and "run" in dir(brink)
    with pytest.raises(AttributeError, match="no attribute 'rn'"):
        brink.rn  # noqa: B018


def test_api_sweep_runs_what_the_command_runs(tmp_path):
    from test_sweep_experiment import write

    experiment = write(tmp_path)
    assert main(["sweep", str(experiment), "--out", str(tmp_path / "cli"), "--jobs", "1",
                 "--no-progress"]) == 0  # fmt: skip
    result = brink.sweep(experiment, out=tmp_path / "api", jobs=1)
    assert result.complete and result.total == 9 * 3 and result.failed == 0
    from brink.experiments.sweep.shards import read_shards

    pd.testing.assert_frame_equal(result.runs, read_shards(tmp_path / "cli"), check_exact=True)


def run_script(folder: Path, text: str) -> tuple[subprocess.CompletedProcess, float]:
    script = folder / "plain.py"
    script.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, cwd=folder, timeout=300
    )
    return done, time.perf_counter() - started


def test_a_sweep_script_without_a_main_guard_stops_at_once_saying_what_to_add(tmp_path):
    """A sweep's workers import the script that started them: called at the script's top level,
    brink.sweep used to run again in every worker and fail after four retries."""
    from test_sweep_experiment import write

    experiment = write(tmp_path)
    call = f"brink.sweep({str(experiment)!r}, out='out', jobs=2)"
    done, seconds = run_script(tmp_path, f"import brink\n\n{call}\n")
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == (
        f"{tmp_path / 'plain.py'}:3: brink.sweep starts worker processes, which import this "
        'script again: put the call under if __name__ == "__main__":'
    )
    assert not (tmp_path / "out").exists() and seconds < 60  # at once: nothing was started
    done, _ = run_script(
        tmp_path, "import brink\n\nbrink.run('classics/fearon_ultimatum', jobs=2)\n"
    )
    assert done.returncode == 2 and done.stderr.strip().endswith("(or pass jobs=1)")
    # Under the guard (here through a function), the same sweep runs on two worker processes.
    guarded = f"import brink\n\ndef main():\n    {call}\n\nif __name__ == '__main__':\n    main()\n"
    done, _ = run_script(tmp_path, guarded)
    assert done.returncode == 0, done.stderr
    from brink.experiments.sweep.shards import read_shards

    assert len(read_shards(tmp_path / "out")) == 27


def test_api_retrodict_scores_what_the_command_scores(tmp_path):
    from brink.scenarios.datasets import DATA_DIR

    data = DATA_DIR / "gml-mid-dyadic-2.03.pre1990.csv"
    options = ["--runs", "2", "--jobs", "1", "--limit", "6", "--seed", "3"]
    assert main(["retrodict", str(data), *options, "--out", str(tmp_path / "cli")]) == 0
    result = brink.retrodict(data, runs=2, jobs=1, limit=6, seed=3, out=tmp_path / "api")
    assert len(result.cases) == 6 and result.root_seed == 3
    written = pd.read_csv(tmp_path / "cli" / "scores.csv")
    pd.testing.assert_frame_equal(result.scores.reset_index(drop=True), written, atol=1e-12)


def test_a_params_file_and_its_posterior_run_as_with_the_command(tmp_path):
    path = tmp_path / "params.yaml"
    path.write_text(
        "format: brink-params/1\n"
        "values: {attrition_rate: 0.04}\n"
        "posterior:\n  - {attrition_rate: 0.01}\n  - {attrition_rate: 0.04}\n"
    )
    from_file = brink.run(SCENARIO, runs=16, seed=2, params=path)
    from_dict = brink.run(SCENARIO, runs=16, seed=2, params={"attrition_rate": 0.04})
    pd.testing.assert_frame_equal(from_file.runs, from_dict.runs, check_exact=True)
    assert from_file.manifest["params_file"]["values"] == {"attrition_rate": 0.04}
    drawn = brink.run(SCENARIO, runs=16, seed=2, params=path, posterior=True)
    assert drawn.manifest["posterior_draws"] == 2
    assert not drawn.runs["casualties"].equals(from_file.runs["casualties"])
    out = tmp_path / "cli"
    assert main(["run", SCENARIO, "--runs", "16", "--seed", "2", "--params", str(path),
                 "--posterior", "--out", str(out), "--no-progress"]) == 0  # fmt: skip
    for name in TABLE_COLUMNS:
        pd.testing.assert_frame_equal(drawn.tables[name], read_table(out, name), check_exact=True)
    with pytest.raises(BrinkInputError, match="posterior=True needs params="):
        brink.run(SCENARIO, runs=2, posterior=True)
    path.write_text("values: {attrition_rat: 0.04}\n")
    with pytest.raises(BrinkInputError, match=f"{path}:1:.*did you mean 'attrition_rate'"):
        brink.run(SCENARIO, runs=2, params=path)
