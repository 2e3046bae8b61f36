"""The balance of power in a dispute's theatre (docs/model.md §4.3).

A side's effective power is Σ P(member fights) · capability · [f + (1 − f) · g(d)], where f is
the share of the member's troops already in the theatre (they arrive at full strength) and
g(d) = exp(−d/D) discounts the rest by the distance from its capital (Boulding 1962). Principals
fight with certainty. The challenger wins a war with probability p = P_C / (P_C + P_T).
"""

from __future__ import annotations

from brink.sim.dispute import CHALLENGER, TARGET, Dispute
from brink.sim.geography import loss_of_strength


def troops_in_theatre(model, owner: str, theatre: str) -> float:
    """Thousands of ``owner``'s troops in the theatre: on its soil or massed at its border."""
    total = 0.0
    for deployment in model.active_deployments():
        if deployment.owner == owner and (deployment.host == theatre or deployment.near == theatre):
            total += deployment.troops
    if owner == theatre:
        total = model.states[owner].troops
    return total


def theatre_share(model, owner: str, theatre: str) -> float:
    """Share of ``owner``'s troops in the theatre, 0–1."""
    troops = model.states[owner].troops
    if troops <= 0:
        return 1.0 if owner == theatre else 0.0
    return min(1.0, troops_in_theatre(model, owner, theatre) / troops)


def projected_capability(model, owner: str, theatre: str) -> float:
    """Capability of ``owner`` that reaches the theatre."""
    share = theatre_share(model, owner, theatre)
    reach = loss_of_strength(model.distance_to_theatre(owner, theatre), model.params.gradient_km)
    return model.states[owner].capability * (share + (1.0 - share) * reach)


def projected_force(model, owner: str, theatre: str) -> float:
    """Thousands of ``owner``'s troops that can fight in the theatre (same discount as power)."""
    share = theatre_share(model, owner, theatre)
    reach = loss_of_strength(model.distance_to_theatre(owner, theatre), model.params.gradient_km)
    return model.states[owner].troops * (share + (1.0 - share) * reach)


def side_power(model, dispute: Dispute, side: str, joins: dict[str, tuple[float, float]]) -> float:
    """Expected effective power of one side: principals in full, third states by P(join)."""
    index = 0 if side == CHALLENGER else 1
    power = sum(projected_capability(model, p, dispute.theatre) for p in dispute.principals(side))
    for code, probabilities in joins.items():
        if probabilities[index] > 0:
            power += probabilities[index] * projected_capability(model, code, dispute.theatre)
    return power


def win_probability(model, dispute: Dispute, joins: dict[str, tuple[float, float]]) -> float:
    """p, the challenger's chance of winning a war, unless a parameter fixes it (Fearon mode)."""
    if model.params.win_probability is not None:
        return model.params.win_probability
    challenger = side_power(model, dispute, CHALLENGER, joins)
    target = side_power(model, dispute, TARGET, joins)
    if challenger + target <= 0:
        return 0.5
    return challenger / (challenger + target)
