"""How long one evaluation of the fit's objective takes, against issue 12's target.

    .venv/bin/python benchmarks/bench_fit.py [--runs 20] [--jobs 2] [--limit N]

One trial of ``brink fit``: every dispute of ``data/gml-mid-dyadic-2.03.pre1990.csv`` (1,638)
run ``--runs`` times with the default parameters on ``--jobs`` worker processes, exactly as a
trial runs them (batches of cases, counts back), and scored. Target: at most 60 s with 20 runs a
case on two cores. It also prints the CPU seconds per run, from which the length of a whole fit
follows (trials × cases × runs × CPU per run ÷ cores); the named baseline is the same
evaluation's target. With ``--limit N`` only the first N disputes are run and the time is
extrapolated per case (said so). Exits 1 if the target is missed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from brink.experiments.executors import make_runner
from brink.experiments.fit.evaluate import evaluate, objective, training_set
from brink.scenarios.datasets import DATA_DIR
from brink.sim.params import ModelParams

TARGET_S = 60.0
DISPUTES = 1638


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--limit", type=int, help="first N disputes only; extrapolate")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    training = training_set(
        [str(DATA_DIR / "gml-mid-dyadic-2.03.pre1990.csv")],
        runs=args.runs,
        k_folds=5,
        seed=args.seed,
        limit=args.limit,
    )
    runner = make_runner(jobs=args.jobs)
    try:
        evaluate(training, ModelParams(), runner) if args.limit else None  # warm the workers
        started = time.perf_counter()
        result = evaluate(training, ModelParams(), runner)
        seconds = time.perf_counter() - started
    finally:
        runner.close()
    score = objective(result.cases, result.duration_counts, training.observed_war_days)["score"]
    cases = len(training.cases)
    full = seconds * DISPUTES / cases
    runs = cases * args.runs
    load = os.getloadavg()[0]
    print(
        f"objective evaluation: {cases} disputes × {args.runs} runs on {args.jobs} jobs in "
        f"{seconds:.1f} s (score {score:.4f}; {2 * seconds / runs * 1000:.1f} ms of wall × "
        f"cores per run; load average {load:.1f})"
    )
    verdict = "met" if full <= TARGET_S else "missed"
    shown = f"{full:.1f} s" + ("" if cases == DISPUTES else f" (extrapolated from {cases})")
    print(f"bench_fit: whole MID file {shown} against ≤ {TARGET_S:.0f} s: {verdict}")
    return 0 if verdict == "met" else 1


if __name__ == "__main__":
    sys.exit(main())
