"""Historical disputes and crises turned into scenarios the crisis model can run.

One MID dispute (``dispnum``) or one ICB crisis (``crisno``) becomes one :class:`Case`: a
:class:`~brink.scenarios.spec.Scenario` with one dispute between two principals, every other
state named in the record as a third state the model may or may not bring in, the alliances in
force on the start date among them, and what actually happened. A record that cannot become a
scenario becomes a :class:`SkippedRecord` with its reason; nothing is dropped silently.

Choices, each a departure a reader should know about:

- **Principals.** MID: the challenger is the most capable (CINC) originator on side A, the target
  the most capable originator on side B (all of a side's states if it has no originator).
  ICB: the challenger is the triggering entity (``trigent``) when it is a state, preferring one
  that is itself a crisis actor; the target is the most capable actor whose crisis it triggered.
- **Capabilities and troops** from COW NMC v6 for the start year (``cinc``, ``milper``); a
  missing ``milper`` is taken from the state's nearest year with one (recorded in the notes).
- **Regime.** No regime data is shipped, so every state is an ``anocracy``, the middle of the
  model's three audience-cost levels; the covariates therefore carry no regime either.
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
)
from brink.experiments.retrodiction.data import (
    Capabilities,
    Pact,
    Records,
    capabilities,
    capital,
    contiguous,
    nearest_milper,
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
    Scenario,
    StateSpec,
)
from brink.sim.geography import great_circle_km

DEMAND_SIZE = 0.5
INITIAL_LEVEL = 2  # MID hostility level 2, threat to use force
REGIME = "anocracy"


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


def build_cases(
    records: Records, *, allies: int = 0, limit: int | None = None
) -> tuple[list[Case], list[SkippedRecord]]:
    """Turn every dispute or crisis of a record file into a case, or a skipped record.

    Args:
        records: a file read by :func:`~brink.experiments.retrodiction.data.read_records`.
        allies: add up to this many allies (ATOP defence or offence pacts in force on the start
            date) of each principal as further third states, the most capable first.

    Returns:
        The cases in file order and the records that could not be built, each with its reason.
    """
    frame = records.frame
    if records.format == "mid-dyadic":
        key, prefix, build = "dispnum", "MID", _mid_case
    else:
        key, prefix, build = "crisno", "ICB", _icb_case
    cases: list[Case] = []
    skipped: list[SkippedRecord] = []
    # dropna=False: a row with an empty key is skipped with its reason, not silently lost
    groups = frame.groupby(key, sort=False, dropna=False)
    for number, rows in itertools.islice(groups, limit):
        line = int(rows["line"].min())
        bad = rows[rows["problem"] != ""] if "problem" in rows else rows.iloc[:0]
        if len(bad) or not (math.isfinite(number) and float(number).is_integer()):
            case_id = f"{prefix} {number:g}"
            first_bad = (int(bad["line"].iloc[0]), bad["problem"].iloc[0]) if len(bad) else None
            skipped.append(SkippedRecord(case_id, *(first_bad or (line, "bad key"))))
            continue
        case_id = f"{prefix} {int(number)}"
        try:
            cases.append(build(case_id, int(number), line, rows, allies))
        except CaseError as error:
            skipped.append(SkippedRecord(case_id, line, str(error)))
    return cases, skipped


# -- MID ------------------------------------------------------------------------------------


def _mid_case(case_id: str, number: int, line: int, rows: pd.DataFrame, allies: int) -> Case:
    year = int(rows["year"].min())
    month = _month(rows["stmon"].iloc[0])
    parties: dict[int, _Party] = {}
    for first in ("1", "2"):
        ccodes = rows[f"ccode{first}"].to_numpy(dtype=int)
        side_a = rows[f"sidea{first}"].to_numpy() == 1
        origin = rows[f"orig{first}"].to_numpy() == 1
        column = f"revtype1{first}"
        revtypes = rows[column].to_numpy() if column in rows else np.full(len(rows), np.nan)
        for ccode, in_a, originator, revtype in zip(ccodes, side_a, origin, revtypes, strict=True):
            party = parties.setdefault(int(ccode), _Party(int(ccode)))
            party.side = "A" if in_a else "B"
            party.originator |= bool(originator)
            if party.issue is None and not np.isnan(revtype):
                party.issue = MID_ISSUES.get(int(revtype))
    side_a = [p for p in parties.values() if p.side == "A"]
    side_b = [p for p in parties.values() if p.side == "B"]
    if not side_a or not side_b:
        raise CaseError("single-sided: every state in the dispute is on the same side")
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
        allies,
        notes,
    )
    return replace(case, level=hostlev, days=days)


def _days(rows: pd.DataFrame, *columns: str) -> float | None:
    """A record's length in days: the mean of the given columns where all are known and ≥ 0."""
    values = [rows[c].iloc[0] if c in rows else np.nan for c in columns]
    if any(pd.isna(v) or v < 0 for v in values):
        return None
    return float(np.mean(values))


# -- ICB ------------------------------------------------------------------------------------


