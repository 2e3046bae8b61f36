"""The casebook: run every historical case through the ensemble runner and score it.

A casebook case is a bundled scenario with a ``history:`` block (what really happened, which the
model never reads): every file under ``scenarios/history/`` and the founding scenario
``black_sea_2022``. Each case runs ``R`` times with the root seed ``S`` through the same runner
and parameters as ``brink run CASE --runs R --seed S`` (so any row of the report can be
reproduced alone), with a ``--params`` fit, when given, applied unchanged (beneath each
scenario's own ``parameters:``, as ``brink run`` layers them). No case file is tuned to its
outcome: each holds only what its sources said on its start date.

Per case and scored dispute, the report holds the model's probability of each outcome class
beside what happened, the log score of what happened (:mod:`.scores`), whether it was
among the two likeliest classes, who fought on which side in the model against who really
fought, and the war's length in the model against the real one; and the total log score beside
that of a base-rate forecaster (the MID outcome shares).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from brink.errors import BrinkInputError, Location
from brink.experiments.casebook.scores import (
    among_two_likeliest,
    base_rate,
    log_score,
    outcome_counts,
    shares,
    smoothed,
)
from brink.experiments.ensemble.tables import side_table
from brink.scenarios.history import MIDS_FILE
from brink.scenarios.params_file import ParamsFile
from brink.scenarios.rule_specs import with_rules
from brink.scenarios.spec import DisputeHistory, History, RuleSpec, Scenario
from brink.sim.params import ModelParams
from brink.sim.record import RUN_OUTCOMES

#: The bundled folder of casebook scenarios, and the cases kept elsewhere (much depends on
#: ``black_sea_2022`` staying where it is).
CASEBOOK_FOLDER = "history"
CASES_ELSEWHERE = ("black_sea_2022",)
MID_CITATION = (
    "Gibler, Miller & Little (2016), GML MID dyadic v2.03, disputes begun before 1990 "
    "(data/gml-mid-dyadic-2.03.pre1990.csv)"
)


def casebook_names() -> list[str]:
    """The bundled names of the casebook's scenarios, in order of their start dates."""
    from brink.scenarios.loader import bundled_scenarios, load_scenario

    bundled = bundled_scenarios()
    names = [n for n in bundled if n.startswith(CASEBOOK_FOLDER + "/")]
    names += [n for n in CASES_ELSEWHERE if n in bundled]
    return sorted(names, key=lambda name: (load_scenario(name).start_date, name))


def load_case(name: str) -> Scenario:
    """A casebook scenario, refused with a located error if it has no ``history:`` block."""
    from brink.scenarios.loader import load_scenario

    scenario = load_scenario(name)
    if scenario.history is None:
        raise BrinkInputError(
            "has no history: block, so the casebook cannot score it (see scenarios/REFERENCE.md)",
            Location(file=scenario.path or name),
        )
    return scenario


def case_history(scenario: Scenario) -> History:
    """A casebook scenario's ``history:`` block, which every case has (load_case checks it)."""
    if scenario.history is None:
        raise ValueError(f"{scenario.name}: a casebook case without a history block")
    return scenario.history


def user_case(path: str) -> Scenario:
    """A user's casebook file, checked as the bundled cases are: it loads, has a ``history:``
    block, and the block agrees with the MID, ICB and COW codes it names.

    Raises:
        BrinkInputError: the first mistake, at its line (a disagreement at its dispute's entry).
    """
    from brink.experiments.casebook.checks import history_disagreements
    from brink.scenarios.document_keys import SCENARIO
    from brink.scenarios.key_reader import KeyReader
    from brink.scenarios.located_yaml import compose_bounded, read_bounded

    scenario = load_case(path)
    problems = history_disagreements(scenario)
    if not problems:
        return scenario
    dispute, problem = problems[0].split(": ", 1)
    reader = KeyReader(path)
    node = compose_bounded(read_bounded(Path(path), "a scenario"), path)
    if node is not None:  # None only for an empty file, which load_case has refused
        reader.read(node, SCENARIO, "")
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    raise BrinkInputError(
        f"{problem}{more}; the history: block must agree with the codes it names, or leave the "
        "code out",
        reader.where(f"history.disputes.{dispute}", at_key=True),
    )


