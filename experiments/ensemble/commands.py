"""``brink run``: an ensemble of one scenario, written to a run directory with its summary.

Parameters are resolved in one order, each layer checked against :data:`PARAMETERS`: the model's
defaults, then the scenario's ``parameters:`` block (and its ``horizon``), then ``--set
NAME=VALUE``, then ``--horizon``. The directory gets ``manifest.json`` first (status
``running``), then the tables, ``summary.md`` and ``figures/``, and the manifest again (status
``complete``), all in a temporary sibling folder renamed into place at the end. A folder that
holds a run is replaced only with ``--force``, and never one holding files Brink did not write.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from brink.errors import BrinkInputError, Location, did_you_mean
from brink.experiments.run_options import (
    add_params_arguments,
    add_rule_argument,
    read_params_option,
    read_rule_option,
    whole_number,
)
from brink.options import COMMAND_LINE, output_path
from brink.sim.params import ModelParams, parse_assignments

if TYPE_CHECKING:
    from brink.scenarios.spec import Scenario


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``brink run`` to the ``brink`` command."""
    parser = subparsers.add_parser(
        "run",
        help="run an ensemble of a scenario and summarise it",
        description=(
            "Run many replications of a scenario; write manifest.json, runs/steps/events/"
            "beliefs tables, summary.md and figures/ to DIR, and print the summary."
        ),
    )
    parser.add_argument("scenario", metavar="SCENARIO", help="a scenario file or a bundled name")
    parser.add_argument("--runs", default="100", metavar="N", help="replications (default 100)")
    parser.add_argument(
        "--seed", default=None, metavar="S", help="root seed (default: drawn and recorded)"
    )
    parser.add_argument("--horizon", default=None, metavar="T", help="steps per run at most")
    parser.add_argument(
        "--set",
        dest="assignments",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a model parameter, e.g. --set spiral_hazard=0.05 (repeatable)",
    )
    add_params_arguments(parser, posterior=True)
    add_rule_argument(parser)
    parser.add_argument(
        "--out",
        type=output_path,
        default=None,
        metavar="DIR",
        help="output directory (default out/NAME-TIME)",
    )
    parser.add_argument("--jobs", default="1", metavar="J", help="worker processes (default 1)")
    parser.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="run on a Dask scheduler, tcp://HOST:PORT (brink[cluster]); same tables as --jobs",
    )
    parser.add_argument(
        "--local-cluster",
        type=int,
        default=None,
        metavar="N",
        help="run on a Dask LocalCluster of N workers started on 127.0.0.1 (brink[cluster])",
    )
    parser.add_argument(
        "--format", dest="fmt", default="parquet", metavar="FMT", help="parquet (default) or csv"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace the run in DIR (only files Brink wrote)",
    )
    parser.add_argument(
        "--no-progress", dest="progress", action="store_false", help="no progress bar"
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print the summary as JSON (headline and outcome shares with 95 %% intervals) "
        "instead of Markdown; --format is the tables' format",
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print nothing but errors (no summary)"
    )
    parser.set_defaults(handler=run_command)


def scenario_with_rules(scenario: Scenario, given: tuple) -> Scenario:
    """``scenario`` with ``--rule``'s rules over its own, every one of them importable (a rule
    the scenario file names is reported at its ``rules:`` key)."""
    from brink.scenarios.rule_loader import resolve_rule
    from brink.scenarios.rule_specs import with_rules

    for spec in scenario.rules:
        resolve_rule(spec, Location(file=scenario.path, key=f"rules.{spec.state}"))
    return with_rules(scenario, given)


def resolve_parameters(
    scenario: Scenario,
    assignments: list[str],
    horizon: str | None,
    params_file=None,
    draw: int | None = None,
) -> ModelParams:
    """Defaults ← params file ← scenario (``step``, ``horizon``, ``parameters:``) ← ``--set`` ←
    ``--horizon``. ``draw`` takes a posterior draw of the params file instead of its values."""
    from brink.experiments.ensemble.runner import resolve_params

    params = resolve_params(
        scenario, params_file, parse_assignments(assignments), draw=draw, where=COMMAND_LINE
    )
    if horizon is not None:
        params = params.with_overrides(
            {"horizon": horizon}, {"horizon": Location(file=COMMAND_LINE, key="--horizon")}
        )
    return params


def reproducing_command(args: argparse.Namespace, root: int, directory: Path) -> str:
    """The ``brink run`` command line as given, with the root seed made explicit."""
    words = ["brink", "run", args.scenario, "--runs", str(args.runs), "--seed", str(root)]
    if args.horizon is not None:
        words += ["--horizon", str(args.horizon)]
    for assignment in args.assignments:
        words += ["--set", assignment]
    for rule in args.rules:
        words += ["--rule", rule]
    if args.params_file is not None:
        words += ["--params", str(args.params_file)]
    if args.posterior:
        words.append("--posterior")
    words += ["--out", str(directory), "--jobs", str(args.jobs), "--format", str(args.fmt)]
    if args.scheduler is not None:
        words += ["--scheduler", args.scheduler]
    if args.local_cluster is not None:
        words += ["--local-cluster", str(args.local_cluster)]
    return shlex.join(words)


