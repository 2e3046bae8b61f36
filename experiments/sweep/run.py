"""Run a sweep: every design point, every replication, shards of runs streamed to disk.

Each task is a block of up to :data:`~brink.experiments.sweep.shards.RUNS_PER_SHARD` replications of
one point, written as one shard. The main process keeps a bounded window of blocks in flight,
about two per worker, so its memory stays flat however many runs a sweep has. Blocks go
through a :class:`~brink.experiments.executors.Runner`. A run that raises is recorded with its
error and the sweep goes on; a block lost with a dying worker is run again; an interrupted
sweep is finished by ``--resume``, which runs only the runs that no shard holds yet.

A sweep is staged as ``brink run`` is (:mod:`brink.safe_output`): it is built in a hidden
sibling, ``.NAME.sweep-partial``, that keeps its name between attempts so ``--resume`` finds it,
and is renamed to ``NAME`` only once every run is on disk. So ``NAME`` only ever holds a
finished sweep; an interrupted or failing one leaves its runs so far in the staging folder.
Resuming a finished sweep (to redo lost shards) moves it back to the staging folder first.

Each run's
seed depends only on the root seed and its replication index (replication *r* has seed *r* of
``SeedSequence(root).spawn(n)`` at every point: common random numbers, so two points differ by
their factors and not by luck), so the results are the same with one worker or many, in one
go or resumed.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, wait
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow.parquet as pq
from tqdm import tqdm

from brink.errors import BrinkInputError, Location
from brink.experiments.ensemble.output import (
    file_sha256,
    git_commit,
    now_iso,
    read_manifest,
    software_versions,
    write_manifest,
    write_text_atomic,
)
from brink.experiments.executors import Runner
from brink.experiments.sweep import shards
from brink.experiments.sweep.designs import Design, build_design
from brink.experiments.sweep.experiment import Experiment
from brink.experiments.sweep.worker import RunTask, SweepContext, run_task
from brink.safe_output import check_output_folder, nothing_to_resume, write_atomic
from brink.sim.seeds import spawn_seeds

if TYPE_CHECKING:
    import pandas as pd

DESIGN_FILE = "design.parquet"
EXPERIMENT_COPY = "experiment.yaml"
FAILURES_FILE = "failures.csv"
#: How often a task may be lost to a broken executor (not to its own error) before giving up.
MAX_ATTEMPTS = 4
#: Keys of the manifest that must match for ``--resume`` to continue a sweep.
IDENTITY_KEYS = (
    "experiment_sha256",
    "scenario_sha256",
    "root_seed",
    "replications",
    "design",
    "points",
    "horizon",
    "base_parameters",
    "rules",
)


#: What an identity key was before a sweep's manifest recorded it (older sweeps).
_OLDER = {"base_parameters": lambda identity: {}, "rules": lambda identity: identity["rules"]}


class SweepAborted(RuntimeError):
    """The executor kept failing (not the model): the sweep stopped and can be resumed."""


@dataclass
class SweepResult:
    """How a sweep ended."""

    directory: Path
    total: int
    done: int
    failed: int
    manifest: dict[str, Any]

    @property
    def complete(self) -> bool:
        return self.done == self.total

    @property
    def runs(self) -> pd.DataFrame:
        """Every run of the sweep: point, replication, seed, factors, error, outcomes."""
        return shards.read_shards(self.directory)


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    versions = software_versions()
    for name in ("scipy", "SALib", "dask"):
        try:
            versions[name] = version(name)
        except PackageNotFoundError:  # Dask is optional (brink[cluster])
            versions[name] = "not installed"
    return versions


def _identity(experiment: Experiment, design: Design) -> dict[str, Any]:
    return {
        "experiment_sha256": experiment.sha256,
        "scenario_sha256": file_sha256(experiment.scenario_path),
        "root_seed": experiment.seed,
        "replications": experiment.replications,
        "design": asdict(experiment.design),
        "points": len(design),
        "horizon": experiment.horizon,
        "base_parameters": dict(experiment.base),
        "rules": _rule_records(experiment),
    }


def _rule_levels(factor) -> dict[str, Any]:
    """A rule factor's levels as a manifest records rules (module, name, version or SHA-256)."""
    from brink.experiments.sweep.factors import RULES
    from brink.scenarios.rule_loader import resolve_rule
    from brink.scenarios.rule_specs import parse_rule

    if factor.target.section != RULES:
        return {}
    where = Location(key=factor.name)
    specs = [parse_rule(level, where, state=factor.target.ident) for level in factor.levels]
    return {"rules": [resolve_rule(spec, where).record() for spec in specs]}


