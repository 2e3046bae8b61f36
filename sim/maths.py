"""Small mathematical helpers shared by rules of the model: the logistic of a logit, and a
daily chance over a step of several days."""

from __future__ import annotations

import math


def logistic(x: float) -> float:
    """The logistic function, safe for large |x|."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def chance_per_step(daily: float, step_days: int) -> float:
    """The chance that an event with daily chance ``daily`` happens at least once in a step of
    ``step_days`` days: 1 − (1 − daily)^days."""
    return 1.0 - (1.0 - daily) ** step_days