# -- one case and dispute --------------------------------------------------------------------


def dispute_row(
    case: str,
    scenario: Scenario,
    params: ModelParams,
    history: DisputeHistory,
    runs: pd.DataFrame,
    base: Mapping[str, float],
) -> dict[str, Any]:
    """One row of the casebook table: the model's forecast of one dispute beside history."""
    mine = runs[runs["dispute"] == history.dispute]
    counts = outcome_counts(mine["outcome"])
    raw = shares(counts)
    probability = smoothed(counts)
    real = history.outcome
    wars = mine[mine["war"].astype(bool)]
    war_days = wars["war_days"].astype(float)
    row: dict[str, Any] = {
        "case": case,
        "dispute": history.dispute,
        "start": scenario.start_date,
        "horizon_days": params.horizon * params.step_days,
        "challenger": mine["challenger"].iloc[0] if len(mine) else "",
        "target": mine["target"].iloc[0] if len(mine) else "",
        "runs": len(mine),
        **{f"p_{outcome}": raw[outcome] for outcome in RUN_OUTCOMES},
        "real_outcome": real,
        "p_real": raw[real],
        "p_real_smoothed": probability[real],
        "log_score": log_score(probability, real),
        "base_rate_p_real": base[real],
        "base_rate_log_score": log_score(base, real),
        "in_two_likeliest": among_two_likeliest(raw, real),
        "model_likeliest": max(
            RUN_OUTCOMES, key=lambda o: (probability[o], -RUN_OUTCOMES.index(o))
        ),
        "p_war": float(mine["war"].astype(bool).mean()) if len(mine) else math.nan,
        "real_war": history.war,
        "model_max_level_median": float(mine["max_level"].median()) if len(mine) else math.nan,
        "real_highest_level": history.highest_level,
        "days_median": float(mine["duration"].median() * params.step_days)
        if len(mine)
        else math.nan,
        "real_days": history.days,
        "war_days_q1": _quantile(war_days, 0.25),
        "war_days_median": _quantile(war_days, 0.5),
        "war_days_q3": _quantile(war_days, 0.75),
        "real_war_days": history.war_days,
        "joined_challenger": _joined(mine, "challenger"),
        "joined_target": _joined(mine, "target"),
        "real_challenger": _codes(history.fought_challenger),
        "real_target": _codes(history.fought_target),
        "mid": history.mid,
        "icb": history.icb,
        "cow_war": history.cow_war,
    }
    return row


def _quantile(values: pd.Series, q: float) -> float:
    return float(values.quantile(q)) if len(values) else math.nan


def _joined(runs: pd.DataFrame, side: str) -> str:
    """``RUS 100 %; BLR 3 %``: the share of runs in which each state fought on ``side``."""
    table = side_table(runs)
    table = table[table["side"] == side].sort_values(["share", "state"], ascending=[False, True])
    return "; ".join(
        f"{row.state} {row.share:.0%}".replace("%", " %") for row in table.itertuples()
    )


def _codes(codes: tuple[str, ...] | None) -> str | None:
    return None if codes is None else "; ".join(codes)


def side_rows(case: str, history: DisputeHistory, runs: pd.DataFrame) -> list[dict[str, Any]]:
    """Who fought, state by state: the model's share of runs on each side and the real side."""
    mine = runs[runs["dispute"] == history.dispute]
    table = side_table(mine)
    real = {code: "challenger" for code in history.fought_challenger or ()}
    real |= {code: "target" for code in history.fought_target or ()}
    states = sorted(set(table["state"]) | set(real))
    rows = []
    for state in states:
        of_state = table[table["state"] == state].set_index("side")["share"]
        rows.append(
            {
                "case": case,
                "dispute": history.dispute,
                "state": state,
                "model_challenger": float(of_state.get("challenger", 0.0)),
                "model_target": float(of_state.get("target", 0.0)),
                "real_side": real.get(state, "none" if history.fought_target is not None else None),
            }
        )
    return rows


