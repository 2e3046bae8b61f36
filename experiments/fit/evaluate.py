"""One evaluation of the fit's objective: every training case run R times with one parameter set.

The cases, their folds and their seeds are fixed once per fit (:class:`TrainingSet`): every
trial runs case *i* with the same R seeds (common random numbers, Law 2015 §11.2), so two
parameter sets are compared on the same luck and the difference between their scores is far
less noisy than either score. Cases go to the workers in batches (a process pool or a Dask
cluster, :mod:`brink.experiments.executors`); each batch returns counts, not runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from brink.experiments.ensemble.output import file_sha256
from brink.experiments.fit.scoring import (
    LEVELS,
    class_term,
    dispute_bin,
    dispute_counts,
    duration_counts,
    duration_term,
    smoothed,
    war_term,
)
from brink.experiments.retrodiction.case_runs import CaseTask, case_seeds, run_case
from brink.experiments.retrodiction.cases import Case, SkippedRecord, build_cases
from brink.experiments.retrodiction.codes import OTHER, OUTCOME_CLASSES, model_outcome_class
from brink.experiments.retrodiction.data import read_records
from brink.experiments.retrodiction.scores import folds
from brink.sim.params import ModelParams
from brink.sim.record import OUTCOMES

#: Batches in flight per worker: enough to keep workers busy between batches.
BATCHES_PER_WORKER = 3


@dataclass(frozen=True)
class TrainingFile:
    path: str
    sha256: str
    format: str
    cases: int
    skipped: int


@dataclass(frozen=True)
class TrainingSet:
    """The cases a fit is scored on, their cross-validation folds and their seeds."""

    files: tuple[TrainingFile, ...]
    cases: tuple[Case, ...]
    file_index: np.ndarray  # which file each case came from
    fold: np.ndarray  # the fold of each case (folds are drawn within each file)
    seeds: tuple[tuple[int, ...], ...]  # the R seeds of each case (the same for every trial)
    skipped: tuple[SkippedRecord, ...]
    observed_war_days: tuple[float, ...]  # COW interstate war lengths, for the duration term

    @property
    def runs(self) -> int:
        return len(self.seeds[0]) if self.seeds else 0


def training_set(
    paths: list[str],
    *,
    runs: int,
    k_folds: int,
    seed: int,
    limit: int | None = None,
    observed_war_days: tuple[float, ...] | None = None,
) -> TrainingSet:
    """Read the training files and fix the cases, folds and seeds of a fit.

    ``observed_war_days`` defaults to the COW interstate war lengths bundled with Brink.
    """
    files, cases, index, fold, skipped = [], [], [], [], []
    for number, path in enumerate(paths):
        records = read_records(path)
        built, left_out = build_cases(records, limit=limit)
        files.append(
            TrainingFile(str(path), file_sha256(path), records.format, len(built), len(left_out))
        )
        cases += built
        skipped += left_out
        index += [number] * len(built)
        # Folds are drawn within each file so every fold holds MIDs and crises alike.
        fold += list(folds(len(built), k_folds, seed + number)) if built else []
    if observed_war_days is None:
        from brink.experiments.war_durations import cow_war_days

        observed_war_days = tuple(cow_war_days())
    return TrainingSet(
        files=tuple(files),
        cases=tuple(cases),
        file_index=np.array(index, dtype=int),
        fold=np.array(fold, dtype=int),
        seeds=tuple(case_seeds(seed, len(cases), runs)),
        skipped=tuple(skipped),
        observed_war_days=observed_war_days,
    )


def run_batch(tasks: list[CaseTask], params: ModelParams) -> list[dict[str, Any]]:
    """Run a batch of cases in a worker; return each case's counts."""
    return [run_case(task, params) for task in tasks]


@dataclass
class Evaluation:
    """What one parameter set did on the training cases it was run on."""

    cases: pd.DataFrame  # one row per case, in training order: terms, forecasts, fold, file
    duration_counts: np.ndarray  # the model's wars in each duration bin, all cases pooled
    war_days: list[float]
    seconds: float
    war_running: list[bool] = field(default_factory=list)  # each war: still going at the end
    positions: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))

    def joined(self, more: Evaluation) -> Evaluation:
        """This evaluation and ``more`` (of other cases, same parameters) as one: what one
        evaluation of both sets of cases would have given (each case's runs depend only on
        its own seeds)."""
        cases = pd.concat([self.cases, more.cases], ignore_index=True)
        positions = np.concatenate([self.positions, more.positions])
        order = np.argsort(positions, kind="stable")
        war_days = self.war_days + more.war_days
        running = self.war_running + more.war_running
        return Evaluation(
            cases=cases.iloc[order].reset_index(drop=True),
            duration_counts=duration_counts(war_days, running),
            war_days=war_days,
            seconds=self.seconds + more.seconds,
            war_running=running,
            positions=positions[order],
        )


