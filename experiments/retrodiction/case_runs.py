"""One case's runs: the task a worker gets, its replications counted, and their seeds.

A :class:`CaseTask` holds one case's scenario and one seed per replication; :func:`run_case`
runs them and counts wars, outcomes and levels (in a worker process); :func:`case_seeds` draws
every case's seeds from the root seed. ``brink retrodict``, the calibration report and
``brink fit`` run their cases through these.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from brink.scenarios.spec import Scenario
from brink.sim.outcomes import Outcome
from brink.sim.params import ModelParams
from brink.sim.record import OUTCOMES, mid_outcome


@dataclass(frozen=True)
class CaseTask:
    """One case's runs: its scenario and one seed per replication."""

    case_id: str
    scenario: Scenario
    seeds: tuple[int, ...]


def run_case(task: CaseTask, params: ModelParams) -> dict[str, Any]:
    """Run one case's replications; count wars, outcomes and levels (runs in a worker)."""
    from brink.sim.model import simulate
    from brink.sim.params import scenario_params

    step_days = scenario_params(task.scenario, base=params).step_days

    start = time.perf_counter()
    outcomes: Counter[str] = Counter()
    level_counts: Counter[int] = Counter()
    wars = 0
    levels = 0.0
    war_running: list[bool] = []
    war_days: list[float] = []
    challenger_wins = 0
    dispute_days: list[float] = []
    # Who fought on each side (the principals too): "who joined" is scored from these counts.
    fought: dict[str, Counter[str]] = {"challenger": Counter(), "target": Counter()}
    for run, seed in enumerate(task.seeds):
        record = simulate(task.scenario, params, seed=seed, run=run, record_steps=False)
        row = next(row for row in record.runs if row["dispute"] == "D1")
        wars += bool(row["war"])
        outcomes[mid_outcome(row["outcome"])] += 1
        levels += row["max_level"]
        level_counts[int(row["max_level"])] += 1
        dispute_days.append(float(row["duration"]) * step_days)  # steps → days
        for side in fought:
            fought[side].update(code for code in row[f"side_{side}"].split(";") if code)
        if row["war"]:
            war_days.append(float(row["war_days"]))
            war_running.append(bool(row["war_ongoing"]))
            challenger_wins += row["outcome"] in (Outcome.VICTORY_CHALLENGER, Outcome.YIELD_TARGET)
    n = len(task.seeds)
    result: dict[str, Any] = {"case_id": task.case_id, "runs": n, "wars": wars}
    result.update({f"n_{outcome}": outcomes[outcome] for outcome in OUTCOMES})
    result["mean_max_level"] = levels / n
    result.update({f"n_level_{level}": level_counts[level] for level in range(1, 6)})
    result["war_running"] = war_running
    result["war_days"] = war_days
    result["challenger_won_wars"] = challenger_wins
    result["dispute_days"] = dispute_days
    result["fought_challenger"] = dict(fought["challenger"])
    result["fought_target"] = dict(fought["target"])
    result["seconds"] = time.perf_counter() - start
    return result


def case_seeds(root: int, n_cases: int, runs: int) -> list[tuple[int, ...]]:
    """Seeds of every case's runs: case i gets ``SeedSequence(root).spawn(n)[i].spawn(runs)``.

    Seeds are 63-bit so they fit a signed 64-bit column.
    """
    cases = np.random.SeedSequence(root).spawn(n_cases)
    return [
        tuple(
            int(child.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))
            for child in case.spawn(runs)
        )
        for case in cases
    ]
