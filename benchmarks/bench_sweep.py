"""One sweep of the crisis model through ``brink sweep`` and through ``mesa.batch_run``.

Both run the same full-factorial design (US troops in Romania × NATO's reliability, on the
``black_sea_2022`` scenario), the same replications with the same seeds, on 1 and on 2 worker
processes. Each variant runs in a fresh child process, so its time includes starting its
workers and its memory is its own. Printed per variant: runs per second (wall clock, start of
the call to its return), the driver's peak resident memory (where results pile up) and the
largest worker's peak; then the parallel efficiency of 2 workers against 1,
``T(1) / (2 · T(2))``. The brink variant's clock includes importing brink (its process imports
nothing else before); the batch_run variant imports Mesa and the model before its clock starts,
as a user of batch_run already has them imported. The variants run ``--repeats`` rounds, since
a shared two-core machine has slow spells: the ratios judged are medians of the rounds' ratios,
each taken between runs that ran back to back.

    .venv/bin/python benchmarks/bench_sweep.py [--replications R] [--horizon H] [--repeats N]

Targets (issue 4): at least batch_run's throughput, at a fraction of its memory, and a
parallel efficiency of 80 % or better.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TROOPS = (0.0, 1.0, 3.0, 10.0)  # thousands: US troops in Romania
RELIABILITY = (0.5, 1.0)  # NATO's reliability
ROOT_SEED = 20220124

EXPERIMENT = """\
name: bench
scenario: black_sea_2022
seed: {seed}
replications: {replications}
horizon: {horizon}
design: {{kind: factorial}}
factors:
  deployments.usa_in_romania.troops: {{levels: {troops}}}
  alliances.NATO.reliability: {{levels: {reliability}}}
outcomes:
  war: {{kind: war}}
  force_on_nato: {{kind: force, by: RUS, against: NATO}}
"""


def run_mesa(jobs: int, replications: int, horizon: int) -> int:
    import mesa
    from sweep_batch import BatchCrisis

    from brink.sim.seeds import spawn_seeds

    results = mesa.batch_run(
        BatchCrisis,
        parameters={"troops": list(TROOPS), "reliability": list(RELIABILITY), "horizon": horizon},
        number_processes=jobs,
        rng=spawn_seeds(ROOT_SEED, replications),
        max_steps=horizon + 1,
        display_progress=False,
    )
    return len(results)


def run_brink(jobs: int, replications: int, horizon: int) -> int:
    from brink.cli import main as brink

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.yaml"
        path.write_text(
            EXPERIMENT.format(
                seed=ROOT_SEED,
                replications=replications,
                horizon=horizon,
                troops=list(TROOPS),
                reliability=list(RELIABILITY),
            ),
            encoding="utf-8",
        )
        code = brink(
            ["sweep", str(path), "--out", f"{folder}/out", "--jobs", str(jobs), "--no-progress"]
        )
        if code != 0:
            raise SystemExit(f"brink sweep failed with status {code}")
        from brink.experiments.sweep import shards

        return len(shards.completed(Path(folder) / "out"))  # runs, from the shards' names


def own_peak_mib() -> float:
    """This process's peak resident memory since it started its program, in MiB.

    Read from ``VmHWM`` in /proc/self/status, which belongs to the program's own address space:
    ``ru_maxrss`` keeps the high-water mark of the process it was forked from before ``exec``,
    so a child started by a parent holding pandas and Mesa would report their memory as its own.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(variant: str, jobs: int, replications: int, horizon: int) -> None:
    """Run one variant in this (fresh) process and print its measures as JSON."""
    runner = {"brink": run_brink, "mesa": run_mesa}[variant]
    if variant == "mesa":
        import sweep_batch  # noqa: F401 (Mesa and the model, imported before the clock starts)
    start = time.perf_counter()
    runs = runner(jobs, replications, horizon)
    seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "variant": variant,
                "jobs": jobs,
                "runs": runs,
                "seconds": seconds,
                "driver_mib": own_peak_mib(),
                # Linux reports ru_maxrss in KiB
                "worker_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            }
        )
    )


