"""``brink fit``, params files and ``--params``: scoring, recovery, resume, errors."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from test_sweep_cluster import dask_cluster  # noqa: F401  (a fixture: a real Dask cluster)

from brink.errors import BrinkInputError
from brink.experiments.fit.evaluate import evaluate, objective, training_set
from brink.experiments.fit.recovery import synthetic_training
from brink.experiments.fit.scoring import (
    class_term,
    duration_bin,
    duration_counts,
    duration_term,
    war_term,
)
from brink.experiments.fit.study import FitSettings, check_free, open_study, run_trials
from brink.scenarios.datasets import DATA_DIR
from brink.scenarios.loader import load_scenario
from brink.scenarios.params_file import base_params, load_params_file
from brink.sim.params import ModelParams, scenario_params

MID = DATA_DIR / "gml-mid-dyadic-2.03.pre1990.csv"
ICB = DATA_DIR / "icb-v14-actors.pre1990.csv"
BRINK = [sys.executable, "-m", "brink"]


# -- scoring ---------------------------------------------------------------------------------


def test_war_term_is_the_log_of_the_smoothed_share():
    # 3 wars in 10 runs: (3 + 0.5) / (10 + 1) for war, (7 + 0.5) / 11 for no war.
    assert war_term(3, 10, True) == pytest.approx(math.log(3.5 / 11))
    assert war_term(3, 10, False) == pytest.approx(math.log(7.5 / 11))
    # No run went to war: a finite, not infinite, penalty when war happened.
    assert war_term(0, 20, True) == pytest.approx(math.log(0.5 / 21))


def test_class_term_smooths_every_class_by_a_half():
    counts = [6, 0, 2, 2]  # 10 runs over four classes
    assert class_term(counts, 0) == pytest.approx(math.log(6.5 / 12))
    assert class_term(counts, 1) == pytest.approx(math.log(0.5 / 12))


def test_duration_bins_and_term():
    assert [duration_bin(d) for d in (0, 29.9, 30, 89, 90, 179, 180, 5000)] == [
        0,
        0,
        1,
        1,
        2,
        2,
        3,
        3,
    ]
    assert duration_bin(12, running=True) == 3  # unfinished at the horizon: the open bin
    counts = duration_counts([10, 40, 100, 20], [False, False, False, True])
    assert counts.tolist() == [1, 1, 1, 1]
    # Observed wars of 10 and 200 days under counts [1, 1, 1, 1]: each (1.5 / 6).
    # Shares 1/4 each, smoothed as if from 4 wars: (1 + 0.5) / (4 + 2).
    assert duration_term(counts, [10, 200], runs=4) == pytest.approx(math.log(1.5 / 6))
    # Thousands of model wars, none in the first bin: the same floor as a case of 4 runs,
    # log(0.5 / 6), not log(0.5 / 3002).
    assert duration_term([0, 1000, 1000, 1000], [10], runs=4) == pytest.approx(math.log(0.5 / 6))


def test_dispute_length_is_scored_per_case_in_bins_up_to_six_months_or_more():
    from dataclasses import replace

    from brink.experiments.fit.evaluate import case_row
    from brink.experiments.fit.scoring import dispute_bin, dispute_counts
    from brink.experiments.retrodiction.cases import build_cases
    from brink.experiments.retrodiction.data import read_records
    from brink.sim.record import OUTCOMES

    assert [dispute_bin(d) for d in (0, 6.9, 7, 29, 30, 89, 90, 179, 180, 900)] == [
        0,
        0,
        1,
        1,
        2,
        2,
        3,
        3,
        4,
        4,
    ]
    assert dispute_counts([1, 2, 40, 180, 180]) == [2, 0, 1, 0, 2]
    case = build_cases(read_records(str(MID)), limit=1)[0][0]
    result = {"runs": 4, "wars": 0, "dispute_days": [1.0, 2.0, 3.0, 200.0]}
    result |= {f"n_{outcome}": 0 for outcome in OUTCOMES} | {"n_stalemate": 4}
    result |= {f"n_level_{level}": 4 if level == 3 else 0 for level in range(1, 6)}
    # Three runs ended within a week, one ran past six months; the record lasted 41 days.
    lasting = case_row(replace(case, days=41.0), result, fold=0, file_index=0)
    assert lasting["dispute_term"] == pytest.approx(math.log(0.5 / 6.5))
    quick = case_row(replace(case, days=3.0), result, fold=0, file_index=0)
    assert quick["dispute_term"] == pytest.approx(math.log(3.5 / 6.5))
    unknown = case_row(replace(case, days=None), result, fold=0, file_index=0)
    assert unknown["dispute_term"] == 0.0
    assert lasting["case_term"] - unknown["case_term"] == pytest.approx(lasting["dispute_term"])


# -- params files ----------------------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_params_file_values_and_posterior(tmp_path):
    path = write(
        tmp_path / "p.yaml",
        "format: brink-params/1\nvalues: {spiral_hazard: 0.1}\n"
        "posterior:\n  - {spiral_hazard: 0.05}\n  - {spiral_hazard: 0.2, war_cost_scale: 1}\n",
    )
    params_file = load_params_file(path)
    assert params_file.values == {"spiral_hazard": 0.1}
    assert base_params(params_file).spiral_hazard == 0.1
    drawn = base_params(params_file, draw=1)
    assert (drawn.spiral_hazard, drawn.war_cost_scale) == (0.2, 1.0)


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("values:\n  spiral_hazrd: 0.1\n", ":2:3", "did you mean 'spiral_hazard'"),
        ("values:\n  spiral_hazard: lots\n", ":2:18", "not a number"),
        ("values:\n  spiral_hazard: 7\n", ":2:18", "above 0.5"),
        ("values: [1, 2]\n", ":1:9", "mapping of parameter names"),
        ("valuez: {}\n", ":1:1", "unknown key 'valuez'"),
        ("format: brink-params/9\nvalues: {}\n", ":1:9", "unknown format"),
        ("values: {}\nposterior: {a: 1}\n", ":2:12", "list of parameter mappings"),
        ("values: {}\nposterior:\n  - {precision: -1}\n", ":3:17", "below 0"),
    ],
)
def test_bad_params_files_get_located_errors(tmp_path, text, where, message):
    path = write(tmp_path / "bad.yaml", text)
    with pytest.raises(BrinkInputError) as error:
        load_params_file(path)
    shown = str(error.value)
    assert f"bad.yaml{where}" in shown
    assert message in shown


def test_a_params_file_sits_under_the_scenario_and_set(tmp_path):
    scenario = load_scenario("black_sea_2022")
    params_file = load_params_file(
        write(tmp_path / "p.yaml", "values: {spiral_hazard: 0.3, display_hazard: 0.05}\n")
    )
    params = scenario_params(scenario, {"display_hazard": 0.01}, base=base_params(params_file))
    assert params.spiral_hazard == 0.3  # from the file
    assert params.display_hazard == 0.01  # --set wins


def run_cli(*words: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*BRINK, *words], cwd=cwd, capture_output=True, text=True)


def run_here(capsys, monkeypatch, cwd: Path, *words: str) -> tuple[int, str]:
    """``brink WORDS`` in this process (no start-up cost): exit code and standard error."""
    from brink.cli import main

    monkeypatch.chdir(cwd)
    code = main(list(words))
    return code, capsys.readouterr().err


@pytest.mark.slow
def test_run_with_params_records_them_and_posterior_draws_follow_the_seed(tmp_path):
    write(
        tmp_path / "p.yaml",
        "values: {spiral_hazard: 0.1}\nposterior:\n  - {spiral_hazard: 0.0}\n"
        "  - {spiral_hazard: 0.5}\n",
    )
    done = run_cli(
        "run",
        "baltic_tripwire",
        "--runs",
        "6",
        "--seed",
        "3",
        "--horizon",
        "20",
        "--params",
        "p.yaml",
        "--posterior",
        "--out",
        "a",
        "--no-progress",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    manifest = yaml.safe_load((tmp_path / "a" / "manifest.json").read_text())
    assert manifest["params_file"]["values"] == {"spiral_hazard": 0.1}
    assert manifest["posterior_draws"] == 2
    assert manifest["parameters"]["spiral_hazard"] == 0.1
    assert "--params p.yaml --posterior" in manifest["command_line"]
    again = run_cli(
        *manifest["command_line"].split()[1:-6], "--out", "b", "--no-progress", cwd=tmp_path
    )
    assert again.returncode == 0, again.stderr
    first = pd.read_parquet(tmp_path / "a" / "runs.parquet")
    second = pd.read_parquet(tmp_path / "b" / "runs.parquet")
    pd.testing.assert_frame_equal(first, second)


def test_posterior_without_a_posterior_block_is_refused(tmp_path, capsys, monkeypatch):
    write(tmp_path / "p.yaml", "values: {spiral_hazard: 0.1}\n")
    words = ["run", "baltic_tripwire", "--runs", "2", "--params", "p.yaml", "--posterior"]
    code, err = run_here(capsys, monkeypatch, tmp_path, *words, "--out", "a")
    assert code == 2
    assert "p.yaml: posterior: the params file has no posterior" in err
    assert not (tmp_path / "a").exists()


def test_bad_params_file_on_the_command_line_is_a_located_error(tmp_path, capsys, monkeypatch):
    write(tmp_path / "p.yaml", "values:\n  optimism: -2\n")
    for command in (
        ["run", "baltic_tripwire", "--runs", "2", "--out", "a"],
        ["retrodict", str(MID), "--limit", "2", "--runs", "1", "--jobs", "1", "--out", "b"],
        ["calibrate", "--disputes", "2"],
        ["fit", str(MID), "--limit", "2", "--out", "c"],
    ):
        code, err = run_here(capsys, monkeypatch, tmp_path, *command, "--params", "p.yaml")
        assert code == 2, (command, err)
        assert "p.yaml:2:13: values.optimism: -2 is below 0" in err, err
        assert not any((tmp_path / name).exists() for name in "abc")


# -- the fit ---------------------------------------------------------------------------------


def test_free_parameters_are_checked():
    assert check_free(["spiral_hazard"]) == ("spiral_hazard",)
    with pytest.raises(BrinkInputError, match="did you mean 'spiral_hazard'"):
        check_free(["spiral_hazrd"])
    with pytest.raises(BrinkInputError, match="cannot be fitted"):
        check_free(["horizon"])
    with pytest.raises(BrinkInputError, match="cannot be fitted"):
        check_free(["win_probability"])


def test_hazards_and_costs_are_searched_on_a_log_scale_around_their_defaults():
    from brink.experiments.fit.defaults import DEFAULT_FREE
    from brink.experiments.fit.study import prior

    hazard = prior("display_hazard")  # default 1e-5 on [0, 0.2]
    assert hazard.log and hazard.low == pytest.approx(1e-7) and hazard.high == 0.2
    assert prior("lapse_rate").log  # default 0.003 on [0, 0.2]
    assert prior("review_rate").log  # [0.01, 1]: two decades with a positive floor
    assert not prior("optimism").log and prior("optimism").low == 0.0  # default 0.4 on [0, 2]
    # the screening standoff's parameters are fitted by default (issue 21, item 7)
    assert {"standoff_cost", "lapse_rate", "loss_aversion", "concession_cost"} <= set(DEFAULT_FREE)
    for name in DEFAULT_FREE:  # every default lies inside its prior
        distribution, default = prior(name), getattr(ModelParams(), name)
        assert distribution.low <= default <= distribution.high, name


def settings_for(free: list[str], seed: int = 4) -> FitSettings:
    return FitSettings(
        files=[{"path": "synthetic"}],
        free=free,
        runs=4,
        folds=3,
        seed=seed,
        horizon=60,
        limit=None,
    )


@pytest.mark.slow
def test_a_fit_recovers_a_parameter_from_cases_the_model_made(tmp_path):
    """Parameter recovery (Cook, Gelman & Rubin 2006; Talts et al. 2018): history simulated
    with review_rate = 0.05 — a quarter of the default — is fitted back to within a factor of
    two, and scores better than the default. (review_rate is used because its effect on what
    a case records is strong and one-peaked; spiral_hazard's is weak, since the model's states
    step back from a level whose hazard they see: a recovery check says which parameters the
    data can pin down, docs/fitting.md.)"""
    truth = ModelParams().with_overrides({"review_rate": 0.05, "horizon": 60})
    training = synthetic_training(MID, truth, cases=30, copies=3, runs=4, seed=11)
    settings = settings_for(["review_rate"])
    # 20 trials: the score's peak at the truth is narrow (on this history 0.05 scores −4.01,
    # 0.025 −4.12 and 0.1 −4.13, the floor 0.01 −4.07), and since projections stopped knowing
    # the opponent's resolve 14 trials of TPE stopped short of it, at the floor (8 December 2026).
    records = run_trials(training, settings, tmp_path, budget=20, progress=False)
    best = max(records, key=lambda r: r.score)
    default = next(r for r in records if r.default)
    assert default.params == {"review_rate": 0.2}
    assert 0.025 <= best.params["review_rate"] <= 0.1, best.params
    assert best.score > default.score


def test_resume_keeps_finished_trials_and_reruns_an_interrupted_one(tmp_path):
    training = training_set([str(MID)], runs=2, k_folds=2, seed=5, limit=6)
    settings = settings_for(["spiral_hazard", "display_hazard"])
    first = run_trials(training, settings, tmp_path, budget=2, progress=False)
    assert [r.number for r in first] == [0, 1]
    # A fit killed during trial 2: asked for, never told.
    study = open_study(tmp_path, settings.seed, resume=True)
    from brink.experiments.fit.study import prior

    interrupted = study.ask({name: prior(name) for name in settings.free})
    lost = dict(interrupted.params)
    resumed = run_trials(training, settings, tmp_path, budget=4, resume=True, progress=False)
    by_number = {r.number: r for r in resumed}
    assert len(resumed) == 4
    for record in first:  # the finished trials are kept as they were
        assert by_number[record.number].score == record.score
        assert by_number[record.number].params == record.params
    assert interrupted.number not in by_number  # marked failed …
    assert any(r.params == lost for r in resumed)  # … and its parameters evaluated again


def test_the_score_is_the_same_for_the_same_seeds_and_differs_for_other_params():
    training = training_set([str(MID), str(ICB)], runs=3, k_folds=2, seed=2, limit=5)
    params = ModelParams()
    one = evaluate(training, params)
    two = evaluate(training, params)
    pd.testing.assert_frame_equal(one.cases, two.cases)
    score = objective(one.cases, one.duration_counts, training.observed_war_days)
    assert score["score"] == pytest.approx(
        score["war"] + score["outcome"] + score["level"] + score["dispute"] + score["duration"]
    )
    hot = evaluate(training, params.with_overrides({"spiral_hazard": 0.5, "display_hazard": 0.2}))
    assert hot.cases["p_war"].mean() > one.cases["p_war"].mean()
    # The ICB file's cases have no hostility level: their level term is zero.
    assert (one.cases.loc[one.cases["file"] == 1, "level_term"] == 0).all()


@pytest.mark.slow
def test_fit_command_end_to_end(tmp_path):
    done = run_cli(
        "fit",
        str(MID),
        str(ICB),
        "--limit",
        "8",
        "--runs",
        "2",
        "--budget",
        "3",
        "--folds",
        "2",
        "--jobs",
        "1",
        "--noise-repeats",
        "2",
        "--free",
        "spiral_hazard",
        "optimism",
        "--out",
        "f",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    out = tmp_path / "f"
    for name in (
        "params.yaml",
        "trials.csv",
        "scores.csv",
        "out_of_fold.csv",
        "fit.md",
        "trace.png",
        "trace.pdf",
        "marginals.png",
        "journal.log",
        "fit.json",
    ):
        assert (out / name).is_file(), name
    params_file = load_params_file(out / "params.yaml")
    assert set(params_file.values) == {"spiral_hazard", "optimism"}
    assert params_file.posterior
    assert params_file.fit["library"] == "optuna"
    assert params_file.fit["trials"] == 3
    assert len(params_file.fit["data"][0]["sha256"]) == 64
    trials = pd.read_csv(out / "trials.csv")
    assert trials["default"].iloc[0]
    assert "Out of fold" in (out / "fit.md").read_text()
    # A finished fit is not overwritten without --resume; resuming a different fit is refused.
    again = run_cli("fit", str(MID), "--limit", "8", "--out", "f", cwd=tmp_path)
    assert again.returncode == 2 and "--resume" in again.stderr
    other = run_cli(
        "fit", str(MID), "--limit", "9", "--runs", "2", "--out", "f", "--resume", cwd=tmp_path
    )
    assert other.returncode == 2 and "was a different fit" in other.stderr, other.stderr
    # The fitted file runs.
    run = run_cli(
        "run",
        "baltic_tripwire",
        "--horizon",
        "10",
        "--runs",
        "2",
        "--params",
        "f/params.yaml",
        "--posterior",
        "--out",
        "r",
        "--no-progress",
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr


# -- retrodiction scored on a file nothing was fitted to ---------------------------------------


def split_mid(tmp_path: Path) -> tuple[Path, Path]:
    """Training rows: the first 30 disputes of the MID file; test rows: the next 15."""
    frame = pd.read_csv(MID)
    disputes = frame["dispnum"].drop_duplicates().tolist()
    train = frame[frame["dispnum"].isin(disputes[:30])]
    test = frame[frame["dispnum"].isin(disputes[30:45])]
    train.to_csv(tmp_path / "train.csv", index=False)
    test.to_csv(tmp_path / "test.csv", index=False)
    return tmp_path / "train.csv", tmp_path / "test.csv"


@pytest.mark.slow
def test_retrodict_with_train_never_fits_to_the_test_file(tmp_path):
    """The test file's outcomes are corrupted (every war made peace and every peace war, every
    outcome changed): the baselines' and recalibration's forecasts for it stay the same to the
    last digit, because they were fitted on the training file only; only the scores change."""
    from brink.experiments.retrodiction.run import retrodict

    train, test = split_mid(tmp_path)
    corrupted = pd.read_csv(test)
    corrupted["hostlev"] = np.where(corrupted["hostlev"] == 5, 3, 5)
    corrupted["outcome"] = np.where(corrupted["outcome"] == 5, 1, 5)
    corrupted.to_csv(tmp_path / "corrupted.csv", index=False)
    kwargs = {"runs": 3, "jobs": 1, "seed": 7, "train": [train]}
    honest = retrodict(test, out=tmp_path / "a", **kwargs)
    lying = retrodict(tmp_path / "corrupted.csv", out=tmp_path / "b", **kwargs)
    forecasts = [c for c in honest.cases.columns if c.startswith("p_")]
    pd.testing.assert_frame_equal(honest.cases[forecasts], lying.cases[forecasts])
    assert (honest.cases["observed_war"] != lying.cases["observed_war"]).all()
    assert not honest.scores["war_brier"].equals(lying.scores["war_brier"])
    summary = (tmp_path / "a" / "retrodiction.md").read_text()
    assert "fitted on the training files only (`train.csv`" in summary
    assert (tmp_path / "a" / "training_cases.csv").is_file()
    # Trained on the honest test file instead, the logistic forecasts do change: the check above
    # can fail.
    other = retrodict(test, out=tmp_path / "c", **{**kwargs, "train": [test]})
    assert not np.allclose(other.cases["p_war_logistic"], honest.cases["p_war_logistic"])


def test_training_files_must_be_of_the_test_files_kind(tmp_path):
    from brink.experiments.retrodiction.run import retrodict

    _, test = split_mid(tmp_path)
    with pytest.raises(BrinkInputError, match="ICB actor-level file"):
        retrodict(test, out=tmp_path / "a", runs=1, jobs=1, seed=1, train=[ICB])


@pytest.mark.cluster
@pytest.mark.slow
def test_a_fit_on_a_dask_scheduler_gives_the_same_trials_as_in_process(
    tmp_path,
    dask_cluster,  # noqa: F811 (the fixture imported above)
):
    """``brink fit --scheduler`` against a real ``dask scheduler`` and ``dask worker``: the
    trials (parameters and scores) are those of the same fit run in this process."""
    address, _workers = dask_cluster
    words = ["fit", str(MID), "--limit", "6", "--runs", "2", "--budget", "2", "--folds", "2"]
    words += ["--noise-repeats", "0", "--free", "review_rate"]
    here = run_cli(*words, "--jobs", "1", "--out", "here", cwd=tmp_path)
    assert here.returncode == 0, here.stderr
    there = run_cli(*words, "--scheduler", address, "--out", "there", cwd=tmp_path)
    assert there.returncode == 0, there.stderr
    columns = ["trial", "score", "review_rate"]
    pd.testing.assert_frame_equal(
        pd.read_csv(tmp_path / "here" / "trials.csv")[columns],
        pd.read_csv(tmp_path / "there" / "trials.csv")[columns],
    )
    assert "Dask cluster at tcp://127.0.0.1" in (tmp_path / "there" / "fit.md").read_text()


def test_a_sweep_base_point_takes_the_params_file_under_the_scenario():
    from brink.experiments.sweep.worker import base_parameters

    scenario = load_scenario("baltic_tripwire")
    base = (("spiral_hazard", 0.3), ("horizon", 50))
    params = base_parameters(scenario, 20, base)
    assert params.spiral_hazard == 0.3
    assert params.horizon == 20  # the experiment's horizon wins
    assert base_parameters(scenario, None, ()).spiral_hazard == ModelParams().spiral_hazard