def _rule_records(experiment: Experiment) -> list[dict[str, Any]]:
    """What the manifest records of the rules the sweep's runs use outside its factors."""
    from brink.experiments.sweep.worker import base_parameters, sweep_scenario
    from brink.scenarios.rule_loader import rule_records

    scenario = sweep_scenario(experiment.scenario, experiment.rules)
    params = base_parameters(scenario, experiment.horizon, experiment.base)
    return rule_records(params, scenario.rules)


def staging_folder(directory: Path | str) -> Path:
    """Where a sweep into ``directory`` is built until every run is on disk (a hidden sibling
    with a fixed name, so ``--resume`` finds it after an interruption)."""
    directory = Path(directory)
    return directory.with_name(f".{directory.name}.sweep-partial")


def _prepare_directory(
    directory: Path, identity: dict[str, Any], resume: bool
) -> tuple[Path, dict[str, Any] | None]:
    """Check ``directory`` can take this sweep and set up its staging folder.

    Returns:
        The staging folder to write into, and the old manifest when resuming.
    """
    where = Location(file=str(directory))
    # New, empty, or a sweep's own folder with --resume: never a folder of other files.
    check_output_folder(directory, kind="sweep", again=resume, flag="--resume")
    staging = staging_folder(directory)
    if staging.is_dir() and not staging.is_symlink():
        os.close(_lock(staging, where))  # refused if another sweep is at work in it
    check_output_folder(staging, kind="sweep", again=resume, flag="--resume")
    if staging.is_dir() and not any(staging.iterdir()):
        staging.rmdir()  # made by a sweep stopped before it wrote anything
    finished = directory.is_dir() and any(directory.iterdir())
    if staging.exists() and finished:
        raise BrinkInputError(
            f"holds a finished sweep and {staging.name} beside it an unfinished one; move one "
            "of them away",
            where,
        )
    if not resume:
        os.mkdir(staging)  # exclusive: fails on anything planted there
        return staging, None
    if not staging.exists() and not finished:
        raise nothing_to_resume(directory, "manifest.json", "sweep")
    old = read_manifest(staging if staging.exists() else directory)
    # Sweeps written before --params existed have no base parameters: the defaults, {}; those
    # written before --rule existed used the default rules.
    differs = [
        key
        for key in IDENTITY_KEYS
        if old.get(key, _OLDER.get(key, lambda identity: None)(identity)) != identity[key]
    ]
    if differs:
        raise BrinkInputError(
            f"holds a different sweep ({', '.join(differs)} differ); resume with the same "
            "experiment file, --samples and --replications, or use another --out",
            where,
        )
    if finished:
        os.rename(directory, staging)  # from here until done, NAME holds no half-done sweep
    return staging, old


def _lock(folder: Path, where: Location | None = None) -> int:
    """An exclusive lock on ``folder`` (``flock``), as an open descriptor to close when done;
    the kernel drops it if the process dies. Refused while another process holds it."""
    descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        raise BrinkInputError(
            f"another brink sweep is writing into it now (into {folder}); wait for it to "
            "finish, or choose another --out",
            where or Location(file=str(folder)),
        ) from None
    return descriptor


def _move_into_place(staging: Path, directory: Path) -> None:
    """Rename the finished sweep to its real name (into an empty folder left there too)."""
    if directory.is_dir() and not directory.is_symlink() and not any(directory.iterdir()):
        directory.rmdir()
    if directory.exists() or directory.is_symlink():
        raise BrinkInputError(
            f"something was put there while the sweep ran; the finished sweep is in {staging}",
            Location(file=str(directory)),
        )
    os.rename(staging, directory)


def _tasks(
    design: Design, seeds: list[int], skip: dict[tuple[int, int], bool]
) -> Iterator[RunTask]:
    """The blocks of runs with no shard yet, point by point (see :func:`shards.blocks`)."""
    for point in range(len(design)):
        values = design.values(point)
        missing = [r for r in range(len(seeds)) if (point, r) not in skip]
        for first, last in shards.blocks(missing):
            yield RunTask(point, first, tuple(seeds[first : last + 1]), values)


