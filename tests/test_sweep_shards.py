"""Shards of blocks of runs: which runs a shard holds, and resuming around any of them.

A block's shard name must say exactly which runs it holds, and a resumed sweep must run
exactly the runs no shard holds, whatever blocks an earlier sweep left (even blocks that do not
line up with this version's), so that no run is ever missing or done twice.
"""

from __future__ import annotations

import itertools
import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_sweep_experiment import EXPERIMENT, write
from test_sweep_run import InProcess

from brink.errors import BrinkInputError
from brink.experiments.ensemble.output import file_sha256
from brink.experiments.sweep import shards
from brink.experiments.sweep.designs import build_design
from brink.experiments.sweep.experiment import load_experiment
from brink.experiments.sweep.run import run_sweep, staging_folder
from brink.experiments.sweep.worker import RunTask, SweepContext, run_task
from brink.sim.seeds import spawn_seeds

SIZE = shards.RUNS_PER_SHARD


@settings(max_examples=200, deadline=None)
@given(st.sets(st.integers(0, 4 * SIZE + 3)))
def test_blocks_cover_the_missing_runs_once_without_crossing_a_block_edge(missing):
    blocks = shards.blocks(sorted(missing))
    covered = [r for first, last in blocks for r in range(first, last + 1)]
    assert covered == sorted(missing)  # each missing run once, in order, nothing else
    for first, last in blocks:
        assert first <= last and first // SIZE == last // SIZE
    # maximal: two neighbouring blocks could not have been one
    for (_, last), (first, _) in itertools.pairwise(blocks):
        assert first != last + 1 or first % SIZE == 0


def test_all_missing_gives_the_fixed_blocks():
    assert shards.blocks(list(range(2 * SIZE + 3))) == [
        (0, SIZE - 1),
        (SIZE, 2 * SIZE - 1),
        (2 * SIZE, 2 * SIZE + 2),
    ]


def test_a_shard_name_says_which_runs_it_holds(tmp_path):
    assert shards.shard_name(3, 10, 19) == "p0000003_r00010-00019.parquet"
    assert shards.shard_name(3, 7, 7) == "p0000003_r00007.parquet"
    assert shards.shard_name(3, 7, None, failed=True) == "p0000003_r00007.failed.parquet"
    assert shards.shard_runs(tmp_path, "p0000003_r00010-00012.parquet") == {
        (3, 10): False,
        (3, 11): False,
        (3, 12): False,
    }
    assert shards.shard_runs(tmp_path, "p0000003_r00004.failed.parquet") == {(3, 4): True}
    assert shards.shard_runs(tmp_path, ".p0000003_r00004.parquet.12.ab.partial") == {}


def test_a_failed_block_names_its_failed_runs_from_its_error_column(tmp_path):
    # Resolve mean 0.99 with spread 0.15 is no Beta distribution: those runs cannot start.
    text = EXPERIMENT.replace(
        "deployments.tripwire.troops: {levels: [0, 5, 20]}",
        "states.GRT.resolve.mean: {levels: [0.6, 0.99]}",
    ).replace("replications: 3", "replications: 12")
    experiment = load_experiment(write(tmp_path, text))
    out = tmp_path / "sweep"
    result = run_sweep(experiment, out, InProcess(), progress=False)
    assert (result.total, result.done, result.failed) == (2 * 3 * 12, 72, 36)
    done = shards.completed(out)
    assert sum(done.values()) == 36 and len(done) == 72
    names = sorted(path.name for path in (out / "shards").iterdir())
    assert sum(name.endswith(".failed.parquet") for name in names) == 6  # 3 points × 2 blocks
    failures = pd.read_csv(out / "failures.csv")
    assert len(failures) == 36 and failures["error"].notna().all()
    good = shards.read_shards(out, failed=False)
    assert good["error"].isna().all() and len(good.drop_duplicates(["point", "replication"])) == 36


