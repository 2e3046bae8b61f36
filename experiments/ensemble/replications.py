"""Many replications of one scenario, streamed to disk (``brink run``).

Each run gets its own seed from ``numpy.random.SeedSequence(root).spawn(n)`` (docs/style.md,
Randomness), so run *i* is the same whether it runs alone, in this process or in a worker, and
``--jobs 1`` and ``--jobs 2`` write the same tables. Runs are grouped in chunks of a size that
depends only on the number of runs; chunks go to a process pool (or run in-process with one
job), come back as Arrow tables and are written in run order, a few chunks at a time, so memory
stays flat in the number of runs. What the summary needs (the runs table, the system escalation
score per run and step, and which state took which action) is kept; the rest is on disk only.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
from tqdm import tqdm

from brink.errors import BrinkInputError, BrinkRunError
from brink.experiments.ensemble.output import (
    TABLE_COLUMNS,
    TableCollector,
    TableWriter,
    rows_to_table,
)
from brink.lifeline import die_with_parent
from brink.scenarios.spec import Scenario
from brink.sim.params import ModelParams
from brink.sim.seeds import draw_root_seed, spawn_seeds

#: Most runs in one chunk of work; fewer when the ensemble is small so both cores get work.
MAX_CHUNK = 8
#: How often the same chunk may lose its worker before the run stops (as ``brink sweep``).
MAX_LOSSES = 4


class WorkerLost(BrinkRunError):
    """A worker process kept dying on the same runs."""


def chunk_size(runs: int) -> int:
    """Runs per chunk: a function of the ensemble size only, never of the number of jobs."""
    return max(1, min(MAX_CHUNK, runs // 16))


@dataclass
class EnsembleResult:
    """What an ensemble leaves in memory after its tables are on disk."""

    root_seed: int
    seeds: list[int]
    runs: pd.DataFrame  # the whole runs table (one row per run and dispute)
    escalation: pd.DataFrame  # run, step, escalation_score: one row per run and step
    actions: pd.DataFrame  # run, actor, action, target, dispute: each act once per run
    files: dict[str, Path] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    # every table in full, when the ensemble ran without a directory (``brink.run``)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


# The scenario and parameters of the ensemble in this process; a worker gets them once, from
# the pool's initializer, instead of with every chunk: "scenario" (a Scenario), "params"
# (ModelParams) and "draws" (a tuple of ModelParams), set by _init_worker.
_CONTEXT: dict[str, Any] = {}


def _init_worker(
    scenario: Scenario,
    params: ModelParams,
    parent: int | None = None,
    draws: tuple[ModelParams, ...] = (),
) -> None:
    _CONTEXT["scenario"] = scenario
    _CONTEXT["params"] = params
    _CONTEXT["draws"] = draws
    if parent is not None:
        # A worker holds hundreds of megabytes: it must not outlive a killed `brink run`.
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        die_with_parent(parent)


def run_chunk(chunk: list[tuple[int, int]]) -> dict[str, pa.Table]:
    """Simulate the ``(run, seed)`` pairs of one chunk; return its four tables as Arrow tables.

    Lives in an importable module so a spawned worker process can run it.
    """
    from brink.sim.model import simulate

    scenario = _CONTEXT["scenario"]
    params = _CONTEXT["params"]
    draws = _CONTEXT.get("draws") or ()
    rows: dict[str, list[dict]] = {name: [] for name in TABLE_COLUMNS}
    for run, seed in chunk:
        record = simulate(scenario, posterior_draw(draws, seed) if draws else params, seed, run=run)
        for name in TABLE_COLUMNS:
            rows[name].extend(getattr(record, name))
    return {name: rows_to_table(name, table_rows) for name, table_rows in rows.items()}


def run_chunk_with(chunk: list[tuple[int, int]], context: tuple) -> dict[str, Any]:
    """:func:`run_chunk` with the ensemble's ``(scenario, params, draws)`` sent along (a Dask
    worker has no pool initializer; it imports any rule from outside by name, as a process-pool
    worker does)."""
    scenario, params, draws = context
    _init_worker(scenario, params, None, draws)
    try:
        return run_chunk(chunk)
    except BrinkInputError as error:
        # A rule's mistake, not the worker's: sent back as a result and raised in the main
        # process, so the Dask worker does not log it as a failed task with a traceback.
        return {"error": error}


def posterior_draw(draws: tuple[ModelParams, ...], seed: int) -> ModelParams:
    """The parameter draw a run uses under ``--posterior``: its seed modulo the number of draws.

    A function of the run's own seed, so the draw is reproducible from the manifest and does not
    depend on chunking, workers or the order runs finish in.
    """
    return draws[seed % len(draws)]


def seed_chunks(seeds: list[int]) -> list[list[tuple[int, int]]]:
    """The runs ``(index, seed)`` in chunks of :func:`chunk_size`, in run order (the same chunks
    whatever the number of jobs)."""
    size = chunk_size(len(seeds))
    pairs = list(enumerate(seeds))
    return [pairs[start : start + size] for start in range(0, len(pairs), size)]


def _results_in_order(
    chunks, scenario, params, jobs: int, draws: tuple[ModelParams, ...] = (), runner=None
) -> Iterator[tuple[list, dict]]:
    """``(chunk, tables)`` in run order; at most ``2 × jobs`` chunks in flight (flat memory)."""
    if runner is not None:  # a Dask cluster (brink.experiments.executors); it reruns lost tasks
        from brink.experiments.executors import results_in_order

        window = 2 * runner.workers
        results = results_in_order(
            runner, run_chunk_with, chunks, window, (scenario, params, draws)
        )
        for chunk, tables in zip(chunks, results, strict=True):
            if isinstance(tables.get("error"), BrinkInputError):
                raise tables["error"]
            yield chunk, tables
        return
    if jobs == 1:
        _init_worker(scenario, params, None, draws)
        for chunk in chunks:
            yield chunk, run_chunk(chunk)
        return
    waiting = iter(chunks)
    retry: deque[list] = deque()
    losses: dict[int, int] = {}
    while True:
        try:
            with _pool(scenario, params, jobs, draws) as pool:
                pending: deque = deque()
                _top_up(pool, pending, retry, waiting, 2 * jobs)
                while pending:
                    chunk, future = pending[0]
                    result = future.result()
                    pending.popleft()
                    _top_up(pool, pending, retry, waiting, 2 * jobs)
                    yield chunk, result
                return
        except BrokenProcessPool:
            # A worker died (killed, out of memory): every chunk in flight is lost with the
            # pool. Run them again in a fresh pool, in the same order, so the tables are the
            # same as without the loss; give up on a chunk that kills its worker every time.
            lost = [chunk for chunk, _ in pending]
            first = lost[0]
            losses[first[0][0]] = losses.get(first[0][0], 0) + 1
            runs = f"runs {first[0][0]}–{lost[-1][-1][0]}"
            if losses[first[0][0]] >= MAX_LOSSES:
                raise WorkerLost(
                    f"a worker process died {MAX_LOSSES} times running {runs}; nothing was "
                    "written (if memory is short, try fewer --jobs)"
                ) from None
            print(f"brink run: a worker process died; running {runs} again", file=sys.stderr)
            retry.extendleft(reversed(lost))


def _top_up(pool, pending: deque, retry: deque, waiting: Iterator, limit: int) -> None:
    """Submit chunks (lost ones first) until ``limit`` are in flight or none is left."""
    while len(pending) < limit:
        chunk = retry.popleft() if retry else next(waiting, None)
        if chunk is None:
            return
        pending.append((chunk, pool.submit(run_chunk, chunk)))


@contextlib.contextmanager
def _pool(
    scenario: Scenario, params: ModelParams, jobs: int, draws: tuple[ModelParams, ...] = ()
) -> Iterator[ProcessPoolExecutor]:
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=_init_worker,
        initargs=(scenario, params, os.getpid(), draws),
    )
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def escalation_series(steps: pd.DataFrame) -> pd.DataFrame:
    """The system escalation score per run and step (one row each) from a steps table."""
    series = steps[["run", "step", "escalation_score"]].drop_duplicates(["run", "step"])
    return series.reset_index(drop=True)


def distinct_actions(events: pd.DataFrame) -> pd.DataFrame:
    """Each distinct (actor, action, target, dispute) of each run once, from an events table."""
    acts = events[["run", "actor", "action", "target", "dispute"]].drop_duplicates()
    return acts.reset_index(drop=True)


def run_ensemble(
    scenario: Scenario,
    params: ModelParams,
    *,
    runs: int,
    directory: Path | None,
    root_seed: int | None = None,
    jobs: int = 1,
    fmt: str = "parquet",
    progress: bool = True,
    draws: tuple[ModelParams, ...] = (),
    runner=None,
) -> EnsembleResult:
    """Run ``runs`` replications and stream their tables into ``directory`` (or keep them).

    Args:
        scenario: the crisis to simulate.
        params: resolved model parameters (defaults ← scenario ← command line).
        runs: number of replications (≥ 1).
        directory: where the tables go; it must exist. None keeps every table in memory,
            as ``EnsembleResult.tables`` (``fmt`` is then unused).
        root_seed: the ensemble's root seed; drawn from OS entropy when None.
        jobs: worker processes; 1 runs in this process.
        fmt: ``parquet`` or ``csv``.
        progress: show a progress bar on standard error.
        draws: parameter draws (``--posterior``); when given, each run uses the draw its seed
            picks (:func:`posterior_draw`) instead of ``params``.
        runner: a Dask runner (:class:`~brink.experiments.executors.DaskRunner`) to run the
            chunks on instead of ``jobs`` local processes; the tables are the same.

    Returns:
        EnsembleResult: the seeds, the small tables the summary needs and the files written.
    """
    root = draw_root_seed() if root_seed is None else root_seed
    seeds = spawn_seeds(root, runs)
    writers: dict[str, TableWriter | TableCollector] = {
        name: TableCollector(name) if directory is None else TableWriter(directory, name, fmt)
        for name in TABLE_COLUMNS
    }
    kept: dict[str, list[pd.DataFrame]] = {"runs": [], "escalation": [], "actions": []}
    bar = tqdm(
        total=runs, unit="run", desc="brink run", file=sys.stderr, disable=not progress, leave=False
    )
    try:
        for chunk, tables in _results_in_order(
            seed_chunks(seeds), scenario, params, jobs, draws, runner
        ):
            for name, table in tables.items():
                writers[name].write_table(table)
            kept["runs"].append(tables["runs"].to_pandas())
            steps = tables["steps"].select(["run", "step", "escalation_score"]).to_pandas()
            kept["escalation"].append(escalation_series(steps))
            events = tables["events"].select(["run", "actor", "action", "target", "dispute"])
            events = events.to_pandas()
            kept["actions"].append(distinct_actions(events))
            bar.update(len(chunk))
        closed = {name: writer.close() for name, writer in writers.items()}
    except BaseException:
        for writer in writers.values():
            writer.abort()
        raise
    finally:
        bar.close()
    return EnsembleResult(
        root_seed=root,
        seeds=seeds,
        runs=pd.concat(kept["runs"], ignore_index=True),
        escalation=pd.concat(kept["escalation"], ignore_index=True),
        actions=pd.concat(kept["actions"], ignore_index=True),
        files={name: kept for name, kept in closed.items() if isinstance(kept, Path)},
        rows={name: writer.rows for name, writer in writers.items()},
        tables={
            name: kept.to_pandas() for name, kept in closed.items() if isinstance(kept, pa.Table)
        },
    )
