"""Does a casebook case's ``history:`` block agree with the MID, ICB and COW codes it names?

Where a block gives ``mid:``, ``icb:`` or ``cow_war:``, the bundled files (``data/``, cited in
``data/README.md``) must say the same: the outcome class (with MID's side A and B matched to the
scenario's challenger and target), whether it was a war, the highest hostility level, that it
ended within the coded dates, and who fought. :func:`history_disagreements` lists every
disagreement in words; the casebook's tests require the list to be empty for every bundled case.
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import cache
from typing import Any, cast

import pandas as pd

from brink.experiments.retrodiction.codes import ICB_FROM_MODEL, ICB_OUTCOMES, MID_OUTCOMES
from brink.scenarios.datasets import DATA_DIR
from brink.scenarios.history import MIDS_FILE, WARS_FILE
from brink.scenarios.spec import DemandSpec, DisputeHistory, Scenario
from brink.sim.outcomes import Outcome

ICB_CRISES_FILE = DATA_DIR / "icb-v14-crises.pre1990.csv"
ICB_ACTORS_FILE = DATA_DIR / "icb-v14-actors.pre1990.csv"
#: ICB's ``viol`` (crisis) and ``sevvio`` (actor) 4 is full-scale war (ICB codebook: 1 none,
#: 2 minor clashes, 3 serious clashes, 4 full-scale war).
ICB_WAR = 4
#: How far an end date may lie after ICB's termination date (ICB dates a crisis's end by the
#: actor's exit, which can differ by days from the act that settled the dispute).
ICB_SLACK_DAYS = 31
_SWAP: dict[str, Outcome] = {
    Outcome.VICTORY_CHALLENGER: Outcome.VICTORY_TARGET,
    Outcome.VICTORY_TARGET: Outcome.VICTORY_CHALLENGER,
    Outcome.YIELD_CHALLENGER: Outcome.YIELD_TARGET,
    Outcome.YIELD_TARGET: Outcome.YIELD_CHALLENGER,
}


@cache
def _mid() -> pd.DataFrame:
    return pd.read_csv(MIDS_FILE)


@cache
def _icb_crises() -> pd.DataFrame:
    return pd.read_csv(ICB_CRISES_FILE)


@cache
def _icb_actors() -> pd.DataFrame:
    return pd.read_csv(ICB_ACTORS_FILE)


@cache
def war_participation() -> pd.DataFrame:
    """COW interstate wars (Sarkees & Wayman 2010): when each state entered each war.

    Each row of the file is one year of a sub-war between an initiator and a target, whose
    entry and exit dates are those of that pair; ``ally*`` and ``adv*`` columns name states on
    either side without dates of their own. A state's entry is the first day of a sub-war it
    fought as initiator or target, or failing that the first day of one that names it.

    Returns:
        One row per war and state: ``war`` (``larger_war_id``), ``ccode``, ``entry``; and the
        war's first and last day, ``began`` and ``ended``.
    """
    # pandas reads numbers in na_values too; pandas-stubs allows only strings
    wars = pd.read_csv(WARS_FILE, na_values=["NA", -9])  # type: ignore[list-item]
    named = [c for c in wars.columns if c.startswith(("ally", "adv")) and c.endswith("ccode")]
    principal: dict[tuple[int, int], dt.date] = {}
    mentioned: dict[tuple[int, int], dt.date] = {}
    spans: dict[int, tuple[dt.date, dt.date]] = {}
    for (war_key, _), sub in wars.groupby(["larger_war_id", "init_war_id"]):
        # pandas-stubs types group keys as Hashable and a row's fields as any scalar; these
        # columns are numbers
        war = cast(int, war_key)
        records: list[Any] = list(sub.itertuples())
        entry = min(_day(r.year, r.month_entry, r.day_entry) for r in records)
        exit_ = max(_day(r.year, r.month_exit, r.day_exit, last=True) for r in records)
        began, ended = spans.get(war, (entry, exit_))
        spans[war] = (min(began, entry), max(ended, exit_))
        for columns, first in ((["init_ccode", "target_ccode"], principal), (named, mentioned)):
            for code in pd.unique(sub[columns].to_numpy().ravel()):
                if pd.notna(code):
                    key = (int(war), int(code))
                    first[key] = min(first.get(key, entry), entry)
    rows = [
        (war, code, principal.get((war, code), date), *spans[war])
        for (war, code), date in {**mentioned, **principal}.items()
    ]
    return pd.DataFrame(rows, columns=["war", "ccode", "entry", "began", "ended"])


def _day(year: float, month: float, day: float | None, last: bool = False) -> dt.date:
    """A date from COW/MID/ICB parts; a missing day is the month's first (or last) day."""
    y, m = int(year), int(month) if pd.notna(month) and 1 <= month <= 12 else None
    if m is None:
        return dt.date(y, 12, 31) if last else dt.date(y, 1, 1)
    days_in_month = calendar.monthrange(y, m)[1]
    if day is None or pd.isna(day) or not 1 <= day <= days_in_month:
        return dt.date(y, m, days_in_month if last else 1)
    return dt.date(y, m, int(day))


