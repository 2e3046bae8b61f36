"""Issue 14, one input discipline: every file Brink reads gets the scenario loader's bounds and
typed, finite, range-checked fields; a record that cannot be used is skipped with its reason."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd
import pytest
from test_sweep_experiment import EXPERIMENT, write

from brink.cli import main
from brink.errors import BrinkInputError
from brink.experiments.retrodiction.cases import build_cases
from brink.experiments.retrodiction.data import read_records
from brink.experiments.sweep import shards
from brink.experiments.sweep.experiment import load_experiment
from brink.experiments.sweep.experiment_blocks import MAX_REPLICATIONS
from brink.scenarios.loader import SCENARIO_DIR, load_scenario_text

DATA = Path(__file__).resolve().parents[1] / "data"  # the project's copies, with citations


def experiment_error(tmp_path, text: str) -> BrinkInputError:
    with pytest.raises(BrinkInputError) as caught:
        load_experiment(write(tmp_path, text))
    assert caught.value.location.file.endswith("exp.yaml")
    return caught.value


def test_an_alias_bomb_in_an_experiment_file_fails_fast_and_located(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + k)}: &{chr(98 + k)} [*{chr(97 + k)}, *{chr(97 + k)}, *{chr(97 + k)}, "
        f"*{chr(97 + k)}, *{chr(97 + k)}, *{chr(97 + k)}, *{chr(97 + k)}, *{chr(97 + k)}]\n"
        for k in range(8)
    )
    started = time.perf_counter()
    error = experiment_error(tmp_path, EXPERIMENT + bomb)
    assert "expands to more than 100,000 values" in str(error) and error.location.line
    assert time.perf_counter() - started < 10  # it took 39–46 s before the bound


def test_a_self_referencing_alias_and_deep_nesting_are_located(tmp_path):
    error = experiment_error(tmp_path, EXPERIMENT + "loop: &l [*l]\n")
    assert error.location.line is not None  # an alias to itself: no RecursionError
    error = experiment_error(tmp_path, EXPERIMENT + "deep: " + "[" * 200 + "]" * 200 + "\n")
    assert "nested more than 32 levels" in str(error)


def test_counts_have_documented_maxima_and_numbers_are_finite(tmp_path):
    error = experiment_error(
        tmp_path, EXPERIMENT.replace("replications: 3", "replications: 1000000000")
    )
    assert f"the most allowed, {MAX_REPLICATIONS:,}" in str(error) and error.location.line == 4
    error = experiment_error(
        tmp_path, EXPERIMENT.replace("levels: [0, 5, 20]", "levels: [0, 5, .inf]")
    )
    assert "not a finite number" in str(error) and error.location.line == 7
    error = experiment_error(tmp_path, EXPERIMENT.replace("seed: 7", "seed: -1"))
    assert error.location.key == "seed"
    error = experiment_error(
        tmp_path,
        EXPERIMENT.replace("levels: 3", "levels: 5000").replace(
            "replications: 3", "replications: 3000"
        ),
    )
    assert "above the most a sweep may have" in str(error)


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "black_sea_2022", "--set", "horizon=inf"],
        ["run", "black_sea_2022", "--set", "arming=inf"],
        ["run", "black_sea_2022", "--horizon", "1e400"],
        ["run", "black_sea_2022", "--seed", "-1"],
        ["classic", "tribute", "--seed", "-1"],
        ["classic", "tribute", "--actors", "100000"],
        ["classic", "landscape", "--europe-1936", "--seed", "-1"],
        ["calibrate", "--seed", "-1"],
        ["retrodict", str(DATA / "gml-mid-dyadic-2.03.pre1990.csv"), "--seed", "-1"],
    ],
)
def test_bad_flags_are_one_line_and_exit_2(argv, capsys, tmp_path):
    assert main([*argv, "--out", str(tmp_path / "o")] if argv[0] == "run" else argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("brink: command line: --")


def test_a_non_finite_number_in_a_scenario_is_located():
    text = (SCENARIO_DIR / "black_sea_2022.yaml").read_text(encoding="utf-8")
    line = 1 + text[: text.index("troops: 106 ")].count("\n")
    for bad in (".inf", "1e400", "-.inf", "1" + "0" * 400):  # the last: an int beyond floats
        with pytest.raises(
            BrinkInputError, match=r"not a finite number|below|far too large"
        ) as caught:
            load_scenario_text(text.replace("troops: 106 ", f"troops: {bad} ", 1), "x.yaml")
        assert caught.value.location.line == line


def test_retrodiction_skips_records_with_unusable_codes_with_their_reasons(tmp_path):
    frame = pd.read_csv(DATA / "gml-mid-dyadic-2.03.pre1990.csv", dtype=str, nrows=60)
    first = frame.drop_duplicates("dispnum").index[:6]  # the first row of six disputes
    frame.loc[first[0], "ccode1"] = "2.7"
    frame.loc[first[1], "ccode2"] = "1e30"
    frame.loc[first[2], "year"] = "inf"
    frame.loc[first[3], "ccode2"] = frame.loc[first[3], "ccode1"]
    frame = frame[frame["dispnum"].isin(frame.loc[first, "dispnum"])]
    path = tmp_path / "mid.csv"
    frame.to_csv(path, index=False)
    cases, skipped = build_cases(read_records(path))
    reasons = [s.reason for s in skipped]
    assert len(reasons) == 4 and len(cases) == 2
    assert "ccode1 2.7 is not a whole number" in reasons[0]
    assert "ccode2 1e+30 is beyond 1,000,000,000" in reasons[1]
    assert "year inf is not a finite number" in reasons[2]
    assert "a dyad of a state with itself" in reasons[3]


def test_a_fractional_icb_actor_code_is_skipped_not_truncated(tmp_path):
    frame = pd.read_csv(DATA / "icb-v14-actors.pre1990.csv", dtype=str, nrows=8)
    frame.loc[0, "cracid"] = "365.5"
    path = tmp_path / "icb.csv"
    frame.to_csv(path, index=False)
    cases, skipped = build_cases(read_records(path))
    assert skipped[0].line == 2 and "cracid 365.5 is not a whole number" in skipped[0].reason
    assert "ICB 1" not in {case.case_id for case in cases}


def test_classic_csv_readers_are_bounded_and_results_must_be_finite(tmp_path, capsys):
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(b"Actor,Capability,Position,Salience\nA\xe9,1,10,50\nB,1,90,50\n")
    assert main(["classic", "bdm", str(latin1)]) == 2
    assert "latin1.csv:2:2: not UTF-8 text" in capsys.readouterr().err
    huge = tmp_path / "huge.csv"
    huge.write_text(
        "Actor,Capability,Position,Salience\nA,1e308,10,50\nB,1e308,90,50\nC,1e308,40,50\n"
    )
    assert main(["classic", "bdm", str(huge)]) == 2
    err = capsys.readouterr().err
    assert "forecast came out inf" in err and err.count("\n") == 1
    land = tmp_path / "land.csv"
    land.write_text("actor,size,A,B\nA,1e308,0,1e308\nB,1e308,1e308,0\n")
    assert main(["classic", "landscape", str(land)]) == 2
    assert "came out" in capsys.readouterr().err
    land.write_bytes(b"actor,size,A,B\nA,1,0,1\nB\xff,1,1,0\n")
    assert main(["classic", "landscape", str(land)]) == 2
    assert "not UTF-8" in capsys.readouterr().err


def test_a_truncated_shard_is_set_aside_on_resume_and_analyze_is_located(tmp_path):
    folder = tmp_path / shards.SHARD_DIR
    folder.mkdir()
    import pyarrow as pa

    good = shards.write_shard(
        tmp_path, 0, 0, 1, pa.table({"error": pa.array([None, None], pa.string())})
    )
    bad = folder / shards.shard_name(0, 10, 11)
    bad.write_bytes(good.read_bytes()[:-20])  # a copy cut short
    assert set(shards.completed(tmp_path)) == {(0, 0), (0, 1), (0, 10), (0, 11)}
    with pytest.raises(BrinkInputError, match="a shard cannot be read"):
        shards.read_shards(tmp_path)
    moved = shards.set_aside_unreadable(tmp_path)
    assert [p.name for p in moved] == [f".{bad.name}.unreadable"]
    assert set(shards.completed(tmp_path)) == {(0, 0), (0, 1)}  # those runs will run again


def test_analyze_refuses_a_sweep_that_did_not_finish(tmp_path, capsys):
    (tmp_path / "manifest.json").write_text(json.dumps({"kind": "sweep", "status": "interrupted"}))
    assert main(["analyze", str(tmp_path)]) == 2
    assert "did not finish" in capsys.readouterr().err


@pytest.mark.slow
def test_a_sweep_with_absurd_worker_counts_is_refused_before_starting():
    import subprocess
    import sys

    for flag, value in (("--jobs", "100000"), ("--local-cluster", "100000")):
        done = subprocess.run(
            [sys.executable, "-m", "brink", "sweep", "tripwire", flag, value, "--no-progress"],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 2 and f"{flag}: 100000" in done.stderr
        assert "use 1–512" in done.stderr and "Traceback" not in done.stderr


def test_a_one_step_horizon_runs_and_draws_without_a_warning(tmp_path):
    # Found by the fuzz suite: one step gave identical x limits (a matplotlib warning, an
    # error under pytest's warnings-as-errors).
    out = tmp_path / "one"
    assert main(["run", "classics/fearon_ultimatum", "--horizon", "1", "--runs", "4",
                 "--out", str(out), "--no-progress"]) == 0  # fmt: skip
    assert (out / "figures" / "escalation.png").exists()
