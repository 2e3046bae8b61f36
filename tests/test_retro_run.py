"""End to end: a small retrodiction and the calibration report."""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
import pytest

from brink.errors import BrinkInputError
from brink.experiments.retrodiction.calibration import base_rates, calibration_report, format_report
from brink.experiments.retrodiction.case_runs import case_seeds
from brink.experiments.retrodiction.codes import OUTCOME_CLASSES
from brink.experiments.retrodiction.commands import register
from brink.experiments.retrodiction.run import retrodict
from brink.scenarios.datasets import DATA_DIR

MID = DATA_DIR / "gml-mid-dyadic-2.03.pre1990.csv"
ICB = DATA_DIR / "icb-v14-actors.pre1990.csv"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    out = tmp_path_factory.mktemp("retro")
    return retrodict(MID, runs=3, jobs=1, limit=20, seed=5, out=out), out


def test_small_mid_retrodiction_writes_every_file(small):
    result, out = small
    for name in ("cases.csv", "cases.parquet", "skipped.csv", "scores.csv", "retrodiction.md"):
        assert (out / name).is_file(), name
    assert (out / "calibration.png").stat().st_size > 10_000
    assert (out / "calibration.pdf").is_file()
    cases = pd.read_csv(out / "cases.csv")
    assert len(cases) == 20
    assert list(cases["case_id"]) == list(result.cases["case_id"])  # file order
    assert cases["runs"].eq(3).all()


def test_forecasts_are_probabilities_beside_what_happened(small):
    cases = small[0].cases
    classes = OUTCOME_CLASSES["mid-dyadic"]
    shares = cases[[f"p_{c}" for c in classes]].sum(axis=1)
    assert np.allclose(shares, 1.0)
    # with three runs a case's war probability is a multiple of 1/3
    assert np.allclose(cases["p_war"] * 3, np.round(cases["p_war"] * 3))
    for column in ("p_war", "p_war_base_rate", "p_war_logistic", "p_war_recalibrated"):
        assert cases[column].between(0, 1).all(), column
    assert cases["observed_war"].dtype == bool
    assert set(cases["observed_outcome"]) <= {*classes, "other"}


def test_scores_include_the_baselines_in_the_same_run(small):
    result, out = small
    scores = pd.read_csv(out / "scores.csv")
    assert len(scores) == 4
    assert scores["forecaster"].str.contains("base rate").any()
    assert scores["forecaster"].str.contains("logistic").any()
    model = scores.iloc[0]
    cases = result.cases
    expected = ((cases["p_war"] - cases["observed_war"]) ** 2).mean()
    assert model["war_brier"] == pytest.approx(expected)
    summary = (out / "retrodiction.md").read_text()
    assert "20 run, 0 skipped" in summary
    assert "out of sample" in summary


def test_same_seed_same_forecasts(small, tmp_path):
    again = retrodict(MID, runs=3, jobs=1, limit=6, seed=5, out=tmp_path)
    first = small[0].cases.head(6)
    assert np.array_equal(again.cases["p_war"], first["p_war"])
    assert case_seeds(5, 3, 2) == case_seeds(5, 3, 2)
    assert case_seeds(5, 3, 2) != case_seeds(6, 3, 2)


@pytest.mark.slow
def test_process_pool_gives_the_same_forecasts(small, tmp_path):
    pooled = retrodict(MID, runs=3, jobs=2, limit=20, seed=5, out=tmp_path)
    assert pooled.cases["p_war"].tolist() == small[0].cases["p_war"].tolist()
    assert pooled.cases["p_stalemate"].tolist() == small[0].cases["p_stalemate"].tolist()


def test_icb_subset_lists_its_skipped_records(tmp_path):
    result = retrodict(ICB, runs=2, jobs=1, limit=12, seed=1, out=tmp_path)
    skipped = pd.read_csv(tmp_path / "skipped.csv")
    assert len(result.cases) + len(skipped) == 12
    assert skipped["reason"].str.len().gt(0).all()
    classes = OUTCOME_CLASSES["icb-actor"]
    assert np.allclose(result.cases[[f"p_{c}" for c in classes]].sum(axis=1), 1.0)


def _parse(argv):
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    return parser.parse_args(argv)


