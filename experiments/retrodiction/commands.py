"""``brink retrodict`` and ``brink calibrate``: score the model against history.

``brink retrodict DATA`` runs every dispute of a MID or ICB file (see
:mod:`brink.experiments.retrodiction.run`); ``brink calibrate`` prints the calibration report of
docs/model.md §10 (see :mod:`brink.experiments.retrodiction.calibration`).
"""

from __future__ import annotations

import argparse
import json
import shlex

from brink.errors import BrinkInputError, Location
from brink.experiments.retrodiction.defaults import DEFAULT_FOLDS, DEFAULT_RUNS
from brink.experiments.run_options import (
    add_params_arguments,
    add_rule_argument,
    read_params_option,
    read_rule_option,
)
from brink.options import output_path
from brink.sim.params import PARAMETERS, ModelParams, parse_assignments


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``retrodict`` and ``calibrate`` to the ``brink`` command."""
    parser = subparsers.add_parser(
        "retrodict",
        help="run the model on every dispute of a MID or ICB file and score it",
        description=(
            "Turn each dispute (Gibler-Miller-Little dyadic MID file) or crisis (ICB "
            "actor-level file), recognised by the file's columns, into a scenario; run it R "
            "times with default parameters; write per-case forecasts beside what happened, "
            "Brier score, log loss and AUC for war, a calibration figure, and the same scores "
            "for a base rate and a cross-validated logistic regression."
        ),
    )
    parser.add_argument("data", metavar="DATA", help="MID dyadic or ICB actor-level CSV file")
    parser.add_argument(
        "--runs", type=int, default=DEFAULT_RUNS, help=f"runs per case (default {DEFAULT_RUNS})"
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--jobs", type=int, help="worker processes (default: all cores)")
    where.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler, tcp://HOST:PORT")
    parser.add_argument(
        "--out", type=output_path, metavar="DIR", help="output folder (default out/retrodict-NAME)"
    )
    parser.add_argument(
        "--force", action="store_true", help="replace an earlier retrodiction's output in DIR"
    )
    parser.add_argument("--seed", type=int, help="root seed (default: drawn and recorded)")
    parser.add_argument(
        "--horizon", type=int, help=f"steps per run (default {ModelParams().horizon})"
    )
    parser.add_argument("--limit", type=int, help="only the first N disputes or crises")
    parser.add_argument(
        "--folds",
        type=int,
        default=DEFAULT_FOLDS,
        help=f"cross-validation folds of the baselines (default {DEFAULT_FOLDS})",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a model parameter (the report lists every override)",
    )
    add_params_arguments(parser)
    add_rule_argument(parser)
    parser.add_argument(
        "--train",
        nargs="+",
        default=None,
        metavar="FILE",
        help="fit the baselines and the recalibration on these files (same format) and score "
        "on DATA only, instead of cross-validating within DATA",
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print nothing but errors (no scores)"
    )
    parser.set_defaults(handler=retrodict_command)

    calibrate = subparsers.add_parser(
        "calibrate",
        help="war and outcome shares of generic dyads with MID capabilities vs MID base rates",
        description=(
            "Draw N dyads' capabilities, troops and distances from the pre-1990 MID disputes, "
            "run one generic two-state dispute for each with default parameters, and print "
            "the shares ending in war and in each outcome beside the MID base rates."
        ),
    )
    calibrate.add_argument("--disputes", type=int, default=1000, help="dyads (default 1000)")
    calibrate.add_argument("--seed", type=int, default=0, help="seed of the draw and the runs")
    calibrate.add_argument("--horizon", type=int, help="steps per run (default: the model's)")
    calibrate.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object: the settings, the patterns ({name, model, history}: "
        "war_share, stalemate_share, dispute_days_q25/q50/q75, war_days_q25/q50/q75) and the "
        "outcome shares",
    )
    add_params_arguments(calibrate)
    calibrate.set_defaults(handler=calibrate_command)


def _at_least(value: int | None, low: int, flag: str) -> None:
    if value is not None and value < low:
        raise BrinkInputError(f"{value} is below {low}", Location(file="command line", key=flag))


def _at_most(value: int | None, high: int, flag: str) -> None:
    if value is not None and value > high:
        raise BrinkInputError(
            f"{value:,} is above the most allowed, {high:,}",
            Location(file="command line", key=flag),
        )


#: Documented maxima (README, Reliability).
MAX_RUNS = 1_000_000
MAX_HORIZON = int(PARAMETERS["horizon"].high)


def _command_line(args: argparse.Namespace) -> str:
    """The command as the user could type it again, from the parsed arguments."""
    words = ["brink", "retrodict", args.data, "--runs", str(args.runs)]
    for flag in ("jobs", "scheduler", "out", "seed", "horizon", "limit"):
        value = getattr(args, flag)
        if value is not None:
            words += [f"--{flag}", str(value)]
    if args.folds != DEFAULT_FOLDS:
        words += ["--folds", str(args.folds)]
    for assignment in args.set:
        words += ["--set", assignment]
    for rule in args.rules:
        words += ["--rule", rule]
    return " ".join(shlex.quote(word) for word in words)


def retrodict_command(args: argparse.Namespace) -> int:
    from brink.experiments.retrodiction.run import retrodict

    if args.scheduler is not None:
        from brink.extras import require

        require("cluster", "--scheduler")  # before reading the data and preparing --out
    _at_least(args.runs, 1, "--runs")
    _at_least(args.jobs, 1, "--jobs")
    _at_least(args.limit, 1, "--limit")
    _at_least(args.folds, 2, "--folds")
    _at_least(args.horizon, 1, "--horizon")
    _at_least(args.seed, 0, "--seed")
    _at_most(args.runs, MAX_RUNS, "--runs")
    _at_most(args.horizon, MAX_HORIZON, "--horizon")
    _at_most(args.seed, 2**128 - 1, "--seed")
    overrides = parse_assignments(args.set)
    result = retrodict(
        args.data,
        runs=args.runs,
        jobs=args.jobs,
        scheduler=args.scheduler,
        out=args.out,
        seed=args.seed,
        horizon=args.horizon,
        limit=args.limit,
        k_folds=args.folds,
        overrides=overrides,
        params_file=read_params_option(args),
        train=args.train,
        command=_command_line(args),
        progress=not args.quiet,
        force=args.force,
        rules=read_rule_option(args),
    )
    if args.quiet:
        return 0
    scores = result.scores.set_index("forecaster")
    print(
        f"{len(result.cases)} cases, {len(result.skipped)} skipped, "
        f"{result.seconds:.1f} s (root seed {result.root_seed})"
    )
    print(
        scores[["war_brier", "war_log_loss", "war_auc", "outcome_brier"]].to_string(
            float_format=lambda v: f"{v:.4f}",
            na_rep="n/a",  # undefined with few cases
        )
    )
    model = scores.iloc[0]
    if "joined_brier" in scores and model["joined_pairs"] > 0:
        base = scores["joined_brier"].dropna().iloc[-1]
        auc = model["joined_auc"]
        auc_text = "n/a" if auc != auc else f"{auc:.3f}"  # undefined when no state fought
        print(
            f"who joined: Brier {model['joined_brier']:.4f} (base rate {base:.4f}), AUC "
            f"{auc_text} over {int(model['joined_pairs'])} state × case pairs"
        )
    significant = result.effects[result.effects["verdict"] != "not significant"]
    if len(significant):
        followed = ", ".join(significant.loc[significant["verdict"] == "followed", "covariate"])
        print(
            f"moves with history: {followed.count(',') + 1 if followed else 0} of "
            f"{len(significant)} covariates significant in history followed"
            + (f" ({followed})" if followed else "")
            + " (retrodiction.md)"
        )
    print(f"wrote {result.files['summary'].parent}/")
    return 0


def calibrate_command(args: argparse.Namespace) -> int:
    from brink.experiments.retrodiction.calibration import (
        calibration_report,
        format_report,
        report_json,
    )

    _at_least(args.disputes, 1, "--disputes")
    _at_least(args.horizon, 1, "--horizon")
    _at_least(args.seed, 0, "--seed")
    _at_most(args.disputes, 1_000_000, "--disputes")
    _at_most(args.horizon, MAX_HORIZON, "--horizon")
    _at_most(args.seed, 2**128 - 1, "--seed")
    from brink.scenarios.params_file import base_params

    params_file = read_params_option(args)
    report = calibration_report(args.disputes, args.seed, args.horizon, params_file=params_file)
    horizon = args.horizon or base_params(params_file).horizon
    if args.json:
        print(json.dumps(report_json(report, args.disputes, args.seed, horizon), indent=2))
        return 0
    print(format_report(report, args.disputes, args.seed, horizon))
    return 0
