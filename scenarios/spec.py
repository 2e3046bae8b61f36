"""What a scenario says, as plain frozen data (docs/model.md §3).

The YAML loader (:mod:`brink.scenarios.loader`) turns a file into a :class:`Scenario`; the
retrodiction builder makes them from historical records; the model reads nothing else.

Time: every ``day`` field below is a *step number*. Step 1 is the first step after the start
date; ``day: 0`` means "already so when the scenario starts". A step is one day unless the
scenario says ``step: week``, in which case the loader converts calendar dates into week numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, TypeGuard, get_args

Regime = Literal["democracy", "anocracy", "autocracy"]
AllianceKind = Literal["defense", "offense", "neutrality", "nonaggression", "consultation"]
#: What a timeline entry does (:class:`Event`).
EventKind = Literal[
    "deploy",
    "withdraw",
    "impose",
    "lift",
    "statement",
    "offer",
    "join_alliance",
    "leave_alliance",
    "talks",
]
EVENT_KINDS: tuple[EventKind, ...] = get_args(EventKind)


def is_event_kind(text: str) -> TypeGuard[EventKind]:
    return text in EVENT_KINDS


REGIMES: tuple[Regime, ...] = ("democracy", "anocracy", "autocracy")
ALLIANCE_KINDS: tuple[AllianceKind, ...] = (
    "defense",
    "offense",
    "neutrality",
    "nonaggression",
    "consultation",
)


@dataclass(frozen=True)
class ResolveSpec:
    """How a state's private resolve r ∈ [0, 1] is drawn for each run (docs/model.md §3).

    ``beta``: a Beta distribution with this mean and standard deviation ``spread``;
    ``uniform``: uniform on [low, high]; ``fixed``: always ``mean``.
    """

    mean: float = 0.5
    spread: float = 0.15
    distribution: Literal["beta", "uniform", "fixed"] = "beta"
    low: float = 0.0
    high: float = 1.0


@dataclass(frozen=True)
class StateSpec:
    code: str  # ISO 3166 alpha-3
    name: str
    ccode: int | None  # Correlates of War state number
    regime: Regime
    nuclear: bool
    capability: float  # CINC share
    troops: float  # thousands of military personnel
    capital: tuple[float, float]  # (lat, lon) in degrees
    resolve: ResolveSpec = ResolveSpec()
    risk_tolerance: float = 0.5  # 0 averse … 1 acceptant; scales how a state weighs war risk
    trade: dict[str, float] = field(default_factory=dict)  # partner code -> share of own GDP
    committable: float | None = None  # share of troops it can send to a war abroad (None: default)
    reserves: float | None = None  # thousands of reservists it calls up on its own soil
    capability_trend: float = 0.0  # relative change of its capability per year (−0.03: 3 % down)
    interests: dict[str, float] = field(default_factory=dict)  # state -> declared interest, 0–1


@dataclass(frozen=True)
class Membership:
    state: str
    joined: int  # year of entry
    left: int | None = None  # year of exit


@dataclass(frozen=True)
class AllianceSpec:
    id: str  # short name used in references, e.g. NATO
    name: str
    kind: AllianceKind
    members: tuple[Membership, ...]
    reliability: float | None = None  # None: the model's base reliability for the kind
    leader: str | None = None  # who decides for the alliance when it is a dispute's target


@dataclass(frozen=True)
class PerceptionSpec:
    """An observer's prior over a subject's resolve, Beta(alpha, beta) (docs/model.md §5)."""

    observer: str
    subject: str
    alpha: float
    beta: float


@dataclass(frozen=True)
class DeploymentSpec:
    id: str
    owner: str
    host: str  # on whose territory the troops stand
    troops: float  # thousands
    near: str | None = None  # troops massed at the border of this state count in its theatre
    start: int = 0  # day it arrives (0: before the scenario starts)
    end: int | None = None  # day it leaves


@dataclass(frozen=True)
class BaseSpec:
    """Forces of ``owner`` held away from its capital: a base, a staging area or a fleet at sea.

    Reinforcements to a war's theatre come from here first (sim/forces.py): these troops are
    already mobilised, so only the way to the theatre delays them.
    """

    id: str
    owner: str
    troops: float  # thousands
    kind: Literal["base", "staging", "sea"] = "base"
    at: tuple[float, float] | None = None  # (lat, lon); None: the host's capital
    host: str | None = None  # the state whose territory it is on, if given


@dataclass(frozen=True)
class TerritorySpec:
    """A contested territory that is not a state (an island group, a province, a strip of
    border): a dispute's theatre can name it."""

    id: str
    name: str
    held_by: str  # the state that holds it at the start
    claimed_by: tuple[str, ...] = ()
    at: tuple[float, float] = (0.0, 0.0)  # (lat, lon): its middle, where distances are taken
    box: tuple[float, float, float, float] | None = None  # (south, west, north, east)
    outline: tuple[tuple[float, float], ...] = ()  # (lat, lon) corners of a polygon
    size: float | None = None  # km²
    garrison: float = 0.0  # thousands of the holder's troops on it at the start


@dataclass(frozen=True)
class UltimatumSpec:
    """What happens at a dispute's deadline (Fearon 1995; docs/model.md §4.5)."""

    information: Literal["private", "complete"] = "private"


@dataclass(frozen=True)
class DemandSpec:
    """A dispute: challenger demands a share ``size`` of an issue the target holds."""

    id: str
    by: str  # challenger state
    on: str  # target: a state code or an alliance id
    issue: str
    size: float  # x ∈ (0, 1]
    stakes_challenger: float = 1.0  # v_C, salience in issue units
    stakes_target: float = 1.0  # v_T
    public: bool = True  # a public demand ties the challenger's hands
    deadline: int | None = None  # day of the ultimatum
    ultimatum: UltimatumSpec = UltimatumSpec()
    theatre: str | None = None  # state or territory fought over; default: the target state
    initial_level: int = 2  # MID hostility level both sides start at (2: threat to use force)
    rivalry: int = 0  # militarised disputes between the two before this one (a rivalry)
    day: int = 0  # day it is made (0: before the scenario starts)


