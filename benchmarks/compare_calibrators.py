"""Optuna (TPE) against pyabc (ABC-SMC) on the same small calibration, the same budget.

The problem is parameter recovery (:mod:`brink.experiments.fit.recovery`): history made by
the model with ``spiral_hazard`` and ``display_hazard`` ten times their defaults on the first
MID disputes, scored by the fit's objective with common random numbers. Each library gets the
same number of objective evaluations; the script prints, for each, the best score it found,
the parameters of its answer (Optuna: the best trial; pyabc: the last population's weighted
median) against the truth, and the wall time.

    .venv/bin/python benchmarks/compare_calibrators.py [--budget 40] [--cases 30]

pyabc is not a Brink dependency: ``uv pip install pyabc`` first (the script says so if missing).
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from brink.experiments.fit.evaluate import evaluate, objective
from brink.experiments.fit.recovery import synthetic_training
from brink.experiments.fit.study import FitSettings, prior, run_trials
from brink.scenarios.datasets import DATA_DIR
from brink.sim.params import ModelParams

FREE = ("spiral_hazard", "display_hazard")
TRUTH = {"spiral_hazard": 0.2, "display_hazard": 0.02}
HORIZON = 60


def score_of(training, values: dict[str, float]) -> float:
    params = ModelParams().with_overrides({**values, "horizon": HORIZON})
    result = evaluate(training, params)
    return objective(result.cases, result.duration_counts, training.observed_war_days)["score"]


def with_optuna(training, budget: int, seed: int) -> tuple[dict[str, float], float]:
    settings = FitSettings(
        files=[{"path": "synthetic"}],
        free=list(FREE),
        runs=training.runs,
        folds=3,
        seed=seed,
        horizon=HORIZON,
        limit=None,
    )
    with tempfile.TemporaryDirectory() as folder:
        records = run_trials(training, settings, Path(folder), budget=budget, progress=False)
    best = max(records, key=lambda r: r.score)
    return dict(best.params), best.score


def with_pyabc(training, budget: int, seed: int) -> tuple[dict[str, float], float]:
    import pyabc

    np.random.seed(seed)  # pyabc draws from numpy's global generator
    prior_distributions = {}
    for name in FREE:
        distribution = prior(name)
        prior_distributions[name] = pyabc.RV(
            "uniform", distribution.low, distribution.high - distribution.low
        )
    best = {"score": -math.inf, "params": None}

    def model(values):
        chosen = {name: float(values[name]) for name in FREE}
        score = score_of(training, chosen)
        if score > best["score"]:
            best.update(score=score, params=chosen)
        return {"score": score}

    def distance(simulated, observed):
        return observed["score"] - simulated["score"]  # the log score's shortfall from perfect

    population = max(4, budget // 5)
    abc = pyabc.ABCSMC(
        model,
        pyabc.Distribution(**prior_distributions),
        distance,
        population_size=population,
        sampler=pyabc.sampler.SingleCoreSampler(),
    )
    with tempfile.TemporaryDirectory() as folder:
        abc.new(f"sqlite:///{folder}/abc.db", {"score": 0.0})
        history = abc.run(max_total_nr_simulations=budget, max_nr_populations=10)
        frame, weights = history.get_distribution()
    answer = {
        name: float(pyabc.weighted_statistics.weighted_median(frame[name].to_numpy(), weights))
        for name in FREE
    }
    return answer, best["score"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=int, default=40, help="objective evaluations each")
    parser.add_argument("--cases", type=int, default=30, help="MID disputes (3 copies each)")
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    try:
        import pyabc  # noqa: F401
    except ImportError:
        print("pyabc is not installed: .venv/bin/python -m uv pip install pyabc", file=sys.stderr)
        return 1
    truth = ModelParams().with_overrides({**TRUTH, "horizon": HORIZON})
    training = synthetic_training(
        DATA_DIR / "gml-mid-dyadic-2.03.pre1990.csv",
        truth,
        cases=args.cases,
        copies=3,
        runs=4,
        seed=args.seed,
    )
    print(f"{len(training.cases)} synthetic cases, truth {TRUTH}, {args.budget} evaluations each")
    print(f"score at the truth: {score_of(training, TRUTH):.4f}")
    print(
        "| library | best score | " + " | ".join(FREE) + " | error (mean |log ratio|) | wall time |"
    )
    print("|---|---:|" + "---:|" * len(FREE) + "---:|---:|")
    for name, method in (("Optuna TPE", with_optuna), ("pyabc ABC-SMC", with_pyabc)):
        started = time.perf_counter()
        answer, best = method(training, args.budget, args.seed)
        seconds = time.perf_counter() - started
        error = np.mean([abs(math.log(max(answer[p], 1e-9) / TRUTH[p])) for p in FREE])
        shown = " | ".join(f"{answer[p]:.4g}" for p in FREE)
        print(f"| {name} | {best:.4f} | {shown} | {error:.2f} | {seconds:.0f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
