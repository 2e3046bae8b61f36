"""One ensemble of one scenario, as ``brink run`` and ``brink.run`` both make it.

The steps the command and the Python API share, so that for the same seed they make the same
tables and summary: the parameters resolved in one order (:func:`resolve_params`), the ensemble
and its summary (:func:`simulate_ensemble`, tables streamed to a directory or kept in memory),
the manifest (:func:`run_manifest`) and the summary as JSON values (:func:`summary_record`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from brink.errors import BrinkInputError, Location

if TYPE_CHECKING:
    import pandas as pd

    from brink.experiments.ensemble.replications import EnsembleResult
    from brink.experiments.ensemble.summary import Summary
    from brink.scenarios.params_file import ParamsFile
    from brink.scenarios.spec import Scenario
    from brink.sim.params import ModelParams

#: Where an error in an argument of ``brink.run`` is said to be.
API_CALL = "brink.run"


def resolve_params(
    scenario: Scenario,
    params: Mapping[str, Any] | str | Path | ParamsFile | None = None,
    overrides: Mapping[str, Any] | None = None,
    horizon: int | str | None = None,
    *,
    draw: int | None = None,
    where: str = API_CALL,
) -> ModelParams:
    """The run's parameters: defaults ← ``params`` ← the scenario's own ← ``overrides`` ←
    ``horizon`` (the precedence of ``brink run --params FILE --set NAME=VALUE --horizon T``).

    ``params`` (a dict, or a params file such as ``brink fit`` writes) is a generic set of
    values, and the scenario's judgement about its own case overrides it; ``overrides`` override
    both. ``draw`` takes that posterior draw of a params file instead of its values.

    Raises:
        BrinkInputError: for an unknown parameter (with the nearest name) or a value of the
            wrong type or out of its range, located at the argument or the file's line.
    """
    from brink.sim.params import coerce_parameter, scenario_params

    base = _base_params(params, draw, where)
    checked = {
        name: coerce_parameter(name, value, Location(file=where, key=f"overrides[{name!r}]"))
        for name, value in (overrides or {}).items()
    }
    resolved = scenario_params(scenario, checked, base=base)
    if horizon is not None:
        resolved = resolved.with_overrides(
            {"horizon": horizon}, {"horizon": Location(file=where, key="horizon")}
        )
    return resolved


def _base_params(
    params: Mapping[str, Any] | str | Path | ParamsFile | None, draw: int | None, where: str
) -> ModelParams:
    """Defaults with ``params`` applied: a dict of values, a params file or its path."""
    from brink.scenarios.params_file import ParamsFile, base_params, load_params_file
    from brink.sim.params import ModelParams

    if isinstance(params, Mapping):
        return ModelParams().with_overrides(
            params, {name: Location(file=where, key=f"params[{name!r}]") for name in params}
        )
    if isinstance(params, str | Path):
        params = load_params_file(params)
    if params is None or isinstance(params, ParamsFile):
        return base_params(params, draw)
    raise BrinkInputError(
        f"params is {type(params).__name__}; give a dict of parameter values or a params "
        "file's path",
        Location(file=where, key="params"),
    )


def simulate_ensemble(
    scenario: Scenario,
    params: ModelParams,
    *,
    runs: int,
    root_seed: int,
    jobs: int = 1,
    directory: Path | None = None,
    fmt: str = "parquet",
    progress: bool = False,
    draws: tuple[ModelParams, ...] = (),
    runner=None,
) -> tuple[EnsembleResult, Summary]:
    """Run the ensemble and compute its summary: the one code path of ``brink run`` and
    :func:`run`.

    With ``directory``, the tables stream to files there (``brink run``); without, they are
    kept in memory as ``EnsembleResult.tables``. With ``draws`` (``--posterior``), each run
    takes the parameter draw its seed picks.
    """
    from brink.experiments.ensemble.replications import run_ensemble
    from brink.experiments.ensemble.summary import summarize

    result = run_ensemble(
        scenario,
        params,
        runs=runs,
        directory=directory,
        root_seed=root_seed,
        jobs=jobs,
        fmt=fmt,
        progress=progress,
        draws=draws,
        runner=runner,
    )
    summary = summarize(
        scenario,
        result.runs,
        result.escalation,
        result.actions,
        root_seed=root_seed,
        horizon=params.horizon,
        step_unit=scenario.step,
        n_runs=runs,
    )
    return result, summary


def run_manifest(
    scenario: Scenario,
    params: ModelParams,
    *,
    root_seed: int,
    seed_given: bool,
    runs: int,
    jobs: int,
    params_file: ParamsFile | None = None,
    draws: int = 0,
    how: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """What identifies a run and the software that made it: ``manifest.json`` up to ``jobs``.

    ``how`` is how it was asked for (``brink run``'s command line and argv, or the API call).
    """
    from brink.experiments.ensemble import output
    from brink.scenarios.rule_loader import rule_records

    path = Path(scenario.path) if scenario.path else None
    return {
        "kind": "run",
        "status": "running",
        "versions": output.software_versions(),
        "git_commit": output.git_commit(),
        **(how or {}),
        "scenario": scenario.name,
        "scenario_file": str(path.resolve()) if path else None,
        "scenario_sha256": output.file_sha256(path) if path and path.is_file() else None,
        "parameters": params.as_dict(),
        "rules": rule_records(params, scenario.rules),
        "params_file": None if params_file is None else _params_file_record(params_file),
        "posterior_draws": draws or None,
        "root_seed": root_seed,
        "seed_given": seed_given,
        "runs": runs,
        "jobs": jobs,
    }


def _params_file_record(params_file: ParamsFile) -> dict[str, Any]:
    """What a manifest records of a params file: where, its hash and what it set."""
    from brink.experiments.ensemble import output

    return {
        "path": str(Path(params_file.path).resolve()),
        "sha256": output.file_sha256(Path(params_file.path)),
        "values": params_file.values,
        "posterior_size": len(params_file.posterior),
    }


def posterior_draws(
    scenario: Scenario,
    params_file: ParamsFile,
    overrides: Mapping[str, Any] | None = None,
    horizon: int | str | None = None,
    *,
    where: str = API_CALL,
) -> tuple[ModelParams, ...]:
    """Every posterior draw of a params file, resolved as :func:`resolve_params` does.

    Raises:
        BrinkInputError: if the file has no ``posterior:`` block to draw from.
    """
    if not params_file.posterior:
        raise BrinkInputError(
            "the params file has no posterior: block to draw from",
            Location(file=params_file.path, key="posterior"),
        )
    return tuple(
        resolve_params(scenario, params_file, overrides, horizon, draw=draw, where=where)
        for draw in range(len(params_file.posterior))
    )


def headline_records(summary: Summary) -> list[dict[str, Any]]:
    """The headline estimates as records: label, count, runs, share, low, high."""
    return [
        {
            "label": estimate.label,
            "count": estimate.successes,
            "runs": estimate.trials,
            "share": estimate.share,
            "low": estimate.interval[0],
            "high": estimate.interval[1],
        }
        for estimate in summary.headline()
    ]


def summary_record(summary: Summary, runs: pd.DataFrame) -> dict[str, Any]:
    """The summary as JSON values (``brink run --json``): the headline estimates and every
    outcome's share per dispute, each with its Wilson 95 % bounds."""
    from brink.experiments.ensemble.tables import outcome_table

    return {
        "scenario": summary.scenario,
        "runs": summary.runs,
        "root_seed": summary.root_seed,
        "horizon": summary.horizon,
        "step_unit": summary.step_unit,
        "headline": headline_records(summary),
        "outcomes": outcome_table(runs).to_dict("records"),
    }
