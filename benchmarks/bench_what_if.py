"""How long "what if" takes for one decision of a played game, against issue 26's target.

    .venv/bin/python benchmarks/bench_what_if.py [--decisions 5] [--runs 20] [--seed 17]

Russia is played in ``black_sea_2022`` (the view's default seed 17); at each of its first
``--decisions`` decision points "what if" runs ``--runs`` continuations of each open option on
the view's two worker processes (:func:`brink.viz.play.what_if`, exactly as the page calls it),
and the seat then takes the model's own choice. Target: every decision answered in at most 3 s on
a two-core machine. The first decision (day 1) is the dearest: its continuations run longest.
Also printed: the CPU seconds the workers spent, and the busier worker's (about the wall time
on an idle two-core machine, where each worker has a core), and the load average, since the
wall time depends on what else the machine runs. Exits 1 if a
decision missed the target.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from brink.scenarios.loader import load_scenario
from brink.sim.params import scenario_params
from brink.viz import play

TARGET_S = 3.0


def _timed(recipe, key, options, seeds):
    started = time.process_time()
    rows = play.continuations(recipe, key, options, seeds)
    return rows, time.process_time() - started


def what_if_timed(pool, recipe, decision, runs):
    """:func:`brink.viz.play.what_if`, also returning the workers' CPU seconds."""
    parts = play.split_draws(recipe, decision, runs)
    jobs = [pool.submit(_timed, recipe, decision.key, decision.options, p) for p in parts if p]
    rows = {option: [] for option in decision.options}
    cpu = []
    for job in jobs:
        found, seconds = job.result()
        cpu.append(seconds)
        for option, ended in found.items():
            rows[option].extend(ended)
    return {option: play.shares(ended) for option, ended in rows.items()}, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=5)
    parser.add_argument("--runs", type=int, default=play.WHAT_IF_RUNS)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args(argv)
    scenario = load_scenario("black_sea_2022")
    game = play.Game(scenario, scenario_params(scenario), args.seed, ("RUS",))
    pool = play.what_if_pool()
    for job in [pool.submit(play._warm) for _ in range(play.WHAT_IF_WORKERS)]:
        job.result()  # the page starts its workers when it loads; so does this
    print(f"what if: {args.runs} continuations × each option, {play.WHAT_IF_WORKERS} workers")
    walls = []
    for _ in range(args.decisions):
        while game.pending is None and not game.finished():
            game.step()
        decision = game.pending
        if decision is None:
            break
        started = time.perf_counter()
        result, cpu = what_if_timed(pool, game.recipe(), decision, args.runs)
        wall = time.perf_counter() - started
        walls.append(wall)
        load = os.getloadavg()[0]
        print(
            f"day {decision.day:3d} {decision.dispute:20s} {len(decision.options)} options "
            f"({len(decision.options) * args.runs} runs): {wall:5.2f} s wall, "
            f"{sum(cpu):5.2f} CPU s in the workers (the busier {max(cpu):4.2f}), load {load:.1f}"
        )
        for option, shares in result.items():
            print("    " + option.ljust(10) + "  ".join(f"{k} {v:4.0%}" for k, v in shares.items()))
        game.answer(decision.state, decision.model_choice, decision.key)
    worst = max(walls) if walls else 0.0
    verdict = "met" if worst <= TARGET_S else "MISSED"
    print(f"slowest decision {worst:.2f} s (target ≤ {TARGET_S:g} s): {verdict}")
    return 0 if worst <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