def _shard_status(directory: Path, task: RunTask) -> int | None:
    """How many of the block's runs failed if its shard exists, None if it does not."""
    folder = directory / shards.SHARD_DIR
    failed = folder / shards.shard_name(task.point, task.first, task.last, failed=True)
    if failed.exists():
        return sum(shards.shard_runs(folder, failed.name).values())
    if (folder / shards.shard_name(task.point, task.first, task.last)).exists():
        return 0
    return None


def run_sweep(
    experiment: Experiment,
    directory: Path | str,
    runner: Runner | Callable[[], Runner],
    *,
    resume: bool = False,
    progress: bool = True,
    command: list[str] | None = None,
) -> SweepResult:
    """Run every missing run of ``experiment`` into ``directory`` through ``runner``.

    Args:
        experiment: the checked experiment (already resized by ``--samples``/``--replications``).
        directory: the sweep's directory (created when the sweep is complete; until then the
            runs are in :func:`staging_folder`).
        runner: where runs execute, or a function that makes it (called once the directory
            is checked, so a mistake is reported before workers start); closed at the end.
        resume: continue the sweep already in ``directory``.
        progress: show a progress bar (runs done, failures, time left) on standard error.
        command: the command line, for the manifest.

    Returns:
        SweepResult: counts of runs, done and failed, the manifest written, and where the
        runs are: ``directory`` when complete, else its staging folder.

    Raises:
        BrinkInputError: if ``directory`` holds another sweep, or nothing to resume.
        KeyboardInterrupt: after recording the interruption in the manifest.
    """
    final = Path(directory)
    check_output_folder(final, kind="sweep", again=resume, flag="--resume")
    final = final.resolve()
    design = build_design(experiment)
    identity = _identity(experiment, design)
    final.parent.mkdir(parents=True, exist_ok=True)
    directory, old = _prepare_directory(final, identity, resume)
    # held while this process works in the staging folder: a second sweep into the same --out
    # is told so, instead of taking the first's half-made folder for someone else's files
    lock = _lock(directory)
    try:
        return _sweep(
            experiment, final, directory, old, design, identity, runner, progress, command
        )
    except Exception:  # an interrupted sweep keeps its staging folder, to be resumed
        if old is None and directory != final and not shards.completed(directory):
            shutil.rmtree(directory, ignore_errors=True)  # nothing run yet: leave nothing
        raise
    finally:
        os.close(lock)


