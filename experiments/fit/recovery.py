"""Cases whose "history" the model itself wrote, for parameter recovery.

Simulation-based calibration's first check (Cook, Gelman & Rubin 2006; Talts et al. 2018): make
history with known parameters, fit, and see whether the fit finds them. Each real case keeps its
states, alliances and demand; what happened (war, outcome, hostility level, the dispute's
length) is replaced by one run of the model with the true parameters, ``copies`` times with
different seeds.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from brink.experiments.fit.evaluate import TrainingSet, training_set
from brink.experiments.retrodiction.case_runs import CaseTask, case_seeds, run_case
from brink.sim.params import ModelParams
from brink.sim.record import OUTCOMES


def synthetic_training(
    path: str | Path,
    truth: ModelParams,
    *,
    cases: int,
    copies: int,
    runs: int,
    seed: int,
    k_folds: int = 3,
) -> TrainingSet:
    """The first ``cases`` cases of ``path``, each ``copies`` times, with model-made outcomes."""
    base = training_set([str(path)], runs=runs, k_folds=k_folds, seed=seed, limit=cases)
    made = []
    seeds = case_seeds(seed + 99, len(base.cases) * copies, 1)
    for index, case in enumerate(base.cases * copies):
        result = run_case(CaseTask(case.case_id, case.scenario, seeds[index]), truth)
        made.append(
            replace(
                case,
                case_id=f"{case.case_id} copy {index}",
                war=bool(result["wars"]),
                outcome=next(o for o in OUTCOMES if result[f"n_{o}"]),
                level=next(lv for lv in range(1, 6) if result[f"n_level_{lv}"]),
                days=result["dispute_days"][0],  # the dispute's length is scored too
            )
        )
    n = len(made)
    return replace(
        base,
        cases=tuple(made),
        file_index=np.zeros(n, dtype=int),
        fold=np.arange(n) % k_folds,
        seeds=tuple(case_seeds(seed, n, runs)),
    )
