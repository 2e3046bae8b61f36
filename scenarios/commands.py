"""``brink validate``, ``brink schema`` and ``brink list``: the scenario language's commands.

The loader is imported by the handlers, not here, so ``brink --help`` stays quick.
"""

from __future__ import annotations

import argparse
import sys

from brink.errors import EXIT_USAGE, BrinkInputError


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
    listing.set_defaults(handler=list_command)


def validate_command(args: argparse.Namespace) -> int:
    """Load each file; ``ok: FILE (...)`` for a good one, the located error for a bad one."""
    from brink.scenarios.loader import load_scenario

    status = 0
    for file in args.files:
        try:
            scenario = load_scenario(file)
        except BrinkInputError as error:
            print(f"brink: {error}", file=sys.stderr)
            status = EXIT_USAGE
            continue
        print(
            f"ok: {file} ({len(scenario.states)} states, {len(scenario.demands)} disputes, "
            f"{len(scenario.events)} events)"
        )
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
    for name in scenarios:
        scenario = load_scenario(name)
        print(f"{name:<{width}}  {summary(scenario.description)}")
    return 0


def summary(description: str) -> str:
    """The first sentence of a description."""
    text = " ".join(description.split())
    return text.split(". ", 1)[0].rstrip(".")
