"""``brink sweep`` end to end on a process pool: reproducible, resumable, failure-tolerant.

Each sweep runs the real command in a child process, as a user would, so interrupting it,
killing it and killing its workers are the real thing. The reference is one uninterrupted
sweep; every other way of getting there must give the same runs, each exactly once.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
import pytest
from test_sweep_experiment import EXPERIMENT, write

from brink.errors import BrinkInputError
from brink.experiments.analysis.analyze import analyze_sweep
from brink.experiments.executors import Runner
from brink.experiments.intervals import wilson
from brink.experiments.sweep import shards
from brink.experiments.sweep.experiment import load_experiment
from brink.experiments.sweep.run import run_sweep, staging_folder

#: 9 points × 40 replications: long enough (a few seconds) to interrupt in the middle.
BIG = EXPERIMENT.replace("replications: 3", "replications: 40")
TOTAL = 9 * 40


def brink(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "brink", *args],
        capture_output=True,
        text=True,
        timeout=300,
        **kwargs,
    )


def _interruptible() -> None:
    """In the child, before ``brink`` starts: Ctrl-C's default, as at a terminal. A shell that
    starts the test suite in the background (``bash .ci/run &``, nohup) leaves SIGINT ignored,
    the child inherits that, and Python then never turns SIGINT into KeyboardInterrupt: the
    sweep ran to its end and the interrupt test failed (two fresh-clone runs of 8 December)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "brink", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_interruptible,
    )


def results(directory: Path) -> pd.DataFrame:
    """Every shard's rows, sorted; a run present twice or missing shows as a difference."""
    return shards.read_shards(directory)


