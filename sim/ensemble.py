"""Many replications of one scenario, streamed to disk (``brink run``).

Each run gets its own seed from ``numpy.random.SeedSequence(root).spawn(n)`` (STYLE.md,
Randomness), so run *i* is the same whether it runs alone, in this process or in a worker, and
``--jobs 1`` and ``--jobs 2`` write the same tables. Runs are grouped in chunks of a size that
depends only on the number of runs; chunks go to a process pool (or run in-process with one
job), come back as Arrow tables and are written in run order, a few chunks at a time, so memory
stays flat in the number of runs. What the summary needs (the runs table, the system escalation
score per run and step, and which state took which action) is kept; the rest is on disk only.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import pandas as pd
import pyarrow as pa
from tqdm import tqdm

from brink.scenarios.spec import Scenario
from brink.sim.output import TABLE_COLUMNS, TableWriter, rows_to_table
from brink.sim.params import ModelParams
from brink.sim.seeds import draw_root_seed, spawn_seeds

#: Most runs in one chunk of work; fewer when the ensemble is small so both cores get work.
MAX_CHUNK = 8


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


# The scenario and parameters of the ensemble in this process; a worker gets them once, from
# the pool's initializer, instead of with every chunk.
_CONTEXT: dict[str, object] = {}


def _init_worker(scenario: Scenario, params: ModelParams) -> None:
    _CONTEXT["scenario"] = scenario
    _CONTEXT["params"] = params


def run_chunk(chunk: list[tuple[int, int]]) -> dict[str, pa.Table]:
    """Simulate the ``(run, seed)`` pairs of one chunk; return its four tables as Arrow tables.

    Lives in an importable module so a spawned worker process can run it.
    """
    from brink.sim.model import simulate

    scenario = _CONTEXT["scenario"]
    params = _CONTEXT["params"]
    rows: dict[str, list[dict]] = {name: [] for name in TABLE_COLUMNS}
    for run, seed in chunk:
        record = simulate(scenario, params, seed, run=run)
        for name in TABLE_COLUMNS:
            rows[name].extend(getattr(record, name))
    return {name: rows_to_table(name, table_rows) for name, table_rows in rows.items()}


def _chunks(seeds: list[int]) -> list[list[tuple[int, int]]]:
    size = chunk_size(len(seeds))
    pairs = list(enumerate(seeds))
    return [pairs[start : start + size] for start in range(0, len(pairs), size)]


def _results_in_order(chunks, scenario, params, jobs: int) -> Iterator[tuple[list, dict]]:
    """``(chunk, tables)`` in run order; at most ``2 × jobs`` chunks in flight (flat memory)."""
    if jobs == 1:
        _init_worker(scenario, params)
        for chunk in chunks:
            yield chunk, run_chunk(chunk)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=_init_worker,
        initargs=(scenario, params),
    ) as pool:
        waiting = iter(chunks)
        pending = deque(
            (chunk, pool.submit(run_chunk, chunk)) for chunk in islice(waiting, 2 * jobs)
        )
        try:
            while pending:
                chunk, future = pending.popleft()
                result = future.result()
                following = next(waiting, None)
                if following is not None:
                    pending.append((following, pool.submit(run_chunk, following)))
                yield chunk, result
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
    directory: Path,
    root_seed: int | None = None,
    jobs: int = 1,
    fmt: str = "parquet",
    progress: bool = True,
) -> EnsembleResult:
    """Run ``runs`` replications and stream their tables into ``directory``.

    Args:
        scenario: the crisis to simulate.
        params: resolved model parameters (defaults ← scenario ← command line).
        runs: number of replications (≥ 1).
        directory: where the tables go; it must exist.
        root_seed: the ensemble's root seed; drawn from OS entropy when None.
        jobs: worker processes; 1 runs in this process.
        fmt: ``parquet`` or ``csv``.
        progress: show a progress bar on standard error.

    Returns:
        EnsembleResult: the seeds, the small tables the summary needs and the files written.
    """
    root = draw_root_seed() if root_seed is None else root_seed
    seeds = spawn_seeds(root, runs)
    writers = {name: TableWriter(directory, name, fmt) for name in TABLE_COLUMNS}
    kept: dict[str, list[pd.DataFrame]] = {"runs": [], "escalation": [], "actions": []}
    bar = tqdm(
        total=runs, unit="run", desc="brink run", file=sys.stderr, disable=not progress, leave=False
    )
    try:
        for chunk, tables in _results_in_order(_chunks(seeds), scenario, params, jobs):
            for name, table in tables.items():
                writers[name].write_table(table)
            kept["runs"].append(tables["runs"].to_pandas())
            steps = tables["steps"].select(["run", "step", "escalation_score"]).to_pandas()
            kept["escalation"].append(escalation_series(steps))
            events = tables["events"].select(["run", "actor", "action", "target", "dispute"])
            events = events.to_pandas()
            kept["actions"].append(distinct_actions(events))
            bar.update(len(chunk))
        files = {name: writer.close() for name, writer in writers.items()}
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
        files=files,
        rows={name: writer.rows for name, writer in writers.items()},
    )
