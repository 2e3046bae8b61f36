# PYTHON_ARGCOMPLETE_OK (shell completion: the marker argcomplete looks for)
"""The ``brink`` command: one subcommand per way in (run, view, sweep, classic, ...).

Each area of the package registers its own subcommands through a ``register(subparsers)``
function; this module only collects them and turns a user's mistake into one located line and
exit status 2 (docs/style.md, Errors), and an error of the machine (disk full, read-only, no
permission) into one line and exit status 1.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import signal
import sys
import threading

from brink.errors import EXIT_FAILURE, EXIT_USAGE, BrinkInputError, BrinkRunError
from brink.options import BrinkParser
from brink.safe_output import describe_os_error
from brink.version import __version__

# Modules that define ``register(subparsers)``; each adds its own subcommands.
COMMAND_MODULES = (
    "brink.scenarios.commands",
    "brink.scenarios.data_commands",
    "brink.experiments.ensemble.commands",
    "brink.scenarios.rule_commands",
    "brink.experiments.sweep.commands",
    "brink.experiments.analysis.commands",
    "brink.experiments.retrodiction.commands",
    "brink.experiments.fit.commands",
    "brink.experiments.casebook.commands",
    "brink.viz.commands",
    "brink.experiments.classic.commands",
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


class Terminated(KeyboardInterrupt):
    """SIGTERM (``kill``, a scheduler ending a job): unwound like Ctrl-C, so every staging
    folder and temporary file is removed on the way out (``safe_output.staged_folder``)."""


@contextlib.contextmanager
def _terminate_cleanly():
    """While a command runs, SIGTERM raises :class:`Terminated` in this process.

    Python's default for SIGTERM is to die at once, running no ``finally``, which left a
    hidden ``.NAME.partial-…`` folder behind a ``brink run`` or ``casebook`` that was sent
    ``kill``. A child forked from this process (a worker) keeps the default: it just ends.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    owner = os.getpid()

    def terminate(signum, frame) -> None:
        if os.getpid() != owner:  # a forked child inherited this handler: end as by default
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    complete(parser)
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        with _terminate_cleanly():
            return int(args.handler(args) or 0)
    except BrinkInputError as error:
        print(f"brink: {error}", file=sys.stderr)
        return EXIT_USAGE
    except Terminated:
        print("brink: terminated (SIGTERM); nothing half-written is left", file=sys.stderr)
        return 128 + signal.SIGTERM
    except KeyboardInterrupt:
        print("brink: interrupted", file=sys.stderr)
        return 130
    except BrinkRunError as error:
        print(f"brink: {error}", file=sys.stderr)
        return EXIT_FAILURE
    except OSError as error:
        # Not the user's input but the machine: a full, read-only or forbidden place. One line,
        # exit 1; the writers leave nothing half-written under a real name (safe_output).
        print(f"brink: {describe_os_error(error, getattr(args, 'out', None))}", file=sys.stderr)
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
