"""How fast one run is and how much memory an ensemble takes, against the project's targets.

    .venv/bin/python benchmarks/bench_model.py [--repeats 20] [--scenario black_sea_2022]

Measures (1) the median wall time of one whole run (180 days) of the scenario on one core, over
``--repeats`` runs with different seeds, after one warm-up run; target ≤ 100 ms — both as the
scenario stands and with a war forced to last the whole horizon (``WAR_ALL_HORIZON``: the
standoff slides into war within days, no offer is ever made, the front never moves, no side
breaks; runs in which the challenger backed down first are not counted). (2) The peak
resident memory of ``brink run SCENARIO --runs 1000`` and of ``--runs 250``, each in a fresh
child process (``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` read by a wrapper process that
starts nothing else); target < 1 GB, and flat in the number of runs (the 1000-run peak within
25 % of the 250-run peak). Prints one line per measurement; exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ONE_RUN_TARGET_S = 0.100
#: ``--set`` values under which black_sea_2022's war over Ukraine, once begun, lasts to the end.
WAR_ALL_HORIZON = {
    "precision": 0.0,
    "display_hazard": 0.2,
    "spiral_hazard": 0.5,
    "offer_rate": 0.0,
    "advance_rate": 0.0,
    "break_point": 0.9,
}
MEMORY_TARGET_MB = 1024.0
FLAT_TOLERANCE = 1.25  # the 1000-run peak may exceed the 250-run peak by at most 25 %

# Runs `brink run ...` as its only child and prints that child's peak resident set size in KiB
# (Linux reports ru_maxrss in KiB).
_WRAPPER = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def time_one_run(
    scenario_name: str, repeats: int, horizon: int, overrides: dict | None = None
) -> list[float]:
    """Wall times in seconds of ``repeats`` whole runs, one after another in this process.

    With ``overrides`` (a forced war) only runs in which a war was still being fought at the
    horizon count, and seeds are drawn until ``repeats`` such runs were timed.
    """
    from brink.scenarios.loader import load_scenario
    from brink.sim.model import simulate
    from brink.sim.params import scenario_params
    from brink.sim.seeds import spawn_seeds

    scenario = load_scenario(scenario_name)
    params = scenario_params(scenario, {"horizon": horizon, **(overrides or {})})
    seeds = spawn_seeds(20260101, 50 * (repeats + 1))
    simulate(scenario, params, seeds[0], run=0)  # warm-up: first-call costs are not a run's
    times = []
    for run, seed in enumerate(seeds[1:], start=1):
        start = time.perf_counter()
        record = simulate(scenario, params, seed, run=run)
        seconds = time.perf_counter() - start
        if overrides and not any(row["war_ongoing"] for row in record.runs):
            continue
        times.append(seconds)
        if len(times) == repeats:
            break
    return times


def peak_memory_mb(
    scenario_name: str, runs: int, jobs: int = 1, overrides: dict | None = None
) -> tuple[float, float]:
    """Peak resident memory (MB) and wall time (s) of ``brink run SCENARIO --runs N``."""
    settings = [f"--set={name}={value}" for name, value in (overrides or {}).items()]
    with tempfile.TemporaryDirectory() as directory:
        command = [
            sys.executable,
            "-c",
            _WRAPPER,
            sys.executable,
            "-m",
            "brink",
            "run",
            scenario_name,
            "--runs",
            str(runs),
            "--seed",
            "1",
            "--jobs",
            str(jobs),
            "--out",
            str(Path(directory) / "out"),
            "--no-progress",
            *settings,
        ]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        seconds = time.perf_counter() - start
    return int(done.stdout.split()[-1]) / 1024.0, seconds


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return 0 when every target is met, 1 otherwise."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="black_sea_2022")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--horizon", type=int, default=180)
    parser.add_argument("--skip-memory", action="store_true", help="only time one run")
    args = parser.parse_args(argv)

    ok = True
    for label, overrides in (("as it stands", None), ("a war the whole horizon", WAR_ALL_HORIZON)):
        times = time_one_run(args.scenario, max(args.repeats, 1), args.horizon, overrides)
        median = statistics.median(times)
        met = median <= ONE_RUN_TARGET_S
        ok &= met
        print(
            f"one run of {args.scenario}, {label} ({args.horizon} days, one core): median "
            f"{median * 1000:.1f} ms over {len(times)} runs (min {min(times) * 1000:.1f}, max "
            f"{max(times) * 1000:.1f}); target ≤ {ONE_RUN_TARGET_S * 1000:.0f} ms: "
            f"{'met' if met else 'MISSED'}"
        )
    if args.skip_memory:
        return 0 if ok else 1
    peaks = {}
    for runs in (250, 1000):
        # with the war forced, so the fronts table is as large as it gets
        peak, seconds = peak_memory_mb(args.scenario, runs, overrides=WAR_ALL_HORIZON)
        peaks[runs] = peak
        met = peak < MEMORY_TARGET_MB
        ok &= met
        print(
            f"brink run {args.scenario} --runs {runs}, war forced: peak resident memory "
            f"{peak:.0f} MB "
            f"({seconds:.1f} s wall); target < {MEMORY_TARGET_MB:.0f} MB: "
            f"{'met' if met else 'MISSED'}"
        )
    ratio = peaks[1000] / peaks[250]
    flat = ratio <= FLAT_TOLERANCE
    ok &= flat
    print(
        f"memory growth from 250 to 1000 runs: ×{ratio:.2f}; target flat (≤ ×{FLAT_TOLERANCE}): "
        f"{'met' if flat else 'MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
