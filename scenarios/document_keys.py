"""The keys of a whole scenario file: the top-level record and what only it holds.

:data:`SCENARIO` gathers the sections declared in :mod:`brink.scenarios.keys` with the
timeline's entries (one dated action each), the casebook's ``history:`` block and the
``capabilities:`` block; :func:`records` lists every record reachable from it. The loader checks
files against :data:`SCENARIO`, and :mod:`brink.scenarios.schema` and
:mod:`brink.scenarios.reference` are generated from it (docs/style.md, One place for each fact).
"""

from __future__ import annotations

from typing import Any

from brink.scenarios import spec
from brink.scenarios.keys import (
    AID_RECORD,
    ALLIANCE,
    ALLIANCE_RECORD,
    ARMS_RACE,
    BASE_RECORD,
    DEMAND_KEYS,
    DEMAND_RECORD,
    DEPLOYMENT,
    DEPLOYMENT_KEYS,
    DEPLOYMENT_RECORD,
    DISPUTE,
    IDENTIFIER,
    PERCEPTION,
    SANCTION,
    SANCTION_KEYS,
    SANCTION_RECORD,
    SHARE,
    STATE,
    STATE_CODE,
    STATE_RECORD,
    TERRITORY_RECORD,
    TRIGGER,
    WHEN_KEYS,
    Date,
    Either,
    Flag,
    Key,
    ListOf,
    Nullable,
    Number,
    Parameters,
    Record,
    Table,
    Text,
    default_of,
)
from brink.sim.params import PARAMETERS
from brink.sim.record import RUN_OUTCOMES

#: A ``rules:`` key: a state code, or ``"*"`` for every state.
RULE_STATE = Text(pattern=r"^([A-Z]{3}|\*)$", hint='a state code, or "*" for every state')
RULE_NAME = Text(
    pattern=r"^\S+$", hint="a rule: MODULE:NAME, path/to/file.py:NAME, or a built-in name"
)

# -- timeline --------------------------------------------------------------------------------

TEXT_KEY = Key("text", Text(), "what was said or done, for the log")

ACTIONS = {
    "demand": Record(
        "demand_event",
        (Key("id", IDENTIFIER, "id of the new dispute", required=True), *DEMAND_KEYS),
        doc="A demand made on this day (same keys as `demands`, plus `id`).",
    ),
    "threaten": Record(
        "threat_event",
        (
            Key("id", IDENTIFIER, "id of the sanctions threatened", required=True),
            *SANCTION_KEYS,
            Key("if", TRIGGER, "the act that triggers them", required=True),
        ),
        doc="A conditional sanctions threat made on this day.",
    ),
    "impose": Either(
        SANCTION,
        Record(
            "impose_event",
            (Key("id", IDENTIFIER, "id of the new sanctions", required=True), *SANCTION_KEYS),
            doc="New sanctions imposed on this day.",
        ),
    ),
    "lift": SANCTION,
    "deploy": Record(
        "deploy_event",
        (
            Key("id", IDENTIFIER, "id, so a later `withdraw` can name it"),
            *DEPLOYMENT_KEYS,
            TEXT_KEY,
        ),
        doc="Troops arrive.",
    ),
    "withdraw": DEPLOYMENT,
    "statement": Record(
        "statement_event",
        (
            Key("by", STATE, "the speaker", required=True),
            Key("dispute", DISPUTE, "the dispute it is about"),
            Key(
                "ties_hands",
                Flag(),
                "a public commitment that raises the speaker's audience "
                "cost of backing down (Fearon 1994)",
                default=False,
            ),
            TEXT_KEY,
        ),
        doc="A public statement; cheap talk unless it ties hands.",
    ),
    "offer": Record(
        "offer_event",
        (
            Key("by", STATE, "who offers", required=True),
            Key("dispute", DISPUTE, "the dispute", required=True),
            Key("share", SHARE, "share of the demand offered to the challenger", required=True),
            TEXT_KEY,
        ),
        doc="A compromise offered in a dispute.",
    ),
    "join_alliance": Record(
        "join_event",
        (
            Key("state", STATE, "who joins", required=True),
            Key("alliance", ALLIANCE, "which alliance", required=True),
        ),
        doc="A state accedes to an alliance.",
    ),
    "leave_alliance": Record(
        "leave_event",
        (
            Key("state", STATE, "who leaves", required=True),
            Key("alliance", ALLIANCE, "which alliance", required=True),
        ),
        doc="A state leaves an alliance.",
    ),
    "talks": Record(
        "talks_event",
        (
            Key("dispute", DISPUTE, "the dispute discussed", required=True),
            Key("between", ListOf(STATE, min_items=2, max_items=2), "the two delegations"),
            TEXT_KEY,
        ),
        doc="Both sides meet; recorded, cheap talk: it moves no belief.",
    ),
}

