"""The experiment file: what a sweep varies, how, how often, and what it asks of each run.

An experiment file is YAML::

    name: tripwire
    description: What a tripwire in Romania does to the chance of force against NATO.
    scenario: black_sea_2022      # a bundled scenario's name, or a path relative to this file
    seed: 20220224                # root seed: replication seeds are SeedSequence(seed).spawn(n)
    replications: 40              # runs per design point
    horizon: 180                  # steps per run (default: the scenario's)
    design:
      kind: factorial             # factorial | latin_hypercube | sobol | morris
      levels: 5                   # factorial: levels of a factor given as a range;
                                  # morris: levels of its grid (default 4)
      samples: 64                 # latin_hypercube: points; sobol: base samples N
                                  # (N·(k + 2) points); morris: trajectories (r·(k + 1) points)
      second_order: false         # sobol: also second-order indices (N·(2k + 2) points)
    levers:                       # what a government chooses: crossed with every
      deployments.fra_romania.troops: {levels: [0, 0.5, 1, 2, 4]}   # point of the uncertainties
      alliances.NATO.kind: {levels: [defense, consultation]}        # a categorical factor
    uncertainties:                # what the analyst cannot control: the design samples these
      alliances.NATO.reliability: {low: 0.3, high: 1.0}
      parameters.spiral_hazard: {relative: 0.5}   # its value ± 50 %, within its range
    outcomes:
      force_on_nato: {kind: force, by: RUS, against: NATO}
      war_days: {kind: duration}                  # a number per run (see outcomes.py)
      hostility: {kind: hostility}                # a series per run: hostility level by day

``factors:`` is the older name of ``uncertainties:`` (a file has one or the other). Levers
are set on a full-factorial grid (their ``levels``, or ``design.levels`` points of a range),
and every lever setting meets the same design points of the uncertainties, so settings can be
compared future by future (``brink analyze --robust``).

Factor names are listed in :mod:`brink.experiments.factors`, outcome kinds in
:mod:`brink.experiments.outcomes`. Every mistake is reported with its file, line, column and key.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from brink.errors import BrinkInputError, Location, did_you_mean
from brink.experiments.factors import FactorTarget, base_value, resolve_factor
from brink.experiments.outcomes import (
    AGGREGATES,
    OUTCOME_KINDS,
    OUTCOMES,
    SCALAR_KINDS,
    OutcomeSpec,
    default_label,
    outcome_type,
)
from brink.safe_output import safe_name
from brink.scenarios.located_yaml import LocatedDocument, load_located
from brink.scenarios.spec import Scenario
from brink.sim.params import PARAMETERS

MAX_HORIZON = int(PARAMETERS["horizon"].high)

DESIGN_KINDS = ("factorial", "latin_hypercube", "sobol", "morris")
_DESIGN_ALIASES = {"lhs": "latin_hypercube", "full_factorial": "factorial", "saltelli": "sobol"}
_TOP_KEYS = (
    "name",
    "description",
    "scenario",
    "seed",
    "replications",
    "horizon",
    "design",
    "factors",
    "uncertainties",
    "levers",
    "outcomes",
)
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

#: Where the bundled experiments live (package data).
EXPERIMENT_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class DesignSpec:
    """How design points are chosen (see the module docstring)."""

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

    @property
    def bounds(self) -> tuple[float, float]:
        if self.kind != "number":
            return 0.0, float(len(self.levels) - 1)
        if self.levels is not None:
            return min(self.levels), max(self.levels)
        return self.low, self.high

    def value(self, coded: float) -> Any:
        """The factor's value at a design coordinate (a choice's index for a categorical one)."""
        if self.kind == "number":
            return float(coded)
        return self.levels[min(int(coded), len(self.levels) - 1)]


@dataclass(frozen=True)
class Experiment:
    """A parsed, checked experiment file."""

    name: str
    description: str
    path: str
    sha256: str
    scenario_path: str
    scenario: Scenario
    seed: int
    replications: int
    horizon: int | None
    design: DesignSpec
    factors: tuple[FactorSpec, ...]
    outcomes: tuple[OutcomeSpec, ...]
    #: Parameter values under the scenario's (``--params``): the sweep's base point.
    base: tuple[tuple[str, Any], ...] = ()

    def resized(self, samples: int | None = None, replications: int | None = None) -> Experiment:
        """A copy with ``--samples`` and ``--replications`` applied (None keeps the file's)."""
        design = self.design
        if samples is not None:
            _check_count(samples, "--samples", _cli("--samples"), maximum=MAX_SAMPLES)
            if design.kind == "factorial":
                if all(
                    factor.levels is not None
                    for factor in self.factors
                    if factor.role == "uncertainty"
                ):
                    raise BrinkInputError(
                        "every factor of this factorial design lists its levels, so --samples "
                        "changes nothing; edit the levels in the experiment file instead",
                        _cli("--samples"),
                    )
                design = replace(design, levels=samples)
            else:
                design = replace(design, samples=samples)
        if replications is not None:
            _check_count(
                replications, "--replications", _cli("--replications"), maximum=MAX_REPLICATIONS
            )
        resized = replace(
            self,
            design=design,
            replications=self.replications if replications is None else replications,
        )
        _check_design(resized.design, resized.factors, None)
        _check_size(resized.design, resized.factors, resized.replications, None)
        return resized


def _cli(key: str) -> Location:
    return Location(file="command line", key=key)


def _check_count(
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


def design_points(design: DesignSpec, factors: tuple[FactorSpec, ...]) -> int:
    """How many points ``design`` has, computed without building it."""
    k = len(factors)
    if design.kind == "factorial":
        return math.prod(
            len(f.levels) if f.levels is not None else design.levels or 5 for f in factors
        )
    if design.kind == "latin_hypercube":
        return design.samples
    if design.kind == "sobol":
        return design.samples * ((2 * k + 2) if design.second_order else (k + 2))
    return design.samples * (k + 1)  # morris


def _mapping(doc: LocatedDocument, value: Any, allowed: tuple[str, ...], *path: Any) -> dict:
    if not isinstance(value, dict):
        raise doc.error(f"expected a mapping with keys {', '.join(allowed)}", *path)
    for key in value:
        if key not in allowed:
            raise BrinkInputError(
                f"unknown key '{key}'{did_you_mean(str(key), allowed)}", doc.where_key(*path, key)
            )
    return value


def find_scenario(reference: str, base: Path) -> Path | None:
    """The scenario file a reference names: a path relative to ``base``, or a bundled name."""
    from brink.scenarios.loader import bundled_scenarios

    relative = base / reference
    if relative.is_file():
        return relative
    return bundled_scenarios().get(reference.removesuffix(".yaml"))


def find_experiment(reference: str) -> Path:
    """An experiment file: a path, or the name of a bundled one (``tripwire``)."""
    path = Path(reference)
    if path.is_file():
        return path
    bundled = EXPERIMENT_DIR / (reference if reference.endswith(".yaml") else f"{reference}.yaml")
    return bundled if bundled.is_file() else path


def load_experiment(path: Path | str) -> Experiment:
    """Read and check an experiment file (and load the scenario it names).

    Raises:
        BrinkInputError: for any mistake, located at its line and key.
    """
    from brink.scenarios.loader import load_scenario

    path = find_experiment(str(path))
    doc = load_located(path)
    data = _mapping(doc, doc.data, _TOP_KEYS)
    for key in ("scenario", "seed", "replications", "design"):
        if key not in data:
            raise doc.error(f"missing '{key}' (an experiment needs {key})", key)
    if "factors" in data and "uncertainties" in data:
        raise doc.error(
            "give 'uncertainties' or its older name 'factors', not both", "uncertainties"
        )
    block = "uncertainties" if "uncertainties" in data else "factors"
    if block not in data and "levers" not in data:
        raise doc.error("missing 'uncertainties' (an experiment needs factors to vary)", block)

    reference = data["scenario"]
    if not isinstance(reference, str):
        raise doc.error(f"{reference!r} is not a scenario name or path", "scenario")
    scenario_path = find_scenario(reference, path.parent)
    if scenario_path is None:
        from brink.scenarios.loader import bundled_scenarios

        raise doc.error(
            f"no scenario '{reference}': neither a file next to the experiment nor a bundled "
            f"scenario{did_you_mean(reference, bundled_scenarios())}",
            "scenario",
        )
    scenario = load_scenario(scenario_path)

    seed = data["seed"]
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise doc.error(f"{seed!r} is not a whole number in 0–2**128−1 (the root seed)", "seed")
    replications = _check_count(
        data["replications"], "runs per point", doc.where("replications"), 1, MAX_REPLICATIONS
    )
    horizon = data.get("horizon")
    if horizon is not None:
        horizon = _check_count(horizon, "steps", doc.where("horizon"), 1, MAX_HORIZON)
    name = data.get("name")
    if name is None:
        name = path.stem
    elif not isinstance(name, str):
        raise doc.error(f"{name!r} is not a name", "name")
    # The name becomes the default output folder (sweeps/NAME): it may not leave it.
    safe_name(name, doc.where("name") if "name" in data else Location(file=str(path)))

    design = _design(doc, data["design"])
    factors = ()
    if block in data:
        factors = _factors(doc, data[block], scenario, design, block, "uncertainty")
    if "levers" in data:
        factors += _factors(doc, data["levers"], scenario, design, "levers", "lever")
    seen = [factor.name for factor in factors]
    twice = next((name for name in seen if seen.count(name) > 1), None)
    if twice is not None:
        raise doc.error(f"'{twice}' is both a lever and an uncertainty", "levers", twice)
    _check_design(design, factors, doc)
    _check_size(design, factors, replications, doc)
    outcomes = _outcomes(doc, data.get("outcomes") or {"war": {"kind": "war"}}, scenario)

    return Experiment(
        name=name,
        description=str(data.get("description") or ""),
        path=str(path),
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        scenario_path=str(scenario_path.resolve()),
        scenario=scenario,
        seed=seed,
        replications=replications,
        horizon=horizon,
        design=design,
        factors=factors,
        outcomes=outcomes,
    )


def _design(doc: LocatedDocument, value: Any) -> DesignSpec:
    if isinstance(value, str):
        value = {"kind": value}
    value = _mapping(doc, value, _DESIGN_KEYS, "design")
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
        _check_count(samples, "design samples", doc.where("design", "samples"), 1, MAX_SAMPLES)
    levels = value.get("levels")
    if levels is not None:
        _check_count(levels, "levels", doc.where("design", "levels"), 2, MAX_LEVELS)
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


def _factors(
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
        body = _mapping(doc, body, _FACTOR_KEYS, *path)
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
    what = "yes/no" if target.kind == "boolean" else "categorical"
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


def _block(doc: LocatedDocument | None, factor: FactorSpec) -> str:
    """The block of the file a factor stands in: levers, uncertainties, or factors."""
    if factor.role == "lever":
        return "levers"
    has_new_name = doc is not None and ("uncertainties", factor.name) in doc.places
    return "uncertainties" if has_new_name else "factors"


def _check_design(
    design: DesignSpec, factors: tuple[FactorSpec, ...], doc: LocatedDocument | None
) -> None:
    def fail(message: str, *path: Any) -> BrinkInputError:
        if doc is None:
            return BrinkInputError(message, _cli("--samples"))
        return doc.error(message, *path)

    uncertainties = [factor for factor in factors if factor.role == "uncertainty"]
    levers = [factor for factor in factors if factor.role == "lever"]
    if levers and design.kind in ("sobol", "morris"):
        raise fail(
            f"levers need a factorial or latin_hypercube design (a {design.kind} sample of the "
            "uncertainties repeated for each lever setting is not analysed yet); make them "
            "uncertainties or change the design",
            "levers",
        )
    if not uncertainties and design.kind != "factorial":
        raise fail(f"a {design.kind} design needs uncertainties to sample", "design", "kind")
    for factor in factors:
        if factor.kind != "number" and design.kind in ("sobol", "morris"):
            raise fail(
                f"a {design.kind} design samples ranges of numbers; {factor.name} is "
                f"{'yes/no' if factor.kind == 'boolean' else 'categorical'} (use factorial "
                "or latin_hypercube)",
                _block(doc, factor),
                factor.name,
            )
    if design.kind != "factorial":
        for factor in uncertainties:
            if factor.levels is not None and factor.kind == "number":
                raise fail(
                    f"a {design.kind} design samples a range: give low and high, not levels",
                    _block(doc, factor),
                    factor.name,
                )
    if design.kind in ("sobol", "morris") and len(uncertainties) < 2:
        raise fail(f"a {design.kind} analysis needs at least two factors", "factors")
    if design.kind == "latin_hypercube" and design.samples < 2:
        raise fail("a latin_hypercube design needs at least 2 samples", "design", "samples")


def _check_size(
    design: DesignSpec,
    factors: tuple[FactorSpec, ...],
    replications: int,
    doc: LocatedDocument | None,
) -> None:
    runs = design_points(design, factors) * replications
    if runs > MAX_RUNS:
        message = (
            f"{design_points(design, factors):,} design points × {replications:,} replications "
            f"is {runs:,} runs, above the most a sweep may have, {MAX_RUNS:,}"
        )
        raise doc.error(message, "design") if doc else BrinkInputError(message, _cli("--samples"))


def _outcomes(doc: LocatedDocument, value: Any, scenario: Scenario) -> tuple[OutcomeSpec, ...]:
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
        body = _mapping(doc, body, _OUTCOME_KEYS, *path)
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
            _check_count(at_least, "a MID level 1–5", doc.where(*path, "at_least"))
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