def evaluate(training: TrainingSet, params: ModelParams, runner=None, indices=None) -> Evaluation:
    """Run the training cases with ``params`` (on ``runner``, or in this process): every case,
    or only those at ``indices`` (positions in ``training.cases``)."""
    import time

    started = time.perf_counter()
    positions = np.arange(len(training.cases)) if indices is None else np.sort(np.asarray(indices))
    tasks = [
        CaseTask(training.cases[i].case_id, training.cases[i].scenario, training.seeds[i])
        for i in positions
    ]
    results: dict[str, dict[str, Any]] = {}
    if runner is None:
        for result in run_batch(tasks, params):
            results[result["case_id"]] = result
    else:
        from brink.experiments.executors import results_in_order

        size = max(1, math.ceil(len(tasks) / (BATCHES_PER_WORKER * 4 * runner.workers)))
        batches = [tasks[i : i + size] for i in range(0, len(tasks), size)]
        window = BATCHES_PER_WORKER * runner.workers
        for batch in results_in_order(runner, run_batch, batches, window, params):
            for result in batch:
                results[result["case_id"]] = result
    chosen = [training.cases[i] for i in positions]
    rows = [
        case_row(case, results[case.case_id], training.fold[i], training.file_index[i])
        for i, case in zip(positions, chosen, strict=True)
    ]
    war_days = [d for case in chosen for d in results[case.case_id]["war_days"]]
    running = [r for case in chosen for r in results[case.case_id]["war_running"]]
    return Evaluation(
        cases=pd.DataFrame(rows),
        duration_counts=duration_counts(war_days, running),
        war_days=war_days,
        seconds=time.perf_counter() - started,
        war_running=running,
        positions=positions,
    )


def case_row(case: Case, result: dict[str, Any], fold: int, file_index: int) -> dict[str, Any]:
    """One case's forecasts and log-score terms."""
    runs = result["runs"]
    classes = OUTCOME_CLASSES[case.source]
    counts = dict.fromkeys(classes, 0)
    for outcome in OUTCOMES:
        counts[model_outcome_class(outcome, case.source)] += result[f"n_{outcome}"]
    class_counts = [counts[c] for c in classes]
    probabilities = smoothed(class_counts)
    row: dict[str, Any] = {
        "case_id": case.case_id,
        "file": int(file_index),
        "fold": int(fold),
        "observed_war": bool(case.war),
        "observed_outcome": case.outcome,
        "observed_level": case.level,
        "runs": runs,
        "p_war": result["wars"] / runs,
        "war_term": war_term(result["wars"], runs, case.war),
        "outcome_term": 0.0,
        "level_term": 0.0,
        "dispute_term": 0.0,
    }
    row.update({f"p_{c}": float(p) for c, p in zip(classes, probabilities, strict=True)})
    if case.outcome != OTHER:
        row["outcome_term"] = class_term(class_counts, classes.index(case.outcome))
    if case.level is not None:
        levels = [result[f"n_level_{level}"] for level in LEVELS]
        row["level_term"] = class_term(levels, LEVELS.index(case.level))
    if case.days is not None:
        lengths = dispute_counts(result["dispute_days"])
        row["dispute_term"] = class_term(lengths, dispute_bin(case.days))
    row["case_term"] = row["war_term"] + row["outcome_term"] + row["level_term"]
    row["case_term"] += row["dispute_term"]
    return row


def objective(
    cases: pd.DataFrame, counts: np.ndarray, observed_war_days, mask: np.ndarray | None = None
) -> dict[str, float]:
    """The fit's score of one evaluation (higher is better) and its parts.

    The per-case log score is averaged within each file and the files are averaged, so a small
    file of crises counts as much as a large file of disputes; the duration term is added once.
    ``mask`` restricts the per-case part to some cases (the training folds of a split).
    """
    chosen = cases if mask is None else cases[mask]
    by_file = chosen.groupby("file")
    parts = {
        name: float(by_file[column].mean().mean())
        for name, column in (
            ("war", "war_term"),
            ("outcome", "outcome_term"),
            ("level", "level_term"),
            ("dispute", "dispute_term"),
        )
    }
    parts["duration"] = duration_term(counts, observed_war_days, int(cases["runs"].iloc[0]))
    parts["score"] = (
        parts["war"] + parts["outcome"] + parts["level"] + parts["dispute"] + parts["duration"]
    )
    return parts
