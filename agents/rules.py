"""The decision rules a state can own, by name (the protocol is :mod:`brink.sim.decisions`).

Built in:

- ``screening`` (:mod:`brink.agents.screening_rule`): the war-of-attrition stopping rule with
  brinkmanship at decision points, the default (``decision_rule`` 1);
- ``quantal`` (:mod:`brink.agents.quantal_rule`): quantal response to expected utilities at
  review points, the rule of Brink 0.1;

``decision_rule`` (a parameter, so ``--set``, a scenario's ``parameters:``, a sweep and a fit can
all choose it) picks the built-in every state uses when no other rule is named for it.

From outside: a scenario's ``rules:`` block and ``--rule [STATE=]MODULE:NAME`` name a rule for
a state, or for every state (:mod:`brink.scenarios.rule_specs` reads the text). ``NAME`` is a
class (or any callable) that makes a fresh rule object; it is found among the built-ins, in the
``brink.rules`` entry-point group of installed packages, or in ``MODULE`` (a dotted module or a
``.py`` file), imported by name in whichever process runs the model, so a rule behaves the same
with one process, many, or on a Dask cluster.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from brink.agents.quantal_rule import QuantalRule
from brink.agents.screening_rule import ScreeningRule
from brink.errors import BrinkInputError, Location
from brink.scenarios.rule_specs import rule_for_state
from brink.scenarios.spec import EVERY_STATE, RuleSpec

RULES = {0: QuantalRule, 1: ScreeningRule}
BUILT_IN = {"quantal": QuantalRule, "screening": ScreeningRule}
#: The entry-point group an installed package declares its rules in (pyproject.toml:
#: ``[project.entry-points."brink.rules"] NAME = "package.module:Class"``).
ENTRY_POINT_GROUP = "brink.rules"


@dataclass(frozen=True)
class ResolvedRule:
    """A rule's maker and where it came from (what a manifest records)."""

    spec: RuleSpec
    maker: Callable[[], Any]
    module: str  # dotted module, or the absolute path of a .py file
    name: str
    origin: str  # built-in, entry point, module or file

    def record(self) -> dict[str, Any]:
        """``{state, module, name, version | sha256}``: enough to reproduce the run."""
        record: dict[str, Any] = {"state": self.spec.state, "module": self.module}
        record["name"] = self.name
        record.update(_provenance(self.module, self.origin))
        return record


_RESOLVED: dict[tuple[str | None, str], ResolvedRule] = {}


def resolve_rule(spec: RuleSpec, where: Location | None = None) -> ResolvedRule:
    """Find the maker of ``spec``'s rule (cached per process).

    Raises:
        BrinkInputError: at ``where``, naming the rule, when it cannot be found or imported or
            is not a callable that makes a rule.
    """
    key = (spec.module, spec.name)
    resolved = _RESOLVED.get(key)
    if resolved is None:
        resolved = _find(spec, where or Location(key="rules"))
        _RESOLVED[key] = resolved
    return resolved if resolved.spec == spec else _with_state(resolved, spec)


def _with_state(resolved: ResolvedRule, spec: RuleSpec) -> ResolvedRule:
    return ResolvedRule(spec, resolved.maker, resolved.module, resolved.name, resolved.origin)


def _find(spec: RuleSpec, where: Location) -> ResolvedRule:
    if spec.module is None:
        if spec.name in BUILT_IN:
            maker = BUILT_IN[spec.name]
            return ResolvedRule(spec, maker, maker.__module__, maker.__name__, "built-in")
        found = {point.name: point for point in entry_points(group=ENTRY_POINT_GROUP)}
        if spec.name not in found:
            from brink.errors import did_you_mean

            known = [*BUILT_IN, *found]
            raise BrinkInputError(
                f"rule '{spec}': no built-in rule or '{ENTRY_POINT_GROUP}' entry point is "
                f"called '{spec.name}'{did_you_mean(spec.name, known)}; name another as "
                "MODULE:NAME",
                where,
            )
        point = found[spec.name]
        maker = _load(spec, where, point.load)
        return ResolvedRule(spec, maker, point.module, point.attr or spec.name, "entry point")
    module = _import(spec, where)
    maker = getattr(module, spec.name, None)
    if maker is None:
        from brink.errors import did_you_mean

        public = [name for name in vars(module) if not name.startswith("_")]
        raise BrinkInputError(
            f"rule '{spec}': {spec.module} has no '{spec.name}'{did_you_mean(spec.name, public)}",
            where,
        )
    origin = "file" if spec.module.endswith(".py") else "module"
    return ResolvedRule(spec, _checked_maker(spec, maker, where), spec.module, spec.name, origin)


