# PYTHON_ARGCOMPLETE_OK (shell completion: the marker argcomplete looks for)
"""The ``brink`` command: one subcommand per way in (run, view, sweep, classic, ...).

Each area of the package registers its own subcommands through a ``register(subparsers)``
function; this module only collects them and turns a user's mistake into one located line and
exit status 2 (docs/style.md, Errors), and an error of the machine (disk full, read-only, no
permission) into one line and exit status 1.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from brink import __version__
from brink.errors import EXIT_FAILURE, EXIT_USAGE, BrinkInputError, BrinkRunError
from brink.options import BrinkParser
from brink.safe_output import describe_os_error

# Modules that define ``register(subparsers)``; each adds its own subcommands.
COMMAND_MODULES = (
    "brink.scenarios.commands",
    "brink.experiments.run_commands",
    "brink.experiments.commands",
    "brink.experiments.retrodiction.commands",
    "brink.experiments.fit.commands",
    "brink.experiments.casebook.commands",
    "brink.viz.commands",
    "brink.experiments.classic_commands",
)


def build_parser() -> argparse.ArgumentParser:
    parser = BrinkParser(
        prog="brink",
        description="Agent-based simulation of international crises and alliance dynamics.",
    )
    parser.add_argument("--version", action="version", version=f"brink {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name == module_name:
                continue  # that area has no commands yet
            raise
        module.register(subparsers)
    return parser


def complete(parser: argparse.ArgumentParser) -> None:
    """Answer the shell's completion request, when it makes one and argcomplete is installed
    (``pip install 'brink[completion]'``, then ``eval "$(register-python-argcomplete brink)"``).

    The shell asks by running ``brink`` with ``_ARGCOMPLETE`` set; any other run imports
    nothing here, so completion costs ``brink`` no start-up time.
    """
    if "_ARGCOMPLETE" not in os.environ:
        return
    try:
        import argcomplete
    except ImportError:
        return  # completion not installed: the shell offers file names, as without it
    argcomplete.autocomplete(parser)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    complete(parser)
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.handler(args) or 0)
    except BrinkInputError as error:
        print(f"brink: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("brink: interrupted", file=sys.stderr)
        return 130
    except BrinkRunError as error:
        print(f"brink: {error}", file=sys.stderr)
        return EXIT_FAILURE
    except OSError as error:
        # Not the user's input but the machine: a full, read-only or forbidden place. One line,
        # exit 1; the writers leave nothing half-written under a real name (safe_output).
        print(f"brink: {describe_os_error(error)}", file=sys.stderr)
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
