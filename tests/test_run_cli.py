"""``brink run`` end to end: determinism across jobs, formats, the manifest, errors, overwrites."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from brink.cli import main
from brink.experiments.ensemble import replications as ensemble
from brink.experiments.ensemble.folder import read_run_dir
from brink.experiments.ensemble.output import TABLE_COLUMNS, file_sha256, read_table
from brink.sim import seeds
from brink.sim.record import RUN_COLUMNS
from brink.sim.record import RUN_OUTCOMES as OUTCOMES

SCENARIO = "classics/fearon_ultimatum"  # two states, one step per run: fast
RUNS = "40"


def brink_run(tmp_path, name, *extra, runs=RUNS):
    out = tmp_path / name
    code = main(["run", SCENARIO, "--runs", runs, "--out", str(out), "--no-progress", *extra])
    assert code == 0
    return out


def ensemble_dir(tmp_path, name, seed, jobs=1, fmt="parquet", runs=int(RUNS)):
    """Tables only (no summary, no figures): the ensemble runner called directly."""
    from brink.scenarios.loader import load_scenario
    from brink.sim.params import scenario_params

    scenario = load_scenario(SCENARIO)
    out = tmp_path / name
    out.mkdir()
    result = ensemble.run_ensemble(
        scenario, scenario_params(scenario), runs=runs, directory=out, root_seed=seed,
        jobs=jobs, fmt=fmt, progress=False,
    )  # fmt: skip
    return out, result


def test_seeds_come_from_spawned_seed_sequences():
    drawn = seeds.spawn_seeds(2024, 5)
    children = np.random.SeedSequence(2024).spawn(5)
    expected = [int(c.generate_state(1, dtype=np.uint64)[0]) >> 1 for c in children]
    assert drawn == expected
    assert len(set(drawn)) == 5 and all(0 <= s < 2**63 for s in drawn)
    assert seeds.spawn_seeds(2024, 8)[:5] == drawn  # a longer ensemble extends a shorter one
    assert seeds.spawn_seeds(2025, 5) != drawn


def test_chunks_do_not_depend_on_the_number_of_jobs():
    assert ensemble.chunk_size(40) == ensemble.chunk_size(40)
    pairs = [pair for chunk in ensemble.seed_chunks(list(range(100, 140))) for pair in chunk]
    assert pairs == list(enumerate(range(100, 140)))


@pytest.mark.slow
def test_same_seed_same_tables_with_one_or_two_jobs(tmp_path):
    one, first = ensemble_dir(tmp_path, "one", seed=11, jobs=1)
    two, second = ensemble_dir(tmp_path, "two", seed=11, jobs=2)
    other, third = ensemble_dir(tmp_path, "other", seed=12, runs=8)
    for name in TABLE_COLUMNS:
        pd.testing.assert_frame_equal(
            read_table(one, name), read_table(two, name), check_exact=True
        )
    assert (one / "runs.parquet").read_bytes() == (two / "runs.parquet").read_bytes()
    pd.testing.assert_frame_equal(first.runs, second.runs, check_exact=True)
    pd.testing.assert_frame_equal(first.escalation, second.escalation, check_exact=True)
    runs = read_table(one, "runs")
    assert list(runs.columns[: len(RUN_COLUMNS)]) == list(RUN_COLUMNS)
    assert runs["run"].tolist() == sorted(runs["run"]) and runs["run"].nunique() == int(RUNS)
    assert runs["seed"].tolist() == seeds.spawn_seeds(11, int(RUNS))
    assert read_table(other, "runs")["seed"].head(8).tolist() != runs["seed"].head(8).tolist()
    assert first.rows == second.rows and third.rows["runs"] == 8


def test_csv_holds_the_same_tables_as_parquet(tmp_path):
    parquet, _ = ensemble_dir(tmp_path, "parquet", seed=3, runs=12)
    csv, _ = ensemble_dir(tmp_path, "csv", seed=3, fmt="csv", runs=12)
    assert (csv / "runs.csv").exists() and not (csv / "runs.parquet").exists()
    assert (csv / "runs.csv").read_text().splitlines()[0].split(",")[0] == '"run"'
    for name in TABLE_COLUMNS:
        pd.testing.assert_frame_equal(read_table(parquet, name), read_table(csv, name))


def test_the_csv_format_from_the_command_line(tmp_path, capsys):
    out = brink_run(tmp_path, "csv", "--seed", "3", "--format", "csv", runs="6")
    capsys.readouterr()
    assert sorted(p.name for p in out.glob("*.csv")) == [
        "beliefs.csv", "events.csv", "fronts.csv", "runs.csv", "steps.csv",
    ]  # fmt: skip
    assert not list(out.glob("*.parquet"))
    assert len(read_run_dir(out)["runs"]) == 6


def test_manifest_records_what_reproduces_the_run(tmp_path, capsys):
    from brink.scenarios.loader import resolve_scenario_path

    out = brink_run(
        tmp_path, "m", "--seed", "99", "--set", "precision=3", "--set", "horizon=20",
        "--horizon", "12",
    )  # fmt: skip
    capsys.readouterr()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert manifest["versions"]["mesa"].startswith("3.5")
    assert manifest["versions"]["python"] == ".".join(map(str, sys.version_info[:3]))
    assert manifest["scenario_sha256"] == file_sha256(resolve_scenario_path(SCENARIO))
    assert manifest["root_seed"] == 99 and manifest["seed_given"] is True
    assert manifest["seeds"] == seeds.spawn_seeds(99, int(RUNS))
    params = manifest["parameters"]
    assert params["precision"] == 3.0
    assert params["horizon"] == 12  # --horizon is applied after --set
    assert params["win_probability"] == 0.5  # from the scenario's parameters block
    assert (
        "--seed 99" in manifest["command_line"] and "--set precision=3" in manifest["command_line"]
    )
    assert manifest["started"] <= manifest["finished"]
    assert manifest["rows"]["runs"] == int(RUNS)
    assert "figures/outcomes.png" in manifest["files"]
    assert "git_commit" in manifest


def test_a_drawn_root_seed_is_recorded(tmp_path, capsys):
    out = brink_run(tmp_path, "drawn")
    capsys.readouterr()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed_given"] is False
    assert manifest["seeds"] == seeds.spawn_seeds(manifest["root_seed"], int(RUNS))
    runs = read_table(out, "runs")
    assert runs["seed"].tolist() == manifest["seeds"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "precisio=3"], "--set precisio: unknown parameter 'precisio' (did you mean"),
        (["--set", "precision=900"], "--set precision: 900 is above 200"),
        (["--set", "precision"], "'precision' is not NAME=VALUE"),
        (["--runs", "0"], "--runs: 0 is out of range"),
        (["--runs", "many"], "--runs: 'many' is not a whole number"),
        (["--horizon", "0"], "--horizon: 0 is below 1"),
        (["--format", "xlsx"], "--format: 'xlsx' is not a table format"),
    ],
)
def test_a_mistake_on_the_command_line_is_one_line_and_exit_2(tmp_path, capsys, args, message):
    out = tmp_path / "bad"
    code = main(["run", SCENARIO, "--out", str(out), "--no-progress", *args])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("brink: command line: ")
    assert message in err
    assert not out.exists()


def test_an_unknown_scenario_is_one_line_and_exit_2(tmp_path, capsys):
    assert main(["run", "black_sea_2020", "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "black_sea_2020" in err


def test_a_directory_holding_another_run_is_not_overwritten(tmp_path, capsys):
    out = brink_run(tmp_path, "keep", "--seed", "1", runs="6")
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    code = main(["run", SCENARIO, "--runs", "6", "--seed", "2", "--out", str(out)])
    assert code == 2
    assert "already holds a Brink run output; add --force" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    # even the same run is written again only when asked (issue 14: --force or --resume only)
    code = main(["run", SCENARIO, "--runs", "6", "--seed", "1", "--out", str(out)])
    assert code == 2
    brink_run(tmp_path, "keep", "--seed", "2", "--force", "--format", "csv", runs="6")
    assert json.loads((out / "manifest.json").read_text())["root_seed"] == 2
    assert not (out / "runs.parquet").exists() and (out / "runs.csv").exists()
    stranger = tmp_path / "stranger"
    stranger.mkdir()
    (stranger / "notes.txt").write_text("mine")
    assert main(["run", SCENARIO, "--out", str(stranger), "--no-progress"]) == 2
    assert "holds no Brink output" in capsys.readouterr().err
    assert (stranger / "notes.txt").read_text() == "mine"


def test_a_failing_run_leaves_no_partial_file_and_the_old_tables_intact(
    tmp_path, capsys, monkeypatch
):
    out = brink_run(tmp_path, "crash", "--seed", "5")
    old = (out / "runs.parquet").read_bytes()
    from brink.sim import model

    real = model.simulate

    def failing(scenario, params, seed, run=0):
        if run == 30:
            raise RuntimeError("model failure")
        return real(scenario, params, seed, run=run)

    monkeypatch.setattr(model, "simulate", failing)
    with pytest.raises(RuntimeError, match="model failure"):
        main(["run", SCENARIO, "--runs", RUNS, "--seed", "5", "--out", str(out), "--no-progress",
              "--force"])  # fmt: skip
    assert (out / "runs.parquet").read_bytes() == old
    assert not [p.name for p in out.iterdir() if "partial" in p.name]
    assert not [p.name for p in tmp_path.iterdir() if "partial" in p.name]  # staging removed


@pytest.mark.slow
def test_progress_goes_to_stderr_and_the_summary_to_stdout(tmp_path):
    out = tmp_path / "p"
    done = subprocess.run(
        [sys.executable, "-m", "brink", "run", SCENARIO, "--runs", RUNS, "--seed", "4",
         "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )  # fmt: skip
    assert done.stdout == (out / "summary.md").read_text()
    assert "runs" in done.stdout and "\r" not in done.stdout
    assert "brink run" in done.stderr and "run/s" in done.stderr  # tqdm's bar
    assert done.stderr.rstrip().endswith(f"brink: wrote {out}")


@pytest.mark.slow
def test_the_2022_summary_answers_the_analysts_questions(tmp_path, capsys):
    out = tmp_path / "bs"
    code = main(["run", "black_sea_2022", "--runs", "30", "--seed", "2022", "--out", str(out),
                 "--no-progress"])  # fmt: skip
    assert code == 0
    text = capsys.readouterr().out
    assert text == (out / "summary.md").read_text()
    for question in (
        "- Russia uses force against Ukraine: ",
        "- War between Russia and a NATO member, in any dispute: ",
        "- NATO gives in to Russia (",
        "- A NATO member withdraws forces: ",
        "- Sanctions `",
        "## Who fought on which side",
    ):
        assert question in text
    # Who fought is answered by a table for each dispute that saw a war, principals first, or
    # by saying no state fought (under the screening standoff a Russia–Ukraine war is rare in 30
    # runs: README, "The founding scenario").
    lines = text.splitlines()
    sides = lines[lines.index("## Who fought on which side") + 2]
    assert sides == "No state fought in any run." or sides.startswith("Dispute `")
    for header in [line for line in lines if line.startswith("| state | with Russia |")]:
        table = lines.index(header)
        assert lines[table + 2].startswith("| Russia |")
    runs = read_table(out, "runs")
    assert len(runs) == 30 * runs["dispute"].nunique()
    assert set(runs["outcome"]) <= set(OUTCOMES) and runs["max_level"].between(1, 5).all()
    steps = read_table(out, "steps", columns=["run", "step", "escalation_score"])
    assert steps.groupby(["run", "step"])["escalation_score"].nunique().eq(1).all()
    for figure in ("outcomes", "escalation", "sides"):
        assert (out / "figures" / f"{figure}.png").stat().st_size > 10_000
