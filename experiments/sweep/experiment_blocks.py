"""The blocks of an experiment file, read and checked: the design, the factors, the outcomes.

Each reader takes the located document (:mod:`brink.scenarios.located_yaml`) and returns the
block's checked specs: :class:`DesignSpec` (how design points are chosen), :class:`FactorSpec`
(an uncertainty or a lever and its range or levels) and the
:class:`~brink.experiments.sweep.outcomes.OutcomeSpec` of each outcome; a mistake is reported
with its file, line, column and key. The file as a whole, and the checks that tie its blocks
together, are in :mod:`brink.experiments.sweep.experiment`, which also documents the format.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from brink.errors import BrinkInputError, Location, did_you_mean
from brink.experiments.sweep.factors import (
    RULES,
    FactorTarget,
    base_value,
    resolve_factor,
    rule_level,
)
from brink.experiments.sweep.outcomes import (
    AGGREGATES,
    OUTCOME_KINDS,
    OUTCOMES,
    SCALAR_KINDS,
    OutcomeSpec,
    default_label,
    outcome_type,
)
from brink.scenarios.located_yaml import LocatedDocument
from brink.scenarios.spec import Scenario

DESIGN_KINDS = ("factorial", "latin_hypercube", "sobol", "morris")
_DESIGN_ALIASES = {"lhs": "latin_hypercube", "full_factorial": "factorial", "saltelli": "sobol"}
_DESIGN_KEYS = ("kind", "samples", "levels", "second_order", "optimization")
_FACTOR_KEYS = ("low", "high", "levels", "relative")
_OUTCOME_KEYS = (
    "kind",
    "label",
    "dispute",
    "by",
    "against",
    "value",
    "at_least",
    "aggregate",
)
#: The roles of a factor: the block of the experiment file it stands in.
ROLES = ("uncertainty", "lever")

#: Documented maxima (README, Reliability): bigger values are refused before anything runs,
#: instead of allocating until memory runs out. A sweep of ten million runs takes days.
MAX_REPLICATIONS = 1_000_000
MAX_SAMPLES = 1_000_000
MAX_LEVELS = 10_000
MAX_RUNS = 10_000_000  # design points × replications
MAX_SEED = 2**128 - 1  # SeedSequence takes any size; the run command's bound, for one rule


@dataclass(frozen=True)
class DesignSpec:
    """How design points are chosen (see :mod:`brink.experiments.sweep.experiment`)."""

    kind: str
    samples: int | None = None
    levels: int | None = None
    second_order: bool = False
    optimization: str | None = None  # latin_hypercube: scipy's "random-cd" or "lloyd"


@dataclass(frozen=True)
class FactorSpec:
    """One factor: a range ``[low, high]`` or explicit ``levels``, where it goes, and whether
    it is an uncertainty or a lever.

    A categorical or yes/no factor's ``levels`` are its choices (strings or booleans); a design
    holds the index of a choice, and :meth:`value` turns it back into the choice.
    """

    name: str
    target: FactorTarget
    low: float | None = None
    high: float | None = None
    levels: tuple[Any, ...] | None = None
    role: str = "uncertainty"

    @property
    def kind(self) -> str:
        """``number``, ``boolean`` or ``category`` (from the factor's target)."""
        return self.target.kind

    def _choices(self) -> tuple[Any, ...]:
        """A categorical or yes/no factor's levels, which it always has."""
        if self.levels is None:
            raise ValueError(f"factor {self.name}: a {self.kind} factor has no levels")
        return self.levels

    @property
    def bounds(self) -> tuple[float, float]:
        if self.kind != "number":
            return 0.0, float(len(self._choices()) - 1)
        if self.levels is not None:
            return min(self.levels), max(self.levels)
        if self.low is None or self.high is None:  # a number factor has levels or a range
            raise ValueError(f"factor {self.name}: neither levels nor low and high")
        return self.low, self.high

    def value(self, coded: float) -> Any:
        """The factor's value at a design coordinate (a choice's index for a categorical one)."""
        if self.kind == "number":
            return float(coded)
        choices = self._choices()
        return choices[min(int(coded), len(choices) - 1)]


def cli_location(key: str) -> Location:
    return Location(file="command line", key=key)


def check_count(
    value: Any, what: str, location: Location, minimum: int = 1, maximum: int | None = None
) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise BrinkInputError(f"{value!r} is not a whole number ≥ {minimum} ({what})", location)
    if maximum is not None and value > maximum:
        raise BrinkInputError(
            f"{value:,} is above the most allowed, {maximum:,} ({what})", location
        )
    return value


def _number(doc: LocatedDocument, value: Any, *path: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise doc.error(f"{value!r} is not a number", *path)
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise doc.error(f"{value!r} is not a finite number", *path)
    return number


def parse_mapping(doc: LocatedDocument, value: Any, allowed: tuple[str, ...], *path: Any) -> dict:
    if not isinstance(value, dict):
        raise doc.error(f"expected a mapping with keys {', '.join(allowed)}", *path)
    for key in value:
        if key not in allowed:
            raise BrinkInputError(
                f"unknown key '{key}'{did_you_mean(str(key), allowed)}", doc.where_key(*path, key)
            )
    return value


def parse_design(doc: LocatedDocument, value: Any) -> DesignSpec:
    if isinstance(value, str):
        value = {"kind": value}
    value = parse_mapping(doc, value, _DESIGN_KEYS, "design")
    kind = value.get("kind")
    kind = _DESIGN_ALIASES.get(kind, kind)
    if kind not in DESIGN_KINDS:
        raise doc.error(
            f"unknown design '{value.get('kind')}'{did_you_mean(str(kind), DESIGN_KINDS)}",
            "design",
            "kind",
        )
    samples = value.get("samples")
    if samples is not None:
        check_count(samples, "design samples", doc.where("design", "samples"), 1, MAX_SAMPLES)
    levels = value.get("levels")
    if levels is not None:
        check_count(levels, "levels", doc.where("design", "levels"), 2, MAX_LEVELS)
    second_order = value.get("second_order", False)
    if not isinstance(second_order, bool):
        raise doc.error(f"{second_order!r} is not true or false", "design", "second_order")
    optimization = value.get("optimization")
    if optimization not in (None, "random-cd", "lloyd"):
        raise doc.error(
            f"'{optimization}' is not an optimization scipy knows (random-cd, lloyd)",
            "design",
            "optimization",
        )
    if kind != "factorial" and samples is None:
        raise doc.error(f"a {kind} design needs 'samples'", "design")
    return DesignSpec(kind, samples, levels, second_order, optimization)


def parse_factors(
    doc: LocatedDocument,
    value: Any,
    scenario: Scenario,
    design: DesignSpec,
    block: str,
    role: str,
) -> tuple[FactorSpec, ...]:
    if not isinstance(value, dict) or not value:
        raise doc.error("expected a mapping of factor names to ranges or levels", block)
    factors = []
    for name, body in value.items():
        path = (block, name)
        target = resolve_factor(name, scenario, doc.where_key(*path))
        body = parse_mapping(doc, body, _FACTOR_KEYS, *path)
        if target.choices is not None:
            factors.append(_choice_factor(doc, body, target, path, role))
        elif "levels" in body:
            if "low" in body or "high" in body:
                raise doc.error("give either levels or low and high, not both", *path)
            levels = body["levels"]
            if not isinstance(levels, list) or len(levels) < 1:
                raise doc.error("levels must be a list of numbers", *path, "levels")
            numbers = tuple(
                _number(doc, level, *path, "levels", index) for index, level in enumerate(levels)
            )
            for index, level in enumerate(numbers):
                target.check(level, doc.where(*path, "levels", index))
            if len(set(numbers)) != len(numbers):
                raise doc.error("a level is given twice", *path, "levels")
            factors.append(FactorSpec(name, target, levels=numbers, role=role))
        elif "relative" in body:
            if len(body) > 1:
                raise doc.error("give relative alone (it sets low and high)", *path)
            share = _number(doc, body["relative"], *path, "relative")
            if not 0 < share < 1:
                raise doc.error(f"{share:g} is not a share between 0 and 1", *path, "relative")
            base = base_value(target, scenario)
            if base is None or base == 0:
                raise doc.error(
                    f"has base value {base!r}, so a relative range is empty; give low and high",
                    *path,
                )
            low, high = sorted((base * (1 - share), base * (1 + share)))
            low, high = max(low, target.low), min(high, target.high)
            factors.append(FactorSpec(name, target, low=low, high=high, role=role))
        else:
            if "low" not in body or "high" not in body:
                raise doc.error("a factor needs low and high, or levels", *path)
            low = _number(doc, body["low"], *path, "low")
            high = _number(doc, body["high"], *path, "high")
            target.check(low, doc.where(*path, "low"))
            target.check(high, doc.where(*path, "high"))
            if not low < high:
                raise doc.error(f"low {low:g} is not below high {high:g}", *path)
            factors.append(FactorSpec(name, target, low=low, high=high, role=role))
    return tuple(factors)


def _choice_factor(
    doc: LocatedDocument, body: dict, target: FactorTarget, path: tuple, role: str
) -> FactorSpec:
    """A categorical or yes/no factor: ``levels`` lists the choices it takes."""
    if target.section == RULES:
        return _rule_factor(doc, body, target, path, role)
    what = "yes/no" if target.kind == "boolean" else "categorical"
    if target.choices is None:  # a target of kind boolean or category has choices
        raise ValueError(f"factor {target.name}: no choices")
    allowed = ", ".join(str(choice).lower() for choice in target.choices)
    if set(body) != {"levels"}:
        raise doc.error(f"a {what} factor takes a list of levels from: {allowed}", *path)
    levels = body["levels"]
    if not isinstance(levels, list) or not levels:
        raise doc.error(f"levels must be a list of choices from: {allowed}", *path, "levels")
    for index, level in enumerate(levels):
        target.check(level, doc.where(*path, "levels", index))
    if len(set(levels)) != len(levels):
        raise doc.error("a level is given twice", *path, "levels")
    return FactorSpec(target.name, target, levels=tuple(levels), role=role)


def _rule_factor(
    doc: LocatedDocument, body: dict, target: FactorTarget, path: tuple, role: str
) -> FactorSpec:
    """A decision-rule factor: ``levels`` lists rules (a file's path read beside the experiment
    file), each imported here so that a missing rule is an error before the sweep starts."""
    from pathlib import Path

    form = "a list of rules: screening, quantal, MODULE:NAME or path/to/file.py:NAME"
    levels = body.get("levels")
    if set(body) != {"levels"} or not isinstance(levels, list) or not levels:
        raise doc.error(f"a rule factor takes levels: {form}", *path)
    base = Path(doc.file).resolve().parent
    checked = tuple(
        rule_level(level, doc.where(*path, "levels", index), base)
        for index, level in enumerate(levels)
    )
    if len(set(checked)) != len(checked):
        raise doc.error("a level is given twice", *path, "levels")
    return FactorSpec(target.name, target, levels=checked, role=role)


def parse_outcomes(doc: LocatedDocument, value: Any, scenario: Scenario) -> tuple[OutcomeSpec, ...]:
    if not isinstance(value, dict) or not value:
        raise doc.error("expected a mapping of outcome names to outcomes", "outcomes")
    parties = set(scenario.states) | set(scenario.alliances)
    disputes = [demand.id for demand in scenario.demands]
    specs = []
    for name, body in value.items():
        path = ("outcomes", name)
        if not isinstance(name, str) or not name.isidentifier():
            raise doc.error("an outcome's name must be a plain identifier", *path)
        if isinstance(body, str):
            body = {"kind": body}
        body = parse_mapping(doc, body, _OUTCOME_KEYS, *path)
        kind = body.get("kind")
        if kind not in OUTCOME_KINDS:
            raise doc.error(
                f"unknown outcome kind '{kind}'{did_you_mean(str(kind), OUTCOME_KINDS)}",
                *path,
                "kind",
            )
        dispute = body.get("dispute")
        if dispute is not None and dispute not in disputes:
            raise doc.error(
                f"no dispute '{dispute}' in the scenario{did_you_mean(str(dispute), disputes)}",
                *path,
                "dispute",
            )
        by = body.get("by")
        if by is not None and by not in scenario.states:
            raise doc.error(
                f"no state '{by}' in the scenario{did_you_mean(str(by), scenario.states)}",
                *path,
                "by",
            )
        against = body.get("against")
        if against is not None and against not in parties:
            raise doc.error(
                f"no state or alliance '{against}' in the scenario"
                f"{did_you_mean(str(against), parties)}",
                *path,
                "against",
            )
        outcome_value = body.get("value")
        if kind == "outcome" and outcome_value not in OUTCOMES:
            raise doc.error(
                f"'{outcome_value}' is not an outcome{did_you_mean(str(outcome_value), OUTCOMES)}",
                *path,
                "value",
            )
        at_least = body.get("at_least")
        if kind == "level":
            at_least = check_count(at_least, "a MID level 1–5", doc.where(*path, "at_least"))
            if at_least > 5:
                raise doc.error(f"{at_least} is above 5 (MID levels are 1–5)", *path, "at_least")
        aggregate = body.get("aggregate")
        if aggregate is not None and outcome_type(kind) != "scalar":
            raise doc.error(
                f"'aggregate' applies to number outcomes ({', '.join(SCALAR_KINDS)}), "
                f"not to {kind}",
                *path,
                "aggregate",
            )
        if aggregate is not None and aggregate not in AGGREGATES:
            raise doc.error(
                f"unknown aggregate '{aggregate}'{did_you_mean(str(aggregate), AGGREGATES)} "
                f"(one of {', '.join(AGGREGATES)})",
                *path,
                "aggregate",
            )
        spec = OutcomeSpec(
            name=name,
            kind=kind,
            label="",
            dispute=dispute,
            by=by,
            against=against,
            value=outcome_value,
            at_least=at_least,
            aggregate=aggregate,
        )
        specs.append(replace(spec, label=str(body.get("label") or default_label(spec))))
    return tuple(specs)
