"""The options of every command that runs the model, read one way: ``--rule``, ``--params``
(and ``--posterior``) and whole numbers such as ``--runs`` (``brink run``, ``sweep``,
``retrodict``, ``calibrate``, ``fit``, ``casebook`` and ``view`` share them)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from brink.errors import BrinkInputError, Location
from brink.options import COMMAND_LINE, parse_number

if TYPE_CHECKING:
    from brink.scenarios.spec import Scenario


def whole_number(text: str | None, flag: str, low: int, high: int | None = None) -> int:
    """A command-line integer in ``[low, high]``, or a one-line located error (the one parser
    of numeric options, :func:`brink.options.parse_number`)."""
    return int(parse_number(str(text), flag, low=low, high=high, whole=True))


def add_params_arguments(parser: argparse.ArgumentParser, *, posterior: bool = False) -> None:
    """``--params FILE`` (and, for commands that run ensembles, ``--posterior``)."""
    parser.add_argument(
        "--params",
        dest="params_file",
        default=None,
        metavar="FILE",
        help="run with the parameters of a params file (e.g. brink fit's DIR/params.yaml); "
        "the scenario's own parameters and --set still override it",
    )
    if posterior:
        parser.add_argument(
            "--posterior",
            action="store_true",
            help="draw each run's parameters from the params file's posterior sample, so the "
            "reported intervals include parameter uncertainty",
        )


def add_rule_argument(parser: argparse.ArgumentParser) -> None:
    """``--rule [STATE=]MODULE:NAME`` (repeatable): a decision rule from outside."""
    parser.add_argument(
        "--rule",
        dest="rules",
        action="append",
        default=[],
        metavar="[STATE=]MODULE:NAME",
        help="decide by this rule: for STATE, or for every state without it; MODULE is a dotted "
        "module or a .py file, or give a built-in or entry-point NAME alone (brink rules lists "
        "them); overrides the scenario's rules: (repeatable)",
    )


def read_rule_option(args: argparse.Namespace, scenario: Scenario | None = None):
    """The rules of ``--rule``, checked (the form; the states against ``scenario`` when given;
    each one imported once here, so a missing rule is one located error before any run)."""
    from brink.scenarios.rule_loader import resolve_rule
    from brink.scenarios.rule_specs import check_states, parse_rules

    where = Location(file=COMMAND_LINE, key="--rule")
    given = parse_rules(getattr(args, "rules", None) or ())
    if scenario is not None:
        check_states(given, scenario, where)
    for spec in given:
        resolve_rule(spec, where)
    return given


def read_params_option(args: argparse.Namespace):
    """The checked params file of ``--params`` (None without it); ``--posterior`` needs one."""
    from brink.scenarios.params_file import load_params_file

    path = getattr(args, "params_file", None)
    wants_posterior = getattr(args, "posterior", False)
    if path is None:
        if wants_posterior:
            raise BrinkInputError(
                "--posterior needs --params FILE (a params file with a posterior: block)",
                Location(file=COMMAND_LINE, key="--posterior"),
            )
        return None
    params_file = load_params_file(path)
    if wants_posterior and not params_file.posterior:
        raise BrinkInputError(
            "the params file has no posterior: block to draw from",
            Location(file=str(path), key="posterior"),
        )
    return params_file
