"""The one Wilson interval of the package, held against SciPy's."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binomtest

from brink.experiments.intervals import wilson

# Every count of small ensembles; the ends, the middle and their neighbours of large ones.
GRID = [(k, n) for n in range(1, 31) for k in range(n + 1)] + [
    (k, n)
    for n in (97, 1000, 12_345, 1_000_000)
    for k in (0, 1, 2, n // 3, n // 2, n - 2, n - 1, n)
]


@pytest.mark.parametrize(("successes", "trials"), GRID)
def test_wilson_agrees_with_scipy_binomtest(successes, trials):
    expected = binomtest(successes, trials).proportion_ci(confidence_level=0.95, method="wilson")
    low, high = wilson(successes, trials)
    assert low == pytest.approx(expected.low, rel=1e-12, abs=1e-15)
    assert high == pytest.approx(expected.high, rel=1e-12, abs=1e-15)
    # The closed end is exactly 0 with no successes and exactly 1 with no failures.
    assert (low == 0.0) == (successes == 0)
    assert (high == 1.0) == (successes == trials)


def test_wilson_of_arrays_is_the_wilson_of_each_count():
    successes = np.array([k for k, _ in GRID])
    trials = np.array([n for _, n in GRID])
    low, high = wilson(successes, trials)
    assert [(float(a), float(b)) for a, b in zip(low, high, strict=True)] == [
        wilson(int(k), int(n)) for k, n in GRID
    ]


def test_wilson_of_no_trials_is_all_of_zero_to_one():
    assert wilson(0, 0) == (0.0, 1.0)
    low, high = wilson(np.array([0, 3]), np.array([0, 4]))
    assert (low[0], high[0]) == (0.0, 1.0) and 0.0 < low[1] < 0.75 < high[1] < 1.0
