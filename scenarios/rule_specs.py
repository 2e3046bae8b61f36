"""Which decision rule each state uses, as text: ``[STATE=]MODULE:NAME`` or ``[STATE=]NAME``.

The one reader of a rule's name, for ``--rule`` on every command, a scenario's ``rules:`` block
and a sweep's ``rule`` factor. ``MODULE`` is a dotted module (importable: installed, or on
``PYTHONPATH``) or a path to a ``.py`` file (relative to the folder of the file that names it, or
to the working directory on the command line; kept as an absolute path so that worker processes
find it too). A ``NAME`` alone is a built-in rule (``screening``, ``quantal``) or one an installed
package declares in the ``brink.rules`` entry-point group. Only the text is checked here; the
rule is imported by :func:`brink.scenarios.rule_loader.resolve_rule`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from brink.errors import BrinkInputError, Location
from brink.scenarios.spec import EVERY_STATE, RuleSpec, Scenario

STATE_PART = re.compile(r"^([A-Z]{3}|\*)$")
DOTTED = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")
NAME = re.compile(r"^[A-Za-z_]\w*$")
FORM = "give [STATE=]MODULE:NAME (MODULE dotted or a .py file) or a built-in name"


def parse_rule(
    text: str, where: Location, base: Path | None = None, state: str | None = None
) -> RuleSpec:
    """A :class:`RuleSpec` from ``[STATE=]MODULE:NAME``; ``state`` when the caller knows it
    (a scenario's ``rules:`` key). A file path is made absolute against ``base`` (default: the
    working directory) and must exist.

    Raises:
        BrinkInputError: at ``where``, for text of the wrong form or a file that is not there.
    """
    text = str(text).strip()
    head, equals, tail = text.partition("=")
    if state is None and equals and STATE_PART.match(head.strip()):
        state, text = head.strip(), tail.strip()
    state = state or EVERY_STATE
    written, colon, name = text.rpartition(":")
    if not colon:
        written, name = "", text
    if not NAME.match(name):
        raise BrinkInputError(f"'{text}': '{name}' is not a rule's name; {FORM}", where)
    module = _module(written, text, where, base) if colon else None
    return RuleSpec(state, module, name)


def _module(module: str, text: str, where: Location, base: Path | None) -> str:
    if module.endswith(".py") or "/" in module or "\\" in module:
        path = Path(module).expanduser()
        if not path.is_absolute():
            path = (base or Path.cwd()) / path
        if not path.is_file():
            raise BrinkInputError(f"'{text}': no file {path}; {FORM}", where)
        return str(path.resolve())
    if not DOTTED.match(module):
        raise BrinkInputError(f"'{text}': '{module}' is not a module name; {FORM}", where)
    return module


def parse_rules(texts: Iterable[str], key: str = "--rule", file: str = "command line"):
    """Every ``--rule`` of a command line, in order (a later rule for the same state wins)."""
    return tuple(parse_rule(text, Location(file=file, key=key)) for text in texts)


def check_states(specs: Iterable[RuleSpec], scenario: Scenario, where: Location) -> None:
    """Each rule's state is one of the scenario's (a located error with the nearest code)."""
    from brink.errors import did_you_mean

    for spec in specs:
        if spec.state != EVERY_STATE and spec.state not in scenario.states:
            raise BrinkInputError(
                f"rule {spec}: '{spec.state}' is not a state of {scenario.name}"
                f"{did_you_mean(spec.state, scenario.states)}",
                where,
            )


def merged_rules(scenario_rules: tuple[RuleSpec, ...], given: tuple[RuleSpec, ...]):
    """The scenario's rules under the command line's: a rule given for every state replaces all
    of the scenario's, one given for a state replaces the scenario's for that state; among the
    rules given, a later one for the same state replaces an earlier one."""
    if any(spec.state == EVERY_STATE for spec in given):
        scenario_rules = ()
    named = {spec.state for spec in given}
    kept = [spec for spec in scenario_rules if spec.state not in named]
    last = {spec.state: spec for spec in given}
    return (*kept, *last.values())


def with_rules(scenario: Scenario, given: tuple[RuleSpec, ...], cases: bool = False) -> Scenario:
    """``scenario`` with the command line's rules over its own (itself when none is given).

    With ``cases`` (a command that runs many cases: casebook, retrodiction, fitting), a rule for
    a state that is not in this case is left out, so ``--rule RUS=...`` applies where Russia is.
    """
    from dataclasses import replace

    if cases:
        given = tuple(s for s in given if s.state == EVERY_STATE or s.state in scenario.states)
    if not given:
        return scenario
    return replace(scenario, rules=merged_rules(scenario.rules, given))


def rule_for_state(rules: tuple[RuleSpec, ...], code: str) -> RuleSpec | None:
    """The rule a state uses: the one named for it, else the one for every state, else None
    (the ``decision_rule`` parameter's built-in)."""
    chosen = None
    for spec in rules:
        if spec.state == code:
            return spec
        if spec.state == EVERY_STATE:
            chosen = spec
    return chosen