def history_disagreements(scenario: Scenario) -> list[str]:
    """Every way the scenario's ``history:`` block disagrees with the codes it names."""
    if scenario.history is None:
        return []
    problems = []
    start = dt.date.fromisoformat(scenario.start_date)
    demands = {demand.id: demand for demand in scenario.demands}
    for history in scenario.history.disputes.values():
        demand = demands[history.dispute]
        end = start + dt.timedelta(days=history.days) if history.days is not None else None
        where = f"{history.dispute}:"
        if history.mid is not None:
            problems += [f"{where} {p}" for p in _mid_problems(scenario, demand, history, end)]
        if history.icb is not None:
            problems += [f"{where} {p}" for p in _icb_problems(scenario, demand, history, end)]
        if history.cow_war is not None:
            problems += [f"{where} {p}" for p in _cow_problems(scenario, history, start, end)]
    return problems


def _ccode(scenario: Scenario, party: str) -> int | None:
    """A state's COW code, or an alliance's leader's."""
    if party in scenario.alliances:
        party = scenario.alliances[party].leader or ""
    state = scenario.states.get(party)
    return state.ccode if state is not None else None


def _mid_problems(
    scenario: Scenario, demand: DemandSpec, history: DisputeHistory, end: dt.date | None
) -> list[str]:
    rows = _mid()[_mid()["dispnum"] == history.mid]
    if rows.empty:
        return [f"MID dispute {history.mid} is not in the bundled MID file"]
    problems = []
    side_a = set(rows.loc[rows["sidea1"] == 1, "ccode1"])
    side_b = set(rows.loc[rows["sidea1"] == 0, "ccode1"])
    challenger = _ccode(scenario, demand.by)
    if challenger in side_a:
        challenger_side, target_side, flip = side_a, side_b, False
    elif challenger in side_b:
        challenger_side, target_side, flip = side_b, side_a, True
    else:
        return [f"the challenger (COW {challenger}) is on neither side of MID {history.mid}"]
    code = int(rows["outcome"].iloc[0])
    level = int(rows["hostlev"].max())
    last_year = int(rows["year"].max())
    mid_end = _day(last_year, rows["endmon"].iloc[0], None, last=True)
    if history.outcome == Outcome.WAR_ONGOING:
        if end is not None and mid_end <= end:
            problems.append(f"war_ongoing, but MID {history.mid} ended by {mid_end:%B %Y}")
    elif code not in MID_OUTCOMES:
        problems.append(f"MID {history.mid} outcome {code} has no outcome class")
    else:
        coded = MID_OUTCOMES[code]
        coded = _SWAP.get(coded, coded) if flip else coded
        if coded != history.outcome:
            problems.append(f"outcome {history.outcome}, but MID {history.mid} codes {coded}")
    if history.war != (level == 5):
        problems.append(
            f"war: {history.war}, but MID {history.mid} reached hostility level {level}"
        )
    if history.highest_level != level:
        problems.append(f"highest_level {history.highest_level}, but MID {history.mid} has {level}")
    if end is not None and history.outcome != Outcome.WAR_ONGOING and end > mid_end:
        problems.append(f"ends {end}, after MID {history.mid} ended ({mid_end:%B %Y})")
    for side, coded_side, states in (
        ("challenger", challenger_side, history.fought_challenger),
        ("target", target_side, history.fought_target),
    ):
        for state_code in states or ():
            ccode = scenario.states[state_code].ccode
            if ccode is not None and ccode not in coded_side:
                problems.append(f"{state_code} fought for the {side}, but is not on that MID side")
    return problems