def wait_for_shards(directory: Path, count: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while len(shards.completed(directory)) < count:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the sweep made no progress"
        time.sleep(0.05)


def signal_each(processes: list[psutil.Process], signum: int) -> None:
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.send_signal(signum)


def paused_mid_sweep(world: Path, out: Path) -> tuple[subprocess.Popen, list[psutil.Process]]:
    """``brink sweep --jobs 2`` into ``out``, and its processes below the main one, stopped
    (SIGSTOP) with 30 runs to half the runs on disk: a sweep that cannot finish before the test
    signals it. The test sends SIGCONT to them once it has.

    Without the pause a test held up for two or three seconds (a loaded machine) saw 30 runs,
    then signalled a sweep that had finished meanwhile and renamed its staging folder to
    ``out``: nothing was left to interrupt. A sweep that gets past half its runs (or to its end)
    before the pause is let finish, and another is started.
    """
    staging = staging_folder(out)
    for _attempt in range(3):
        process = start("sweep", str(world), "--out", str(out), "--jobs", "2")
        deadline = time.monotonic() + 120
        while process.poll() is None and len(shards.completed(staging)) < 30:
            assert time.monotonic() < deadline, "the sweep made no progress"
            time.sleep(0.05)
        below = []
        if process.returncode is None:  # not reaped: its process id is still its own
            below = psutil.Process(process.pid).children(recursive=True)
        signal_each(below, signal.SIGSTOP)
        # no shard is written from here on: the runs on disk are the sweep's progress
        if 30 <= len(shards.completed(staging)) <= TOTAL // 2:
            return process, below
        signal_each(below, signal.SIGCONT)
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr  # a whole sweep, run before it could be paused
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(staging, ignore_errors=True)
    pytest.fail("three sweeps ran past half their runs before the test could pause them")


def assert_same_runs(directory: Path, reference: pd.DataFrame) -> None:
    frame = results(directory)
    keys = frame[["point", "replication"]].drop_duplicates()
    assert len(keys) == TOTAL
    assert len(shards.completed(directory)) == TOTAL
    pd.testing.assert_frame_equal(frame, reference)


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    return write(tmp_path_factory.mktemp("world"), BIG)


@pytest.fixture(scope="module")
def reference_dir(world, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reference") / "sweep"
    done = brink("sweep", str(world), "--out", str(out), "--jobs", "2")
    assert done.returncode == 0, done.stderr
    assert f"{TOTAL} of {TOTAL} runs" in done.stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["runs_done"] == TOTAL
    assert manifest["experiment_sha256"] and manifest["design"]["kind"] == "factorial"
    frame = results(out)
    # every run once, with its factors, seed and outcomes
    assert len(frame[["point", "replication"]].drop_duplicates()) == TOTAL
    assert frame["error"].isna().all()
    assert frame.groupby("replication")["seed"].nunique().eq(1).all()  # common random numbers
    assert frame["seed"].nunique() == 40
    return out


@pytest.fixture(scope="module")
def reference(reference_dir) -> pd.DataFrame:
    return results(reference_dir)


DRIVER = """
import json, sys
from brink.cli import main

if __name__ == "__main__":  # the fork server's workers import this file again
    code = main(["sweep", sys.argv[1], "--out", sys.argv[2], "--jobs", "1", "--no-progress"])
    heavy = sorted(name for name in ("pandas", "mesa", "brink.sim.model") if name in sys.modules)
    print(json.dumps({"code": code, "heavy": heavy}))
"""


def test_the_main_process_of_a_sweep_imports_neither_pandas_nor_the_model(tmp_path):
    """Results stream to disk from the workers; the driver keeps a status table, so it needs
    neither the model nor pandas (their memory would be its memory; see bench_sweep.py)."""
    experiment = write(tmp_path, EXPERIMENT)
    script = tmp_path / "driver.py"
    script.write_text(DRIVER, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), str(experiment), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report == {"code": 0, "heavy": []}
    assert len(shards.completed(tmp_path / "out")) == 9 * 3


@pytest.mark.slow
def test_one_worker_gives_the_same_runs_as_two(world, reference, tmp_path):
    done = brink("sweep", str(world), "--out", str(tmp_path / "one"), "--jobs", "1")
    assert done.returncode == 0, done.stderr
    assert_same_runs(tmp_path / "one", reference)


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL])
def test_an_interrupted_sweep_resumes_to_the_same_runs(world, reference, tmp_path, how):
    out = tmp_path / "sweep"
    staging = staging_folder(out)
    process, workers = paused_mid_sweep(world, out)
    process.send_signal(how)
    signal_each(workers, signal.SIGCONT)
    _, stderr = process.communicate(timeout=60)
    partial = len(shards.completed(staging))
    # what the sweep said, if it ended otherwise (a CI run of 8 December saw 0 runs in the
    # staging folder after SIGINT, once in four fresh-clone runs; never when run alone)
    assert 30 <= partial < TOTAL, (process.returncode, stderr[-2000:], out.exists())
    assert not out.exists()  # the real name only ever holds a finished sweep
    if how == signal.SIGINT:
        assert process.returncode == 130
        assert "--resume" in stderr and str(staging) in stderr
        assert json.loads((staging / "manifest.json").read_text())["status"] == "interrupted"
        unfinished = brink("analyze", str(out))
        assert unfinished.returncode == 2 and "did not finish" in unfinished.stderr
    else:
        assert process.returncode == -signal.SIGKILL
    # the workers do not run on unseen after their sweep is gone
    _gone, alive = psutil.wait_procs(workers, timeout=15)
    assert not alive, alive

    if how == signal.SIGINT:
        again = brink("sweep", str(world), "--out", str(out), "--jobs", "2")
        assert again.returncode == 2 and "--resume" in again.stderr  # no silent overwrite
    resumed = brink("sweep", str(world), "--out", str(out), "--jobs", "2", "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert not staging.exists()
    assert_same_runs(out, reference)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and len(manifest["resumed"]) == 1


@pytest.mark.slow
def test_a_killed_worker_has_its_runs_done_again(world, reference, tmp_path):
    out = tmp_path / "sweep"
    process = start("sweep", str(world), "--out", str(out), "--jobs", "2")
    wait_for_shards(staging_folder(out), 30, process)
    # pool workers are the grandchildren (the fork server is the child)
    pool = [
        child
        for child in psutil.Process(process.pid).children(recursive=True)
        if child.ppid() != process.pid
    ]
    assert pool
    os.kill(pool[0].pid, signal.SIGKILL)
    _stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    assert_same_runs(out, reference)


def test_resume_refuses_another_experiment(world, tmp_path):
    out = tmp_path / "sweep"
    experiment = load_experiment(world).resized(replications=1)
    assert run_sweep(experiment, out, InProcess(), progress=False).complete
    with pytest.raises(BrinkInputError, match=r"holds a different sweep \(replications differ\)"):
        run_sweep(experiment.resized(replications=2), out, InProcess(), resume=True)
    with pytest.raises(
        BrinkInputError, match="already holds a Brink sweep output; add --resume to finish it"
    ):
        run_sweep(experiment, out, InProcess())


@pytest.mark.slow
def test_a_failing_run_is_recorded_and_the_sweep_goes_on(tmp_path):
    # Resolve mean 0.99 with spread 0.15 is no Beta distribution: those runs cannot start.
    text = EXPERIMENT.replace(
        "deployments.tripwire.troops: {levels: [0, 5, 20]}",
        "states.GRT.resolve.mean: {levels: [0.6, 0.99]}",
    )
    world = write(tmp_path, text)
    out = tmp_path / "sweep"
    done = brink("sweep", str(world), "--out", str(out), "--jobs", "2")
    assert done.returncode == 1
    assert "9 of 18 runs failed" in done.stderr and "failures.csv" in done.stderr
    failures = pd.read_csv(out / "failures.csv")
    assert len(failures) == 9
    assert (failures["states.GRT.resolve.mean"] == 0.99).all()
    assert failures["error"].str.contains("no Beta distribution has mean 0.99").all()
    frame = results(out)
    good = frame[frame["error"].isna()]
    assert len(good[["point", "replication"]].drop_duplicates()) == 9
    assert (good["states.GRT.resolve.mean"] == 0.6).all()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete with failures" and manifest["runs_failed"] == 9
    # the analysis still reads it, and says how many failed
    assert "failed: 9" in analyze_sweep(out).read_text()


@pytest.mark.slow
def test_analysis_writes_probabilities_heat_map_importance_and_figures(reference_dir):
    out = reference_dir
    analyzed = brink("analyze", str(out))
    assert analyzed.returncode == 0, analyzed.stderr
    report = (out / "analysis.md").read_text()
    assert "design **factorial** with 9 points × 40 replications = 360 runs" in report
    for stem in ("war_by_factor", "force_on_pact_heat_map", "force_on_pact_importance"):
        assert (out / "figures" / f"{stem}.png").read_bytes().startswith(b"\x89PNG")
        pdf = (out / "figures" / f"{stem}.pdf").read_bytes()
        assert pdf.startswith(b"%PDF") and b"/Subtype /Image" not in pdf  # vector, not raster
        assert f"figures/{stem}.png" in report
    # the table's probabilities are the runs' frequencies, with Wilson intervals
    runs = results(out).drop_duplicates(["point", "replication"])
    table = pd.read_csv(out / "tables" / "by_factor.csv")
    name = "alliances.PACT.reliability"
    for level, group in runs.groupby(name):
        row = table[(table["factor"] == name) & (table["outcome"] == "force_on_pact")]
        row = row[np.isclose(row["x"], level)].iloc[0]
        k = int(group["y.force_on_pact"].sum())
        assert row["n"] == len(group) == 120 and row["p"] == pytest.approx(k / 120)
        low, high = wilson(k, 120)
        assert (row["low"], row["high"]) == (pytest.approx(low), pytest.approx(high))
    heat = pd.read_csv(out / "tables" / "heat_map.csv")
    assert len(heat[heat["outcome"] == "war"]) == 9 and (heat["n"] == 40).all()
    importance = pd.read_csv(out / "tables" / "importance.csv")
    assert set(importance["factor"]) == {name, "deployments.tripwire.troops"}


class InProcess(Runner):
    """A one-thread runner for analysis tests that need sampled designs, not processes."""

    description = "in-process thread"

    def __init__(self):
        self._pool = ThreadPoolExecutor(1)

    def submit(self, fn, *args):
        return self._pool.submit(fn, *args)

    def close(self, cancel: bool = False) -> None:
        self._pool.shutdown(wait=True, cancel_futures=cancel)


@pytest.mark.parametrize(
    ("design", "table", "columns"),
    [
        ("kind: sobol, samples: 16", "sobol", ["S1", "S1_conf", "ST", "ST_conf"]),
        ("kind: morris, samples: 6", "morris", ["mu_star", "mu_star_conf", "mu", "sigma"]),
        ("kind: latin_hypercube, samples: 12", "importance", ["src", "low", "high", "r2"]),
    ],
)
def test_sampled_designs_get_their_sensitivity_indices(tmp_path, design, table, columns):
    text = EXPERIMENT.replace("kind: factorial, levels: 3", design).replace(
        "{levels: [0, 5, 20]}", "{low: 0, high: 20}"
    )
    experiment = load_experiment(write(tmp_path, text)).resized(replications=4)
    result = run_sweep(experiment, tmp_path / "sweep", InProcess(), progress=False)
    assert result.complete and result.failed == 0
    analyze_sweep(tmp_path / "sweep")
    indices = pd.read_csv(tmp_path / "sweep" / "tables" / f"{table}.csv")
    assert set(indices["factor"]) == {"deployments.tripwire.troops", "alliances.PACT.reliability"}
    assert set(indices["outcome"]) == {"war", "force_on_pact"}
    assert set(columns) <= set(indices.columns)
    assert (tmp_path / "sweep" / "figures" / f"force_on_pact_{table}.pdf").exists()
    manifest = json.loads((tmp_path / "sweep" / "manifest.json").read_text())
    assert manifest["max_column_correlation"] is not None
    assert (
        "Largest absolute correlation between two design columns"
        in (tmp_path / "sweep" / "analysis.md").read_text()
    )
