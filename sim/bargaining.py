"""Take-it-or-leave-it demands under private information: Fearon (1995), docs/model.md §4.5.

Fearon (1995), "Rationalist Explanations for War", International Organization 49(3), pp. 395–
397: A makes B a take-it-or-leave-it demand x of a divisible issue; A wins a war with probability
p; A's war cost c_A is known; B's cost c_B is private, uniform on [0, c̄]. B accepts x iff
1 − x ≥ 1 − p − c_B, i.e. c_B ≥ x − p. A's optimal demand is x* = p + (c̄ − c_A)/2 (clipped to
[p, min(1, p + c̄)]), and war follows with probability (x* − p)/c̄ = (c̄ − c_A)/(2c̄).

The crisis model does not assume uniform costs: :func:`optimal_demand` maximises the challenger's
expected utility against any believed distribution of the target's war cost, and reproduces the
closed form when that distribution is uniform (tested).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

DEMAND_GRID = np.linspace(0.0, 1.0, 4001)  # resolution 2.5e-4 of the issue


def fearon_optimal_demand(
    win_probability: float, challenger_cost: float, target_cost_max: float
) -> float:
    """Closed-form optimal demand x* = p + (c̄ − c_A)/2, clipped to [p, min(1, p + c̄)]."""
    p, c_a, c_bar = win_probability, challenger_cost, target_cost_max
    demand = p + max(0.0, c_bar - c_a) / 2
    return float(min(max(demand, p), min(1.0, p + c_bar)))


def fearon_war_probability(
    win_probability: float, challenger_cost: float, target_cost_max: float
) -> float:
    """Closed-form chance that the optimal demand is refused: (x* − p)/c̄, 0 when c_A ≥ c̄."""
    if target_cost_max <= 0:
        return 0.0
    demand = fearon_optimal_demand(win_probability, challenger_cost, target_cost_max)
    return float(min(1.0, max(0.0, (demand - win_probability) / target_cost_max)))


def optimal_demand(
    acceptance_probability: Callable[[np.ndarray], np.ndarray],
    challenger_stakes: float,
    challenger_war_value: float,
    largest: float = 1.0,
) -> tuple[float, float]:
    """The demand that maximises the challenger's expected utility, and its acceptance chance.

    EU(x) = P(accept | x) · v_C · x + (1 − P(accept | x)) · W_C, where W_C is the challenger's
    value of the war that follows a refusal. Searched on a grid of the issue, then refined by
    golden-section search around the best grid point, so that a smooth optimum such as Fearon's
    is found to about 1e-9.

    Args:
        acceptance_probability: vectorised x ↦ the challenger's belief that the target accepts x.
        challenger_stakes: v_C, the issue's value to the challenger.
        challenger_war_value: W_C = p · v_C − c_C (in issue units).
        largest: the largest demand considered (the contested share of the issue).

    Returns:
        (demand, probability that it is accepted).
    """

    def expected_utility(demand: np.ndarray) -> np.ndarray:
        accept = acceptance_probability(demand)
        return accept * challenger_stakes * demand + (1.0 - accept) * challenger_war_value

    grid = DEMAND_GRID * largest
    values = expected_utility(grid)
    best = int(np.argmax(values))
    low = grid[max(best - 1, 0)]
    high = grid[min(best + 1, len(grid) - 1)]
    ratio = (np.sqrt(5.0) - 1.0) / 2.0
    for _ in range(60):
        left = high - ratio * (high - low)
        right = low + ratio * (high - low)
        if expected_utility(np.array([left]))[0] >= expected_utility(np.array([right]))[0]:
            high = right
        else:
            low = left
    refined = (low + high) / 2.0
    candidates = np.array([grid[best], refined])
    chosen = float(candidates[int(np.argmax(expected_utility(candidates)))])
    return chosen, float(acceptance_probability(np.array([chosen]))[0])