def run_command(args: argparse.Namespace) -> int:
    """Handler of ``brink run``."""
    from brink.experiments.ensemble import output
    from brink.experiments.ensemble.runner import run_manifest
    from brink.safe_output import staged_folder
    from brink.sim.seeds import draw_root_seed, spawn_seeds

    runs = whole_number(args.runs, "--runs", 1, 10_000_000)
    jobs = whole_number(args.jobs, "--jobs", 1, 512)
    seed = None if args.seed is None else whole_number(args.seed, "--seed", 0, 2**128 - 1)
    on_cluster = args.scheduler is not None or args.local_cluster is not None
    if on_cluster:
        from brink.experiments.executors import make_runner

        make_runner(None, args.scheduler, args.local_cluster, check_only=True)
    fmt = str(args.fmt).lower()
    if fmt not in output.FORMATS:
        raise BrinkInputError(
            f"'{args.fmt}' is not a table format{did_you_mean(fmt, output.FORMATS)}",
            Location(file=COMMAND_LINE, key="--format"),
        )
    from brink.scenarios.loader import load_scenario, resolve_scenario_path

    path = resolve_scenario_path(args.scenario)
    scenario = load_scenario(path)
    scenario = scenario_with_rules(scenario, read_rule_option(args, scenario))
    params_file = read_params_option(args)
    params = resolve_parameters(scenario, args.assignments, args.horizon, params_file)
    draws: tuple[ModelParams, ...] = ()
    if args.posterior:
        draws = tuple(
            resolve_parameters(scenario, args.assignments, args.horizon, params_file, draw=i)
            for i in range(len(params_file.posterior))
        )
    root = draw_root_seed() if seed is None else seed
    started = output.now_iso()
    clock = time.perf_counter()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    directory = Path(args.out) if args.out is not None else Path("out") / f"{path.stem}-{stamp}"

    how = {"command_line": reproducing_command(args, root, directory), "argv": sys.argv}
    manifest = run_manifest(
        scenario,
        params,
        root_seed=root,
        seed_given=seed is not None,
        runs=runs,
        jobs=jobs,
        params_file=params_file,
        draws=len(draws),
        how=how,
    )
    manifest.update(format=fmt, started=started, finished=None, seeds=spawn_seeds(root, runs))
    cluster = (args.scheduler, args.local_cluster) if on_cluster else None
    # The run is built in a temporary sibling folder and renamed into place when complete, so
    # an interrupted run (or --force over a finished one) leaves the old run whole, or nothing.
    progress = args.progress and not args.quiet
    with staged_folder(directory, kind="run", again=args.force) as staging:
        text, record = _write_run(
            scenario, params, manifest, staging, progress, clock, draws, cluster
        )
    if args.quiet:
        return 0
    if args.json:
        record.update(directory=str(directory), command_line=manifest["command_line"])
        print(json.dumps(record, indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(text)
    print(f"brink: wrote {directory}", file=sys.stderr)
    return 0


def _write_run(
    scenario: Scenario,
    params: ModelParams,
    manifest: dict[str, Any],
    directory: Path,
    progress: bool,
    clock: float,
    draws: tuple[ModelParams, ...] = (),
    cluster: tuple[str | None, int | None] | None = None,
) -> tuple[str, dict[str, Any]]:
    """Run the ensemble into ``directory``; write its tables, summary, figures and manifest.
    ``cluster`` is ``(scheduler, local workers)`` to run on Dask instead of ``jobs`` processes.

    Returns the summary's text and its JSON record.
    """
    from contextlib import nullcontext

    runner = None
    if cluster is not None:
        from brink.experiments.executors import make_runner

        runner = make_runner(None, *cluster)
        if runner is None:  # make_runner returns None only when asked to check its options
            raise RuntimeError("make_runner gave no runner")
        manifest["executor"] = runner.description
    with runner or nullcontext():  # a Dask runner closes its cluster on the way out
        return _write_run_on(scenario, params, manifest, directory, progress, clock, draws, runner)


def _write_run_on(scenario, params, manifest, directory, progress, clock, draws, runner):
    """The body of :func:`_write_run`, on ``runner`` (None: ``jobs`` local processes)."""
    from brink.experiments.ensemble import output
    from brink.experiments.ensemble.figures import write_figures
    from brink.experiments.ensemble.runner import simulate_ensemble, summary_record

    output.write_manifest(directory, manifest)
    # the code path of brink.run, with the tables streamed to the directory
    result, summary = simulate_ensemble(
        scenario,
        params,
        runs=manifest["runs"],
        root_seed=manifest["root_seed"],
        jobs=manifest["jobs"],
        directory=directory,
        fmt=manifest["format"],
        progress=progress,
        draws=draws,
        runner=runner,
    )
    text = summary.markdown()
    output.write_text_atomic(directory / output.SUMMARY, text)
    figures = write_figures(
        directory / output.FIGURES,
        result.runs,
        result.escalation,
        summary.names,
        horizon=params.horizon,
        step_unit=scenario.step,
    )
    manifest.update(
        status="complete",
        finished=output.now_iso(),
        seconds=round(time.perf_counter() - clock, 3),
        rows=result.rows,
        files=sorted(
            str(p.relative_to(directory))
            for p in [*result.files.values(), *figures, directory / output.SUMMARY]
        ),
    )
    output.write_manifest(directory, manifest)
    return text, summary_record(summary, result.runs)
