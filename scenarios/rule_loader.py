"""Find a decision rule by its name and say where it came from (``--rule``, ``rules:``, a sweep's
rule factor): a built-in, an entry point of the ``brink.rules`` group, or ``NAME`` in a dotted
module or a ``.py`` file. Rules are imported by name in whichever process runs the model, so a
rule behaves the same with one process, many, or on a Dask cluster.

This module names the built-ins (``brink.agents``) as text and imports them only when asked, so
a process that only checks and records rules (a sweep's driver) never imports the model; the
states make their rules from what it finds (:func:`brink.agents.rules.rule_for`).
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

from brink.errors import BrinkInputError, Location, did_you_mean
from brink.scenarios.spec import EVERY_STATE, RuleSpec

#: The built-in rules, by name (brink.agents; docs/model.md, "Two rules").
BUILT_IN = {
    "quantal": "brink.agents.quantal_rule:QuantalRule",
    "screening": "brink.agents.screening_rule:ScreeningRule",
}
#: The built-in each value of the ``decision_rule`` parameter picks.
BY_NUMBER = {0: "quantal", 1: "screening"}
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


class _Deferred:
    """A built-in rule's class, imported when the first rule is made (the model is loaded by
    then); calling it makes a rule."""

    def __init__(self, module: str, name: str):
        self.module, self.name = module, name

    def load(self) -> Any:
        return getattr(importlib.import_module(self.module), self.name)

    def __call__(self) -> Any:
        return self.load()()


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
            module, _, name = BUILT_IN[spec.name].partition(":")
            deferred = _Deferred(module, name)
            return ResolvedRule(spec, deferred, module, name, "built-in")
        found = {point.name: point for point in entry_points(group=ENTRY_POINT_GROUP)}
        if spec.name not in found:
            known = [*BUILT_IN, *found]
            raise BrinkInputError(
                f"rule '{spec}': no built-in rule or '{ENTRY_POINT_GROUP}' entry point is "
                f"called '{spec.name}'{did_you_mean(spec.name, known)}; name another as "
                "MODULE:NAME",
                where,
            )
        point = found[spec.name]
        loaded = _load(spec, where, point.load)
        return ResolvedRule(spec, loaded, point.module, point.attr or spec.name, "entry point")
    module = _import(spec, where)
    maker = getattr(module, spec.name, None)
    if maker is None:
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
        from brink.version import __version__

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


def rule_records(params, rules: tuple[RuleSpec, ...], where: Location | None = None):
    """Import every rule once, here (before any worker starts, so a missing rule is one located
    error at ``where``), and return what a manifest records of the rules a run uses: the
    built-in the ``decision_rule`` parameter picks (unless one rule is named for every state),
    then each named rule."""
    records = []
    if not any(spec.state == EVERY_STATE for spec in rules):
        builtin = RuleSpec(EVERY_STATE, None, BY_NUMBER[params.decision_rule])
        records.append(resolve_rule(builtin).record())
    return records + [resolve_rule(spec, where).record() for spec in rules]


def available_rules() -> list[tuple[str, str, str]]:
    """``(name, where, summary)`` of the built-in rules and the installed entry points."""
    rows = [
        (name, where, _summary(_Deferred(*where.split(":")).load()))
        for name, where in BUILT_IN.items()
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
