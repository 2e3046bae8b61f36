"""``brink sweep``: run an experiment file (``brink analyze`` reads what it produced:
:mod:`brink.experiments.analysis.commands`)."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from brink.experiments.run_options import add_rule_argument
from brink.options import number, output_path

EXIT_PARTIAL = 1


def register(subparsers) -> None:
    sweep = subparsers.add_parser(
        "sweep",
        help="run an experiment: many parameter points, many replications",
        description="Run every design point and replication of an experiment file, streaming "
        "Parquet shards (blocks of up to ten runs of a point) into --out. Interrupted sweeps "
        "finish with --resume. Exit status: 0 all runs succeeded, 1 some runs failed (see "
        "DIR/failures.csv), 2 a mistake in the input, 130 interrupted.",
    )
    sweep.add_argument("experiment", help="experiment file, or a bundled one's name (tripwire)")
    sweep.add_argument("--out", type=output_path, help="output directory (default: sweeps/NAME)")
    sweep.add_argument(
        "--jobs", type=number(1, whole=True), help="worker processes (default: one per core)"
    )
    sweep.add_argument("--scheduler", help="address of a running Dask scheduler, tcp://HOST:PORT")
    sweep.add_argument(
        "--local-cluster",
        type=number(1, whole=True),
        metavar="N",
        help="start a Dask LocalCluster of N workers",
    )
    sweep.add_argument("--resume", action="store_true", help="finish an interrupted sweep in --out")
    sweep.add_argument(
        "--samples",
        type=number(1, whole=True),
        metavar="K",
        help="design size: points of a Latin hypercube, base samples of a Sobol design, "
        "trajectories of a Morris design, levels per ranged factor of a factorial design",
    )
    sweep.add_argument(
        "--replications", type=number(1, whole=True), metavar="R", help="runs per design point"
    )
    sweep.add_argument("--no-progress", action="store_true", help="no progress bar")
    sweep.add_argument(
        "--params",
        dest="params_file",
        metavar="FILE",
        help="base point from a params file (e.g. brink fit's params.yaml), under the "
        "scenario's own parameters and the experiment's factors",
    )
    add_rule_argument(sweep)
    sweep.add_argument(
        "-q", "--quiet", action="store_true", help="print nothing but errors and failed runs"
    )
    sweep.set_defaults(handler=sweep_command)


def _raise_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _complete_sweep_at(directory: Path) -> bool:
    """Whether ``directory`` holds a finished sweep and no staging folder waits beside it."""
    import json

    from brink.experiments.sweep.run import staging_folder

    manifest = Path(directory) / "manifest.json"
    if staging_folder(directory).exists() or not manifest.is_file():
        return False
    try:
        status = str(json.loads(manifest.read_text()).get("status", ""))
    except (OSError, ValueError):
        return False
    return status.startswith("complete")


def sweep_command(args) -> int:
    from brink.experiments.executors import make_runner, start_fork_server

    if args.scheduler is None and args.local_cluster is None:
        start_fork_server()  # it imports the model while this process imports the rest
    from dataclasses import replace

    from brink.experiments.run_options import read_params_option, read_rule_option
    from brink.experiments.sweep.experiment import load_experiment
    from brink.experiments.sweep.run import SweepAborted, run_sweep, staging_folder

    experiment = load_experiment(args.experiment).resized(args.samples, args.replications)
    params_file = read_params_option(args)
    if params_file is not None:
        experiment = replace(experiment, base=tuple(sorted(params_file.values.items())))
    rules = read_rule_option(args, experiment.scenario)
    if rules:
        experiment = replace(experiment, rules=tuple(str(spec) for spec in rules))
    directory = args.out or Path("sweeps") / experiment.name
    make_runner(args.jobs, args.scheduler, args.local_cluster, check_only=True)

    def runner():
        return make_runner(args.jobs, args.scheduler, args.local_cluster)

    # `kill` (SIGTERM) stops a sweep as cleanly as Ctrl-C does: the manifest says where it got.
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        result = run_sweep(
            experiment,
            directory,
            runner,
            resume=args.resume,
            progress=not (args.no_progress or args.quiet),
            command=["brink", *sys.argv[1:]],
        )
    except KeyboardInterrupt:
        if _complete_sweep_at(directory):  # Ctrl-C came after the sweep was put in place
            print(
                f"brink sweep: interrupted, but the sweep had finished: {directory}",
                file=sys.stderr,
            )
            return 0
        print(
            f"brink sweep: interrupted; finish it with: brink sweep {args.experiment} "
            f"--out {directory} --resume (the runs so far are in {staging_folder(directory)})",
            file=sys.stderr,
        )
        raise
    except SweepAborted as error:
        print(
            f"brink sweep: stopped: {error}; resume with --resume (the runs so far are in "
            f"{staging_folder(directory)})",
            file=sys.stderr,
        )
        return EXIT_PARTIAL
    finally:
        signal.signal(signal.SIGTERM, previous)
    if not args.quiet:
        print(
            f"brink sweep: {result.done} of {result.total} runs in {result.directory} "
            f"({result.failed} failed)"
        )
    if result.failed:
        print(
            f"brink sweep: {result.failed} of {result.total} runs failed; their errors are in "
            f"{result.directory / 'failures.csv'}",
            file=sys.stderr,
        )
        return EXIT_PARTIAL
    return 0
