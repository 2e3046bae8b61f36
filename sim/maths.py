"""Small mathematical helpers shared by rules of the model (the logistic of a logit)."""

from __future__ import annotations

import math


def logistic(x: float) -> float:
    """The logistic function, safe for large |x|."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)