def _icb_case(case_id: str, number: int, line: int, rows: pd.DataFrame, allies: int) -> Case:
    year = int(rows["systrgyr"].iloc[0])
    month = _month(rows["systrgmo"].iloc[0])
    day = rows["systrgda"].iloc[0] if "systrgda" in rows else np.nan
    day = int(day) if pd.notna(day) and 1 <= day <= 28 else 1
    notes: list[str] = []
    actors = {int(c): _Party(int(c), side="") for c in rows["cracid"]}
    triggers = [int(t) for t in rows["trigent"]]
    candidates = sorted({t for t in triggers if 0 < t < 990})
    if not candidates:
        codes = ", ".join(str(t) for t in sorted(set(triggers)))
        raise CaseError(f"no state triggered the crisis (trigent {codes} is not a COW state code)")
    parties = dict(actors)
    for code in candidates:
        parties.setdefault(code, _Party(code))
    _attach_records(parties.values(), year)
    as_actor = [parties[c] for c in candidates if c in actors and parties[c].record is not None]
    pool = as_actor or [parties[c] for c in candidates if parties[c].record is not None]
    if not pool:
        raise CaseError(f"no NMC record in {year} for the triggering state(s) {candidates}")
    challenger = _principal(pool, "the triggering states")
    triggered = rows[rows["trigent"] == challenger.ccode]
    victims = [parties[int(c)] for c in triggered["cracid"] if int(c) != challenger.ccode]
    if not victims:
        raise CaseError(
            f"the challenger {challenger.ccode} triggered a crisis only for itself (no target)"
        )
    target = _principal(victims, "the actors it triggered")
    target_row = rows[rows["cracid"] == target.ccode].iloc[0]
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
        allies,
        notes,
    )
    days = float(crisis_days) if pd.notna(crisis_days) and crisis_days >= 0 else None
    return replace(case, days=days)


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
    usable = [p for p in originators if p.record is not None]
    if not usable:
        codes = ", ".join(str(p.ccode) for p in originators)
        raise CaseError(f"no NMC record for the principal candidates of {role} ({codes})")
    return max(usable, key=lambda p: (p.record.cinc, -p.ccode))


def _troops(party: _Party, year: int, notes: list[str]) -> float:
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
    regime: str | None = None,
) -> StateSpec:
    """A state of a retrodiction scenario: its regime (an anocracy when unknown), default
    resolve, no trade data."""
    return StateSpec(
        code=code,
        name=name or code,
        ccode=ccode,
        regime=regime or REGIME,
        nuclear=nuclear,
        capability=capability,
        troops=troops,
        capital=place,
    )


def dispute_spec(challenger: str, target: str, issue: str) -> DemandSpec:
    """The one dispute of a retrodiction scenario, with stakes from the issue."""
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


def _allies_of(ccode: int, when: float, exclude: set[int], year: int, limit: int) -> list[int]:
    """The most capable states in a defence or offence pact with ``ccode`` at ``when``."""
    pacts = {p.atopid for p in pacts_in_force(ccode, when) if p.kind in ("defense", "offense")}
    partners = {
        pact.member
        for member_pacts in pacts_by_member().values()
        for pact in member_pacts
        if pact.atopid in pacts and pact.start <= when <= pact.end
    } - exclude
    ranked = [(record.cinc, c) for c in partners if (record := capabilities(c, year)) is not None]
    return [c for _, c in sorted(ranked, reverse=True)[:limit]]


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
    allies: int,
    notes: list[str],
) -> Case:
    if challenger.ccode == target.ccode:
        raise CaseError("challenger and target are the same state")
    when = year + (month - 1) / 12
    if allies > 0:
        present = set(parties)
        for principal in (challenger, target):
            for ccode in _allies_of(principal.ccode, when, present, year, allies):
                parties[ccode] = _Party(ccode)
                present.add(ccode)
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
        )
    alliances, allied_pairs = _alliances(codes, when)
    c_code, t_code = codes[challenger.ccode], codes[target.ccode]
    scenario = Scenario(
        name=case_id,
        description=f"{case_id} ({year}), built from the record by brink retrodict",
        start_date=f"{year:04d}-{month:02d}-{day:02d}",
        states=states,
        alliances=alliances,
        demands=(dispute_spec(c_code, t_code, issue),),
    )
    c_state, t_state = states[c_code], states[t_code]
    covariates = {
        "capability_share": c_state.capability / (c_state.capability + t_state.capability),
        "log_distance": math.log1p(great_circle_km(c_state.capital, t_state.capital)),
        "allied": float(frozenset((challenger.ccode, target.ccode)) in allied_pairs),
        "challenger_nuclear": float(c_state.nuclear),
        "target_nuclear": float(t_state.nuclear),
        "log_states": math.log(len(states)),
        # Bremer (1992): contiguity and joint democracy are the strongest dyadic correlates of
        # war; the model sees regimes (audience costs, affinity), the baselines see both.
        "contiguous": float(contiguous(challenger.ccode, target.ccode, year)),
        "joint_democracy": float(c_state.regime == "democracy" and t_state.regime == "democracy"),
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
    )