ACTION_DOCS = {
    "demand": "a new demand (keys as in `demands`, plus `id`)",
    "threaten": "a sanctions threat with its trigger",
    "impose": "impose declared sanctions (their id) or new ones (a record with `id`)",
    "lift": "lift sanctions (their id)",
    "deploy": "troops arrive",
    "withdraw": "a deployment leaves (its id)",
    "statement": "a public statement",
    "offer": "a compromise offer",
    "join_alliance": "alliance accession",
    "leave_alliance": "alliance exit",
    "talks": "talks between the sides",
}

TIMELINE_ENTRY = Record(
    "event",
    (
        *WHEN_KEYS,
        *(Key(name, ACTIONS[name], ACTION_DOCS[name]) for name in ACTIONS),
        Key("note", Text(), "a comment kept with the file"),
    ),
    doc="One dated entry: `day` or `date`, and exactly one action, on day 1 or later; a "
    "`statement` or a `deploy` may stand on day 0, the start date.",
    exclusive=(("day",), ("date",)),
    require_one=True,
    choose_one=tuple(ACTIONS),
)

# -- history (casebook scenarios) -------------------------------------------------------------

LEVEL = Number(1, 5, "a MID hostility level", integer=True)
DAYS = Number(0, 100000, "days", integer=True)

FOUGHT = Record(
    "fought",
    (
        Key("challenger", ListOf(STATE), "states that fought on the challenger's side"),
        Key("target", ListOf(STATE), "states that fought on the target's side"),
    ),
    doc="Who really fought, by side (scenario state codes).",
)

HISTORY_DISPUTE = Record(
    "history_dispute",
    (
        Key(
            "outcome",
            Text(choices=RUN_OUTCOMES),
            "how it ended, as the model's outcome classes (war_ongoing: a war not ended by the "
            "horizon)",
            required=True,
        ),
        Key(
            "war",
            Flag(),
            "whether it reached war (MID hostility level 5 / a COW war)",
            required=True,
        ),
        Key(
            "highest_level",
            LEVEL,
            "MID hostility level reached: 1 none, 2 threat, 3 display, 4 use of force, 5 war",
            required=True,
        ),
        Key("days", Nullable(DAYS), "days from `start` to its end (to the horizon if war_ongoing)"),
        Key("war_days", Nullable(DAYS), "days of war, COW start to end, if there was a war"),
        Key("fought", FOUGHT, "states that fought, by side"),
        Key(
            "mid",
            Nullable(Number(1, 99999, "a MID dispute number", integer=True)),
            "GML MID dispute number (dispnum), where one exists",
        ),
        Key(
            "icb",
            Nullable(Number(1, 9999, "an ICB crisis number", integer=True)),
            "ICB crisis number (crisno), where one exists; its outcome is checked only "
            "where no `mid` is given (the classes are MID's)",
        ),
        Key(
            "cow_war",
            Nullable(Number(1, 9999, "a COW war number", integer=True)),
            "COW interstate war number, where one exists: `larger_war_id` of "
            "data/cow-interstate-wars.csv (World War I is 38)",
        ),
        Key("note", Text(), "what happened, in a sentence"),
    ),
    doc="What really happened in one dispute, keyed by the dispute's id in `demands`.",
)

