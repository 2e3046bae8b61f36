"""Beliefs over another state's resolve, and how costly signals move them (docs/model.md §5).

Each state holds a Beta(α, β) belief over each other principal's resolve r ∈ [0, 1]. A costly
act adds pseudo-observations of high resolve in proportion to its cost relative to the actor's
stakes (Fearon 1997, "Signaling Foreign Policy Interests": only acts that would be too costly for
an irresolute state are informative); backing down or hesitating adds them to low resolve. Cheap
talk adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from scipy.special import betainc

DEFAULT_PRIOR = (2.0, 2.0)  # docs/model.md §5: Beta(2, 2) when the scenario gives no perception
BACKING_DOWN_WEIGHT = 1.0  # pseudo-observations of low resolve per unit learning rate
HESITATION_WEIGHT = 0.1  # holding, or offering a compromise, after the opponent escalated


@dataclass
class ResolveBelief:
    """A Beta(alpha, beta) belief over one state's resolve."""

    alpha: float = DEFAULT_PRIOR[0]
    beta: float = DEFAULT_PRIOR[1]

    @property
    def mean(self) -> float:
        return self.alpha / (self.alpha + self.beta)

    def cdf(self, resolve: float) -> float:
        """Believed probability that the subject's resolve is at most ``resolve``."""
        if resolve <= 0.0:
            return 0.0
        if resolve >= 1.0:
            return 1.0
        return float(betainc(self.alpha, self.beta, resolve))

    def observe_costly_signal(self, cost_over_stakes: float, learning_rate: float) -> None:
        """A costly act: evidence of high resolve, in proportion to its relative cost."""
        if cost_over_stakes > 0:
            self.alpha += learning_rate * cost_over_stakes

    def observe_weakness(self, weight: float, learning_rate: float) -> None:
        """Backing down (weight 1) or hesitating (0.1): evidence of low resolve."""
        self.beta += learning_rate * weight