def test_resume_runs_exactly_the_runs_no_shard_holds(tmp_path):
    experiment = load_experiment(write(tmp_path, EXPERIMENT)).resized(replications=SIZE + 4)
    reference = tmp_path / "reference"
    run_sweep(experiment, reference, InProcess(), progress=False)
    expected = shards.read_shards(reference)

    # A sweep whose shards are lost but for blocks not on this version's edges: runs 3–5 and
    # 11 of point 0 (as an older version with other blocks might leave), one block of point 1.
    out = tmp_path / "sweep"
    run_sweep(experiment, out, InProcess(), progress=False)
    for shard in (out / "shards").iterdir():
        shard.unlink()
    design = build_design(experiment)
    seeds = spawn_seeds(experiment.seed, experiment.replications)
    context = SweepContext(
        out_dir=str(out),
        scenario_path=experiment.scenario_path,
        scenario_sha256=file_sha256(experiment.scenario_path),
        horizon=experiment.horizon,
        factor_names=design.names,
        outcomes=experiment.outcomes,
    )
    for point, first, last in ((0, 3, 5), (0, 11, 11), (1, 0, SIZE - 1)):
        values = tuple(float(value) for value in design.points[point])
        run_task(context, RunTask(point, first, tuple(seeds[first : last + 1]), values))
    kept = {path.name: path.stat().st_mtime_ns for path in (out / "shards").iterdir()}

    resumed = run_sweep(experiment, out, InProcess(), resume=True, progress=False)
    assert resumed.complete and resumed.done == len(design) * (SIZE + 4)
    pd.testing.assert_frame_equal(shards.read_shards(out), expected)  # every run once
    names = {path.name: path.stat().st_mtime_ns for path in (out / "shards").iterdir()}
    assert all(names[name] == kept[name] for name in kept)  # the runs on disk were not redone
    point0 = sorted(name for name in names if name.startswith("p0000000_"))
    assert point0 == [
        "p0000000_r00000-00002.parquet",
        "p0000000_r00003-00005.parquet",
        "p0000000_r00006-00009.parquet",
        "p0000000_r00010.parquet",
        "p0000000_r00011.parquet",
        "p0000000_r00012-00013.parquet",
    ]


class StopAfter(InProcess):
    """Interrupts the sweep (as Ctrl-C would) once it has asked for ``blocks`` blocks."""

    def __init__(self, blocks: int):
        super().__init__()
        self.left = blocks

    def submit(self, fn, *args):
        if self.left == 0:
            raise KeyboardInterrupt
        self.left -= 1
        return super().submit(fn, *args)


def test_an_interrupted_sweep_is_staged_and_resume_puts_it_in_place(tmp_path):
    """The real name only ever holds a finished sweep (safe_output's discipline): an
    interrupted one is in the staging folder, which --resume finishes and renames."""
    experiment = load_experiment(write(tmp_path, EXPERIMENT))
    reference = tmp_path / "reference"
    run_sweep(experiment, reference, InProcess(), progress=False)
    assert not staging_folder(reference).exists()

    out = tmp_path / "sweep"
    with pytest.raises(KeyboardInterrupt):
        run_sweep(experiment, out, StopAfter(4), progress=False)
    staging = staging_folder(out)
    assert not out.exists() and staging.name == ".sweep.sweep-partial"
    manifest = json.loads((staging / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    assert 0 < manifest["runs_done"] < manifest["runs_total"]
    with pytest.raises(BrinkInputError, match="add --resume to finish it"):
        run_sweep(experiment, out, InProcess(), progress=False)

    resumed = run_sweep(experiment, out, InProcess(), resume=True, progress=False)
    assert resumed.complete and resumed.directory == out.resolve() and not staging.exists()
    pd.testing.assert_frame_equal(shards.read_shards(out), shards.read_shards(reference))
    assert json.loads((out / "manifest.json").read_text())["status"] == "complete"

    # Resuming a finished sweep moves it aside while it works: interrupted, no half-sweep stays
    # under the real name.
    for shard in sorted((out / "shards").iterdir())[::2]:
        shard.unlink()
    with pytest.raises(KeyboardInterrupt):
        run_sweep(experiment, out, StopAfter(1), resume=True, progress=False)
    assert not out.exists() and (staging / "manifest.json").exists()
    assert run_sweep(experiment, out, InProcess(), resume=True, progress=False).complete
    pd.testing.assert_frame_equal(shards.read_shards(out), shards.read_shards(reference))


def test_ctrl_c_after_the_sweep_is_in_place_is_not_reported_as_an_interruption(
    tmp_path, monkeypatch, capsys
):
    """A Ctrl-C that lands after the finished sweep was renamed into place leaves nothing to
    resume: the command says the sweep finished and exits 0, not 130 with a staging folder
    that no longer exists."""
    from brink import cli
    from brink.experiments.sweep import run as sweep

    finish = sweep.run_sweep

    def finished_then_interrupted(*args, **kwargs):
        finish(*args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(sweep, "run_sweep", finished_then_interrupted)
    out = tmp_path / "sweep"
    path = write(tmp_path, EXPERIMENT)
    assert cli.main(["sweep", str(path), "--out", str(out), "--jobs", "1", "--no-progress"]) == 0
    assert "had finished" in capsys.readouterr().err
    assert json.loads((out / "manifest.json").read_text())["status"] == "complete"

    # Interrupted before the end, it still says how to resume, and exits 130.
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(sweep, "run_sweep", interrupted)
    again = tmp_path / "other"
    assert cli.main(["sweep", str(path), "--out", str(again), "--jobs", "1"]) == 130
    assert "--resume" in capsys.readouterr().err
