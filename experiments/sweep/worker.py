"""A block of runs of a sweep, as a worker process does it: apply the factors, simulate each
replication, write the block's shard.

This module is what executors import in their worker processes (process pool or Dask workers),
so it lives in an importable module, never ``__main__`` (docs/style.md, Dask). A worker loads the
scenario once and keeps it for every block it is given. A run whose model or factors raise is
written into the shard with the error's message (the shard is then named ``.failed``); only a
failure to write the shard itself escapes, and the sweep then runs the whole block again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from brink.errors import Location
from brink.experiments.sweep import shards
from brink.experiments.sweep.factors import FactorTarget, apply_factors, resolve_factor
from brink.experiments.sweep.outcomes import OutcomeEvaluator, OutcomeSpec
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
    factor_choices: tuple[tuple[Any, ...] | None, ...] = ()  # per factor (None: a number)
    base: tuple[tuple[str, Any], ...] = ()  # --params values under the scenario's
    rules: tuple[str, ...] = ()  # --rule's rules over the scenario's, imported by name here


@dataclass(frozen=True)
class RunTask:
    """A block of runs: a design point, its consecutive replications ``first`` onwards (one
    per seed), their seeds and the point's factor values (numbers, or the choices of
    categorical and yes/no factors)."""

    point: int
    first: int
    seeds: tuple[int, ...]
    values: tuple[Any, ...]

    @property
    def last(self) -> int:
        """The block's last replication."""
        return self.first + len(self.seeds) - 1

    @property
    def runs(self) -> int:
        return len(self.seeds)


@dataclass(frozen=True)
class RunStatus:
    """What a worker reports back: which block, and how many of its runs failed."""

    point: int
    first: int
    runs: int
    failed: int = 0


@dataclass
class _Prepared:
    scenario: Any
    params: ModelParams
    targets: dict[str, FactorTarget]
    evaluator: OutcomeEvaluator
    schema: pa.Schema


_PREPARED: dict[SweepContext, _Prepared] = {}


def base_parameters(scenario, horizon: int | None, base: tuple = ()) -> ModelParams:
    """Model parameters of a sweep's runs: as ``brink run`` sets them for the scenario (over
    ``base``, the values of a ``--params`` file), with the experiment's horizon (when it gives
    one) in place of the scenario's."""
    from brink.sim.params import scenario_params

    return scenario_params(
        scenario,
        {"horizon": horizon} if horizon is not None else None,
        base=ModelParams().with_overrides(dict(base)),
    )


def sweep_scenario(scenario, rules: tuple[str, ...]):
    """The scenario of a sweep's runs: its own rules under the sweep's ``--rule``."""
    from brink.scenarios.rule_specs import parse_rules, with_rules

    return with_rules(scenario, parse_rules(rules))


def _prepare(context: SweepContext) -> _Prepared:
    prepared = _PREPARED.get(context)
    if prepared is None:
        from brink.experiments.ensemble.output import file_sha256
        from brink.scenarios.loader import load_scenario

        if file_sha256(context.scenario_path) != context.scenario_sha256:
            raise RuntimeError(
                f"{context.scenario_path} changed since the sweep started; "
                "start a new sweep to use the new file"
            )
        scenario = sweep_scenario(load_scenario(context.scenario_path), context.rules)
        targets = {
            name: resolve_factor(name, scenario, Location(key=name))
            for name in context.factor_names
        }
        prepared = _Prepared(
            scenario=scenario,
            params=base_parameters(scenario, context.horizon, context.base),
            targets=targets,
            evaluator=OutcomeEvaluator(context.outcomes, scenario),
            schema=shards.shard_schema(
                context.factor_names, context.outcomes, context.factor_choices
            ),
        )
        _PREPARED.clear()  # one sweep at a time per worker
        _PREPARED[context] = prepared
    return prepared


def simulate_rows(
    context: SweepContext, point: int, replication: int, seed: int, values: tuple[Any, ...]
) -> list[dict[str, Any]]:
    """Run one replication of a point and return its shard rows (raises what the model or the
    factors raise)."""
    from brink.sim.model import simulate

    prepared = _prepare(context)
    factors = dict(zip(context.factor_names, values, strict=True))
    scenario, params = apply_factors(prepared.scenario, prepared.params, factors, prepared.targets)
    record = simulate(scenario, params, seed, run=replication)
    outcomes = prepared.evaluator.evaluate(
        record.runs, record.steps, record.events, horizon=params.horizon
    )
    extra = {"point": point, "replication": replication, **factors}
    extra.update({shards.OUTCOME_PREFIX + name: value for name, value in outcomes.items()})
    return [{**{column: row.get(column) for column in RUN_COLUMNS}, **extra} for row in record.runs]


def run_task(context: SweepContext, task: RunTask) -> RunStatus:
    """Do a block of runs and write its shard; a run that raises is written with its error.

    Returns:
        RunStatus: the block's point, first replication and size, and how many runs failed.
    """
    prepared = _prepare(context)
    rows: list[dict[str, Any]] = []
    failed = 0
    for replication, seed in enumerate(task.seeds, start=task.first):
        try:
            rows += simulate_rows(context, task.point, replication, seed, task.values)
        except Exception as exception:  # recorded with the run, the sweep goes on
            failed += 1
            rows.append(
                {
                    "point": task.point,
                    "replication": replication,
                    "run": replication,
                    "seed": seed,
                    "error": f"{type(exception).__name__}: {exception}",
                    **dict(zip(context.factor_names, task.values, strict=True)),
                }
            )
    columns = [
        pa.array([row.get(field.name) for row in rows], type=field.type)
        for field in prepared.schema
    ]
    table = pa.Table.from_arrays(columns, schema=prepared.schema)
    shards.write_shard(context.out_dir, task.point, task.first, task.last, table)
    return RunStatus(task.point, task.first, task.runs, failed)
