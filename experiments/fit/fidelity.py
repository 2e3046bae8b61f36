"""Multi-fidelity trials: a trial is scored on a few cases first and goes on only while it is
among the best so far.

This is asynchronous successive halving (Jamieson & Talwalkar 2016, "Non-stochastic Best Arm
Identification and Hyperparameter Optimization"; Li et al. 2020, "A System for Massively
Parallel Hyperparameter Tuning"), as Optuna's ``SuccessiveHalvingPruner`` implements it. With
R rungs and reduction factor η, rung k scores a trial on the first n / η^(R−1−k) of the
training cases, taken in a fixed order drawn once per fit from its seed, within each file so
that every rung holds each file's cases in the file's shares. A trial goes on to the next rung
only if its score there is among the best 1/η of the scores that trials reaching that rung
have had (the first trials to reach a rung go on if they are the best so far). The rungs are
nested: a trial that goes on runs only the cases it has not run yet, so a trial that reaches
the last rung has run every case once, with the fit's seeds, and its score is exactly the score
it would have had without rungs. With η = 3 and three rungs a pruned trial costs a ninth or a
third of a whole one.

The candidates that cross-validation later chooses among (:mod:`brink.experiments.fit.report`)
are the trials that were not pruned; pruning saw a subset of every fold's cases, so for a
strictly nested cross-validation fit with ``--rungs 1``.
"""

from __future__ import annotations

import math

import numpy as np

#: η: each rung keeps the best third of the trials that reach it.
REDUCTION = 3
#: A rung scores a trial on at least this many cases, or the fit uses fewer rungs: a score on a
#: few dozen cases is too noisy to stop a trial on.
MIN_RUNG_CASES = 50
#: The stream of the fit's seed that orders the cases for the rungs (apart from folds and runs).
_ORDER_STREAM = 0x52554E47  # "RUNG"


def rungs_used(n_cases: int, asked: int) -> int:
    """How many rungs a fit of ``n_cases`` cases can use, at most ``asked``: the smallest rung
    must hold at least ``MIN_RUNG_CASES`` cases."""
    rungs = 1
    while rungs < asked and n_cases / REDUCTION**rungs >= MIN_RUNG_CASES:
        rungs += 1
    return rungs


def rung_cases(file_index: np.ndarray, rungs: int, seed: int) -> list[np.ndarray]:
    """The positions of the cases each rung adds, in ascending order: rung k scores the cases
    of rungs 0 to k together; the last rung completes every case."""
    generator = np.random.default_rng([seed, _ORDER_STREAM])
    orders = [
        generator.permutation(np.flatnonzero(file_index == number))
        for number in np.unique(file_index)
    ]
    taken = [0] * len(orders)
    added = []
    for rung in range(rungs):
        share = REDUCTION ** -(rungs - 1 - rung)
        new: list[int] = []
        for number, order in enumerate(orders):
            upto = len(order) if rung == rungs - 1 else max(1, math.ceil(share * len(order)))
            upto = max(upto, taken[number])
            new.extend(int(i) for i in order[taken[number] : upto])
            taken[number] = upto
        added.append(np.array(sorted(new), dtype=int))
    return added


def rung_step(rung: int) -> int:
    """The step at which a rung's score is reported to Optuna: the pruner's rung k is reached
    at step η^k (``min_resource`` 1)."""
    return REDUCTION**rung


def make_pruner():
    import optuna

    return optuna.pruners.SuccessiveHalvingPruner(
        min_resource=1, reduction_factor=REDUCTION, min_early_stopping_rate=0
    )
