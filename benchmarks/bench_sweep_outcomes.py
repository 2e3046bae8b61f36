"""A sweep's driver memory with number and series outcomes, against yes/no outcomes only, at
two sizes (issue 16): the driver keeps only which runs are done, so its peak must stay flat in
the number of runs whatever each run reports.

Four variants, each ``brink sweep`` in a fresh child process (its peak is its own, read from
``VmHWM``): yes/no outcomes only (the baseline) and yes/no + number + series outcomes (war,
casualties, duration, first step of force, the hostility level by step), each at R and 4·R
replications of the same 8-point factorial design of ``baltic_tripwire``, on 2 workers.

    .venv/bin/python benchmarks/bench_sweep_outcomes.py [--replications R]

Targets: the driver's peak at 4·R runs is within 5 % (plus 2 MiB) of its peak at R runs, for
each set of outcomes; and with number and series outcomes it is within 5 % (plus 2 MiB) of the
yes/no baseline's at the same size.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPERIMENT = """\
name: bench_outcomes
scenario: baltic_tripwire
seed: 7
replications: {replications}
design: {{kind: factorial}}
levers:
  deployments.tripwire_gbr.troops: {{levels: [0, 0.9, 3, 10]}}
  alliances.NATO.members.EST: {{levels: [true, false]}}
outcomes:
  war: {{kind: war}}
  force: {{kind: force, by: RUS}}
{extra}"""
RICH = """\
  casualties: {kind: casualties}
  duration: {kind: duration}
  first_force: {kind: first_force, by: RUS}
  hostility: {kind: hostility}
"""
POINTS = 8


def child(outcomes: str, replications: int) -> None:
    """Run one sweep in this (fresh) process; print its runs, seconds and driver peak."""
    sys.path.insert(0, str(HERE))
    from bench_sweep import own_peak_mib

    from brink.cli import main as brink

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.yaml"
        extra = RICH if outcomes == "rich" else ""
        path.write_text(EXPERIMENT.format(replications=replications, extra=extra), "utf-8")
        start = time.perf_counter()
        code = brink(["sweep", str(path), "--out", f"{folder}/out", "--jobs", "2", "--no-progress"])
        seconds = time.perf_counter() - start
        peak = own_peak_mib()  # the sweep's; reading the shards below is not the driver's work
        if code != 0:
            raise SystemExit(f"brink sweep failed with status {code}")
        from brink.experiments.sweep import shards

        runs = len(shards.completed(Path(folder) / "out"))
        series = None
        if outcomes == "rich":  # the series is really there, one value per step of each run
            frame = shards.read_shards(Path(folder) / "out", columns=["y.hostility"])
            series = int(frame["y.hostility"].map(len).min())
    print(
        json.dumps(
            {
                "runs": runs,
                "seconds": seconds,
                "driver_mib": peak,
                "series_length": series,
            }
        )
    )


def measure(outcomes: str, replications: int) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", outcomes, "--replications", str(replications)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"{outcomes} × {replications} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=50, help="R: runs per point")
    parser.add_argument("--child", choices=("binary", "rich"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.replications)
        return 0

    sizes = (args.replications, 4 * args.replications)
    print(f"sweep: baltic_tripwire, {POINTS} points, 2 workers; R = {sizes[0]}, 4·R = {sizes[1]}")
    print(f"{'outcomes':<34}{'runs':>7}{'seconds':>9}{'driver MiB':>12}{'series steps':>14}")
    results = {}
    names = {"binary": "yes/no only (baseline)", "rich": "yes/no + numbers + series"}
    for outcomes in ("binary", "rich"):
        for size in sizes:
            result = measure(outcomes, size)
            results[outcomes, size] = result
            print(
                f"{names[outcomes]:<34}{result['runs']:>7}{result['seconds']:>9.2f}"
                f"{result['driver_mib']:>12.1f}{result['series_length'] or '':>14}"
            )

    def close(a: float, b: float) -> bool:
        return a <= 1.05 * b + 2.0

    small, large = sizes
    verdicts = {}
    for outcomes in ("binary", "rich"):
        a, b = results[outcomes, large]["driver_mib"], results[outcomes, small]["driver_mib"]
        verdicts[
            f"{names[outcomes]}: driver flat from {small} to {large} runs per point "
            f"({b:.1f} → {a:.1f} MiB)"
        ] = close(a, b)
    rich, base = results["rich", large]["driver_mib"], results["binary", large]["driver_mib"]
    verdicts[f"numbers and series cost the driver nothing ({rich:.1f} vs {base:.1f} MiB)"] = close(
        rich, base
    )
    for target, met in verdicts.items():
        print(f"target {target}: {'met' if met else 'MISSED'}")
    return 0 if all(verdicts.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
