"""Axelrod's tribute model ("Building New Political Actors", 1997), rules of the v4.0 program.

Ten actors sit on a ring. Three times a year a random actor may demand tribute from an actor it
can reach; the target pays or fights, and every payment or fight changes how committed the
actors are to one another. Alliances form from those commitments, and Axelrod's question is
whether clusters of mutually committed actors emerge that act like new political actors.

The rules are those of docs/classics.md (Axelrod's v4.0 program). One year is one :meth:`step`.
A *cluster* is defined here (Axelrod leaves the exact test to the reader) as a maximal arc of at
least two adjacent actors on the ring in which every pair has commitment of at least
``threshold`` percent (50 by default) to each other; see
:func:`~brink.sim.classics.tribute_runs.find_clusters`. Clusters and whole runs into tables are
in :mod:`brink.sim.classics.tribute_runs`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import mesa
import numpy as np

# Axelrod 1997, v4.0 rules (docs/classics.md).
ACTIVATIONS_PER_YEAR = 3
HARVEST = 20.0
DEMAND = 250.0
DAMAGE_RATE = 0.25
COMMITMENT_STEP = 10
FULL_COMMITMENT = 100
INITIAL_WEALTH = (300.0, 500.0)
DEFAULT_ACTORS = 10
DEFAULT_CLUSTER_THRESHOLD = 50
# A cluster spell shorter than this is a passing coincidence, not a new actor.
LASTING_YEARS = 10


class Nation(mesa.Agent):
    """One actor of the tribute model: a place on the ring and its wealth.

    Attributes:
        index: Position on the ring, 0 … n − 1.
        wealth: Current wealth (never negative).
    """

    def __init__(self, model: TributeModel, index: int, wealth: float):
        super().__init__(model)
        self.index = index
        self.wealth = float(wealth)


@dataclass(frozen=True)
class Confrontation:
    """The two alliances that would meet if ``attacker`` confronted ``target``.

    Attributes:
        attacker: Index of the active actor.
        target: Index of the actor it confronts.
        attackers: Members of the attacker's side, leader first.
        defenders: Members of the target's side, leader first.
        attack_strength: Σ L[k, attacker]/100 · W_k over the attacker's side.
        defence_strength: Σ L[k, target]/100 · W_k over the target's side.
    """

    attacker: int
    target: int
    attackers: tuple[int, ...]
    defenders: tuple[int, ...]
    attack_strength: float
    defence_strength: float


@dataclass
class Event:
    """What one activation did: a payment, a fight, or nothing (no demand worth making)."""

    year: int
    activation: int
    attacker: int
    target: int | None
    outcome: str  # "pay", "fight" or "none"
    amount: float = 0.0  # tribute paid, or wealth destroyed in the fight
    attackers: tuple[int, ...] = ()
    defenders: tuple[int, ...] = ()


@dataclass
class TributeHistory:
    """Everything a run produced, as plain rows (figures and tables are built from these)."""

    wealth: list[list[float]] = field(default_factory=list)  # one row per year, start included
    commitment: list[np.ndarray] = field(default_factory=list)  # L at the end of each year
    events: list[Event] = field(default_factory=list)


class TributeModel(mesa.Model):
    """Axelrod's tribute model as a Mesa model; one :meth:`step` is one year.

    Args:
        n_actors: Number of actors on the ring (10 in Axelrod's runs).
        rng: Seed or numpy Generator; the only source of randomness.
        initial_wealth: Starting wealth of each actor; drawn uniform on [300, 500) if omitted.
        keep_commitments: Keep the commitment matrix of every year in ``history.commitment``
            (actors² numbers a year: 8 MB a year with 1,000 actors). A whole run
            (:func:`~brink.sim.classics.tribute_runs.run_tribute`) reads each year's clusters
            as it goes instead, and keeps only the last matrix.
    """

    def __init__(
        self,
        n_actors: int = DEFAULT_ACTORS,
        rng: int | np.random.Generator | None = None,
        initial_wealth: Sequence[float] | None = None,
        keep_commitments: bool = True,
    ):
        super().__init__(rng=rng)
        if n_actors < 2:
            raise ValueError(f"the tribute model needs at least 2 actors, got {n_actors}")
        if initial_wealth is None:
            # Axelrod 1997: initial wealth uniform on [300, 500).
            initial_wealth = self.rng.uniform(*INITIAL_WEALTH, size=n_actors)
        if len(initial_wealth) != n_actors:
            raise ValueError(f"initial_wealth has {len(initial_wealth)} values, need {n_actors}")
        self.n = n_actors
        self.nations = [Nation(self, i, w) for i, w in enumerate(initial_wealth)]
        # Commitment L[i, j] in percent; L[i, i] = 100 (Axelrod 1997).
        self.commitment = np.zeros((n_actors, n_actors), dtype=np.int64)
        np.fill_diagonal(self.commitment, FULL_COMMITMENT)
        self.year = 0
        self.keep_commitments = keep_commitments
        self.history = TributeHistory()
        self.history.wealth.append(self.wealth.tolist())

    @property
    def wealth(self) -> np.ndarray:
        """Wealth of every actor, in ring order."""
        return np.array([nation.wealth for nation in self.nations])

    # -- alliances ---------------------------------------------------------------------------

    def _joins(self, k: int, leader: int, other: int) -> bool:
        # Axelrod 1997: k joins `leader` against `other` iff L[k, leader] > L[k, other].
        return self.commitment[k, leader] > self.commitment[k, other]

    def _between(self, i: int, j: int, direction: int) -> list[int]:
        members, k = [], (i + direction) % self.n
        while k != j:
            members.append(k)
            k = (k + direction) % self.n
        return members

    def confrontation(self, i: int, j: int, direction: int) -> Confrontation | None:
        """The alliances of ``i`` confronting ``j``, reached going ``direction`` (±1) from ``i``.

        Every actor between ``i`` and ``j`` must join ``i``, or ``j`` is unreachable (``None``).
        Then ``i``'s side grows outward from ``i`` away from ``j``, and ``j``'s side outward
        from ``j`` away from ``i``, each stopping at the first actor that does not join.

        Returns:
            The confrontation, or ``None`` if ``j`` cannot be reached that way.
        """
        between = self._between(i, j, direction)
        if not all(self._joins(k, i, j) for k in between):
            return None
        attackers, defenders = [i, *between], [j]
        taken = set(attackers) | {j}
        for leader, other, side, step in (
            (i, j, attackers, -direction),
            (j, i, defenders, direction),
        ):
            k = (leader + step) % self.n
            while k not in taken and self._joins(k, leader, other):
                side.append(k)
                taken.add(k)
                k = (k + step) % self.n
        return Confrontation(
            attacker=i,
            target=j,
            attackers=tuple(attackers),
            defenders=tuple(defenders),
            attack_strength=self._strength(attackers, i),
            defence_strength=self._strength(defenders, j),
        )

    def _strength(self, side: Sequence[int], leader: int) -> float:
        # Axelrod 1997: a side's strength is Σ L[k, leader]/100 · W_k over its members.
        return float(
            sum(self.commitment[k, leader] / FULL_COMMITMENT * self.nations[k].wealth for k in side)
        )

    # -- one activation ------------------------------------------------------------------------

    def candidates(self, i: int) -> list[Confrontation]:
        """The confrontations ``i`` may start, left first, then right (Axelrod's scan order).

        In each direction the scan stops extending after the first actor with L[j, i] = 0, so
        an actor with no commitments sees only its two neighbours.
        """
        found = []
        for direction in (-1, 1):
            j = (i + direction) % self.n
            while j != i:
                option = self.confrontation(i, j, direction)
                if option is not None:
                    found.append(option)
                if self.commitment[j, i] == 0:
                    break
                j = (j + direction) % self.n
        return found

    def demand_value(self, option: Confrontation) -> float:
        """How much ``option`` is worth to the attacker: min(250, W_j)·(W_att − W_def)/W_att."""
        if option.attack_strength <= 0:
            return 0.0
        target_wealth = self.nations[option.target].wealth
        return (
            min(DEMAND, target_wealth)
            * (option.attack_strength - option.defence_strength)
            / option.attack_strength
        )

    def target_pays(self, option: Confrontation) -> bool:
        """Axelrod 1997: j pays iff its cost of fighting, min(0.25·W_att·W_j/W_def, W_j), is at
        least the tribute min(250, W_j); a tie pays."""
        target_wealth = self.nations[option.target].wealth
        tribute = min(DEMAND, target_wealth)
        if option.defence_strength <= 0:
            return True  # nothing left to defend with; the tribute is 0
        cost = min(
            DAMAGE_RATE * option.attack_strength * target_wealth / option.defence_strength,
            target_wealth,
        )
        return cost >= tribute

    def activate(self, i: int, activation: int = 0) -> Event:
        """Actor ``i`` takes its turn: it picks the most valuable demand, and the target pays
        or fights. Returns what happened."""
        best, best_value = None, 0.0
        for option in self.candidates(i):
            value = self.demand_value(option)
            if value > best_value:  # strictly greater: ties keep the first found
                best, best_value = option, value
        if best is None:
            event = Event(self.year, activation, i, None, "none")
        elif self.target_pays(best):
            event = self._pay(best, activation)
        else:
            event = self._fight(best, activation)
        self.history.events.append(event)
        return event

    def _raise(self, a: int, b: int, amount: int) -> None:
        for x, y in ((a, b), (b, a)):
            self.commitment[x, y] = min(FULL_COMMITMENT, max(0, self.commitment[x, y] + amount))

    def _pay(self, option: Confrontation, activation: int) -> Event:
        attacker, target = self.nations[option.attacker], self.nations[option.target]
        tribute = min(DEMAND, target.wealth)
        target.wealth -= tribute
        attacker.wealth += tribute
        # Axelrod 1997: a payment raises commitment by 10 both ways.
        self._raise(option.attacker, option.target, COMMITMENT_STEP)
        return Event(
            self.year,
            activation,
            option.attacker,
            option.target,
            "pay",
            tribute,
            option.attackers,
            option.defenders,
        )

    def _fight(self, option: Confrontation, activation: int) -> Event:
        # Axelrod 1997: each side inflicts 0.25 × its strength, at most the other side's
        # strength, shared among the other side's members in proportion to L[k, leader]/100·W_k.
        attack, defence = option.attack_strength, option.defence_strength
        damage_to_defenders = min(DAMAGE_RATE * attack, defence)
        damage_to_attackers = min(DAMAGE_RATE * defence, attack)
        shares = []
        for side, leader, strength, damage in (
            (option.attackers, option.attacker, attack, damage_to_attackers),
            (option.defenders, option.target, defence, damage_to_defenders),
        ):
            for k in side:
                nation = self.nations[k]
                contribution = self.commitment[k, leader] / FULL_COMMITMENT * nation.wealth
                loss = damage * contribution / strength if strength > 0 else 0.0
                shares.append((nation, loss))
        destroyed = 0.0
        for nation, loss in shares:
            loss = min(loss, nation.wealth)  # wealth never goes negative
            nation.wealth -= loss
            destroyed += loss
        # After a fight, allies grow closer and enemies drift apart (10 points each way).
        for side in (option.attackers, option.defenders):
            for a_pos, a in enumerate(side):
                for b in side[a_pos + 1 :]:
                    self._raise(a, b, COMMITMENT_STEP)
        for a in option.attackers:
            for b in option.defenders:
                self._raise(a, b, -COMMITMENT_STEP)
        return Event(
            self.year,
            activation,
            option.attacker,
            option.target,
            "fight",
            destroyed,
            option.attackers,
            option.defenders,
        )

    # -- one year ----------------------------------------------------------------------------

    def step(self) -> None:
        """One year: three activations of a uniformly random actor (with replacement), then
        every actor gains 20 (Axelrod 1997)."""
        self.year += 1
        for activation in range(ACTIVATIONS_PER_YEAR):
            self.activate(int(self.rng.integers(self.n)), activation)
        for nation in self.nations:
            nation.wealth += HARVEST
        self.history.wealth.append(self.wealth.tolist())
        if self.keep_commitments:
            self.history.commitment.append(self.commitment.copy())