@dataclass(frozen=True)
class AidSpec:
    """Help short of war: ``donor`` sends arms and money to ``recipient`` from ``day`` on."""

    id: str
    donor: str
    recipient: str
    level: float  # share of what the donor could send at most (0–1)
    day: int = 0  # day it starts (0: before the scenario starts)
    end: int | None = None  # day it stops


@dataclass(frozen=True)
class SanctionSpec:
    """Sanctions by ``senders`` on ``target``: threatened with a trigger, or imposed on a day."""

    id: str
    senders: tuple[str, ...]
    target: str
    severity: float  # σ ∈ [0, 1], share of bilateral trade cut
    trigger_actor: str | None = None  # a threat: imposed when this state ...
    trigger_against: str | None = None  # ... uses force (level ≥ 4) against this state
    day: int = 0  # day it is declared


@dataclass(frozen=True)
class Event:
    """One entry of the timeline. ``kind`` selects which fields matter:

    - ``deploy`` (actor=owner, target=host, troops, near), ``withdraw`` (ref=deployment id),
    - ``impose`` / ``lift`` (ref=sanction id),
    - ``statement`` (actor, dispute, ties_hands, text),
    - ``offer`` (actor, dispute, share: share of the demand offered to the challenger),
    - ``join_alliance`` / ``leave_alliance`` (actor, ref=alliance id),
    - ``talks`` (dispute, text): both sides meet; cheap talk, recorded, moves no belief.
    Demands and sanctions declared on a day are in :attr:`Scenario.demands` and
    :attr:`Scenario.sanctions` with their ``day``.
    """

    day: int
    kind: EventKind
    actor: str | None = None
    target: str | None = None
    ref: str | None = None
    dispute: str | None = None
    troops: float | None = None
    near: str | None = None
    share: float | None = None
    ties_hands: bool = False
    text: str = ""


@dataclass(frozen=True)
class ArmsRaceSpec:
    """Two rivals whose military effort follows Richardson (1960), per year."""

    rivals: tuple[str, str]
    reaction: tuple[float, float]  # a, b
    fatigue: tuple[float, float]  # m, n
    grievance: tuple[float, float]  # g, h


@dataclass(frozen=True)
class DisputeHistory:
    """What really happened in one dispute of a casebook scenario (its ``history:`` block).

    Read by the casebook's scorer and its tests only; the model never sees it.
    """

    dispute: str  # the scenario's dispute id
    outcome: str  # one of brink.sim.record.RUN_OUTCOMES
    war: bool  # reached war (MID hostility level 5 / a COW war)
    highest_level: int  # MID hostility level reached, 1–5
    days: int | None = None  # days from the start to the dispute's end (or to the horizon)
    war_days: int | None = None  # days of war, COW start to end
    fought_challenger: tuple[str, ...] | None = None  # None: not coded
    fought_target: tuple[str, ...] | None = None
    mid: int | None = None  # GML MID dispute number (dispnum)
    icb: int | None = None  # ICB crisis number (crisno)
    cow_war: int | None = None  # COW interstate war number (WarNum)
    note: str = ""


@dataclass(frozen=True)
class History:
    """A casebook scenario's record of what happened, with its sources."""

    sources: tuple[str, ...]
    disputes: dict[str, DisputeHistory]


#: The state key of a rule every state uses (``--rule MODULE:NAME``, ``rules: {"*": ...}``).
EVERY_STATE = "*"


@dataclass(frozen=True)
class RuleSpec:
    """Which decision rule a state uses: a built-in or entry-point name (``module`` None), or
    ``NAME`` in ``module`` (a dotted module, or an absolute path to a ``.py`` file).

    Plain strings, so a spec travels to worker processes and Dask workers, which import the rule
    by name (:func:`brink.scenarios.rule_loader.resolve_rule`).
    """

    state: str  # a state code, or EVERY_STATE
    module: str | None
    name: str

    @property
    def reference(self) -> str:
        """``MODULE:NAME``, or ``NAME`` for a built-in or entry point."""
        return self.name if self.module is None else f"{self.module}:{self.name}"

    def __str__(self) -> str:
        return self.reference if self.state == EVERY_STATE else f"{self.state}={self.reference}"


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    start_date: str  # ISO date
    states: dict[str, StateSpec]
    alliances: dict[str, AllianceSpec] = field(default_factory=dict)
    demands: tuple[DemandSpec, ...] = ()
    sanctions: tuple[SanctionSpec, ...] = ()
    deployments: tuple[DeploymentSpec, ...] = ()
    aid: tuple[AidSpec, ...] = ()
    bases: tuple[BaseSpec, ...] = ()
    territories: dict[str, TerritorySpec] = field(default_factory=dict)
    perceptions: tuple[PerceptionSpec, ...] = ()
    events: tuple[Event, ...] = ()
    arms_races: tuple[ArmsRaceSpec, ...] = ()
    parameters: dict[str, Any] = field(default_factory=dict)  # overrides of ModelParams
    sources: tuple[str, ...] = ()
    step: Literal["day", "week"] = "day"
    horizon: int | None = None  # None: the model parameter's default
    path: str | None = None  # file it was read from
    history: History | None = None  # what happened (casebook scoring only; never read by sim/)
    rules: tuple[RuleSpec, ...] = ()  # decision rules by state; none: the decision_rule's
