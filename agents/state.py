"""A state: the Mesa agent of the crisis model (docs/model.md §3).

A state knows its own capability, troops, regime, nuclear status, private resolve and risk
tolerance, and holds a Beta belief over the resolve of every other state it faces. It owns its
decision rule (:mod:`brink.agents.rules`), which the model asks for its choice in each dispute
through the protocol of :mod:`brink.sim.decisions`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from brink.agents.beliefs import (
    BACKING_DOWN_WEIGHT,
    DEFAULT_PRIOR,
    HESITATION_WEIGHT,
    ResolveBelief,
)
from brink.agents.rules import rule_for
from brink.scenarios.spec import ResolveSpec, StateSpec

if TYPE_CHECKING:
    from brink.sim.model import CrisisModel


def draw_resolve(spec: ResolveSpec, rng: np.random.Generator) -> float:
    """Draw a state's private resolve for one run (docs/model.md §3: the main run-to-run variation).

    ``beta``: method of moments, Beta(m·k, (1 − m)·k) with k = m(1 − m)/s² − 1, which has mean m
    and standard deviation s; ``uniform`` on [low, high]; ``fixed``: the mean.
    """
    if spec.distribution == "fixed" or (spec.distribution == "beta" and spec.spread <= 0):
        return float(spec.mean)
    if spec.distribution == "uniform":
        return float(rng.uniform(spec.low, spec.high))
    mean = min(max(spec.mean, 1e-6), 1 - 1e-6)
    concentration = mean * (1 - mean) / spec.spread**2 - 1
    if concentration <= 0:  # the loader rejects this; keep the model total anyway
        concentration = 1e-3
    return float(rng.beta(mean * concentration, (1 - mean) * concentration))


class State(mesa.Agent):
    """One state in a crisis."""

    def __init__(self, model: CrisisModel, spec: StateSpec):
        super().__init__(model)
        self.spec = spec
        self.code = spec.code
        self.name = spec.name
        self.regime = spec.regime
        self.nuclear = spec.nuclear
        self.base_capability = spec.capability
        self.troops = spec.troops
        self.capital = spec.capital
        self.risk_tolerance = spec.risk_tolerance
        self.resolve = draw_resolve(spec.resolve, model.rng)
        # Its private overestimate of its own military edge, in log power ratio: half-normal,
        # so every state errs toward optimism (Blainey 1973; see sim/war_termination.py).
        self.optimism = model.params.optimism * abs(float(model.rng.standard_normal()))
        self.arming_multiplier = 1.0  # Richardson effort relative to the start (docs/model.md §7)
        self.beliefs: dict[str, ResolveBelief] = {}
        for perception in model.crisis.perceptions:
            if perception.observer == self.code:
                self.beliefs[perception.subject] = ResolveBelief(perception.alpha, perception.beta)
        self.commitments: dict[str, int] = {}  # dispute id -> public hands-tying commitments
        # the rule the scenario or --rule names for this state, else decision_rule's built-in
        self.rule = rule_for(model.params, model.crisis.rules, self.code)

    @property
    def capability(self) -> float:
        return self.base_capability * self.arming_multiplier

    def belief_about(self, other: str) -> ResolveBelief:
        """This state's belief over ``other``'s resolve: the scenario's perception if it gives
        one; of a democracy, a prior centred on its true resolve, of weight
        ``democratic_transparency``; else Beta(2, 2).

        Democracies' resolve is read from their open politics — an opposition that backs or
        opposes the government's threat tells the other side how far it will go (Schultz 1998,
        "Domestic opposition and signaling in international crises"; Schultz 2001, *Democracy
        and Coercive Diplomacy*) — so a contest with a democracy is settled sooner, by the side
        that knows it is the weaker, and two democracies seldom stumble into war (the dyadic
        democratic peace; Russett & Oneal 2001)."""
        belief = self.beliefs.get(other)
        if belief is None:
            belief = self.beliefs[other] = self._prior_about(other)
        return belief

    def _prior_about(self, other: str) -> ResolveBelief:
        weight = self.model.params.democratic_transparency
        subject = self.model.states.get(other)
        if weight <= 0 or subject is None or subject.regime != "democracy":
            return ResolveBelief(*DEFAULT_PRIOR)
        mean = min(max(subject.resolve, 0.02), 0.98)
        return ResolveBelief(
            DEFAULT_PRIOR[0] + weight * mean, DEFAULT_PRIOR[1] + weight * (1.0 - mean)
        )

    def observe_signal(self, actor: str, cost_over_stakes: float, learning_rate: float) -> None:
        """A costly act of ``actor``: evidence of high resolve (docs/model.md §5)."""
        self.belief_about(actor).observe_costly_signal(cost_over_stakes, learning_rate)

    def observe_weakness(self, actor: str, backing_down: bool, learning_rate: float) -> None:
        """``actor`` backed down (``backing_down``) or hesitated: evidence of low resolve."""
        weight = BACKING_DOWN_WEIGHT if backing_down else HESITATION_WEIGHT
        self.belief_about(actor).observe_weakness(weight, learning_rate)

    def risk_factor(self) -> float:
        """How heavily the state weighs the cost of war: 1.25 for a risk-averse state (0) down
        to 0.75 for a risk-acceptant one (1) — Bueno de Mesquita (1985) on risk attitudes."""
        return 1.25 - 0.5 * self.risk_tolerance

    def __repr__(self) -> str:
        return f"State({self.code}, resolve={self.resolve:.2f})"
