"""A dispute as it stands during a run (docs/model.md §3): who demands what of whom, at what level.

Each side holds a MID hostility level (1 none, 2 threat to use force, 3 display of force, 4 use
of force, 5 war). When the target is an alliance, its leader decides for it, and the state whose
territory is contested (the theatre) is attacked directly; the other members choose whether to
fight as third states do, with the alliance's commitment weighing on them (docs/model.md §4.2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from brink.scenarios.spec import DemandSpec
from brink.sim.hostility import Hostility
from brink.sim.outcomes import Outcome

if TYPE_CHECKING:
    from brink.sim.war import War

CHALLENGER = "challenger"
TARGET = "target"


@dataclass
class Dispute:
    spec: DemandSpec
    challenger: str
    target_leader: str  # the state that decides for the target side
    theatre: str  # the state whose territory is fought over
    start_step: int
    level: dict[str, int] = field(default_factory=dict)
    max_level: dict[str, int] = field(default_factory=dict)
    demand: float = 0.0
    offer: float | None = None  # share of the issue offered to the challenger, open
    status: str = "open"  # open, war, settled
    outcome: Outcome | None = None
    settlement: float = 0.0
    end_step: int | None = None
    war: War | None = None  # while fighting
    side_challenger: set[str] = field(default_factory=set)
    side_target: set[str] = field(default_factory=set)
    ever_war: bool = False
    join_probabilities: dict[str, tuple[float, float]] = field(default_factory=dict)
    join_logits: dict[str, tuple[float, float]] = field(default_factory=dict)  # −inf: barred
    sympathy: dict[str, tuple[float, float]] = field(default_factory=dict)  # affinity gap ≥ 0
    win_probability: float = 0.5  # the challenger's expected share of a war (its own view)
    war_views: dict = field(default_factory=dict)  # side -> sim.war.WarProjection, this step
    nuclear_risk: dict[str, float] = field(  # side -> expected nuclear cost of a war now
        default_factory=lambda: {CHALLENGER: 0.0, TARGET: 0.0}
    )
    review_due: set[str] = field(default_factory=lambda: {CHALLENGER, TARGET})
    target_territory: tuple[str, ...] = ()  # the target state, or every member of the alliance
    displayed_since: dict[str, int] = field(default_factory=dict)  # side -> step of level ≥ 3
    salience: float = 1.0  # how much more the issue weighs for having been fought over before

    @property
    def id(self) -> str:
        return self.spec.id

    def principals(self, side: str) -> tuple[str, ...]:
        """States that are parties to the dispute on ``side`` (they fight if war comes)."""
        if side == CHALLENGER:
            return (self.challenger,)
        # The theatre's state is a party only when its soil is the target's: a dispute fought
        # over a third state's land does not put that state on a side (it may join as others do).
        if self.theatre not in (self.target_leader, self.challenger) and (
            self.theatre in self.target_territory
        ):
            return (self.target_leader, self.theatre)
        return (self.target_leader,)

    def territory(self, side: str) -> tuple[str, ...]:
        """States whose territory belongs to ``side``: an alliance target makes every member a
        target (docs/model.md §3)."""
        if side == CHALLENGER:
            return (self.challenger,)
        return self.target_territory or self.principals(TARGET)

    def decider(self, side: str) -> str:
        return self.challenger if side == CHALLENGER else self.target_leader

    def stakes(self, side: str) -> float:
        stakes = self.spec.stakes_challenger if side == CHALLENGER else self.spec.stakes_target
        return stakes * self.salience

    def set_level(self, side: str, level: int, step: int | None = None) -> None:
        self.level[side] = level
        self.max_level[side] = max(self.max_level.get(side, level), level)
        if level >= Hostility.DISPLAY and side not in self.displayed_since:
            # A display of force is mobilisation and movement of troops (MID hiact 7–13):
            # from this step the side's forces start toward the theatre (sim/forces.py).
            self.displayed_since[side] = self.start_step if step is None else step

    @property
    def standoff_level(self) -> int:
        """The level the crisis stands at: the higher of the two sides'."""
        return max(self.level.values())

    def is_open(self) -> bool:
        return self.status == "open"


def other(side: str) -> str:
    return TARGET if side == CHALLENGER else CHALLENGER