HISTORY = Record(
    "history",
    (
        Key("sources", ListOf(Text(), min_items=1), "full citations", required=True),
        Key(
            "disputes",
            Table(DISPUTE, HISTORY_DISPUTE, min_items=1),
            "one entry per scored dispute id",
            required=True,
        ),
    ),
    doc="What really happened, with sources, for scoring by `brink casebook`. The model never "
    "reads it: the rest of the file holds only what was known on `start`.",
)

CAPABILITIES = Record(
    "capabilities",
    (
        Key(
            "source",
            Text(choices=("cow-nmc",)),
            "the data set: COW National Material Capabilities v6.0",
            required=True,
        ),
        Key(
            "year",
            Number(1816, 2016, "a year of NMC v6.0", integer=True),
            "the year to read (NMC v6.0 covers 1816–2016)",
            required=True,
        ),
    ),
    doc="Fill `capability` (cinc) and `troops` (milper) of every state with a `cow` code "
    "that does not give them.",
)

SCENARIO = Record(
    "scenario",
    (
        Key("name", Text(), "short name", default="the file name"),
        Key(
            "description",
            Text(),
            "what the crisis is; the first line is its summary",
            required=True,
        ),
        Key("sources", ListOf(Text()), "where the facts come from"),
        Key("start", Date(), "the date of day 0", required=True),
        Key(
            "step",
            Text(choices=("day", "week")),
            "length of one step",
            default=default_of(spec.Scenario, "step"),
        ),
        Key(
            "horizon",
            Number(1, 3650, "steps", integer=True),
            "steps a run lasts at most",
            default=f"{PARAMETERS['horizon'].default} (parameter horizon)",
        ),
        Key("capabilities", CAPABILITIES, "fill capabilities from a data set"),
        Key(
            "parameters",
            Parameters(),
            "overrides of model parameters (`brink run --set` overrides these)",
        ),
        Key(
            "states",
            Table(STATE_CODE, STATE_RECORD, min_items=2),
            "the states, by code",
            required=True,
        ),
        Key("alliances", Table(IDENTIFIER, ALLIANCE_RECORD), "alliances, by id"),
        Key("perceptions", ListOf(PERCEPTION), "priors over others' resolve"),
        Key("deployments", Table(IDENTIFIER, DEPLOYMENT_RECORD), "troops abroad or massed, by id"),
        Key("demands", Table(IDENTIFIER, DEMAND_RECORD), "disputes, by id"),
        Key("sanctions", Table(IDENTIFIER, SANCTION_RECORD), "sanctions, by id"),
        Key("aid", Table(IDENTIFIER, AID_RECORD), "help short of war, by id"),
        Key("bases", Table(IDENTIFIER, BASE_RECORD), "bases, staging areas, fleets, by id"),
        Key(
            "territories",
            Table(IDENTIFIER, TERRITORY_RECORD),
            "contested territories that are not states, by id",
        ),
        Key("timeline", ListOf(TIMELINE_ENTRY), "what happens on which day"),
        Key("arms_races", ListOf(ARMS_RACE), "Richardson arms races"),
        Key(
            "rules",
            Table(RULE_STATE, RULE_NAME),
            'decision rules by state code (`"*"`: every state), each `MODULE:NAME` (a dotted '
            "module or a `.py` file beside this one) or a built-in or entry-point name; "
            "`brink rules` lists them, `--rule` overrides them",
        ),
        Key(
            "history", HISTORY, "what really happened (casebook scenarios; never read by the model)"
        ),
    ),
    doc="A scenario file.",
)


def records() -> list[Record]:
    """Every record type reachable from :data:`SCENARIO`, each once, in reading order."""
    found: list[Record] = []

    def visit(kind: Any) -> None:
        if isinstance(kind, Record):
            if kind in found:
                return
            found.append(kind)
            for key in kind.keys:
                visit(key.kind)
        elif isinstance(kind, ListOf):
            visit(kind.item)
        elif isinstance(kind, Table):
            visit(kind.value)
        elif isinstance(kind, Either):
            visit(kind.scalar)
            visit(kind.record)
        elif isinstance(kind, Nullable):
            visit(kind.kind)

    visit(SCENARIO)
    return found
