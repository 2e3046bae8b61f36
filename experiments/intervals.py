"""Intervals of estimates from many runs: Wilson's for a probability, the normal one for a mean."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

Z95 = 1.959963984540054


def wilson(successes: np.ndarray | float, trials: np.ndarray | float, z: float = Z95):
    """Wilson score interval ``(low, high)`` of a binomial proportion (Wilson 1927).

    The one Wilson interval of the package: the run summary's shares and a sweep's
    probabilities both use it. Takes counts or arrays of counts.

    Returns:
        tuple: lower and upper bound in [0, 1], floats for counts and arrays for arrays;
        (0, 1) where ``trials`` is 0.
    """
    successes = np.asarray(successes, dtype=float)
    trials = np.asarray(trials, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = successes / trials
        z2 = z * z
        denominator = 1 + z2 / trials
        centre = (share + z2 / (2 * trials)) / denominator
        half = z / denominator * np.sqrt(share * (1 - share) / trials + z2 / (4 * trials * trials))
    # Clamped to hold the share itself: rounding can put the bound a hair past 0 or 1.
    low = np.where(trials > 0, np.maximum(0.0, np.minimum(share, centre - half)), 0.0)
    high = np.where(trials > 0, np.minimum(1.0, np.maximum(share, centre + half)), 1.0)
    if low.ndim == 0:
        return float(low), float(high)
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
