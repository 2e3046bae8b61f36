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

Factor names are listed in :mod:`brink.experiments.sweep.factors`, outcome kinds in
:mod:`brink.experiments.sweep.outcomes`. Every mistake is reported with its file, line, column
and key.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from brink.errors import BrinkInputError, Location, did_you_mean
from brink.experiments.sweep.experiment_blocks import (
    MAX_REPLICATIONS,
    MAX_RUNS,
    MAX_SAMPLES,
    MAX_SEED,
    DesignSpec,
    FactorSpec,
    check_count,
    cli_location,
    parse_design,
    parse_factors,
    parse_mapping,
    parse_outcomes,
)
from brink.experiments.sweep.outcomes import OutcomeSpec
from brink.safe_output import safe_name
from brink.scenarios.located_yaml import LocatedDocument, load_located
from brink.scenarios.spec import Scenario
from brink.sim.params import PARAMETERS

MAX_HORIZON = int(PARAMETERS["horizon"].high)

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

#: Where the bundled experiments live (package data).
EXPERIMENT_DIR = Path(__file__).resolve().parent


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
    #: Rules of ``--rule`` over the scenario's (``[STATE=]MODULE:NAME``, file paths absolute).
    rules: tuple[str, ...] = ()

    def resized(self, samples: int | None = None, replications: int | None = None) -> Experiment:
        """A copy with ``--samples`` and ``--replications`` applied (None keeps the file's)."""
        design = self.design
        if samples is not None:
            check_count(samples, "--samples", cli_location("--samples"), maximum=MAX_SAMPLES)
            if design.kind == "factorial":
                if all(
                    factor.levels is not None
                    for factor in self.factors
                    if factor.role == "uncertainty"
                ):
                    raise BrinkInputError(
                        "every factor of this factorial design lists its levels, so --samples "
                        "changes nothing; edit the levels in the experiment file instead",
                        cli_location("--samples"),
                    )
                design = replace(design, levels=samples)
            else:
                design = replace(design, samples=samples)
        if replications is not None:
            check_count(
                replications,
                "--replications",
                cli_location("--replications"),
                maximum=MAX_REPLICATIONS,
            )
        resized = replace(
            self,
            design=design,
            replications=self.replications if replications is None else replications,
        )
        _check_design(resized.design, resized.factors, None)
        _check_size(resized.design, resized.factors, resized.replications, None)
        return resized


def design_points(design: DesignSpec, factors: tuple[FactorSpec, ...]) -> int:
    """How many points ``design`` has, computed without building it."""
    k = len(factors)
    if design.kind == "factorial":
        return math.prod(
            len(f.levels) if f.levels is not None else design.levels or 5 for f in factors
        )
    samples = design.samples
    if samples is None:  # parse_design gives every design but a factorial one its samples
        raise ValueError(f"a {design.kind} design has no samples")
    if design.kind == "latin_hypercube":
        return samples
    if design.kind == "sobol":
        return samples * ((2 * k + 2) if design.second_order else (k + 2))
    return samples * (k + 1)  # morris


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
    data = parse_mapping(doc, doc.data, _TOP_KEYS)
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
    replications = check_count(
        data["replications"], "runs per point", doc.where("replications"), 1, MAX_REPLICATIONS
    )
    horizon = data.get("horizon")
    if horizon is not None:
        horizon = check_count(horizon, "steps", doc.where("horizon"), 1, MAX_HORIZON)
    name = data.get("name")
    if name is None:
        name = path.stem
    elif not isinstance(name, str):
        raise doc.error(f"{name!r} is not a name", "name")
    # The name becomes the default output folder (sweeps/NAME): it may not leave it.
    safe_name(name, doc.where("name") if "name" in data else Location(file=str(path)))

    design = parse_design(doc, data["design"])
    factors: tuple[FactorSpec, ...] = ()
    if block in data:
        factors = parse_factors(doc, data[block], scenario, design, block, "uncertainty")
    if "levers" in data:
        factors += parse_factors(doc, data["levers"], scenario, design, "levers", "lever")
    seen = [factor.name for factor in factors]
    twice = next((name for name in seen if seen.count(name) > 1), None)
    if twice is not None:
        raise doc.error(f"'{twice}' is both a lever and an uncertainty", "levers", twice)
    _check_design(design, factors, doc)
    _check_size(design, factors, replications, doc)
    outcomes = parse_outcomes(doc, data.get("outcomes") or {"war": {"kind": "war"}}, scenario)

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
            return BrinkInputError(message, cli_location("--samples"))
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
    if design.kind == "latin_hypercube" and design.samples is not None and design.samples < 2:
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
        raise (
            doc.error(message, "design")
            if doc
            else BrinkInputError(message, cli_location("--samples"))
        )
