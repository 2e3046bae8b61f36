"""``brink validate``, ``brink schema`` and ``brink list``: the scenario language's commands.

The loader is imported by the handlers, not here, so ``brink --help`` stays quick.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from brink.errors import EXIT_USAGE, BrinkInputError

if TYPE_CHECKING:
    from brink.scenarios.spec import Scenario


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the scenario commands to the ``brink`` command line."""
    validate = subparsers.add_parser(
        "validate",
        help="check scenario files",
        description="Check scenario files; print one line per file, and exit 2 if any is bad.",
    )
    validate.add_argument(
        "files", nargs="+", metavar="FILE", help="scenario file or bundled scenario name"
    )
    _add_format(validate, "text: a line per file and per mistake; json: one JSON list of files")
    validate.add_argument(
        "-q", "--quiet", action="store_true", help="print only the mistakes (no ok lines)"
    )
    validate.set_defaults(handler=validate_command)

    schema = subparsers.add_parser(
        "schema",
        help="print the JSON Schema of scenario files",
        description="Print the JSON Schema of scenario files, for editors to complete and check.",
    )
    schema.add_argument(
        "--format",
        choices=("json", "markdown"),
        default="json",
        help="json: the JSON Schema; markdown: the key reference (scenarios/REFERENCE.md)",
    )
    schema.set_defaults(handler=schema_command)

    listing = subparsers.add_parser(
        "list",
        help="list the bundled scenarios",
        description="List the scenarios that ship with Brink, with their one-line descriptions.",
    )
    _add_format(listing, "text: a line per scenario; json: a JSON list (name, file, counts)")
    listing.set_defaults(handler=list_command)


def _add_format(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument("--format", dest="fmt", choices=("text", "json"), default="text", help=help)


def counted(number: int, noun: str) -> str:
    """``"1 dispute"``, ``"2 disputes"``."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def contents(scenario: Scenario) -> dict[str, int]:
    """How many states, disputes and timeline events a scenario has."""
    return {
        "states": len(scenario.states),
        "disputes": len(scenario.demands),
        "events": len(scenario.events),
    }


def error_record(error: BrinkInputError) -> dict[str, Any]:
    """A located error as JSON values: the line the CLI prints, and its parts."""
    where = error.location
    return {
        "error": str(error),
        "file": where.file,
        "line": where.line,
        "column": where.column,
        "key": where.key,
        "message": error.message,
    }


def validate_command(args: argparse.Namespace) -> int:
    """Check each file: ``ok: FILE (...)`` for a good one, every located mistake of a bad one.

    With ``--format json``, one JSON list: per file ``ok`` and the counts, or the errors.
    """
    from brink.scenarios.check import check_scenario

    status = 0
    records = []
    for file in args.files:
        scenario, errors = check_scenario(file)
        if errors or scenario is None:  # a scenario comes back exactly when there are no errors
            status = EXIT_USAGE
            records.append({"file": file, "ok": False, "errors": list(map(error_record, errors))})
            if args.fmt == "text":
                for error in errors:
                    print(f"brink: {error}", file=sys.stderr)
            continue
        counts = contents(scenario)
        records.append({"file": file, "ok": True, **counts})
        if args.fmt == "text" and not args.quiet:
            words = ", ".join(counted(number, noun[:-1]) for noun, number in counts.items())
            print(f"ok: {file} ({words})")
    if args.fmt == "json":
        print(json.dumps(records, indent=2, ensure_ascii=False))
    return status


def schema_command(args: argparse.Namespace) -> int:
    """Print the JSON Schema, or the Markdown key reference."""
    from brink.scenarios.reference import reference_markdown
    from brink.scenarios.schema import schema_json

    sys.stdout.write(reference_markdown() if args.format == "markdown" else schema_json())
    return 0


def list_command(args: argparse.Namespace) -> int:
    """Print each bundled scenario's name and the first sentence of its description."""
    from brink.scenarios.loader import bundled_scenarios, load_scenario

    scenarios = bundled_scenarios()
    width = max(map(len, scenarios), default=0)
    records = []
    for name, path in scenarios.items():
        scenario = load_scenario(name)
        if args.fmt == "json":
            records.append(
                {
                    "name": name,
                    "file": str(path),
                    "summary": summary(scenario.description),
                    "description": " ".join(scenario.description.split()),
                    **contents(scenario),
                }
            )
        else:
            print(f"{name:<{width}}  {summary(scenario.description)}")
    if args.fmt == "json":
        print(json.dumps(records, indent=2, ensure_ascii=False))
    return 0


def summary(description: str) -> str:
    """The first sentence of a description."""
    text = " ".join(description.split())
    return text.split(". ", 1)[0].rstrip(".")
