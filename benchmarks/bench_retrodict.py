"""How long a retrodiction of the whole pre-1990 MID file takes, against the issue's target.

    .venv/bin/python benchmarks/bench_retrodict.py [--runs 20] [--jobs 2] [--limit N]

Runs ``retrodict`` on ``data/gml-mid-dyadic-2.03.pre1990.csv`` (1,638 disputes) with ``--runs``
runs per dispute on ``--jobs`` worker processes, exactly as ``brink retrodict`` does (reading,
case building, simulation, baselines, scores, figure), and prints the wall time; target: under
15 minutes with 20 runs per dispute and 2 jobs. With ``--limit N`` only the first N disputes are
run and the full-file time is extrapolated linearly from the simulation time per dispute
(plus the measured fixed costs); the line printed says so. Exits 1 if the (measured or
extrapolated) time misses the target.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time

from brink.experiments.retrodiction.calibration import MID_FILE
from brink.experiments.retrodiction.run import retrodict

TARGET_S = 15 * 60
DISPUTES = 1638


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--limit", type=int, help="first N disputes only; extrapolate")
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--horizon", type=int, help="steps per run (default: the model's)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        result = retrodict(
            MID_FILE,
            runs=args.runs,
            jobs=args.jobs,
            out=out,
            seed=args.seed,
            horizon=args.horizon,
            limit=args.limit,
        )
        wall = time.perf_counter() - start
    cases = len(result.cases) + len(result.skipped)
    runs = len(result.cases) * args.runs
    print(
        f"retrodict MID pre-1990: {cases} disputes x {args.runs} runs, {args.jobs} jobs: "
        f"{wall:.1f} s wall ({result.simulate_seconds:.1f} s simulating, "
        f"{1000 * result.simulate_seconds / max(runs, 1):.2f} ms per run per machine)"
    )
    estimate = wall
    if cases < DISPUTES:
        fixed = wall - result.simulate_seconds
        estimate = fixed + result.simulate_seconds * DISPUTES / cases
        print(
            f"EXTRAPOLATED (not measured) to all {DISPUTES} disputes: {estimate:.0f} s "
            f"(simulation time scaled by {DISPUTES}/{cases}, fixed costs {fixed:.1f} s)"
        )
    verdict = "meets" if estimate < TARGET_S else "MISSES"
    print(f"target {TARGET_S} s: {verdict} ({estimate:.0f} s)")
    scores = result.scores.set_index("forecaster")["war_brier"]
    print("war Brier: " + ", ".join(f"{name} {value:.4f}" for name, value in scores.items()))
    return 0 if estimate < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
