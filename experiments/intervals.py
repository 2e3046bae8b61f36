"""Intervals of a sweep's estimates: Wilson's for a probability, the normal one for a mean."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

Z95 = 1.959963984540054


def wilson(successes: np.ndarray | float, trials: np.ndarray | float, z: float = Z95):
    """Wilson score interval ``(low, high)`` of a binomial proportion (Wilson 1927)."""
    successes = np.asarray(successes, dtype=float)
    trials = np.asarray(trials, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = successes / trials
        denominator = 1 + z**2 / trials
        centre = (p + z**2 / (2 * trials)) / denominator
        half = z * np.sqrt(p * (1 - p) / trials + z**2 / (4 * trials**2)) / denominator
    # At 0 or n successes the interval's closed end is exactly 0 or 1 (no rounding residue).
    low = np.where(successes == 0, 0.0, np.clip(centre - half, 0, 1))
    high = np.where(successes == trials, 1.0, np.clip(centre + half, 0, 1))
    return low, high


def mean_interval(values: pd.Series) -> tuple[int, float, float, float, float]:
    """Count, sum, mean and 95 % interval (mean ± 1.96 standard errors) of the values given."""
    values = values.astype(float).dropna()
    n = len(values)
    if not n:
        return 0, 0.0, np.nan, np.nan, np.nan
    mean = float(values.mean())
    half = Z95 * float(values.std(ddof=1)) / math.sqrt(n) if n > 1 else 0.0
    return n, float(values.sum()), mean, mean - half, mean + half
