"""One run of a sweep, as a worker process does it: apply the factors, simulate, write a shard.

This module is what executors import in their worker processes (process pool or Dask workers),
so it lives in an importable module, never ``__main__`` (TOOLCHAIN.md, Dask). A worker loads the
scenario once and keeps it for every run it is given. A run whose model or factors raise is
written as a failed shard with the error's message; only a failure to write the shard itself
escapes, and the sweep then runs the task again.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from brink.errors import Location
from brink.experiments import shards
from brink.experiments.factors import FactorTarget, apply_factors, resolve_factor
from brink.experiments.outcomes import OutcomeEvaluator, OutcomeSpec
from brink.sim.params import ModelParams
from brink.sim.record import RUN_COLUMNS


@dataclass(frozen=True)
class SweepContext:
    """What every run of a sweep shares; small, so it travels with each task."""

    out_dir: str
    scenario_path: str
    scenario_sha256: str
    horizon: int | None
    factor_names: tuple[str, ...]
    outcomes: tuple[OutcomeSpec, ...]


@dataclass(frozen=True)
class RunTask:
    """One run: a design point, a replication, its seed and the point's factor values."""

    point: int
    replication: int
    seed: int
    values: tuple[float, ...]


@dataclass(frozen=True)
class RunStatus:
    """What a worker reports back: which run, and its error if it failed."""

    point: int
    replication: int
    error: str | None = None


@dataclass
class _Prepared:
    scenario: Any
    params: ModelParams
    targets: dict[str, FactorTarget]
    evaluator: OutcomeEvaluator
    schema: pa.Schema


_PREPARED: dict[SweepContext, _Prepared] = {}


def base_parameters(scenario, horizon: int | None) -> ModelParams:
    """Model parameters of a sweep's runs: as ``brink run`` sets them for the scenario, with
    the experiment's horizon (when it gives one) in place of the scenario's."""
    from brink.sim.model import scenario_params

    return scenario_params(scenario, {"horizon": horizon} if horizon is not None else None)


def _prepare(context: SweepContext) -> _Prepared:
    prepared = _PREPARED.get(context)
    if prepared is None:
        from brink.scenarios.loader import load_scenario
        from brink.sim.output import file_sha256

        if file_sha256(context.scenario_path) != context.scenario_sha256:
            raise RuntimeError(
                f"{context.scenario_path} changed since the sweep started; "
                "start a new sweep to use the new file"
            )
        scenario = load_scenario(context.scenario_path)
        targets = {
            name: resolve_factor(name, scenario, Location(key=name))
            for name in context.factor_names
        }
        prepared = _Prepared(
            scenario=scenario,
            params=base_parameters(scenario, context.horizon),
            targets=targets,
            evaluator=OutcomeEvaluator(context.outcomes, scenario),
            schema=shards.shard_schema(
                context.factor_names, tuple(spec.name for spec in context.outcomes)
            ),
        )
        _PREPARED.clear()  # one sweep at a time per worker
        _PREPARED[context] = prepared
    return prepared


def simulate_rows(context: SweepContext, task: RunTask) -> list[dict[str, Any]]:
    """Run one task and return its shard's rows (raises what the model or the factors raise)."""
    from brink.sim.model import simulate

    prepared = _prepare(context)
    values = dict(zip(context.factor_names, task.values, strict=True))
    scenario, params = apply_factors(prepared.scenario, prepared.params, values, prepared.targets)
    record = simulate(scenario, params, task.seed, run=task.replication)
    outcomes = prepared.evaluator.evaluate(record.runs)
    extra = {"point": task.point, "replication": task.replication, **values}
    extra.update({shards.OUTCOME_PREFIX + name: value for name, value in outcomes.items()})
    return [{**{column: row.get(column) for column in RUN_COLUMNS}, **extra} for row in record.runs]


def run_task(context: SweepContext, task: RunTask) -> RunStatus:
    """Do one run and write its shard; a run that raises is written as a failed shard.

    Returns:
        RunStatus: the run's point and replication, and the error's text if it failed.
    """
    prepared = _prepare(context)
    error = None
    try:
        rows = simulate_rows(context, task)
    except Exception as exception:  # recorded with the run, the sweep goes on
        error = f"{type(exception).__name__}: {exception}"
        values = dict(zip(context.factor_names, task.values, strict=True))
        rows = [
            {
                "point": task.point,
                "replication": task.replication,
                "run": task.replication,
                "seed": task.seed,
                "error": error,
                **values,
            }
        ]
    columns = {
        field.name: pa.array([row.get(field.name) for row in rows], type=field.type)
        for field in prepared.schema
    }
    table = pa.table(columns, schema=prepared.schema)
    shards.write_shard(context.out_dir, task.point, task.replication, table)
    return RunStatus(task.point, task.replication, error)


def _exit_with_parent(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])  # readable once the main process is gone
    os._exit(1)


def init_pool_worker() -> None:
    """Initializer of a process-pool worker.

    Ctrl-C reaches every process of the terminal's group: the worker ignores it and lets the
    main process stop the sweep. If the main process is killed outright, the worker sees its
    parent's sentinel close and exits instead of running on unseen (a fork-server child cannot
    rely on its parent process id: its parent is the fork server, which outlives the sweep).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        watcher = threading.Thread(target=_exit_with_parent, args=(parent.sentinel,), daemon=True)
        watcher.start()
