"""Historical disputes and crises turned into scenarios the crisis model can run.

One MID dispute (``dispnum``) or one ICB crisis (``crisno``) becomes one :class:`Case`: a
:class:`~brink.scenarios.spec.Scenario` with one dispute between two principals, the states that
*may* join it, the alliances in force on the start date among them, and what actually happened.
A record that cannot become a scenario becomes a :class:`SkippedRecord` with its reason; nothing
is dropped silently.

**A case holds only what was known at its onset** (docs/onset.md lists every field read
and why it is known then). A record also lists the states that joined later, many because the
dispute had escalated; they are kept as what happened (:attr:`Case.fought`), never as input.

- **Principals and initial sides.** MID: from the originators only (``orig1``/``orig2``, read
  from the dyads of two originators): the challenger is the most capable (CINC) originator on
  side A, the target the most capable originator on side B. ICB: the actors whose own crisis
  began first (on the crisis's trigger date, but for a few records whose dates disagree) and
  the entity that triggered theirs; the challenger is that triggering entity when it is a state,
  preferring one that is itself an initial actor, the target the most capable initial actor
  whose crisis it triggered.
- **Potential third states**, by rules that read nothing but the onset: the other originators
  (initial actors); the ATOP partners, in defence or offence pacts in force on the start date,
  of any originator; the states contiguous to any originator in the start year (COW Direct
  Contiguity, land or ≤ 150 miles of water); and the COW major powers of the start year
  (:data:`~brink.experiments.retrodiction.codes.MAJOR_POWERS`).
- **Capabilities and troops** from COW NMC v6 for the start year (``cinc``, ``milper``); a
  missing ``milper`` is taken from the state's nearest year with one (recorded in the notes).
- **Regime** from Polity5's ``polity2`` in the start year (an anocracy where Polity has none).
- **Nuclear status** from the public dates in
  :data:`~brink.experiments.retrodiction.codes.NUCLEAR_YEARS`.
- **Stakes** from the issue (:data:`~brink.experiments.retrodiction.codes.ISSUE_STAKES`);
  demand size 0.5; the dispute starts at hostility level 2 (threat to use force), the lowest
  level of a militarized dispute.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import cast

import numpy as np
import pandas as pd

from brink.experiments.retrodiction.codes import (
    ICB_ISSUES,
    ICB_OUTCOMES,
    ISSUE_STAKES,
    MID_ISSUES,
    MID_OUTCOMES,
    OTHER,
    is_nuclear,
    major_powers,
)
from brink.experiments.retrodiction.data import (
    Capabilities,
    DyadOnsets,
    Pact,
    Records,
    capabilities,
    capability_trend,
    capital,
    contiguous,
    dyad_onsets,
    earlier_disputes,
    nearest_milper,
    neighbours,
    pacts_by_member,
    pacts_in_force,
    polity2,
    regime_type,
)
from brink.scenarios.spec import (
    ALLIANCE_KINDS,
    AllianceSpec,
    DemandSpec,
    Membership,
    Regime,
    Scenario,
    StateSpec,
)
from brink.sim.geography import great_circle_km

DEMAND_SIZE = 0.5
INITIAL_LEVEL = 2  # MID hostility level 2, threat to use force
REGIME: Regime = "anocracy"
#: A state "fought" in the record when its own MID hostility level reached a use of force (4) or
#: war (5), or, in ICB, when its crisis saw clashes (actor ``viol`` 2 minor, 3 serious, 4 war).
FOUGHT_MID_LEVEL = 4
FOUGHT_ICB_VIOLENCE = 2
#: Why a state is a potential third state (docs/onset.md).
RULES = ("originator", "ally", "contiguous", "major power")

#: Every field of a record the case builder reads to build a case, with why it is known at the
#: dispute's onset. docs/onset.md lists the same fields; tests/test_retro_exante.py fails
#: when the builder reads a field that is on neither this list nor :data:`OUTCOME_FIELDS`.
ONSET_FIELDS: dict[str, dict[str, str]] = {
    "mid-dyadic": {
        "dispnum": "the dispute's number: names the case",
        "ccode1": "a state of the dyad; read from the dyads of two originators only",
        "ccode2": "the other state of the dyad; originators' dyads only",
        "orig1": "whether the first state began the dispute (an originator)",
        "orig2": "whether the second state began the dispute",
        "sidea1": "the originator's side (side A began the dispute)",
        "sidea2": "the other originator's side",
        "year": "the dispute's start year: the earliest year of an originators' dyad",
        "stmon": "the dispute's start month",
        "revtype11": "what the first originator sought to revise: the issue at stake",
        "revtype12": "the same, for the second originator",
    },
    "icb-actor": {
        "crisno": "the crisis's number: names the case",
        "cracid": "the actor; only the actors whose crisis began first are read to build",
        "yrtrig": "the year the actor's own crisis was triggered: tells initial actors",
        "motrig": "the month of the same",
        "datrig": "the day of the same (an unknown day counts as the month's first)",
        "trigent": "the entity that triggered an initial actor's crisis: the challenger",
        "systrgyr": "the year of the crisis's trigger: the start date",
        "systrgmo": "the month of the crisis's trigger",
        "systrgda": "the day of the crisis's trigger",
        "gravty": "the gravity of the threat to the target's values: the issue",
    },
}
#: Fields read only as what happened: scored against the forecasts, never an input of a case.
OUTCOME_FIELDS: dict[str, dict[str, str]] = {
    "mid-dyadic": {
        "hostlev": "the highest hostility level the dispute reached (war: 5)",
        "outcome": "how the dispute ended",
        "mindur": "the dispute's shortest possible length in days",
        "maxdur": "the dispute's longest possible length in days",
        "hostlev1": "each state's own highest hostility level: who fought",
        "hostlev2": "the same, for the dyad's second state",
    },
    "icb-actor": {
        "viol": "the violence of each actor's crisis: war (4), and who fought (2 or more)",
        "outcom": "how the crisis ended for the target",
        "trgterra": "the crisis's length in days, trigger to termination",
    },
}


class CaseError(Exception):
    """Why a record cannot become a scenario (becomes a row of ``skipped.csv``)."""


@dataclass(frozen=True)
class Case:
    """One historical dispute or crisis as a scenario, with what happened."""

    case_id: str  # "MID 2", "ICB 4"
    source: str  # record format
    key: int  # dispnum or crisno
    line: int  # first line of the file that holds it
    year: int
    scenario: Scenario
    challenger: str
    target: str
    issue: str
    war: bool  # what happened: MID hostlev 5, ICB viol 4 for some actor
    outcome: str  # outcome class, or "other" (scored only on war)
    covariates: dict[str, float]
    notes: tuple[str, ...] = ()
    level: int | None = None  # MID hostility level reached (1–5); None for ICB
    days: float | None = None  # length in days (MID: mean of mindur and maxdur; ICB: trgterra)
    #: Each potential third state's code and the rules that chose it ("ally; major power").
    third_states: dict[str, str] = field(default_factory=dict)
    #: What happened: every state of the record that fought, but the principals, keyed by its
    #: code (NMC abbreviation, or the COW number), with its side: "challenger", "target", or ""
    #: where the record gives no side (ICB). Scored ("who joined"), never read to build.
    fought: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SkippedRecord:
    case_id: str
    line: int
    reason: str


@dataclass
class _Party:
    ccode: int
    side: str = ""  # "A", "B" or "" (not on a side)
    originator: bool = False
    issue: str | None = None
    record: Capabilities | None = field(default=None, repr=False)
    rules: list[str] = field(default_factory=list)  # why a third state is in the case


def build_cases(
    records: Records, *, limit: int | None = None
) -> tuple[list[Case], list[SkippedRecord]]:
    """Turn every dispute or crisis of a record file into a case, or a skipped record.

    Args:
        records: a file read by :func:`~brink.experiments.retrodiction.data.read_records`.

    Returns:
        The cases in file order and the records that could not be built, each with its reason.
    """
    frame = records.frame
    if records.format == "mid-dyadic":
        key, prefix, build = "dispnum", "MID", _mid_case
        onsets = dyad_onsets(frame)  # the file's own disputes count toward a later case's rivalry
    else:
        key, prefix, build = "crisno", "ICB", _icb_case
        onsets = None
    cases: list[Case] = []
    skipped: list[SkippedRecord] = []
    # dropna=False: a row with an empty key is skipped with its reason, not silently lost
    groups = frame.groupby(key, sort=False, dropna=False)
    for key_value, rows in itertools.islice(groups, limit):
        # cast: pandas-stubs types a group's key as any scalar; the key column is numeric
        number = cast(float, key_value)
        line = int(rows["line"].min())
        bad = rows[rows["problem"] != ""] if "problem" in rows else rows.iloc[:0]
        if len(bad) or not (math.isfinite(number) and float(number).is_integer()):
            case_id = f"{prefix} {number:g}"
            first_bad = (int(bad["line"].iloc[0]), bad["problem"].iloc[0]) if len(bad) else None
            skipped.append(SkippedRecord(case_id, *(first_bad or (line, "bad key"))))
            continue
        case_id = f"{prefix} {int(number)}"
        try:
            cases.append(build(case_id, int(number), line, rows, onsets))
        except CaseError as error:
            skipped.append(SkippedRecord(case_id, line, str(error)))
    return cases, skipped


# -- MID ------------------------------------------------------------------------------------


def _mid_case(
    case_id: str, number: int, line: int, rows: pd.DataFrame, onsets: DyadOnsets | None
) -> Case:
    # Only the dyads of two originators are read to build the case: the other rows name the
    # states that joined later, which is what happened, not what was known at the onset.
    onset = rows[(rows["orig1"] == 1) & (rows["orig2"] == 1)]
    if onset.empty:
        raise CaseError("no dyad of two originators (orig1 = orig2 = 1): no onset to start from")
    year = int(onset["year"].min())
    month = _month(onset["stmon"].iloc[0])
    parties: dict[int, _Party] = {}
    for first in ("1", "2"):
        ccodes = onset[f"ccode{first}"].to_numpy(dtype=int)
        side_a = onset[f"sidea{first}"].to_numpy() == 1
        column = f"revtype1{first}"
        revtypes = onset[column].to_numpy() if column in onset else np.full(len(onset), np.nan)
        for ccode, in_a, revtype in zip(ccodes, side_a, revtypes, strict=True):
            party = parties.setdefault(int(ccode), _Party(int(ccode), originator=True))
            party.side = "A" if in_a else "B"
            if party.issue is None and not np.isnan(revtype):
                party.issue = MID_ISSUES.get(int(revtype))
    side_a = [p for p in parties.values() if p.side == "A"]
    side_b = [p for p in parties.values() if p.side == "B"]
    if not side_a or not side_b:
        raise CaseError("single-sided: every originator of the dispute is on the same side")
    notes: list[str] = []
    _attach_records(parties.values(), year)
    challenger = _principal(side_a, "side A")
    target = _principal(side_b, "side B")
    issue = challenger.issue or _most_common(p.issue for p in parties.values()) or "none"
    hostlev = int(rows["hostlev"].iloc[0])
    if hostlev < 1 or hostlev > 5:
        raise CaseError(f"hostlev {hostlev} is not a MID hostility level (1–5)")
    outcome = MID_OUTCOMES.get(int(rows["outcome"].iloc[0]), OTHER)
    days = _days(rows, "mindur", "maxdur")
    case = _case(
        case_id,
        "mid-dyadic",
        number,
        line,
        year,
        month,
        1,
        parties,
        challenger,
        target,
        issue,
        hostlev == 5,
        outcome,
        notes,
        onsets=onsets,
        dispute_number=number,
    )
    fought = _mid_fought(rows, year, {challenger.ccode, target.ccode})
    return replace(case, level=hostlev, days=days, fought=fought)


def _mid_fought(rows: pd.DataFrame, year: int, principals: set[int]) -> dict[str, str]:
    """What happened: the states, but the principals, whose own hostility level reached a use of
    force, with their side (side A is the challenger's)."""
    levels: dict[int, tuple[int, str]] = {}
    for first in ("1", "2"):
        for ccode, in_a, level in zip(
            rows[f"ccode{first}"].to_numpy(dtype=int),
            rows[f"sidea{first}"].to_numpy() == 1,
            rows[f"hostlev{first}"].to_numpy(dtype=float),
            strict=True,
        ):
            side = "challenger" if in_a else "target"
            best = levels.get(int(ccode), (0, side))[0]
            if not np.isnan(level) and level > best:
                levels[int(ccode)] = (int(level), side)
    return {
        _code(ccode, year): side
        for ccode, (level, side) in sorted(levels.items())
        if level >= FOUGHT_MID_LEVEL and ccode not in principals
    }


def _code(ccode: int, year: int) -> str:
    """A state's code in a case: its NMC abbreviation, or its COW number if NMC has none."""
    record = capabilities(ccode, year)
    return record.stateabb if record is not None else str(ccode)


def _days(rows: pd.DataFrame, *columns: str) -> float | None:
    """A record's length in days: the mean of the given columns where all are known and ≥ 0."""
    values = [rows[c].iloc[0] if c in rows else np.nan for c in columns]
    if any(pd.isna(v) or v < 0 for v in values):
        return None
    return float(np.mean(values))


# -- ICB ------------------------------------------------------------------------------------


def _icb_case(
    case_id: str, number: int, line: int, rows: pd.DataFrame, onsets: DyadOnsets | None
) -> Case:
    year = int(rows["systrgyr"].iloc[0])
    month = _month(rows["systrgmo"].iloc[0])
    day = rows["systrgda"].iloc[0] if "systrgda" in rows else np.nan
    day = int(day) if pd.notna(day) and 1 <= day <= 28 else 1
    notes: list[str] = []
    # The initial actors: those whose own crisis began first (on the crisis's trigger date but
    # for a few records whose dates disagree); the others entered later, as what happened.
    own = _own_trigger(rows)
    initial = rows[own == min(own)]
    actors = {int(c): _Party(int(c), originator=True) for c in initial["cracid"]}
    triggers = [int(t) for t in initial["trigent"]]
    candidates = sorted({t for t in triggers if 0 < t < 990})
    if not candidates:
        codes = ", ".join(str(t) for t in sorted(set(triggers)))
        raise CaseError(f"no state triggered the crisis (trigent {codes} is not a COW state code)")
    parties = dict(actors)
    for code in candidates:
        parties.setdefault(code, _Party(code, originator=True))
    _attach_records(parties.values(), year)
    as_actor = [parties[c] for c in candidates if c in actors and parties[c].record is not None]
    pool = as_actor or [parties[c] for c in candidates if parties[c].record is not None]
    if not pool:
        raise CaseError(f"no NMC record in {year} for the triggering state(s) {candidates}")
    challenger = _principal(pool, "the triggering states")
    triggered = initial[initial["trigent"] == challenger.ccode]
    victims = [parties[int(c)] for c in triggered["cracid"] if int(c) != challenger.ccode]
    if not victims:
        raise CaseError(
            f"the challenger {challenger.ccode} triggered a crisis only for itself (no target)"
        )
    target = _principal(victims, "the actors it triggered")
    target_row = initial[initial["cracid"] == target.ccode].iloc[0]
    gravity = target_row["gravty"]  # may be missing (an empty cell): then "other"
    issue = ICB_ISSUES.get(int(gravity), "other") if pd.notna(gravity) else "other"
    war = bool((rows["viol"] == 4).any())
    outcome = ICB_OUTCOMES.get(int(target_row["outcom"]), OTHER)
    crisis_days = target_row.get("trgterra", np.nan)  # trigger to termination, in days
    case = _case(
        case_id,
        "icb-actor",
        number,
        line,
        year,
        month,
        day,
        parties,
        challenger,
        target,
        issue,
        war,
        outcome,
        notes,
        onsets=onsets,
    )
    days = float(crisis_days) if pd.notna(crisis_days) and crisis_days >= 0 else None
    principals = {challenger.ccode, target.ccode}
    fought = {
        _code(int(c), year): ""  # ICB gives an actor no side
        for c in sorted(set(rows.loc[rows["viol"] >= FOUGHT_ICB_VIOLENCE, "cracid"].astype(int)))
        if c not in principals
    }
    return replace(case, days=days, fought=fought)


def _own_trigger(rows: pd.DataFrame) -> np.ndarray:
    """Each actor's own trigger date as yyyymmdd (an unknown day counts as the month's first)."""
    days = rows["datrig"] if "datrig" in rows else pd.Series(np.nan, index=rows.index)
    days = days.where((days >= 1) & (days <= 31), 1).fillna(1)
    months = rows["motrig"].where((rows["motrig"] >= 1) & (rows["motrig"] <= 12), 1).fillna(1)
    return (rows["yrtrig"] * 10_000 + months * 100 + days).to_numpy(dtype=float)


# -- shared ---------------------------------------------------------------------------------


def _month(value: float) -> int:
    return int(value) if pd.notna(value) and 1 <= value <= 12 else 1


def _most_common(values: Iterable[str | None]) -> str | None:
    counts: dict[str, int] = {}
    for value in values:
        if value is not None:
            counts[value] = counts.get(value, 0) + 1
    if not counts:
        return None
    order = list(MID_ISSUES.values())
    return max(counts, key=lambda v: (counts[v], -order.index(v) if v in order else -99))


def _attach_records(parties: Iterable[_Party], year: int) -> None:
    for party in parties:
        party.record = capabilities(party.ccode, year)


def _principal(parties: list[_Party], role: str) -> _Party:
    originators = [p for p in parties if p.originator] or parties
    usable = [(p, p.record) for p in originators if p.record is not None]
    if not usable:
        codes = ", ".join(str(p.ccode) for p in originators)
        raise CaseError(f"no NMC record for the principal candidates of {role} ({codes})")
    return max(usable, key=lambda pr: (pr[1].cinc, -pr[0].ccode))[0]


def _troops(party: _Party, year: int, notes: list[str]) -> float:
    if party.record is None:  # a principal has an NMC record (_principal)
        raise CaseError(f"no NMC record for state {party.ccode}")
    if not math.isnan(party.record.milper):
        return party.record.milper
    # NMC leaves milper missing for some state-years; the nearest year with a value is a better
    # guess than zero troops.
    nearest = nearest_milper(party.ccode, year)
    if nearest is None:
        notes.append(f"{party.ccode}: no milper in any year, troops 0")
        return 0.0
    notes.append(f"{party.ccode}: milper missing in {year}, taken from {nearest[0]}")
    return nearest[1]


def state_spec(
    code: str,
    ccode: int | None,
    capability: float,
    troops: float,
    place: tuple[float, float],
    nuclear: bool,
    name: str | None = None,
    regime: Regime | None = None,
    capability_trend: float = 0.0,
) -> StateSpec:
    """A state of a retrodiction scenario: its regime (an anocracy when unknown), its capability
    trend over the previous decade (the preventive motive), default resolve, no trade data."""
    return StateSpec(
        code=code,
        name=name or code,
        ccode=ccode,
        regime=regime or REGIME,
        nuclear=nuclear,
        capability=capability,
        troops=troops,
        capital=place,
        capability_trend=capability_trend,
    )


def dispute_spec(challenger: str, target: str, issue: str, rivalry: int = 0) -> DemandSpec:
    """The one dispute of a retrodiction scenario, with stakes from the issue and the dyad's
    earlier disputes as its ``rivalry``."""
    stakes_c, stakes_t = ISSUE_STAKES[issue]
    return DemandSpec(
        id="D1",
        by=challenger,
        on=target,
        issue=issue,
        size=DEMAND_SIZE,
        stakes_challenger=stakes_c,
        stakes_target=stakes_t,
        initial_level=INITIAL_LEVEL,
        rivalry=rivalry,
    )


def _alliances(
    codes: dict[int, str], when: float
) -> tuple[dict[str, AllianceSpec], set[frozenset[int]]]:
    """ATOP alliances in force at ``when`` with two or more of the scenario's states."""
    by_alliance: dict[int, dict[int, Pact]] = {}
    for ccode in codes:
        for pact in pacts_in_force(ccode, when):
            by_alliance.setdefault(pact.atopid, {}).setdefault(ccode, pact)
    alliances: dict[str, AllianceSpec] = {}
    pairs: set[frozenset[int]] = set()
    for atopid, members in sorted(by_alliance.items()):
        kinds = {pact.kind for pact in members.values()} - {None}
        if len(members) < 2 or not kinds:
            continue
        kind = next(k for k in ALLIANCE_KINDS if k in kinds)
        memberships = tuple(
            Membership(state=codes[ccode], joined=pact.joined, left=pact.left)
            for ccode, pact in sorted(members.items())
        )
        alliances[f"ATOP{atopid}"] = AllianceSpec(
            id=f"ATOP{atopid}", name=f"ATOP {atopid}", kind=kind, members=memberships
        )
        pairs.update(frozenset((a, b)) for a in members for b in members if a != b)
    return alliances, pairs


def _pact_partners(ccode: int, when: float) -> set[int]:
    """The states in a defence or offence pact with ``ccode`` in force at ``when`` (ATOP)."""
    pacts = {p.atopid for p in pacts_in_force(ccode, when) if p.kind in ("defense", "offense")}
    return {
        pact.member
        for member_pacts in pacts_by_member().values()
        for pact in member_pacts
        if pact.atopid in pacts and pact.start <= when <= pact.end
    } - {ccode}


def _add_third_states(parties: dict[int, _Party], year: int, when: float) -> None:
    """Add the potential third states, chosen by rules that read only the onset: the pact
    partners of, and the states contiguous to, any originator, and the major powers."""
    originators = sorted(p.ccode for p in parties.values() if p.originator)
    chosen: list[tuple[int, str]] = [(c, "originator") for c in originators]
    for ccode in originators:
        chosen += [(c, "ally") for c in sorted(_pact_partners(ccode, when))]
        chosen += [(c, "contiguous") for c in neighbours(ccode, year)]
    chosen += [(c, "major power") for c in major_powers(year)]
    for ccode, rule in chosen:
        party = parties.setdefault(ccode, _Party(ccode))
        if rule not in party.rules:
            party.rules.append(rule)


def _case(
    case_id: str,
    source: str,
    number: int,
    line: int,
    year: int,
    month: int,
    day: int,
    parties: dict[int, _Party],
    challenger: _Party,
    target: _Party,
    issue: str,
    war: bool,
    outcome: str,
    notes: list[str],
    *,
    onsets: DyadOnsets | None = None,
    dispute_number: int = -1,
) -> Case:
    if challenger.ccode == target.ccode:
        raise CaseError("challenger and target are the same state")
    when = year + (month - 1) / 12
    _add_third_states(parties, year, when)
    _attach_records([p for p in parties.values() if p.record is None], year)
    states: dict[str, StateSpec] = {}
    codes: dict[int, str] = {}
    for party in sorted(parties.values(), key=lambda p: p.ccode):
        principal = party is challenger or party is target
        place = capital(party.ccode, year)
        if party.record is None or place is None:
            why = "no NMC record" if party.record is None else "no capital in cow-capitals.csv"
            if principal:
                role = "challenger" if party is challenger else "target"
                raise CaseError(f"{why} for the {role} {party.ccode} in {year}")
            notes.append(f"{party.ccode} left out: {why} in {year}")
            continue
        code = party.record.stateabb
        codes[party.ccode] = code
        regime = regime_type(polity2(party.ccode, year))
        if regime is None:
            notes.append(f"{party.ccode}: no Polity5 score in {year}; an anocracy")
        states[code] = state_spec(
            code,
            party.ccode,
            party.record.cinc,
            _troops(party, year, notes),
            place,
            is_nuclear(party.ccode, year),
            regime=regime,
            capability_trend=capability_trend(party.ccode, year),
        )
    alliances, allied_pairs = _alliances(codes, when)
    rivalry = earlier_disputes(
        challenger.ccode, target.ccode, when, extra=onsets, exclude=dispute_number
    )
    c_code, t_code = codes[challenger.ccode], codes[target.ccode]
    scenario = Scenario(
        name=case_id,
        description=f"{case_id} ({year}), built from the record by brink retrodict",
        start_date=f"{year:04d}-{month:02d}-{day:02d}",
        states=states,
        alliances=alliances,
        demands=(dispute_spec(c_code, t_code, issue, rivalry),),
    )
    c_state, t_state = states[c_code], states[t_code]
    covariates = {
        "capability_share": c_state.capability / (c_state.capability + t_state.capability),
        "log_distance": math.log1p(great_circle_km(c_state.capital, t_state.capital)),
        "allied": float(frozenset((challenger.ccode, target.ccode)) in allied_pairs),
        "challenger_nuclear": float(c_state.nuclear),
        "target_nuclear": float(t_state.nuclear),
        # The originators (ICB: the initial parties), not every state of the record: the record
        # also lists the states that joined later, often because the dispute escalated.
        "log_originators": math.log(sum(p.originator for p in parties.values())),
        # Bremer (1992): contiguity and joint democracy are the strongest dyadic correlates of
        # war; the model sees regimes (audience costs, affinity), the baselines see both.
        "contiguous": float(contiguous(challenger.ccode, target.ccode, year)),
        "joint_democracy": float(c_state.regime == "democracy" and t_state.regime == "democracy"),
        # Rivals fight more (Goertz & Diehl 1993; Vasquez 1993): the dyad's earlier disputes.
        "log_rivalry": math.log1p(rivalry),
    }
    return Case(
        case_id=case_id,
        source=source,
        key=number,
        line=line,
        year=year,
        scenario=scenario,
        challenger=c_code,
        target=t_code,
        issue=issue,
        war=war,
        outcome=outcome,
        covariates=covariates,
        notes=tuple(notes),
        third_states={
            codes[p.ccode]: "; ".join(p.rules)
            for p in sorted(parties.values(), key=lambda p: p.ccode)
            if p.ccode in codes and p is not challenger and p is not target
        },
    )