def test_cli_rejects_bad_input_with_located_errors(tmp_path):
    bogus = tmp_path / "bogus.csv"
    bogus.write_text("a,b\n1,2\n")
    args = _parse(["retrodict", str(bogus), "--jobs", "1", "--out", str(tmp_path / "o")])
    with pytest.raises(BrinkInputError, match=r"bogus.csv:1: columns match no known"):
        args.handler(args)
    args = _parse(["retrodict", str(MID), "--runs", "0"])
    with pytest.raises(BrinkInputError, match=r"--runs: 0 is below 1"):
        args.handler(args)
    with pytest.raises(SystemExit):
        _parse(["retrodict", str(MID), "--jobs", "2", "--scheduler", "tcp://127.0.0.1:1"])


def test_cli_runs_a_subset(tmp_path, capsys):
    out = tmp_path / "cli"
    args = _parse(
        [
            *("retrodict", str(MID), "--runs", "2", "--jobs", "1", "--limit", "8"),
            *("--out", str(out), "--seed", "2", "--horizon", "60"),
        ]
    )
    assert args.handler(args) == 0
    printed = capsys.readouterr().out
    assert "8 cases, 0 skipped" in printed
    assert "who joined: Brier" in printed and "state × case pairs" in printed
    summary = (out / "retrodiction.md").read_text()
    assert "horizon 60 steps" in summary
    command = f"brink retrodict {MID} --runs 2 --jobs 1 --out {out} --seed 2 --horizon 60 --limit 8"
    assert f"Command: `{command}`" in summary


def test_calibration_report_sets_shares_beside_mid_base_rates():
    rates = base_rates()
    assert rates["war"] == pytest.approx(105 / 1638)  # data/README.md: 6.4 %
    assert rates["stalemate"] == pytest.approx(0.572, abs=0.001)
    report = calibration_report(disputes=40, seed=1)
    assert report["measure"].tolist()[0] == "war"
    outcomes = report[report["measure"] != "war"]
    assert outcomes["model"].sum() == pytest.approx(1.0)
    assert outcomes["mid"].sum() == pytest.approx(1.0)
    assert report.equals(calibration_report(disputes=40, seed=1))  # dyads are cached
    text = format_report(report, 40, 1, 180)
    assert "6.4%" in text


@pytest.mark.slow
@pytest.mark.cluster
def test_dask_scheduler_gives_the_same_forecasts(small, tmp_path):
    import logging

    from distributed import LocalCluster

    with LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=logging.ERROR,
    ) as cluster:
        remote = retrodict(
            MID, runs=3, scheduler=cluster.scheduler_address, limit=5, seed=5, out=tmp_path
        )
    assert remote.cases["p_war"].tolist() == small[0].cases["p_war"].head(5).tolist()


def test_calibrate_json_holds_the_patterns_beside_history(capsys):
    import json

    from brink.experiments.war_durations import cow_war_days

    args = _parse(["calibrate", "--disputes", "12", "--seed", "3", "--horizon", "90", "--json"])
    assert args.handler(args) == 0
    printed = json.loads(capsys.readouterr().out)
    assert (printed["disputes"], printed["seed"], printed["horizon"]) == (12, 3, 90)
    patterns = {row["name"]: row for row in printed["patterns"]}
    names = ["war_share", "stalemate_share"]
    names += [f"{kind}_days_q{q}" for kind in ("dispute", "war") for q in (25, 50, 75)]
    assert list(patterns) == names
    assert all(set(row) == {"name", "model", "history"} for row in printed["patterns"])
    # History from the data, computed here independently of the report.
    mids = pd.read_csv(MID).groupby("dispnum").first()
    assert patterns["war_share"]["history"] == pytest.approx((mids["hostlev"] == 5).mean())
    assert patterns["stalemate_share"]["history"] == pytest.approx((mids["outcome"] == 5).mean())
    expected = np.percentile(mids["maxdur"], [25, 50, 75])
    assert [patterns[f"dispute_days_q{q}"]["history"] for q in (25, 50, 75)] == list(expected)
    cow = np.percentile(cow_war_days(), [25, 50, 75])
    assert [patterns[f"war_days_q{q}"]["history"] for q in (25, 50, 75)] == pytest.approx(cow)
    # The model's side: the same run as the plain report, and dispute days within the horizon.
    report = calibration_report(disputes=12, seed=3, horizon=90)
    assert patterns["war_share"]["model"] == pytest.approx(
        report.set_index("measure").loc["war", "model"]
    )
    days = [patterns[f"dispute_days_q{q}"]["model"] for q in (25, 50, 75)]
    assert days == sorted(days) and days[0] >= 0 and days[2] <= 90
