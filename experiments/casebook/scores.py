"""How the casebook scores a forecast against what happened: pure functions of counts.

A forecast is the share of runs ending in each outcome class of
:data:`~brink.sim.record.RUN_OUTCOMES`. Its score for one case is the logarithmic score
(Good 1952; Gneiting & Raftery 2007), the natural log of the probability given to what
happened: 0 for a certain, correct forecast, lower for worse ones. A share of 0 would score −∞,
so every forecast is smoothed by adding one run to each class (Laplace's rule of succession):
with ``n`` runs and ``k`` classes, ``p = (count + 1) / (n + k)``. The floor is therefore
``1 / (n + 7)``: with 500 runs, ln(1/507) ≈ −6.23.

The base-rate forecaster gives every case the same forecast: the shares of the MID outcome
classes among the pre-1990 disputes of the bundled GML MID file (Gibler, Miller & Little 2016),
one count per dispute, side A taken as the challenger (MID's side A holds the state that took
the first militarised action), smoothed the same way over its number of disputes. Disputes coded
7 (released), 8 (unclear) or 9 (joins an ongoing war) fall in no class and are left out; MID has
no class for a war still going, so that class gets the floor alone.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import pandas as pd

from brink.experiments.retrodiction.codes import MID_OUTCOMES
from brink.sim.record import RUN_OUTCOMES

#: Pseudo-count added to every class before a share becomes a probability.
PSEUDO_COUNT = 1


def outcome_counts(outcomes: Iterable[str]) -> dict[str, int]:
    """How many runs ended in each class, every class of RUN_OUTCOMES present (zeros kept).

    Raises:
        ValueError: for an outcome that is not a class.
    """
    counts: dict[str, int] = dict.fromkeys(RUN_OUTCOMES, 0)
    for outcome in outcomes:
        if outcome not in counts:
            raise ValueError(f"'{outcome}' is not an outcome class")
        counts[outcome] += 1
    return counts


def smoothed(counts: Mapping[str, int]) -> dict[str, float]:
    """Probabilities from counts with :data:`PSEUDO_COUNT` added to each class."""
    total = sum(counts.values()) + PSEUDO_COUNT * len(counts)
    return {outcome: (count + PSEUDO_COUNT) / total for outcome, count in counts.items()}


def shares(counts: Mapping[str, int]) -> dict[str, float]:
    """Raw shares of the counts (what the report shows; NaN for no runs)."""
    total = sum(counts.values())
    return {outcome: count / total if total else math.nan for outcome, count in counts.items()}


def log_score(probabilities: Mapping[str, float], outcome: str) -> float:
    """ln of the probability given to ``outcome`` (0 best; −∞ only for an unsmoothed zero)."""
    p = probabilities[outcome]
    return math.log(p) if p > 0 else -math.inf


def among_two_likeliest(shares: Mapping[str, float], outcome: str) -> bool:
    """Whether ``outcome`` was among the two likeliest classes of a forecast.

    It must have happened in some run (a share above 0: six classes tied at zero behind one at
    100 % are not "second") and at most one class may be strictly likelier (a tie for second
    counts for it). Give raw shares, not smoothed probabilities, so that zero stays zero.
    """
    p = shares[outcome]
    return p > 0 and sum(1 for other in shares.values() if other > p) < 2


def mid_outcome_counts(mid: pd.DataFrame) -> dict[str, int]:
    """Disputes of a GML dyadic MID table per outcome class, one count per ``dispnum``.

    Side A is the challenger (MID codes 1 victory A, 2 victory B, 3 yield by A, 4 yield by B,
    5 stalemate, 6 compromise); codes 7–9 are in no class and are not counted.
    """
    per_dispute = mid.drop_duplicates("dispnum")["outcome"].astype(int)
    return outcome_counts(MID_OUTCOMES[code] for code in per_dispute if code in MID_OUTCOMES)


def base_rate(mid: pd.DataFrame) -> dict[str, float]:
    """The base-rate forecast: :func:`mid_outcome_counts`, smoothed."""
    return smoothed(mid_outcome_counts(mid))
