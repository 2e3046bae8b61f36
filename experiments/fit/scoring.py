"""How well a parameter set's runs foresaw what happened: log scores per case, and for wars.

Each historical case was run R times with one parameter set; its counts (wars, outcome classes,
hostility levels) become smoothed probabilities, and the case scores the log probability of what
really happened (Good 1952: the logarithmic score is the strictly proper score that rewards a
forecaster only for the probability given to the event that occurred). Counts are smoothed by
adding one half to every cell (the Jeffreys prior of a multinomial, Krichevsky & Trofimov 1981),
so a class no run produced costs a finite amount, ``log(0.5 / (R + K/2))``, not infinity.

Three terms per case, each a log probability (higher is better, 0 is perfect):

- **war**: did the dispute reach war (MID hostility level 5; ICB violence 4)?
- **outcome**: the outcome class (MID: six classes; ICB: four), for cases whose class is known;
- **level**: the highest MID hostility level reached, 1–5 (MID files only: ICB has no levels);
- **dispute**: how long the dispute or crisis lasted, in the bins of ``DISPUTE_BINS`` (MID: the
  mean of ``mindur`` and ``maxdur``; ICB: trigger to termination), for cases whose length is
  known. A run whose dispute is still open when it ends falls in the last bin, as does a record
  of six months or more (right-censoring at the default horizon of 180 days). Without it a fit
  is free to end every standoff in days, which history's do not (MID median 41 days).

and one term for war **duration**, scored over the wars of the Correlates of War interstate war
file (Sarkees & Wayman 2010) rather than per case, because a MID record dates the dispute, not
the war within it: the mean log probability of each COW war's length falling in its bin of the
model's pooled war lengths across all cases, smoothed as if from R wars (see
:func:`duration_term`). Bins are ``DURATION_BINS``; the last bin holds wars
of 180 days or more and wars still going when a run ends, since a run of the default horizon
cannot tell those apart (right-censoring).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import ArrayLike

#: Edges of the war-length bins, in days: under a month, one to three months, three to six
#: months, and six months or more (or unfinished at the horizon).
DURATION_BINS = (0.0, 30.0, 90.0, 180.0)
#: Edges of the dispute-length bins, in days: a week, a month, three months, six months, and six
#: months or more (or still open when the run ends).
DISPUTE_BINS = (0.0, 7.0, 30.0, 90.0, 180.0)
#: Hostility levels of the MID scale (Jones, Bremer & Singer 1996).
LEVELS = (1, 2, 3, 4, 5)
#: The parts of the fit's score, in the order reports show them.
PARTS = ("war", "outcome", "level", "dispute", "duration")
#: Smoothing added to every cell (Jeffreys / Krichevsky–Trofimov).
SMOOTHING = 0.5


def smoothed(counts: ArrayLike) -> np.ndarray:
    """Probabilities from counts with :data:`SMOOTHING` added to every cell."""
    cells = np.asarray(counts, dtype=float) + SMOOTHING
    return cells / cells.sum()


def war_term(wars: int, runs: int, happened: bool) -> float:
    """Log probability the runs gave to whether the case reached war."""
    p = smoothed((runs - wars, wars))
    return float(math.log(p[1] if happened else p[0]))


def class_term(counts: Sequence[float], observed: int) -> float:
    """Log probability the runs gave to the observed class (an index into ``counts``)."""
    return float(math.log(smoothed(counts)[observed]))


def duration_bin(days: float, running: bool = False) -> int:
    """The bin of a war of ``days`` days (the last bin if it was still going)."""
    if running:
        return len(DURATION_BINS) - 1
    return int(np.searchsorted(DURATION_BINS, days, side="right") - 1)


def dispute_bin(days: float) -> int:
    """The bin of :data:`DISPUTE_BINS` of a dispute of ``days`` days."""
    return int(np.searchsorted(DISPUTE_BINS, max(days, 0.0), side="right") - 1)


def dispute_counts(days: Iterable[float]) -> list[int]:
    """How many of a case's runs ended their dispute in each bin of :data:`DISPUTE_BINS`."""
    counts = [0] * len(DISPUTE_BINS)
    for length in days:
        counts[dispute_bin(length)] += 1
    return counts


def duration_counts(days: Iterable[float], running: Iterable[bool]) -> np.ndarray:
    """How many wars fall in each bin of :data:`DURATION_BINS`."""
    counts = np.zeros(len(DURATION_BINS))
    for length, still in zip(days, running, strict=True):
        counts[duration_bin(length, still)] += 1
    return counts


def duration_term(model_counts: ArrayLike, observed_days: Iterable[float], runs: int) -> float:
    """Mean log probability of each observed war length under the model's binned lengths.

    The model's wars are pooled over every case, thousands of them, so their histogram is
    known far better than any one case's forecast; scored raw, a bin the model leaves empty
    would cost ``log(0.5 / M)`` per COW war (M the number of model wars) and swamp every
    per-case term. The pooled shares are therefore smoothed as if they came from ``runs`` wars,
    the footing of a case's forecast, so the four parts of the score weigh alike.
    """
    counts = np.asarray(model_counts, dtype=float)
    total = counts.sum()
    shares = counts / total if total > 0 else np.full(len(counts), 1.0 / len(counts))
    probabilities = smoothed(shares * runs)
    observed = [duration_bin(days) for days in observed_days]
    if not observed:
        return 0.0
    return float(np.mean([math.log(probabilities[b]) for b in observed]))
