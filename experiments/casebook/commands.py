"""``brink casebook``: run every historical case and score it against what happened.

The work is in :mod:`brink.experiments.casebook.cases` (running and scoring) and
:mod:`brink.experiments.casebook.report` (the report); this module parses, calls and prints.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from brink.experiments.casebook.defaults import DEFAULT_RUNS
from brink.experiments.run_options import add_params_arguments, add_rule_argument
from brink.options import output_path

if TYPE_CHECKING:
    from brink.scenarios.spec import Scenario


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``brink casebook`` to the ``brink`` command."""
    parser = subparsers.add_parser(
        "casebook",
        help="run the historical cases and score them against what happened",
        description=(
            "Run every casebook scenario (scenarios/history/ and black_sea_2022), or those "
            "given with --case (bundled names, or your own files with a history: block), R times "
            "and write casebook.md, casebook.csv, casebook_sides.csv and casebook.png/.pdf to DIR: "
            "per case the model's probability of each outcome beside what happened, its log "
            "score, who fought, war lengths, and the total log score beside a base rate's."
        ),
    )
    parser.add_argument(
        "--runs", default=str(DEFAULT_RUNS), metavar="R", help=f"runs per case ({DEFAULT_RUNS})"
    )
    parser.add_argument(
        "--seed", default=None, metavar="S", help="root seed of every case (default: drawn)"
    )
    parser.add_argument("--jobs", default="1", metavar="J", help="worker processes (default 1)")
    parser.add_argument(
        "--out",
        type=output_path,
        default=None,
        metavar="DIR",
        help="output folder (default out/casebook-TIME)",
    )
    parser.add_argument(
        "--force", action="store_true", help="replace an earlier casebook's output in DIR"
    )
    parser.add_argument(
        "--case",
        dest="cases",
        action="append",
        default=[],
        metavar="CASE",
        help="only this case: a bundled case's name or a scenario file with a history: block "
        "(repeatable, mixing both; default every bundled case)",
    )
    parser.add_argument(
        "--no-progress", dest="progress", action="store_false", help="no progress bars"
    )
    add_params_arguments(parser)
    add_rule_argument(parser)
    parser.set_defaults(handler=casebook_command)


def _command_line(args: argparse.Namespace, runs: int, seed: int, out: Path) -> str:
    words = ["brink", "casebook", "--runs", str(runs), "--seed", str(seed)]
    words += ["--jobs", str(args.jobs), "--out", str(out)]
    for rule in args.rules:
        words += ["--rule", rule]
    for case in args.cases:
        words += ["--case", case]
    if args.params_file is not None:
        words += ["--params", str(args.params_file)]
    return shlex.join(words)


def chosen_cases(cases: list[str], bundled: list[str]) -> list[str]:
    """The cases asked for with ``--case``, bundled names and files, in order of start date.

    A file is checked as a bundled case is (:func:`~brink.experiments.casebook.cases.user_case`);
    two cases whose tables would share a folder are refused.
    """
    from brink.errors import BrinkInputError, Location, did_you_mean
    from brink.experiments.casebook.cases import case_folder, user_case
    from brink.scenarios.loader import load_scenario

    where = Location(file="command line", key="--case")
    starts = {}
    for case in dict.fromkeys(cases):
        if case in bundled:
            starts[case] = load_scenario(case).start_date
        elif Path(case).is_file():
            starts[case] = user_case(case).start_date
        else:
            raise BrinkInputError(
                f"'{case}' is not a casebook case or a file{did_you_mean(case, bundled)}", where
            )
    folders: dict[str, str] = {}
    for case in starts:
        other = folders.setdefault(case_folder(case), case)
        if other != case:
            raise BrinkInputError(
                f"'{case}' and '{other}' would share the folder cases/{case_folder(case)}; "
                "rename one file",
                where,
            )
    return sorted(starts, key=lambda case: (starts[case], case))


def casebook_command(args: argparse.Namespace) -> int:
    """Handler of ``brink casebook``."""
    from brink.experiments.casebook.cases import casebook_names, run_casebook
    from brink.experiments.casebook.report import write_report
    from brink.experiments.ensemble import output
    from brink.experiments.run_options import read_params_option, read_rule_option, whole_number
    from brink.safe_output import staged_folder
    from brink.scenarios.rule_loader import rule_records
    from brink.sim.params import ModelParams
    from brink.sim.seeds import draw_root_seed

    runs = whole_number(args.runs, "--runs", 1, 10_000_000)
    jobs = whole_number(args.jobs, "--jobs", 1, 512)
    seed = (
        draw_root_seed() if args.seed is None else whole_number(args.seed, "--seed", 0, 2**128 - 1)
    )
    params_file = read_params_option(args)
    rules = read_rule_option(args)
    names = casebook_names()
    if args.cases:
        names = chosen_cases(args.cases, names)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    directory = Path(args.out) if args.out is not None else Path("out") / f"casebook-{stamp}"
    command = _command_line(args, runs, seed, directory)
    clock = time.perf_counter()
    context: dict[str, Any] = {
        "runs": runs,
        "seed": seed,
        "command": command,
        "params_file": None if params_file is None else str(params_file.path),
        "params": {} if params_file is None else params_file.values,
        "rules": [str(rule) for rule in rules],
    }
    manifest: dict[str, Any] = {
        "versions": output.software_versions(),
        "git_commit": output.git_commit(),
        "command_line": command,
        "argv": sys.argv,
        "root_seed": seed,
        "seed_given": args.seed is not None,
        "runs": runs,
        "jobs": jobs,
        "cases": names,
        # the built-in each case's decision_rule picks (the default's record) and --rule's
        "rules": rule_records(ModelParams(), rules),
        "params_file": None
        if params_file is None
        else {
            "path": str(Path(params_file.path).resolve()),
            "sha256": output.file_sha256(Path(params_file.path)),
            "values": params_file.values,
        },
        "started": output.now_iso(),
    }

    def on_case(case) -> None:
        if args.progress:
            print(f"brink casebook: {case.name}: {case.seconds:.0f} s", file=sys.stderr)

    with staged_folder(directory, kind="casebook", again=args.force, manifest=manifest) as staging:
        casebook = run_casebook(
            names,
            runs=runs,
            seed=seed,
            jobs=jobs,
            directory=staging,
            params_file=params_file,
            progress=args.progress,
            on_case=on_case,
            rules=rules,
        )
        write_report(casebook, staging, context)
        manifest.update(
            finished=output.now_iso(),
            seconds=round(time.perf_counter() - clock, 3),
            scenario_sha256={
                case.name: output.file_sha256(_path(case.scenario)) for case in casebook.cases
            },
        )
    totals = casebook.totals
    print(
        f"{totals['disputes']} disputes in {len(casebook.cases)} cases: what happened was among "
        f"the two likeliest in {totals['in_two_likeliest']}; total log score "
        f"{totals['log_score']:.2f} (base rate {totals['base_rate_log_score']:.2f})"
    )
    print(f"brink: wrote {directory}", file=sys.stderr)
    return 0


def _path(scenario: Scenario) -> str:
    """The file a case was loaded from (every case is loaded from one)."""
    if scenario.path is None:
        raise ValueError(f"{scenario.name}: a case without its file")
    return scenario.path