def _load(spec: RuleSpec, where: Location, load: Callable[[], Any]) -> Callable[[], Any]:
    try:
        maker = load()
    except Exception as error:
        raise BrinkInputError(
            f"rule '{spec}': cannot load it: {type(error).__name__}: {error}", where
        ) from None
    return _checked_maker(spec, maker, where)


def _checked_maker(spec: RuleSpec, maker: Any, where: Location) -> Callable[[], Any]:
    if not callable(maker):
        raise BrinkInputError(
            f"rule '{spec}': {spec.name} is of type {type(maker).__name__}, not a class or "
            "function that makes a rule",
            where,
        )
    if isinstance(maker, type) and not callable(getattr(maker, "choose", None)):
        raise BrinkInputError(
            f"rule '{spec}': class {spec.name} has no choose(situation) method (see "
            "brink.sim.decisions.DecisionRule)",
            where,
        )
    return maker


def _import(spec: RuleSpec, where: Location):
    module = spec.module
    assert module is not None
    try:
        if not module.endswith(".py"):
            return importlib.import_module(module)
        # A file is imported under a name of its own path, once per process, so that every
        # state of every run shares one module (and a pickled rule finds its class again).
        name = "brink_rule_" + hashlib.sha256(module.encode()).hexdigest()[:16]
        if name in sys.modules:
            return sys.modules[name]
        if not Path(module).is_file():
            raise FileNotFoundError(f"no file {module}")
        loader_spec = importlib.util.spec_from_file_location(name, module)
        assert loader_spec is not None and loader_spec.loader is not None
        loaded = importlib.util.module_from_spec(loader_spec)
        sys.modules[name] = loaded
        try:
            loader_spec.loader.exec_module(loaded)
        except BaseException:
            del sys.modules[name]
            raise
        return loaded
    except Exception as error:
        raise BrinkInputError(
            f"rule '{spec}': cannot import {module}: {type(error).__name__}: {error}", where
        ) from None


def _provenance(module: str, origin: str) -> dict[str, str]:
    """The version of the distribution that holds ``module``, else its file's SHA-256."""
    from importlib.metadata import PackageNotFoundError, packages_distributions, version

    if origin == "file":
        return {"sha256": _sha256(module)}
    top = module.split(".")[0]
    if top == "brink":
        from brink import __version__

        return {"version": __version__}
    for distribution in packages_distributions().get(top, []):
        try:
            return {"version": version(distribution)}
        except PackageNotFoundError:  # pragma: no cover - a stale metadata entry
            continue
    path = getattr(sys.modules.get(module), "__file__", None)
    return {"sha256": _sha256(path)} if path else {}


def _sha256(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def rule_for(params, rules: tuple[RuleSpec, ...] = (), code: str | None = None) -> object:
    """A fresh rule object for one state in one run (rules may keep memory per dispute): the
    rule ``rules`` names for ``code``, else the built-in ``decision_rule`` picks."""
    spec = rule_for_state(rules, code) if rules and code is not None else None
    if spec is None:
        return RULES[params.decision_rule]()
    resolved = resolve_rule(spec)
    try:
        rule = resolved.maker()
    except Exception as error:
        raise BrinkInputError(
            f"rule '{spec}': making it raised {type(error).__name__}: {error}",
            Location(key="rules"),
        ) from None
    if not callable(getattr(rule, "choose", None)):
        raise BrinkInputError(
            f"rule '{spec}': {resolved.name}() made a {type(rule).__name__}, which has no "
            "choose(situation) method (see brink.sim.decisions.DecisionRule)",
            Location(key="rules"),
        )
    return rule


def rule_records(params, rules: tuple[RuleSpec, ...], where: Location | None = None):
    """Import every rule once, here (before any worker starts, so a missing rule is one located
    error at ``where``), and return what a manifest records of the rules a run uses: the
    built-in the ``decision_rule`` parameter picks (unless one rule is named for every state),
    then each named rule."""
    records = []
    if not any(spec.state == EVERY_STATE for spec in rules):
        builtin = RULES[params.decision_rule]
        records.append(resolve_rule(RuleSpec(EVERY_STATE, None, builtin.name)).record())
    return records + [resolve_rule(spec, where).record() for spec in rules]


def available_rules() -> list[tuple[str, str, str]]:
    """``(name, where, summary)`` of the built-in rules and the installed entry points."""
    rows = [
        (name, f"{maker.__module__}:{maker.__name__}", _summary(maker))
        for name, maker in BUILT_IN.items()
    ]
    for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.name):
        rows.append((point.name, point.value, f"entry point of {_distribution(point)}"))
    return rows


def _summary(maker: Any) -> str:
    doc = (maker.__doc__ or "").strip()
    return doc.splitlines()[0] if doc else ""


def _distribution(point) -> str:
    dist = getattr(point, "dist", None)
    return f"{dist.name} {dist.version}" if dist is not None else "an installed package"
