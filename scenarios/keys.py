"""Every key a scenario file may hold, declared once (docs/style.md, One place for each fact).

The table below says, for each key of each section (states, alliances, perceptions, deployments,
demands, sanctions, aid, arms races), its type, range, default and meaning; the record of the
whole file, with the timeline's entries and the ``history:`` and ``capabilities:`` blocks, is in
:mod:`brink.scenarios.document_keys`. The loader (:mod:`brink.scenarios.loader`) checks files
against it, :mod:`brink.scenarios.schema` turns it into a JSON Schema and
:mod:`brink.scenarios.reference` into ``scenarios/REFERENCE.md``, so the three cannot disagree.
Defaults shown for a key come from the dataclasses of :mod:`brink.scenarios.spec`, which the
loader leaves to apply.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from typing import Any

from brink.scenarios import spec
from brink.sim.params import PARAMETERS

# -- the type vocabulary ---------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A string. ``ref`` names what it must refer to (checked after the whole file is read)."""

    pattern: str | None = None
    choices: tuple[str, ...] = ()
    ref: str | None = None  # state, alliance, party, deployment, sanction, dispute
    hint: str = "text"


@dataclass(frozen=True)
class Number:
    """A number in the closed range ``[low, high]`` (``low`` excluded if ``open_low``)."""

    low: float
    high: float
    unit: str
    integer: bool = False
    open_low: bool = False


@dataclass(frozen=True)
class Flag:
    """``true`` or ``false``."""


@dataclass(frozen=True)
class Date:
    """An ISO date, ``2022-01-21``."""


@dataclass(frozen=True)
class When:
    """A day number (0 = before the start) or an ISO date, converted to a day."""


@dataclass(frozen=True)
class ListOf:
    item: Any
    min_items: int = 0
    max_items: int | None = None


@dataclass(frozen=True)
class Positional:
    """A list with one named kind per position, as ``[latitude, longitude]``."""

    items: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class Key:
    """One key of a record: its name, type, whether it must be given, and what it means."""

    name: str
    kind: Any
    doc: str
    required: bool = False
    default: Any = None  # shown in the reference; the loader leaves defaults to spec.py