# -- the whole casebook ----------------------------------------------------------------------


@dataclass
class CaseRun:
    """One case's ensemble, as the report needs it."""

    name: str
    scenario: Scenario
    params: ModelParams
    runs: pd.DataFrame
    seconds: float


@dataclass
class Casebook:
    """The scored casebook: one row per case and dispute, and who fought, state by state."""

    table: pd.DataFrame
    sides: pd.DataFrame
    base: dict[str, float]
    cases: list[CaseRun] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, float]:
        """Total log scores of the model and of the base rate, and the two-likeliest count."""
        return {
            "disputes": len(self.table),
            "log_score": float(self.table["log_score"].sum()),
            "base_rate_log_score": float(self.table["base_rate_log_score"].sum()),
            "in_two_likeliest": int(self.table["in_two_likeliest"].sum()),
        }


def score_cases(cases: list[CaseRun], base: Mapping[str, float]) -> Casebook:
    """Score every scored dispute of every case (pure: no model runs here)."""
    rows, sides = [], []
    for case in cases:
        for history in case_history(case.scenario).disputes.values():
            rows.append(
                dispute_row(case.name, case.scenario, case.params, history, case.runs, base)
            )
            sides.extend(side_rows(case.name, history, case.runs))
    return Casebook(
        table=pd.DataFrame(rows),
        sides=pd.DataFrame(
            sides,
            columns=["case", "dispute", "state", "model_challenger", "model_target", "real_side"],
        ),
        base=dict(base),
        cases=cases,
    )


def mid_base_rate() -> dict[str, float]:
    """The base-rate forecast from the bundled MID file (see :mod:`.scores`)."""
    return base_rate(pd.read_csv(MIDS_FILE, usecols=["dispnum", "outcome"]))


def run_case(
    name: str,
    *,
    runs: int,
    seed: int,
    jobs: int,
    directory: Path,
    params_file: ParamsFile | None = None,
    progress: bool = False,
    rules: tuple[RuleSpec, ...] = (),
) -> CaseRun:
    """Run one case ``runs`` times through the ensemble runner, its tables into ``directory``.

    Parameters as ``brink run CASE --params FILE`` resolves them: defaults ← the params file
    (unchanged) ← the case's own ``parameters:``.
    """
    from brink.experiments.ensemble.replications import run_ensemble
    from brink.experiments.ensemble.runner import resolve_params

    scenario = with_rules(load_case(name), rules, cases=True)
    params = resolve_params(scenario, params_file, where="command line")
    directory.mkdir(parents=True, exist_ok=True)
    clock = time.perf_counter()
    result = run_ensemble(
        scenario,
        params,
        runs=runs,
        directory=directory,
        root_seed=seed,
        jobs=jobs,
        fmt="parquet",
        progress=progress,
    )
    return CaseRun(name, scenario, params, result.runs, time.perf_counter() - clock)


def case_folder(name: str) -> str:
    """The folder of a case's tables: ``munich_1938`` for ``history/munich_1938`` and for
    ``my/munich_1938.yaml``."""
    return Path(name).name.removesuffix(".yaml")


def run_casebook(
    names: list[str],
    *,
    runs: int,
    seed: int,
    jobs: int,
    directory: Path,
    params_file: ParamsFile | None = None,
    progress: bool = False,
    on_case: Callable[[CaseRun], None] | None = None,
    rules: tuple[RuleSpec, ...] = (),
) -> Casebook:
    """Run and score the cases; each case's tables go to ``directory/cases/NAME``."""
    cases = []
    for name in names:
        case = run_case(
            name,
            runs=runs,
            seed=seed,
            jobs=jobs,
            directory=directory / "cases" / case_folder(name),
            params_file=params_file,
            progress=progress,
            rules=rules,
        )
        cases.append(case)
        if on_case is not None:
            on_case(case)
    return score_cases(cases, mid_base_rate())
