"""The calibration report of docs/model.md §10: generic dyads with real disputes' capabilities.

With default parameters, an ensemble of generic two-state disputes whose capabilities, troops
and distances are drawn from the pre-1990 MID disputes should end in war about as often as the
real disputes did and mostly in stalemate. This module reports how close the model comes; it
forces nothing. The base rates are computed from the MID file itself, at the dispute level:
the share of disputes with ``hostlev`` 5, and the share of each ``outcome`` (7 released,
8 unclear and 9 joins ongoing war counted together as "other").

A generic dispute keeps only what the draw gives (the two principals' CINC shares and troops in
the start year and the distance between their capitals); both states are non-nuclear
anocracies with no allies, the demand is half the issue and the stakes are the scenario
defaults (1 for each side), so that the report is about the model, not the case builder.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from brink.experiments.retrodiction.case_runs import CaseTask, run_case
from brink.experiments.retrodiction.cases import build_cases, state_spec
from brink.experiments.retrodiction.codes import MID_OUTCOMES, OTHER
from brink.experiments.retrodiction.data import read_records
from brink.experiments.war_durations import cow_war_days, duration_report, quartiles
from brink.scenarios.datasets import DATA_DIR
from brink.scenarios.params_file import base_params
from brink.scenarios.spec import DemandSpec, Scenario
from brink.sim.outcomes import Outcome
from brink.sim.record import OUTCOMES

MID_FILE = DATA_DIR / "gml-mid-dyadic-2.03.pre1990.csv"
KM_PER_DEGREE = 6371.0088 * math.pi / 180  # along the equator (mean Earth radius, IUGG)


def dyads(path: str | Path = MID_FILE) -> pd.DataFrame:
    """Principal dyads of a MID file: capability, troops and capital distance of each side."""
    return _dyads(str(path)).copy()


@cache
def _dyads(path: str) -> pd.DataFrame:
    cases, _ = build_cases(read_records(path))
    rows = []
    for case in cases:
        challenger = case.scenario.states[case.challenger]
        target = case.scenario.states[case.target]
        rows.append(
            {
                "case_id": case.case_id,
                "challenger_capability": challenger.capability,
                "target_capability": target.capability,
                "challenger_troops": challenger.troops,
                "target_troops": target.troops,
                "distance_km": math.expm1(case.covariates["log_distance"]),
            }
        )
    return pd.DataFrame(rows)


def generic_scenario(dyad: pd.Series, name: str) -> Scenario:
    """A two-state dispute with a dyad's capabilities, troops and distance, nothing else."""
    far = (0.0, float(dyad["distance_km"]) / KM_PER_DEGREE)  # due east along the equator
    states = {
        "CHA": state_spec(
            "CHA",
            None,
            float(dyad["challenger_capability"]),
            float(dyad["challenger_troops"]),
            (0.0, 0.0),
            False,
            name="challenger",
        ),
        "TAR": state_spec(
            "TAR",
            None,
            float(dyad["target_capability"]),
            float(dyad["target_troops"]),
            far,
            False,
            name="target",
        ),
    }
    return Scenario(
        name=name,
        description="generic dyadic dispute for the calibration report (docs/model.md §10)",
        start_date="1900-01-01",
        states=states,
        demands=(DemandSpec(id="D1", by="CHA", on="TAR", issue="generic", size=0.5),),
    )


def base_rates(path: str | Path = MID_FILE) -> dict[str, float]:
    """Dispute-level shares of war and of each outcome class in a MID file."""
    frame = read_records(path).frame.groupby("dispnum").first()
    outcome = frame["outcome"].map(MID_OUTCOMES)
    shares = {"war": float((frame["hostlev"] == 5).mean())}
    counts = outcome.fillna(OTHER).value_counts(normalize=True)
    shares.update({o: float(counts.get(o, 0.0)) for o in (*OUTCOMES, OTHER)})
    return shares


def calibration_report(
    disputes: int = 1000,
    seed: int = 0,
    horizon: int | None = None,
    path: str | Path = MID_FILE,
    params_file=None,
) -> pd.DataFrame:
    """Run ``disputes`` generic dyads once each with default parameters; compare with MID.

    Dyads are drawn with replacement from the file's disputes by a generator seeded with
    ``seed``; run *i* gets the *i*-th seed of ``SeedSequence(seed).spawn(disputes)``.

    Returns:
        One row per measure (war, then each outcome class): the model's share, the MID share,
        and their difference.
    """
    table = dyads(path)
    rng = np.random.default_rng(seed)
    drawn = table.iloc[rng.integers(0, len(table), size=disputes)].reset_index(drop=True)
    params = base_params(params_file)
    if horizon is not None:
        params = params.with_overrides({"horizon": horizon})
    children = np.random.SeedSequence(seed).spawn(disputes)
    wars = 0
    counts = dict.fromkeys(OUTCOMES, 0)
    war_days: list[float] = []
    dispute_days: list[float] = []
    challenger_wins = 0
    for i, (_, dyad) in enumerate(drawn.iterrows()):  # drawn has a RangeIndex
        run_seed = int(children[i].generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))
        task = CaseTask(f"generic {i}", generic_scenario(dyad, f"generic {i}"), (run_seed,))
        result = run_case(task, params)
        wars += result["wars"]
        war_days += result["war_days"]
        dispute_days += result["dispute_days"]
        challenger_wins += result["challenger_won_wars"]
        for outcome in OUTCOMES:
            counts[outcome] += result[f"n_{outcome}"]
    rates = base_rates(path)
    model = {"war": wars / disputes} | {o: counts[o] / disputes for o in OUTCOMES}
    model[OTHER] = 0.0  # the model's outcomes are all MID outcomes 1–6
    rows = [
        {
            "measure": key,
            "model": model[key],
            "mid": rates[key],
            "difference": model[key] - rates[key],
        }
        for key in ("war", *OUTCOMES, OTHER)
    ]
    report = pd.DataFrame(rows)
    report.attrs["wars"] = duration_report(war_days, challenger_wins)
    report.attrs["patterns"] = patterns(model, rates, dispute_days, war_days, path)
    return report