@dataclass(frozen=True)
class Record:
    """A mapping with fixed keys.

    ``exclusive``: groups of keys of which at most one group may be given (``require_one``:
    exactly one). ``choose_one``: keys of which exactly one must be given.
    """

    name: str
    keys: tuple[Key, ...]
    doc: str = ""
    exclusive: tuple[tuple[str, ...], ...] = ()
    require_one: bool = False
    choose_one: tuple[str, ...] = ()

    def key(self, name: str) -> Key:
        return next(k for k in self.keys if k.name == name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(k.name for k in self.keys)


@dataclass(frozen=True)
class Table:
    """A mapping from names the user chooses (state codes, ids) to values of one kind."""

    key: Text
    value: Any
    min_items: int = 0


@dataclass(frozen=True)
class Either:
    """A scalar (e.g. a reference by id) or a record, told apart by the YAML node's shape."""

    scalar: Any
    record: Any


@dataclass(frozen=True)
class Nullable:
    """A value of ``kind``, or ``null`` for "not known" (an optional key said out loud)."""

    kind: Any


@dataclass(frozen=True)
class Parameters:
    """The ``parameters:`` block, checked by :func:`brink.sim.params.coerce_parameter`."""


def default_of(cls: type, name: str) -> Any:
    """The default of a field of a spec dataclass, so the reference never restates one."""
    for f in fields(cls):
        if f.name == name:
            if f.default is not MISSING:
                return f.default
            if f.default_factory is not MISSING:
                return f.default_factory()
    raise KeyError(name)


# -- common kinds ----------------------------------------------------------------------------

STATE_CODE = Text(pattern=r"^[A-Z]{3}$", hint="a state code, three capital letters")
STATE = Text(pattern=r"^[A-Z]{3}$", ref="state", hint="a declared state code")
ALLIANCE = Text(ref="alliance", hint="a declared alliance id")
PARTY = Text(ref="party", hint="a declared state code or alliance id")
DEPLOYMENT = Text(ref="deployment", hint="a declared deployment id")
SANCTION = Text(ref="sanction", hint="a declared sanction id")
DISPUTE = Text(ref="dispute", hint="a declared demand id")
THEATRE = Text(ref="theatre", hint="a declared state code or territory id")
IDENTIFIER = Text(
    pattern=r"^[A-Za-z][A-Za-z0-9_-]*$",
    hint="an id (a letter, then letters, digits, _ or -)",
)
PROBABILITY = Number(0.0, 1.0, "a probability")
SHARE = Number(0.0, 1.0, "a share")
THOUSANDS = Number(0.0, 20000.0, "thousands of troops")
DAY = Number(0, 100000, "a day number", integer=True)
YEAR = Number(1815, 2100, "a year", integer=True)  # ATOP v4 begins with the pacts of 1815
PAIR = ListOf(Number(-1000.0, 1000.0, "a coefficient per year"), min_items=2, max_items=2)
LAT_LON = ListOf(Number(-180.0, 180.0, "degrees"), min_items=2, max_items=2)

WHEN_KEYS = (
    Key("day", DAY, "day it happens: day 1 is the first step after the start (0: before)"),
    Key("date", Date(), "ISO date it happens; converted to a day counted from `start`"),
)

# -- states ----------------------------------------------------------------------------------

RESOLVE = Record(
    "resolve",
    (
        Key(
            "mean",
            PROBABILITY,
            "mean resolve; with `spread`, a Beta draw per run",
            default=default_of(spec.ResolveSpec, "mean"),
        ),
        Key(
            "spread",
            Number(0.0, 0.5, "a standard deviation", open_low=True),
            "standard deviation of the Beta draw; needs spread² < mean·(1 − mean)",
            default=default_of(spec.ResolveSpec, "spread"),
        ),
        Key("low", PROBABILITY, "lower end of a uniform draw (with `high`)"),
        Key("high", PROBABILITY, "upper end of a uniform draw (with `low`)"),
        Key("fixed", PROBABILITY, "the same resolve in every run"),
    ),
    doc="A state's private resolve r ∈ [0, 1], drawn anew for each run (docs/model.md §3). Give "
    "`mean` (and `spread`), or `low` and `high`, or `fixed`.",
    exclusive=(("mean", "spread"), ("low", "high"), ("fixed",)),
)

STATE_RECORD = Record(
    "state",
    (
        Key("name", Text(), "the state's name", required=True),
        Key(
            "cow",
            Number(1, 999, "a COW state number", integer=True),
            "Correlates of War state number; fills capability and troops from NMC",
        ),
        Key(
            "regime",
            Text(choices=spec.REGIMES),
            "regime type; sets the audience cost",
            required=True,
        ),
        Key("nuclear", Flag(), "whether it holds nuclear weapons", default=False),
        Key(
            "capital",
            Positional(
                (
                    ("latitude", Number(-90.0, 90.0, "degrees north")),
                    ("longitude", Number(-180.0, 180.0, "degrees east")),
                )
            ),
            "capital location [latitude, longitude] in degrees; with `cow`, checked against "
            "the state's outline",
            required=True,
        ),
        Key(
            "capability",
            Number(0.0, 1.0, "a CINC share"),
            "CINC share of world capabilities; default from `capabilities`",
        ),
        Key("troops", THOUSANDS, "military personnel, thousands; default NMC `milper`"),
        Key(
            "resolve",
            RESOLVE,
            "private resolve, drawn per run",
            default=f"Beta with mean {default_of(spec.ResolveSpec, 'mean')}, "
            f"spread {default_of(spec.ResolveSpec, 'spread')}",
        ),
        Key(
            "risk_tolerance",
            PROBABILITY,
            "0 risk-averse … 1 risk-acceptant",
            default=default_of(spec.StateSpec, "risk_tolerance"),
        ),
        Key(
            "capability_trend",
            Number(-0.5, 0.5, "a share per year"),
            "relative change of its capability per year (−0.03: falling 3 % a year), e.g. over "
            "the previous decade of COW NMC; a falling state has a preventive motive",
            default=default_of(spec.StateSpec, "capability_trend"),
        ),
        Key(
            "interests",
            Table(STATE, PROBABILITY),
            "declared interests short of a treaty in other states' security, 0–1 (a guarantee, "
            "an act of a legislature: 1 a firm public commitment); they pull it toward fighting "
            "for that state",
        ),
        Key(
            "trade",
            Table(STATE, SHARE),
            "trade with each partner as a share of own GDP; default a gravity proxy",
        ),
        Key(
            "committable",
            Number(0.0, 1.0, "a share of its troops", open_low=True),
            "share of its troops it can send to a war abroad",
            default=f"{PARAMETERS['committable_share'].default} (parameter committable_share)",
        ),
        Key(
            "reserves",
            THOUSANDS,
            "reservists it calls up to fight on its own soil, thousands",
            default=f"{PARAMETERS['reserve_ratio'].default} × troops (parameter reserve_ratio)",
        ),
    ),
    doc="A state, keyed by a three-letter code: its COW letter code (as `brink new` writes) "
    "or ISO 3166 alpha-3.",
)

# -- alliances -------------------------------------------------------------------------------

MEMBERSHIP = Record(
    "membership",
    (
        Key("joined", YEAR, "year of entry", required=True),
        Key("left", YEAR, "year of exit"),
    ),
    doc="Membership with an exit year; a bare year means joined that year and still in.",
)

ALLIANCE_RECORD = Record(
    "alliance",
    (
        Key("name", Text(), "the treaty or organisation's name", required=True),
        Key("kind", Text(choices=spec.ALLIANCE_KINDS), "obligation type as in ATOP", required=True),
        Key(
            "members",
            Table(STATE, Either(YEAR, MEMBERSHIP), min_items=2),
            "member state → year of entry (or {joined, left})",
            required=True,
        ),
        Key(
            "reliability",
            PROBABILITY,
            "chance members honour it; default by kind (parameters reliability_*)",
        ),
        Key("leader", STATE, "member who answers for the alliance when it is a demand's target"),
        Key(
            "atop",
            Number(1000, 99999, "an ATOP id", integer=True),
            "ATOP alliance id (documentation only)",
        ),
    ),
    doc="An alliance, keyed by a short id such as NATO.",
)

# -- perceptions -----------------------------------------------------------------------------

PERCEPTION = Record(
    "perception",
    (
        Key("observer", STATE, "who holds the belief", required=True),
        Key("subject", STATE, "whose resolve it is about", required=True),
        Key("alpha", Number(0.0, 1000.0, "a Beta parameter", open_low=True), "Beta α"),
        Key("beta", Number(0.0, 1000.0, "a Beta parameter", open_low=True), "Beta β"),
        Key(
            "mean",
            Number(0.0, 1.0, "a probability", open_low=True),
            "believed mean resolve (with `strength`)",
        ),
        Key(
            "strength",
            Number(0.0, 1000.0, "pseudo-observations", open_low=True),
            "weight of the prior, α + β (with `mean`)",
        ),
    ),
    doc="An observer's prior Beta belief over a subject's resolve (docs/model.md §5); default "
    "Beta(2, 2). Give `alpha` and `beta`, or `mean` and `strength`.",
    exclusive=(("alpha", "beta"), ("mean", "strength")),
    require_one=True,
)

# -- deployments -----------------------------------------------------------------------------

DEPLOYMENT_KEYS = (
    Key("owner", STATE, "whose troops", required=True),
    Key("host", STATE, "on whose territory they stand", required=True),
    Key("troops", THOUSANDS, "how many, thousands", required=True),
    Key("near", STATE, "troops massed at this state's border count in its theatre"),
)

DEPLOYMENT_RECORD = Record(
    "deployment",
    (
        *DEPLOYMENT_KEYS,
        Key("arrives", When(), "day or date it arrives", default="before the start"),
        Key("leaves", When(), "day or date it leaves", default="stays"),
    ),
    doc="Troops of one state on a territory, keyed by an id.",
)

# -- bases and territories ------------------------------------------------------------------

BASE_RECORD = Record(
    "base",
    (
        Key("owner", STATE, "whose forces", required=True),
        Key("troops", THOUSANDS, "thousands (part of the owner's `troops`)", required=True),
        Key(
            "kind",
            Text(choices=("base", "staging", "sea")),
            "a standing base; a staging area (forces gathered for this crisis: they add to what "
            "the owner can commit); or forces at sea",
            default=default_of(spec.BaseSpec, "kind"),
        ),
        Key("at", LAT_LON, "where, [latitude, longitude] in degrees"),
        Key("host", STATE, "on whose territory (placed at its capital unless `at` is given)"),
    ),
    doc="Forces held away from the owner's capital, keyed by id: in a war, reinforcements come "
    "from the nearest of them first, already mobilised (docs/war.md §1). Give `at`, `host` "
    "or both.",
)

TERRITORY_RECORD = Record(
    "territory",
    (
        Key("name", Text(), "its name", required=True),
        Key("held_by", STATE, "the state that holds it at the start", required=True),
        Key("claimed_by", ListOf(STATE), "states that claim it", default="none"),
        Key("at", LAT_LON, "its middle, [latitude, longitude] in degrees"),
        Key(
            "box",
            ListOf(Number(-180.0, 180.0, "degrees"), min_items=4, max_items=4),
            "bounding box [south, west, north, east] in degrees",
        ),
        Key(
            "outline",
            ListOf(LAT_LON, min_items=3),
            "polygon, a list of [latitude, longitude] corners",
        ),
        Key("size", Number(0.0, 1e8, "km²", open_low=True), "area in km²"),
        Key(
            "garrison",
            THOUSANDS,
            "thousands of the holder's troops on it at the start",
            default=default_of(spec.TerritorySpec, "garrison"),
        ),
    ),
    doc="A contested territory that is not a state — an island group, a province, a strip of "
    "border — keyed by id; a demand's `theatre` can name it. Give at least one of `at`, `box` "
    "and `outline` (its middle is `at`, else the middle of the box or of the outline's corners).",
)

# -- demands ---------------------------------------------------------------------------------

STAKES = Record(
    "stakes",
    (
        Key(
            "challenger",
            Number(0.0, 10.0, "issue units"),
            "salience of the issue to the challenger, v_C",
            default=default_of(spec.DemandSpec, "stakes_challenger"),
        ),
        Key(
            "target",
            Number(0.0, 10.0, "issue units"),
            "salience of the issue to the target, v_T",
            default=default_of(spec.DemandSpec, "stakes_target"),
        ),
    ),
    doc="What the issue is worth to each side.",
)

DEMAND_KEYS = (
    Key("by", STATE, "the challenger", required=True),
    Key(
        "on", PARTY, "the target: a state, or an alliance (every member is a target)", required=True
    ),
    Key("issue", Text(), "what is demanded", required=True),
    Key(
        "size",
        Number(0.0, 1.0, "a share of the issue", open_low=True),
        "x ∈ (0, 1]: share of the issue demanded",
        required=True,
    ),
    Key("stakes", STAKES, "salience per side"),
    Key(
        "public",
        Flag(),
        "a public demand ties the challenger's hands",
        default=default_of(spec.DemandSpec, "public"),
    ),
    Key("deadline", When(), "day or date of the ultimatum"),
    Key(
        "information",
        Text(choices=("private", "complete")),
        "what the challenger knows of the target's war cost at the deadline",
        default=default_of(spec.UltimatumSpec, "information"),
    ),
    Key(
        "theatre",
        THEATRE,
        "state or territory (`territories:`) fought over",
        default="the target",
    ),
    Key(
        "level",
        Number(1, 4, "a MID hostility level", integer=True),
        "hostility level both sides start at: 1 none, 2 threat, 3 display, 4 use of force",
        default=default_of(spec.DemandSpec, "initial_level"),
    ),
    Key(
        "rivalry",
        Number(0, 1000, "disputes", integer=True),
        "militarised disputes between the two before this one: giving way in a rivalry costs "
        "reputation",
        default=default_of(spec.DemandSpec, "rivalry"),
    ),
)

DEMAND_RECORD = Record(
    "demand",
    (*DEMAND_KEYS, *WHEN_KEYS),
    doc="A dispute: the challenger demands a share of an issue the target holds, keyed by id.",
    exclusive=(("day",), ("date",)),
)

# -- sanctions -------------------------------------------------------------------------------

TRIGGER = Record(
    "trigger",
    (
        Key("actor", STATE, "the state whose act triggers the sanctions", required=True),
        Key(
            "uses_force_against",
            STATE,
            "... when it uses force (level ≥ 4) against this state",
            required=True,
        ),
    ),
    doc="The act that turns a threat into imposed sanctions.",
)

SANCTION_KEYS = (
    Key("senders", ListOf(STATE, min_items=1), "who sanctions", required=True),
    Key("target", STATE, "who is sanctioned", required=True),
    Key("severity", SHARE, "σ: share of bilateral trade cut", required=True),
)

SANCTION_RECORD = Record(
    "sanction",
    (
        *SANCTION_KEYS,
        Key("if", TRIGGER, "makes it a threat, imposed when this happens"),
        *WHEN_KEYS,
    ),
    doc="Sanctions keyed by id: threatened (with `if`) or imposed on their day.",
    exclusive=(("day",), ("date",)),
)

# -- aid -------------------------------------------------------------------------------------

AID_RECORD = Record(
    "aid",
    (
        Key("by", STATE, "the donor", required=True),
        Key("to", STATE, "the recipient", required=True),
        Key(
            "level",
            Number(0.0, 1.0, "a share", open_low=True),
            "share of the most the donor could send (1: all-out help short of war)",
            required=True,
        ),
        *WHEN_KEYS,
        Key("until", When(), "day or date it stops", default="goes on"),
    ),
    doc="Help short of war — arms, money, intelligence — keyed by id. It strengthens the "
    "recipient in any war it fights, more as the donor is richer than the recipient.",
    exclusive=(("day",), ("date",)),
)

# -- arms races ------------------------------------------------------------------------------

ARMS_RACE = Record(
    "arms_race",
    (
        Key(
            "rivals", ListOf(STATE, min_items=2, max_items=2), "the two rivals x, y", required=True
        ),
        Key("reaction", PAIR, "a, b: how each responds to the other's arms", required=True),
        Key("fatigue", PAIR, "m, n: how each one's own burden restrains it", required=True),
        Key("grievance", PAIR, "g, h: standing grievance of each", required=True),
    ),
    doc="Two rivals whose arms follow Richardson's equations dx/dt = a·y − m·x + g, "
    "dy/dt = b·x − n·y + h (docs/model.md §7).",
)