def _icb_problems(
    scenario: Scenario, demand: DemandSpec, history: DisputeHistory, end: dt.date | None
) -> list[str]:
    crisis = _icb_crises()[_icb_crises()["crisno"] == history.icb]
    if crisis.empty:
        return [f"ICB crisis {history.icb} is not in the bundled ICB file"]
    actors = _icb_actors()[_icb_actors()["crisno"] == history.icb]
    target = actors[actors["cracid"] == _ccode(scenario, demand.on)]
    challenger = actors[actors["cracid"] == _ccode(scenario, demand.by)]
    if target.empty and challenger.empty:
        return [f"neither principal is an actor of ICB crisis {history.icb}"]
    problems = []
    # A crisis can hold a war that the scored dispute's principals did not fight (the October
    # War for the superpowers), so war is read from the principals' own violence (`sevvio`),
    # and a war must also be the crisis's (`viol`).
    principals_war = bool((pd.concat([target, challenger])["sevvio"] == ICB_WAR).any())
    violence = int(crisis["viol"].iloc[0])
    if history.war and violence != ICB_WAR:
        problems.append(f"war: true, but ICB {history.icb} codes violence {violence}")
    if not history.war and principals_war:
        problems.append(f"war: false, but the principals fought a war in ICB {history.icb}")
    row, flip = (target.iloc[0], False) if not target.empty else (challenger.iloc[0], True)
    terminated = _day(row["yrterm"], row["moterm"], row["daterm"], last=True)
    if history.outcome == Outcome.WAR_ONGOING:
        if end is not None and terminated <= end:
            problems.append(f"war_ongoing, but ICB {history.icb} ended on {terminated}")
        return problems
    coded = ICB_OUTCOMES.get(int(row["outcom"]))
    # The outcome classes are MID's: where a MID dispute is named, its outcome is the one the
    # block must match (MID and ICB can disagree: Berlin 1948–49 is a MID stalemate and an ICB
    # victory for the West); ICB's is checked where no MID is named.
    if history.mid is None and coded is not None:
        coded = _SWAP.get(coded, coded) if flip else coded
        mine = ICB_FROM_MODEL.get(history.outcome, history.outcome)
        if mine != coded:
            problems.append(f"outcome {history.outcome}, but ICB {history.icb} codes {coded}")
    if end is not None and (end - terminated).days > ICB_SLACK_DAYS:
        problems.append(f"ends {end}, after ICB {history.icb} ended ({terminated})")
    return problems


def _cow_problems(
    scenario: Scenario, history: DisputeHistory, start: dt.date, end: dt.date | None
) -> list[str]:
    war = war_participation()[war_participation()["war"] == history.cow_war]
    if war.empty:
        return [f"COW war {history.cow_war} is not in the bundled COW war file"]
    problems = []
    if not history.war:
        problems.append(f"war: false, but COW war {history.cow_war} is named")
    began, ended = war["began"].iloc[0], war["ended"].iloc[0]
    length = (ended - began).days
    if history.war_days is not None and abs(history.war_days - length) > 1:
        problems.append(
            f"war_days {history.war_days}, but COW war {history.cow_war} ran {began} to {ended} "
            f"({length} days)"
        )
    if end is not None and history.outcome == Outcome.WAR_ONGOING and ended <= end:
        problems.append(f"war_ongoing, but COW war {history.cow_war} ended on {ended}")
    if end is not None and history.outcome != Outcome.WAR_ONGOING and ended > end:
        problems.append(f"ends {end}, but COW war {history.cow_war} went on to {ended}")
    if end is None or history.fought_challenger is None or history.fought_target is None:
        return problems
    # Everyone in the scenario who was fighting by the end (or horizon) is listed, and no one else.
    entered = war[war["entry"] <= end].groupby("ccode")["entry"].min()
    listed = {*history.fought_challenger, *history.fought_target}
    for code, state in scenario.states.items():
        if state.ccode in entered.index and code not in listed:
            problems.append(f"{code} was fighting by {end} (COW), but is not listed in fought")
        if code in listed and state.ccode is not None and state.ccode not in entered.index:
            problems.append(f"{code} is listed in fought, but COW has it fighting only after {end}")
    return problems
