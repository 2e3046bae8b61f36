"""The 1936 Europe case of landscape theory (Axelrod & Bennett 1993), rebuilt from bundled data.

Axelrod and Bennett took sizes from COW capabilities and propensities from a table of ethnic,
religious, territorial, ideological, economic and historical ties that is not public here. This
module rebuilds the case from what the bundled data can support, with weights fixed before
looking at the result (this is a finding, not a fit):

- size: the state's COW NMC v6 composite capability share (``cinc``) in 1936;
- p_ij = +1 if the pair shares a defence or offence pact in force in 1936 (ATOP v4),
  +0.5 if it shares only a neutrality, non-aggression or consultation pact,
  −1 if the two fought on opposite sides of an interstate war that began 1870–1935 (COW),
  +0.5 if they fought on the same side of one and never against each other,
  −0.5 if they had a militarized dispute over territory 1919–1935 (GML MID v2.03).

Regime similarity and contiguity are left out: no bundled data set codes them for 1936.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from brink.scenarios.datasets import national_capabilities
from brink.scenarios.history import (
    pair_matrix,
    shared_alliances,
    territorial_disputes,
    war_history,
)
from brink.sim.classics.landscape import (
    Landscape,
    agreement,
    basins,
    canonical,
    energy,
    read_landscape,
    sides_of,
    write_landscape,
)

YEAR = 1936
BUNDLED = Path(__file__).resolve().parents[2] / "scenarios" / "classics" / "europe_1936.csv"

# The 17 states of Axelrod & Bennett's 1936 case, with COW codes.
STATES: dict[str, int] = {
    "UK": 200,
    "Czechoslovakia": 315,
    "Denmark": 390,
    "France": 220,
    "Greece": 350,
    "USSR": 365,
    "Yugoslavia": 345,
    "Estonia": 366,
    "Finland": 375,
    "Germany": 255,
    "Hungary": 310,
    "Italy": 325,
    "Latvia": 367,
    "Lithuania": 368,
    "Poland": 290,
    "Portugal": 235,
    "Romania": 360,
}

# Axelrod & Bennett 1993: the predicted 1936 split (side 0 holds the UK).
PUBLISHED_SIDE_0 = ("UK", "Czechoslovakia", "Denmark", "France", "Greece", "USSR", "Yugoslavia")
# The 1939 alignment: as published, except that Poland and Portugal ended on the other side.
ALIGNMENT_1939_SIDE_0 = (*PUBLISHED_SIDE_0, "Poland", "Portugal")

WEIGHTS = {
    "pact": 1.0,
    "other_pact": 0.5,
    "war_opposed": -1.0,
    "war_together": 0.5,
    "territorial_dispute": -0.5,
}
WAR_SINCE = 1870
DISPUTES_SINCE = 1919


def published() -> dict[str, int]:
    """Side (0/1) of each state in Axelrod & Bennett's published 1936 prediction."""
    return {name: 0 if name in PUBLISHED_SIDE_0 else 1 for name in STATES}


def alignment_1939() -> dict[str, int]:
    """Side (0/1) of each state in the 1939 alignment."""
    return {name: 0 if name in ALIGNMENT_1939_SIDE_0 else 1 for name in STATES}


def propensity_components() -> dict[str, np.ndarray]:
    """Each ingredient of the propensities as a 0/1 matrix in the order of :data:`STATES`."""
    return {name: matrix.copy() for name, matrix in _components().items()}


@cache
def _components() -> dict[str, np.ndarray]:
    codes = list(STATES.values())
    alliances = shared_alliances(codes, YEAR)
    wars = war_history(codes, before=YEAR, since=WAR_SINCE)
    disputes = territorial_disputes(codes, DISPUTES_SINCE, YEAR)

    def indicator(values: dict) -> np.ndarray:
        return (pair_matrix(codes, {pair: 1.0 for pair, v in values.items() if v}) > 0) * 1.0

    opposed = {pair: counts["opposed"] for pair, counts in wars.items()}
    together = {pair: counts["together"] for pair, counts in wars.items()}
    pact = indicator({pair: c["pact"] for pair, c in alliances.items()})
    other = indicator({pair: c["other"] for pair, c in alliances.items()}) * (1 - pact)
    opposed_m = indicator(opposed)
    together_m = indicator(together) * (1 - opposed_m)
    return {
        "pact": pact,
        "other_pact": other,
        "war_opposed": opposed_m,
        "war_together": together_m,
        "territorial_dispute": indicator(disputes),
    }


def build(components: tuple[str, ...] = tuple(WEIGHTS)) -> Landscape:
    """The 1936 landscape from the bundled data (rules in the module docstring).

    Args:
        components: Which ingredients of the propensities to use (all by default).
    """
    capabilities = national_capabilities()
    sizes = np.array([capabilities.loc[(code, YEAR), "cinc"] for code in STATES.values()])
    parts = propensity_components()
    matrix = sum(WEIGHTS[name] * parts[name] for name in components)
    return Landscape(tuple(STATES), sizes, np.asarray(matrix, dtype=float))


