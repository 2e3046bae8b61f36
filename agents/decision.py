"""Quantal (logit) response: how a state picks one option from their expected utilities.

McKelvey & Palfrey (1995), "Quantal Response Equilibria for Normal Form Games": each option is
chosen with probability ∝ exp(λ · EU). λ = 0 picks uniformly at random; λ → ∞ always picks the
best option (docs/model.md §4.4).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np


def choice_probabilities(utilities: Mapping[str, float], precision: float) -> dict[str, float]:
    """Logit choice probabilities over named options (numerically stable softmax)."""
    names = list(utilities)
    best = max(utilities.values())
    weights = [math.exp(precision * (utilities[name] - best)) for name in names]
    total = sum(weights)
    return {name: weight / total for name, weight in zip(names, weights, strict=True)}


def quantal_choice(
    utilities: Mapping[str, float], precision: float, rng: np.random.Generator
) -> str:
    """Draw one option by quantal response. Options are tried in the mapping's order."""
    probabilities = choice_probabilities(utilities, precision)
    draw = rng.random()
    cumulative = 0.0
    for name, probability in probabilities.items():
        cumulative += probability
        if draw < cumulative:
            return name
    return next(reversed(probabilities))