def measure(variant: str, jobs: int, replications: int, horizon: int) -> dict:
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            variant,
            "--jobs",
            str(jobs),
            "--replications",
            str(replications),
            "--horizon",
            str(horizon),
        ],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"{variant} with {jobs} workers failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=100, help="runs per design point")
    parser.add_argument("--horizon", type=int, default=90, help="steps per run")
    parser.add_argument(
        "--repeats", type=int, default=5, help="times each variant runs (the median is judged)"
    )
    parser.add_argument("--child", choices=("brink", "mesa"), help=argparse.SUPPRESS)
    parser.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.jobs, args.replications, args.horizon)
        return 0

    points = len(TROOPS) * len(RELIABILITY)
    total = points * args.replications
    print(
        f"sweep: black_sea_2022, {points} points × {args.replications} replications = "
        f"{total} runs, horizon {args.horizon}"
    )
    print(
        f"{'variant':<22}{'workers':>8}{'runs':>6}{'seconds':>9}{'runs/s':>8}"
        f"{'driver MiB':>12}{'worker MiB':>12}{'seconds, all':>14}"
    )
    # The variants run --repeats rounds. Within a round the runs whose times are compared run
    # back to back (brink on 1 worker, brink on 2, batch_run on 2, batch_run on 1), so a slow
    # spell of a shared machine falls on both sides of a ratio; each ratio is the median of the
    # rounds' ratios, and the table shows each variant's median run and the range of its runs.
    order = (("brink", 1), ("brink", 2), ("mesa", 2), ("mesa", 1))
    rounds = [
        {key: measure(key[0], key[1], args.replications, args.horizon) for key in order}
        for _ in range(args.repeats)
    ]
    for variant, name in (("brink", "brink sweep"), ("mesa", "mesa.batch_run")):
        for jobs in (1, 2):
            results = sorted((r[variant, jobs] for r in rounds), key=lambda r: r["seconds"])
            result = results[len(results) // 2]  # the median run
            spread = f"{results[0]['seconds']:.2f}–{results[-1]['seconds']:.2f}"
            print(
                f"{name:<22}{jobs:>8}{result['runs']:>6}{result['seconds']:>9.2f}"
                f"{result['runs'] / result['seconds']:>8.1f}{result['driver_mib']:>12.0f}"
                f"{result['worker_mib']:>12.0f}{spread:>14}"
            )

    def median_ratio(ratio) -> float:
        return statistics.median(ratio(r) for r in rounds)

    efficiency = {
        variant: median_ratio(lambda r, v=variant: r[v, 1]["seconds"] / (2 * r[v, 2]["seconds"]))
        for variant in ("brink", "mesa")
    }
    for variant, name in (("brink", "brink sweep"), ("mesa", "mesa.batch_run")):
        print(f"parallel efficiency of 2 workers, {name}: {efficiency[variant]:.0%}")
    ratio = median_ratio(lambda r: r["mesa", 2]["seconds"] / r["brink", 2]["seconds"])
    print(f"throughput of brink sweep / batch_run with 2 workers: {ratio:.2f}")
    # Issue 4's targets, judged here in the same run: at least batch_run's throughput (same
    # workers), a fraction of its memory (the driver, where results pile up), and a parallel
    # efficiency of 80 % or better.
    memory_ratio = max(r["brink", j]["driver_mib"] for r in rounds for j in (1, 2)) / min(
        r["mesa", j]["driver_mib"] for r in rounds for j in (1, 2)
    )
    verdicts = {
        "throughput ≥ batch_run's with 2 workers": ratio >= 1.0,
        f"driver memory a fraction of batch_run's (ratio {memory_ratio:.2f} < 1)": (
            memory_ratio < 1.0
        ),
        f"parallel efficiency ≥ 80 % ({efficiency['brink']:.0%})": efficiency["brink"] >= 0.8,
    }
    for target, met in verdicts.items():
        print(f"target {target}: {'met' if met else 'MISSED'}")
    return 0 if all(verdicts.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