SOURCES = {
    "alliances (ATOP)": ("pact", "other_pact"),
    "past wars (COW)": ("war_opposed", "war_together"),
    "territorial disputes (GML)": ("territorial_dispute",),
}


def ablation() -> pd.DataFrame:
    """The prediction from each data source alone, from all but it, and from all together.

    Returns:
        One row per variant: ``variant``, ``minima`` (local minima), ``as_published`` and
        ``as_1939`` (states placed as in each, of 17, for the lowest-energy split).
    """
    variants = {"all sources": tuple(WEIGHTS)}
    for source, parts in SOURCES.items():
        variants[f"{source} only"] = parts
        variants[f"all but {source}"] = tuple(k for k in WEIGHTS if k not in parts)
    rows = []
    for variant, parts in variants.items():
        landscape = build(parts)
        minima = basins(landscape)
        best = minima.iloc[0]["config"]
        rows.append(
            {
                "variant": variant,
                "minima": len(minima),
                "as_published": agreement(landscape, best, published()),
                "as_1939": agreement(landscape, best, alignment_1939()),
            }
        )
    return pd.DataFrame(rows)


def write_bundled(path: Path = BUNDLED) -> None:
    """Write the built landscape to the bundled CSV (rerun when the data or rules change)."""
    write_landscape(
        build(),
        path,
        comment=(
            "Europe 1936 (Axelrod & Bennett 1993), rebuilt by brink.sim.classics.europe_1936.\n"
            "size: COW NMC v6 cinc 1936. propensity: +1 shared defence/offence pact (ATOP v4,\n"
            "1936), +0.5 other pact only, -1 opposed in a COW war 1870-1935, +0.5 same side\n"
            "only, -0.5 territorial MID 1919-1935 (GML v2.03)."
        ),
    )


@dataclass(frozen=True)
class EuropeFinding:
    """How the rebuilt 1936 landscape's prediction compares with the published one and 1939.

    Attributes:
        minima: Local minima with energies and basins (all 2^16 starts).
        predicted: The lowest-energy split (side 0 holds the UK).
        as_published: States placed as in the published prediction (of 17).
        as_1939: States placed as in the 1939 alignment (of 17).
        published_energy: Energy of the published split in the rebuilt landscape.
        published_is_minimum: Whether the published split is a local minimum here.
    """

    minima: pd.DataFrame
    predicted: tuple[int, ...]
    as_published: int
    as_1939: int
    published_energy: float
    published_is_minimum: bool


def finding(landscape: Landscape | None = None) -> EuropeFinding:
    """Compare the rebuilt landscape's global minimum with the published split and with 1939.

    Args:
        landscape: The landscape to judge; the bundled CSV if omitted.

    Returns:
        The finding.
    """
    landscape = landscape or read_landscape(BUNDLED)
    minima = basins(landscape)
    best = minima.iloc[0]["config"]
    reference = published()
    published_config = canonical([reference[name] for name in landscape.names])
    return EuropeFinding(
        minima=minima,
        predicted=best,
        as_published=agreement(landscape, best, reference),
        as_1939=agreement(landscape, best, alignment_1939()),
        published_energy=energy(landscape, published_config),
        published_is_minimum=published_config in set(minima["config"]),
    )


def describe(landscape: Landscape, result: EuropeFinding) -> str:
    """A readable report of the finding."""
    side0, side1 = sides_of(landscape, result.predicted)
    lines = [
        "Europe 1936, rebuilt from COW NMC, ATOP, COW wars and GML MIDs "
        f"({len(result.minima)} local minima over all 2^{landscape.n - 1} starts)",
        f"  predicted (lowest energy {result.minima.iloc[0]['energy']:.6g}, basin "
        f"{result.minima.iloc[0]['share']:.1%}):",
        f"    side A: {', '.join(side0)}",
        f"    side B: {', '.join(side1)}",
        f"  published prediction: {', '.join(PUBLISHED_SIDE_0)} against the rest",
        f"  placed as published: {result.as_published} of {landscape.n}; "
        f"as aligned in 1939: {result.as_1939} of {landscape.n} "
        f"(the published prediction scores {landscape.n - 2} of {landscape.n} on 1939)",
        f"  a random split matches a given split on {chance_agreement(landscape.n):.2f} of "
        f"{landscape.n} states on average",
        f"  the published split has energy {result.published_energy:.6g} here and "
        + ("is" if result.published_is_minimum else "is not")
        + " a local minimum",
    ]
    indifferent = [
        name
        for name, row in zip(landscape.names, landscape.propensities, strict=True)
        if not row.any()
    ]
    if indifferent:
        lines.append(
            f"  no propensity to anyone in the data, so on either side: {', '.join(indifferent)}"
        )
    return "\n".join(lines)


def chance_agreement(n: int) -> float:
    """Expected agreement of a uniformly random split with a fixed one, up to swapping sides:
    E[max(X, n − X)] for X ~ Binomial(n, 1/2)."""
    return sum(math.comb(n, k) * max(k, n - k) for k in range(n + 1)) / 2**n