def mid_dispute_days(path: str | Path = MID_FILE) -> np.ndarray:
    """Each dispute's ``maxdur`` (days; the longest the record allows) where it is known."""
    days = read_records(path).frame.groupby("dispnum")["maxdur"].first()
    return days[days >= 0].to_numpy(dtype=float)


def patterns(
    model: dict[str, float],
    rates: dict[str, float],
    dispute_days: list[float],
    war_days: list[float],
    path: str | Path = MID_FILE,
) -> list[dict[str, float | str]]:
    """History's patterns (``../shared/design/PATTERNS.md``) beside the model's: the shares of
    war and of stalemate (MID), the quartiles of dispute length (MID ``maxdur``) and of war
    length (COW interstate wars, first entry to last exit)."""
    rows: list[dict[str, float | str]] = [
        {"name": "war_share", "model": model["war"], "history": rates["war"]},
        {
            "name": "stalemate_share",
            "model": model[Outcome.STALEMATE],
            "history": rates[Outcome.STALEMATE],
        },
    ]
    pairs = (
        ("dispute_days", quartiles(dispute_days), quartiles(mid_dispute_days(path))),
        ("war_days", quartiles(war_days), quartiles(cow_war_days())),
    )
    for name, ours, theirs in pairs:
        for q, mine, history in zip((25, 50, 75), ours, theirs, strict=True):
            rows.append({"name": f"{name}_q{q}", "model": mine, "history": history})
    return rows


def format_report(report: pd.DataFrame, disputes: int, seed: int, horizon: int) -> str:
    """The report as the lines ``brink calibrate`` prints."""
    lines = [
        f"Calibration report (docs/model.md §10): {disputes} generic dyads drawn from the pre-1990 "
        f"MID disputes, one run each, default parameters, horizon {horizon}, seed {seed}",
        f"{'measure':<20} {'model':>8} {'MID':>8} {'diff':>8}",
    ]
    for row in report.itertuples(index=False):
        lines.append(f"{row.measure:<20} {row.model:>8.1%} {row.mid:>8.1%} {row.difference:>+8.1%}")
    lines.append(
        "MID shares are dispute-level shares of the file (hostlev 5; outcome 1–6, other = 7–9)."
    )
    rows = report.attrs.get("patterns")
    if rows:
        lines += ["", f"{'pattern':<20} {'model':>8} {'history':>8}"]
        for row in rows:
            cells = [_pattern(row[key], str(row["name"])) for key in ("model", "history")]
            lines.append(f"{row['name']:<20} {cells[0]:>8} {cells[1]:>8}")
        lines.append(
            "History: MID pre-1990 shares and maxdur quartiles (dispute days), COW interstate "
            "war lengths (war days). Model dispute days run to the dispute's end or the horizon."
        )
    wars = report.attrs.get("wars")
    if wars is not None:
        lines += ["", f"{'wars':<28} {'model':>8} {'COW':>8} {'MID':>8}"]
        for row in wars.itertuples(index=False):
            if row.measure == "wars won by the challenger":
                cells = [_percent(v) for v in (row.model, row.cow, row.mid)]
            else:
                cells = [_number(v) for v in (row.model, row.cow, row.mid)]
            lines.append(f"{row.measure:<28} {cells[0]:>8} {cells[1]:>8} {cells[2]:>8}")
        lines.append(
            "Model wars last until settlement, collapse or conquest, or the horizon (a war still "
            "going counts its days so far). COW: interstate wars v4.0 (first entry to last "
            "exit); MID: war-level disputes' maxdur; who won: victory or yield of the other side."
        )
    return "\n".join(lines)


def _pattern(value: float, name: str) -> str:
    if value != value:
        return "–"
    return f"{value:.1%}" if name.endswith("_share") else f"{value:.0f}"


def report_json(report: pd.DataFrame, disputes: int, seed: int, horizon: int) -> dict:
    """The report as the JSON object ``brink calibrate --json`` prints: the settings, the
    ``patterns`` (each ``{"name", "model", "history"}``) and the outcome shares; a value the
    model cannot give (no war in any run) is null."""

    def number(value: Any) -> float | None:  # Any: a frame's float (pandas-stubs: any scalar)
        return None if value != value else float(value)

    return {
        "disputes": disputes,
        "seed": seed,
        "horizon": horizon,
        "patterns": [
            {"name": row["name"], "model": number(row["model"]), "history": number(row["history"])}
            for row in report.attrs.get("patterns", [])
        ],
        "outcomes": [
            {"name": row.measure, "model": number(row.model), "history": number(row.mid)}
            for row in report.itertuples(index=False)
        ],
    }


def _number(value: float) -> str:
    return "–" if value != value else f"{value:.0f}"


def _percent(value: float) -> str:
    return "–" if value != value else f"{value:.0%}"