def _sweep(
    experiment: Experiment,
    final: Path,
    directory: Path,
    old: dict[str, Any] | None,
    design: Design,
    identity: dict[str, Any],
    runner: Runner | Callable[[], Runner],
    progress: bool,
    command: list[str] | None,
) -> SweepResult:
    """The body of :func:`run_sweep` once ``directory`` (the staging folder) is ready and
    locked; ``old`` is the manifest of the sweep being resumed (None for a new one)."""
    resume = old is not None
    (directory / shards.SHARD_DIR).mkdir(exist_ok=True)
    if resume:
        set_aside = shards.set_aside_unreadable(directory)
        if set_aside:
            print(
                f"brink sweep: {len(set_aside)} unreadable shard(s) set aside and run again "
                f"(first: {set_aside[0].name})",
                file=sys.stderr,
            )
    if not isinstance(runner, Runner):
        runner = runner()
    seeds = spawn_seeds(experiment.seed, experiment.replications)
    total = len(design) * experiment.replications

    manifest: dict[str, Any] = {
        "kind": "sweep",
        **identity,
        "experiment": experiment.name,
        "experiment_path": str(Path(experiment.path).resolve()),
        "scenario": experiment.scenario.name,
        "scenario_path": experiment.scenario_path,
        "seeds": "replication r has seed r of SeedSequence(root_seed).spawn(replications)",
        "factors": [
            {
                "name": f.name,
                "low": f.bounds[0],
                "high": f.bounds[1],
                "levels": f.levels,
                "unit": f.target.unit,
                "role": f.role,
                "kind": f.kind,
                **_rule_levels(f),
            }
            for f in experiment.factors
        ],
        "outcomes": [asdict(spec) for spec in experiment.outcomes],
        "max_column_correlation": design.max_correlation,
        "runs_total": total,
        "executor": runner.description,
        "command": command or sys.argv,
        "started": (old or {}).get("started", now_iso()),
        "resumed": [*(old or {}).get("resumed", []), now_iso()] if old else [],
        "finished": None,
        "status": "running",
        "software": _versions(),
        "git_commit": git_commit(),
    }
    write_manifest(directory, manifest)  # first: a staging folder always says what it is
    write_atomic(directory / DESIGN_FILE, lambda path: pq.write_table(design.table(), path))
    write_atomic(directory / EXPERIMENT_COPY, lambda path: shutil.copyfile(experiment.path, path))

    context = SweepContext(
        out_dir=str(directory),
        scenario_path=experiment.scenario_path,
        scenario_sha256=identity["scenario_sha256"],
        horizon=experiment.horizon,
        factor_names=design.names,
        outcomes=experiment.outcomes,
        factor_choices=design.choices,
        base=experiment.base,
        rules=experiment.rules,
    )
    done = shards.completed(directory)
    failed = sum(done.values())
    finished = len(done)
    tasks = _tasks(design, seeds, done)
    del done  # the shards on disk are the status table from here on
    bar = tqdm(
        total=total,
        initial=finished,
        unit="run",
        desc="brink sweep",
        file=sys.stderr,
        disable=None if progress else True,  # None: only on a terminal
        dynamic_ncols=True,
    )
    bar.set_postfix(failed=failed)
    retry: deque[RunTask] = deque()
    attempts: dict[tuple[int, int], int] = {}
    status = "interrupted"
    try:
        with runner:
            in_flight: dict[Any, RunTask] = {}
            while True:
                # about two runs per worker in flight; a cluster's workers may come and go
                window = 2 * runner.workers + 2
                while len(in_flight) < window:
                    task = retry.popleft() if retry else next(tasks, None)
                    if task is None:
                        break
                    in_flight[runner.submit(run_task, context, task)] = task
                if not in_flight:
                    break
                ready, _ = wait(list(in_flight), return_when=FIRST_COMPLETED)
                restart = False
                for future in ready:
                    task = in_flight.pop(future)
                    try:
                        outcome = future.result()
                    except Exception as error:
                        key = (task.point, task.first)
                        attempts[key] = attempts.get(key, 0) + 1
                        if attempts[key] >= MAX_ATTEMPTS:
                            raise SweepAborted(
                                f"runs {task.first}–{task.last} of point {task.point} were lost "
                                f"{MAX_ATTEMPTS} times, last with {type(error).__name__}: {error}"
                            ) from error
                        restart = restart or runner.lost_worker(error)
                        retry.append(task)
                        continue
                    finished += outcome.runs
                    failed += outcome.failed
                    bar.update(outcome.runs)
                    bar.set_postfix(failed=failed, refresh=False)
                if restart:
                    if runner.loses_all_on_crash:
                        # A broken process pool loses every run in flight: run them again.
                        retry.extend(in_flight.values())
                        in_flight.clear()
                        runner.restart()
                    # Blocks whose shard was written before their worker died are done.
                    pending, retry = list(retry), deque()
                    for task in pending:
                        written = _shard_status(directory, task)
                        if written is None:
                            retry.append(task)
                        else:
                            finished += task.runs
                            failed += written
                            bar.update(task.runs)
        status = "complete" if failed == 0 else "complete with failures"
    finally:
        bar.close()
        on_disk = shards.completed(directory)
        manifest.update(
            status=status if len(on_disk) == total else "interrupted",
            finished=now_iso(),
            runs_done=len(on_disk),
            runs_failed=sum(on_disk.values()),
        )
        _write_failures(directory, on_disk)
        write_manifest(directory, manifest)
        if str(manifest["status"]).startswith("complete"):
            _move_into_place(directory, final)
            directory = final
    return SweepResult(directory, total, len(on_disk), sum(on_disk.values()), manifest)


def _write_failures(directory: Path, on_disk: dict[tuple[int, int], bool]) -> None:
    path = directory / FAILURES_FILE
    if not any(on_disk.values()):
        path.unlink(missing_ok=True)
        return
    frame = shards.read_shards(directory, failed=True)
    keep = [
        c for c in frame.columns if c not in ("run",) and not c.startswith(shards.OUTCOME_PREFIX)
    ]
    frame = frame[keep].dropna(axis=1, how="all")
    columns = ["point", "replication", "seed", "error"]
    frame = frame[columns + [c for c in frame.columns if c not in columns]]
    write_text_atomic(path, frame.to_csv(index=False))


def read_design(directory: Path | str) -> pd.DataFrame:
    """The design points of a sweep directory (``point`` and one column per factor)."""
    return pq.read_table(Path(directory) / DESIGN_FILE).to_pandas()
