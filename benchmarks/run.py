"""Every benchmark of the project in one command, each against its named target.

    .venv/bin/python benchmarks/run.py [--only model,sweep,outcomes,view,retrodict,fit] [--quick]

- model: one 180-day run of black_sea_2022 (≤ 100 ms) and peak memory of 1000 runs (< 1 GB,
  flat in the number of runs);
- sweep: ``brink sweep`` against ``mesa.batch_run`` on the same design, in the same run
  (throughput ≥ batch_run's, memory a fraction of it, parallel efficiency ≥ 80 %);
- outcomes: a sweep's driver memory flat in the number of runs with number and series
  outcomes, and no larger than with yes/no outcomes only (issue 16);
- view: in headless Chromium at 1440×900 and 1024×768, click Step to updated map (median
  ≤ 0.3 s, 90th percentile ≤ 0.6 s) and hover to tooltip (90th percentile ≤ 0.1 s);
- retrodict: the whole pre-1990 MID file, 20 runs per dispute, 2 jobs (< 15 minutes). With
  ``--quick`` only the first 100 disputes are run and the full-file time is extrapolated (the
  line printed says so);
- fit: one evaluation of ``brink fit``'s objective over the pre-1990 MID file, 20 runs per
  dispute, 2 jobs (≤ 60 s); ``--quick`` runs 200 disputes and extrapolates.

Prints each benchmark's figures as it goes and a last line per benchmark: met or missed. Exits 1
if any target is missed.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = {
    "model": ("bench_model.py", []),
    "sweep": ("bench_sweep.py", []),
    "outcomes": ("bench_sweep_outcomes.py", []),
    "view": ("bench_view.py", []),
    "retrodict": ("bench_retrodict.py", []),
    "fit": ("bench_fit.py", []),
}
QUICK = {"retrodict": ["--limit", "100"], "fit": ["--limit", "200"]}


def load(filename: str):
    spec = importlib.util.spec_from_file_location(filename.removesuffix(".py"), HERE / filename)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(BENCHMARKS), help="comma-separated names")
    parser.add_argument("--quick", action="store_true", help="extrapolate the retrodiction")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        parser.error(
            f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}"
        )
    verdicts = {}
    for name in names:
        filename, extra = BENCHMARKS[name]
        if args.quick:
            extra = extra + QUICK.get(name, [])
        print(f"\n=== {name} ({filename} {' '.join(extra)})", flush=True)
        started = time.perf_counter()
        status = load(filename).main(extra)
        verdicts[name] = (status, time.perf_counter() - started)
    print("\n=== verdicts")
    for name, (status, seconds) in verdicts.items():
        print(f"{name:10s} {'met' if status == 0 else 'MISSED'} ({seconds:.0f} s)")
    return 0 if all(status == 0 for status, _ in verdicts.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
