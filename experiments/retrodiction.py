"""Retrodiction: run the crisis model on every historical dispute of a file and score it.

``brink retrodict DATA`` reads a Gibler–Miller–Little dyadic MID file or an ICB actor-level file
(:mod:`brink.experiments.retro_data`), turns each dispute or crisis into a scenario
(:mod:`brink.experiments.retro_cases`), runs the model R times per case with default parameters
(seeds from ``SeedSequence(root).spawn``, a process pool or a Dask cluster), and writes to the
output folder:

- ``cases.csv`` (streamed as cases finish, then rewritten in file order) and ``cases.parquet``:
  per case, the predicted probability of war and of each outcome class beside what happened,
  the baselines' forecasts and the covariates;
- ``skipped.csv``: every record that could not become a scenario, with its line and reason;
- ``scores.csv``: Brier score, log loss and AUC for war, Brier score and log loss for the
  outcome class, for the model and, in the same run, the baselines;
- ``calibration.png`` / ``calibration.pdf``: the reliability diagram;
- ``retrodiction.md``: a summary with the command, the counts, the scores and the timings.

Nothing here tunes a model parameter. The one calibrated forecaster, "model, recalibrated", maps
the model's war probability through a logistic curve fitted on the other folds only (Platt
1999), so every score is out of sample.
"""

from __future__ import annotations

import csv
import math
import platform
import shlex
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from brink.experiments.retro_cases import (
    OTHER,
    OUTCOME_CLASSES,
    Case,
    SkippedRecord,
    build_cases,
    model_outcome_class,
)
from brink.experiments.retro_data import FORMAT_NAMES, read_records
from brink.experiments.retro_defaults import DEFAULT_FOLDS, DEFAULT_RUNS
from brink.experiments.retro_figure import calibration_figure
from brink.experiments.retro_scores import (
    auc,
    brier,
    cross_validated_baselines,
    folds,
    log_loss,
    multiclass_brier,
    multiclass_log_loss,
    platt_cross_fitted,
)
from brink.safe_output import check_output_folder, staged_folder
from brink.scenarios.params_file import base_params
from brink.scenarios.spec import Scenario
from brink.sim.params import ModelParams
from brink.sim.record import OUTCOMES, mid_outcome
from brink.viz.style import save

#: Tasks in flight per worker: enough to keep workers busy, few enough to stream results.
IN_FLIGHT_PER_WORKER = 4


@dataclass(frozen=True)
class CaseTask:
    """One case's runs: its scenario and one seed per replication."""

    case_id: str
    scenario: Scenario
    seeds: tuple[int, ...]


def run_case(task: CaseTask, params: ModelParams) -> dict[str, Any]:
    """Run one case's replications; count wars, outcomes and levels (runs in a worker)."""
    from brink.sim.model import simulate

    start = time.perf_counter()
    outcomes: Counter[str] = Counter()
    level_counts: Counter[int] = Counter()
    wars = 0
    levels = 0.0
    war_running: list[bool] = []
    war_days: list[float] = []
    challenger_wins = 0
    for run, seed in enumerate(task.seeds):
        record = simulate(task.scenario, params, seed=seed, run=run)
        row = next(row for row in record.runs if row["dispute"] == "D1")
        wars += bool(row["war"])
        outcomes[mid_outcome(row["outcome"])] += 1
        levels += row["max_level"]
        level_counts[int(row["max_level"])] += 1
        if row["war"]:
            war_days.append(float(row["war_days"]))
            war_running.append(bool(row["war_ongoing"]))
            challenger_wins += row["outcome"] in ("victory_challenger", "yield_target")
    n = len(task.seeds)
    result: dict[str, Any] = {"case_id": task.case_id, "runs": n, "wars": wars}
    result.update({f"n_{outcome}": outcomes[outcome] for outcome in OUTCOMES})
    result["mean_max_level"] = levels / n
    result.update({f"n_level_{level}": level_counts[level] for level in range(1, 6)})
    result["war_running"] = war_running
    result["war_days"] = war_days
    result["challenger_won_wars"] = challenger_wins
    result["seconds"] = time.perf_counter() - start
    return result


def case_seeds(root: int, n_cases: int, runs: int) -> list[tuple[int, ...]]:
    """Seeds of every case's runs: case i gets ``SeedSequence(root).spawn(n)[i].spawn(runs)``.

    Seeds are 63-bit so they fit a signed 64-bit column.
    """
    cases = np.random.SeedSequence(root).spawn(n_cases)
    return [
        tuple(
            int(child.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))
            for child in case.spawn(runs)
        )
        for case in cases
    ]


@dataclass
class RetroResult:
    """What a retrodiction leaves in memory once its files are written."""

    cases: pd.DataFrame
    skipped: pd.DataFrame
    scores: pd.DataFrame
    root_seed: int
    seconds: float
    simulate_seconds: float
    files: dict[str, Path] = field(default_factory=dict)


def _execute(
    tasks: list[CaseTask],
    params: ModelParams,
    jobs: int | None,
    scheduler: str | None,
    on_result: Callable[[dict[str, Any]], None],
) -> str:
    """Run the tasks, in-process for one job or on a sweep executor; report each result."""
    if scheduler is None and jobs == 1:
        for task in tasks:
            on_result(run_case(task, params))
        return "in-process, 1 job"
    from brink.experiments.executors import make_runner, results_in_order

    with make_runner(jobs=jobs, scheduler=scheduler) as runner:
        window = IN_FLIGHT_PER_WORKER * runner.workers
        for result in results_in_order(runner, run_case, tasks, window, params):
            on_result(result)
        return runner.description


def _predictions(case: Case, result: dict[str, Any]) -> dict[str, Any]:
    n = result["runs"]
    classes = OUTCOME_CLASSES[case.source]
    shares = dict.fromkeys(classes, 0.0)
    for outcome in OUTCOMES:
        shares[model_outcome_class(outcome, case.source)] += result[f"n_{outcome}"] / n
    row: dict[str, Any] = {"p_war": result["wars"] / n}
    row.update({f"p_{cls}": share for cls, share in shares.items()})
    row["mean_max_level"] = result["mean_max_level"]
    row["runs"] = n
    row["seconds"] = result["seconds"]
    return row


def _case_row(case: Case) -> dict[str, Any]:
    return {
        "case_id": case.case_id,
        "key": case.key,
        "line": case.line,
        "year": case.year,
        "challenger": case.challenger,
        "target": case.target,
        "states": len(case.scenario.states),
        "alliances": len(case.scenario.alliances),
        "issue": case.issue,
        "observed_war": case.war,
        "observed_outcome": case.outcome,
        **case.covariates,
        "notes": "; ".join(case.notes),
    }


def design_matrix(frame: pd.DataFrame, covariates: Iterable[str]) -> tuple[np.ndarray, list[str]]:
    """Covariates plus a dummy per issue type (the most common issue is the reference)."""
    columns = list(covariates)
    matrix = [frame[c].to_numpy(dtype=float) for c in columns]
    issues = frame["issue"].value_counts()
    for issue in sorted(issues.index[1:]):
        columns.append(f"issue_{issue}")
        matrix.append((frame["issue"] == issue).to_numpy(dtype=float))
    return np.column_stack(matrix), columns


#: The forecasters' names, as cross-validated within the file (the default).
FORECASTERS = {
    "crisis model": "",
    "model, recalibrated out of fold (Platt)": "_recalibrated",
    "base rate (training folds)": "_base_rate",
    "logistic regression (cross-validated)": "_logistic",
}
#: … and as fitted on training files (``--train``).
TRAINED_FORECASTERS = {
    "crisis model": "",
    "model, recalibrated on the training files (Platt)": "_recalibrated",
    "base rate (training files)": "_base_rate",
    "logistic regression (fitted on the training files)": "_logistic",
}


def score_table(
    frame: pd.DataFrame, classes: tuple[str, ...], trained: bool = False
) -> pd.DataFrame:
    """Scores of every forecaster in ``frame`` (columns ``p_war*`` and ``p_<class>*``)."""
    war = frame["observed_war"].to_numpy(dtype=float)
    known = frame["observed_outcome"] != OTHER
    labels = frame.loc[known, "observed_outcome"].map(classes.index).to_numpy(dtype=int)
    forecasters = TRAINED_FORECASTERS if trained else FORECASTERS
    rows = []
    for name, suffix in forecasters.items():
        p = frame[f"p_war{suffix}"].to_numpy(dtype=float)
        row = {
            "forecaster": name,
            "war_brier": brier(p, war),
            "war_log_loss": log_loss(p, war),
            "war_auc": auc(p, war),
            "outcome_brier": math.nan,
            "outcome_log_loss": math.nan,
            "cases": len(frame),
            "cases_with_outcome": int(known.sum()),
        }
        columns = [f"p_{cls}{suffix}" for cls in classes]
        if all(column in frame for column in columns) and known.any():
            matrix = frame.loc[known, columns].to_numpy(dtype=float)
            row["outcome_brier"] = multiclass_brier(matrix, labels)
            row["outcome_log_loss"] = multiclass_log_loss(matrix, labels)
        rows.append(row)
    return pd.DataFrame(rows)


def add_baselines(frame: pd.DataFrame, classes: tuple[str, ...], k: int, seed: int) -> None:
    """Add out-of-fold baseline and recalibrated forecasts to ``frame`` (in place)."""
    x, _ = design_matrix(frame, COVARIATES)
    fold = folds(len(frame), k, seed)
    frame["fold"] = fold
    war = frame["observed_war"].to_numpy(dtype=int)
    base, logistic = cross_validated_baselines(x, war, 2, fold)
    frame["p_war_base_rate"] = base[:, 1]
    frame["p_war_logistic"] = logistic[:, 1]
    frame["p_war_recalibrated"] = platt_cross_fitted(frame["p_war"].to_numpy(), war, fold)
    known = (frame["observed_outcome"] != OTHER).to_numpy()
    labels = np.where(known, frame["observed_outcome"].map(_index(classes)).fillna(-1), -1)
    base, logistic = cross_validated_baselines(x, labels.astype(int), len(classes), fold)
    for i, cls in enumerate(classes):
        frame[f"p_{cls}_base_rate"] = base[:, i]
        frame[f"p_{cls}_logistic"] = logistic[:, i]


def add_trained_baselines(
    frame: pd.DataFrame, train: pd.DataFrame, classes: tuple[str, ...]
) -> None:
    """Add baseline and recalibrated forecasts to the test ``frame`` (in place), each fitted on
    the training cases ``train`` only: the test file's outcomes are never read to fit."""
    from brink.experiments.retro_scores import clip, fit_logistic

    x_train, columns = design_matrix(train, COVARIATES)
    x_test = _same_design(frame, columns)
    frame["fold"] = 0
    war = train["observed_war"].to_numpy(dtype=int)
    frame["p_war_base_rate"] = war.mean()
    frame["p_war_logistic"] = fit_logistic(x_train, war, 2).predict(x_test)[:, 1]
    logit = lambda p: np.log(clip(p) / (1 - clip(p)))[:, None]  # noqa: E731
    platt = fit_logistic(logit(train["p_war"].to_numpy()), war, 2)
    frame["p_war_recalibrated"] = platt.predict(logit(frame["p_war"].to_numpy()))[:, 1]
    known = (train["observed_outcome"] != OTHER).to_numpy()
    labels = train.loc[known, "observed_outcome"].map(_index(classes)).to_numpy(dtype=int)
    counts = np.bincount(labels, minlength=len(classes)).astype(float)
    logistic = fit_logistic(x_train[known], labels, len(classes)).predict(x_test)
    for i, cls in enumerate(classes):
        frame[f"p_{cls}_base_rate"] = counts[i] / counts.sum()
        frame[f"p_{cls}_logistic"] = logistic[:, i]


def _same_design(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """The test cases' covariates in the training design's columns (issue dummies included)."""
    matrix = []
    for column in columns:
        if column.startswith("issue_"):
            matrix.append((frame["issue"] == column.removeprefix("issue_")).to_numpy(dtype=float))
        else:
            matrix.append(frame[column].to_numpy(dtype=float))
    return np.column_stack(matrix)


#: Task keys of training cases (a training file may share dispute numbers with the test file).
TRAIN_KEY = "train:"


def _training_cases(paths: list[str | Path], record_format: str, allies: int) -> list[Case]:
    """Every case of the training files, which must be of the test file's record format."""
    from brink.errors import BrinkInputError, Location

    cases: list[Case] = []
    for path in paths:
        records = read_records(path)
        if records.format != record_format:
            raise BrinkInputError(
                f"is a {FORMAT_NAMES[records.format]} file; the test file is a "
                f"{FORMAT_NAMES[record_format]} file (train on the same kind of record)",
                Location(file=str(path)),
            )
        cases += build_cases(records, allies=allies)[0]
    return cases


def _index(classes: tuple[str, ...]) -> dict[str, int]:
    return {cls: i for i, cls in enumerate(classes)}


#: Covariates of the logistic baseline: what the scenario tells the model, as numbers.
COVARIATES = (
    "capability_share",
    "log_distance",
    "allied",
    "challenger_nuclear",
    "target_nuclear",
    "log_states",
    "contiguous",
    "joint_democracy",
)


def retrodict(
    data: str | Path,
    *,
    runs: int = DEFAULT_RUNS,
    jobs: int | None = None,
    scheduler: str | None = None,
    out: str | Path | None = None,
    seed: int | None = None,
    horizon: int | None = None,
    allies: int = 0,
    limit: int | None = None,
    k_folds: int = DEFAULT_FOLDS,
    overrides: dict[str, Any] | None = None,
    params_file=None,
    train: list[str | Path] | None = None,
    command: str | None = None,
    progress: bool = False,
    force: bool = False,
) -> RetroResult:
    """Retrodict every dispute or crisis of a historical file; write and return the scores.

    Args:
        data: a GML dyadic MID or ICB actor-level CSV file (recognised by its columns).
        runs: replications per case.
        jobs: worker processes (default: all cores); 1 runs in this process.
        scheduler: a Dask scheduler address (``tcp://...``) instead of a process pool.
        out: output folder (default ``out/retrodict-<file stem>``).
        seed: root seed (default: drawn from the OS and recorded in the summary).
        horizon: steps per run (default: the model parameter's default).
        allies: add up to this many ATOP allies of each principal as third states.
        limit: only the first ``limit`` disputes or crises of the file.
        k_folds: folds of the cross-validated baselines and recalibration.
        overrides: model parameter overrides (``--set``); none by default.
        params_file: a checked params file (``--params``) whose values replace the defaults
            before ``overrides``.
        train: training files (same record format as ``data``): the baselines and the Platt
            recalibration are fitted on their cases and scored on ``data``'s, which is then
            never used to fit anything (instead of cross-validating within ``data``).
        command: the command line, for the summary.
        progress: print a line per hundred cases to stderr.
        force: replace an earlier retrodiction's output in ``out``.
    """
    started = time.perf_counter()
    out_dir = Path(out) if out is not None else Path("out") / f"retrodict-{Path(data).stem}"
    check_output_folder(out_dir, kind="retrodiction", again=force)  # before hours of work
    records = read_records(data)
    cases, skipped = build_cases(records, allies=allies, limit=limit)
    train_cases = _training_cases(train or [], records.format, allies)
    settings: dict[str, Any] = dict(overrides or {})
    if horizon is not None:
        settings["horizon"] = horizon
    params = base_params(params_file).with_overrides(settings)
    if seed is None:
        from brink.sim.seeds import draw_root_seed

        seed = draw_root_seed()
    final_dir = out_dir
    # Built in a temporary sibling and renamed into place when complete (safe_output).
    with staged_folder(final_dir, kind="retrodiction", again=force) as out_dir:
        files = {"skipped": out_dir / "skipped.csv", "cases_csv": out_dir / "cases.csv"}
        skipped_frame = pd.DataFrame(
            [vars(s) for s in skipped], columns=list(SkippedRecord.__dataclass_fields__)
        )
        skipped_frame.to_csv(files["skipped"], index=False)
        classes = OUTCOME_CLASSES[records.format]
        by_id = {case.case_id: case for case in cases}
        tasks = [
            CaseTask(case.case_id, case.scenario, seeds)
            for case, seeds in zip(cases, case_seeds(seed, len(cases), runs), strict=True)
        ]
        # Training cases get seeds of their own (the test file's are those of a plain run).
        train_seeds = case_seeds(seed + 1, len(train_cases), runs)
        train_by_key = {f"{TRAIN_KEY}{i}": case for i, case in enumerate(train_cases)}
        tasks += [
            CaseTask(key, case.scenario, seeds)
            for (key, case), seeds in zip(train_by_key.items(), train_seeds, strict=True)
        ]
        train_rows: dict[str, dict[str, Any]] = {}
        rows: dict[str, dict[str, Any]] = {}
        simulate_started = time.perf_counter()
        with files["cases_csv"].open("w", newline="") as stream:
            writer: csv.DictWriter | None = None

            def on_result(result: dict[str, Any]) -> None:
                nonlocal writer
                if result["case_id"].startswith(TRAIN_KEY):
                    case = train_by_key[result["case_id"]]
                    train_rows[result["case_id"]] = {
                        **_case_row(case),
                        **_predictions(case, result),
                    }
                    return
                case = by_id[result["case_id"]]
                row = {**_case_row(case), **_predictions(case, result)}
                rows[case.case_id] = row
                if writer is None:
                    writer = csv.DictWriter(stream, fieldnames=list(row))
                    writer.writeheader()
                writer.writerow(row)
                stream.flush()
                if progress and len(rows) % 100 == 0:
                    print(f"brink retrodict: {len(rows)}/{len(tasks)} cases", file=sys.stderr)

            executor = _execute(tasks, params, jobs, scheduler, on_result)
        simulate_seconds = time.perf_counter() - simulate_started
        frame = pd.DataFrame([rows[case.case_id] for case in cases])
        if frame.empty:
            raise _no_cases(records.path, skipped)
        if train_cases:
            train_frame = pd.DataFrame([train_rows[key] for key in train_by_key])
            add_trained_baselines(frame, train_frame, classes)
            files["training_cases"] = out_dir / "training_cases.csv"
            train_frame.to_csv(files["training_cases"], index=False)
        else:
            add_baselines(frame, classes, k_folds, seed)
        scores = score_table(frame, classes, trained=bool(train_cases))
        frame.to_csv(files["cases_csv"], index=False)
        files["cases_parquet"] = out_dir / "cases.parquet"
        frame.to_parquet(files["cases_parquet"], index=False)
        files["scores"] = out_dir / "scores.csv"
        scores.to_csv(files["scores"], index=False)
        figure = calibration_figure(frame, title=f"War forecasts, {Path(data).name}")
        for path in save(figure, out_dir / "calibration"):
            files[f"calibration_{path.suffix[1:]}"] = path
        result = RetroResult(
            cases=frame,
            skipped=skipped_frame,
            scores=scores,
            root_seed=seed,
            seconds=time.perf_counter() - started,
            simulate_seconds=simulate_seconds,
            files=files,
        )
        files["summary"] = out_dir / "retrodiction.md"
        files["summary"].write_text(
            summary_markdown(
                result,
                data=str(data),
                record_format=FORMAT_NAMES[records.format],
                runs=runs,
                params=params,
                settings=settings,
                executor=executor,
                k_folds=k_folds,
                allies=allies,
                command=command,
                params_file=params_file,
                train=list(train or []),
                train_cases=len(train_cases),
            )
        )
    result.files = {key: final_dir / path.relative_to(out_dir) for key, path in files.items()}
    return result


def model_version() -> str:
    """The package version and, in a git checkout, the (short) commit, ``+dirty`` if edited."""
    from brink import __version__
    from brink.experiments.run_output import git_commit

    commit = git_commit()
    if commit is None:
        return f"brink {__version__}"
    return (
        f"brink {__version__}, commit {commit[:7]}{'+dirty' if commit.endswith('+dirty') else ''}"
    )


def _no_cases(path: str, skipped: list[SkippedRecord]):
    from brink.errors import BrinkInputError, Location

    return BrinkInputError(
        f"none of the {len(skipped)} records could be turned into a scenario; see skipped.csv",
        Location(file=path),
    )


def _skill(score: float, reference: float) -> str:
    """Brier skill score 1 − score / reference, or "n/a" when the reference is 0."""
    return f"{1 - score / reference:+.3f}" if reference > 0 else "n/a (no war in the file)"


def _table(frame: pd.DataFrame) -> str:
    header = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    lines = [header, rule]
    for row in frame.itertuples(index=False):
        cells = [f"{v:.4f}" if isinstance(v, float) else str(v) for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def summary_markdown(
    result: RetroResult,
    *,
    data: str,
    record_format: str,
    runs: int,
    params: ModelParams,
    settings: dict[str, Any],
    executor: str,
    k_folds: int,
    allies: int,
    command: str | None,
    params_file=None,
    train: list | None = None,
    train_cases: int = 0,
) -> str:
    """The ``retrodiction.md`` summary."""
    cases, skipped, scores = result.cases, result.skipped, result.scores
    war_rate = cases["observed_war"].mean()
    by_name = scores.set_index("forecaster")
    names = list(TRAINED_FORECASTERS if train else FORECASTERS)
    model, recalibrated, base = (by_name.loc[name, "war_brier"] for name in names[:3])
    reasons = (
        skipped["reason"].str.replace(r"\d+", "N", regex=True).value_counts()
        if len(skipped)
        else pd.Series(dtype=int)
    )
    lines = [
        f"# Retrodiction of `{Path(data).name}`",
        "",
        f"Command: `{command or 'brink retrodict ' + shlex.quote(data)}`",
        "",
        f"- Format: {record_format}, recognised by its columns.",
        f"- Cases: {len(cases)} run, {len(skipped)} skipped (listed in `skipped.csv`).",
        f"- Runs per case: {runs}; horizon {params.horizon} steps; root seed {result.root_seed}.",
        "- Parameters: "
        + (
            f"from `{params_file.path}` ("
            + ", ".join(f"{k}={v:.4g}" for k, v in params_file.values.items())
            + ")"
            if params_file is not None
            else "defaults"
        )
        + (", with " + ", ".join(f"{k}={v}" for k, v in settings.items()) if settings else "")
        + ".",
        f"- Allies added per principal from ATOP: {allies}.",
        f"- Model: {model_version()}.",
        f"- Executor: {executor}; wall time {result.seconds:.1f} s, of which simulation "
        f"{result.simulate_seconds:.1f} s ({platform.node()}, Python "
        f"{platform.python_version()}).",
        f"- Observed: {war_rate:.1%} of cases reached war; the model predicted "
        f"{cases['p_war'].mean():.1%} on average.",
        "",
        "## Scores",
        "",
        _table(scores),
        "",
        f"Brier skill of the crisis model against the base rate: {_skill(model, base)} "
        f"(positive is better than the base rate); recalibrated: {_skill(recalibrated, base)}. "
        + (
            ""
            if train
            else "The base rate's AUC differs from 0.5 only because the training folds' rates "
            "differ a little from fold to fold; it carries no information."
        ),
        "",
        (
            "Every score is out of sample: the base rate, the logistic regression (covariates "
            f"{', '.join(COVARIATES)} and issue dummies) and the Platt recalibration of the "
            "model's war probability are fitted on the training files only ("
            + ", ".join(f"`{Path(t).name}`" for t in train)
            + f", {train_cases} cases run with the same parameters) and scored on this file, "
            "whose outcomes nothing was fitted to. "
            if train
            else "Every score is out of sample: the base rate, the logistic regression "
            f"(covariates {', '.join(COVARIATES)} and issue dummies) and the Platt "
            f"recalibration of the model's war probability are fitted on {k_folds - 1} of "
            f"{k_folds} folds (folds drawn by case, seeded by the root seed) and scored on the "
            "held-out fold. "
        )
        + "No model parameter was tuned here"
        + (" (a fit's parameters were applied unchanged)" if params_file is not None else "")
        + ". Probabilities are clipped to [0.001, 0.999] for the log loss. Outcome scores "
        "use only cases whose recorded outcome is one of the classes "
        f"({cases['observed_outcome'].ne(OTHER).sum()} cases); the others count for war only.",
        "",
        "## Outcome classes: predicted share (mean over cases) and observed share",
        "",
    ]
    classes = [c[2:] for c in cases.columns if c.startswith("p_") and c[2:] in OUTCOMES]
    observed = cases["observed_outcome"].value_counts(normalize=True)
    share_rows = pd.DataFrame(
        {
            "outcome": [*classes, OTHER],
            "model": [*(cases[f"p_{c}"].mean() for c in classes), math.nan],
            "observed": [observed.get(c, 0.0) for c in [*classes, OTHER]],
        }
    )
    by_issue = (
        cases.groupby("issue")
        .agg(cases=("case_id", "size"), observed_war=("observed_war", "mean"))
        .join(cases.groupby("issue")[["p_war", "p_war_logistic"]].mean())
        .reset_index()
        .sort_values("cases", ascending=False)
    )
    lines += [
        _table(share_rows),
        "",
        "## War by issue: observed share and mean forecasts",
        "",
        _table(by_issue),
        "",
        "## Skipped records",
        "",
    ]
    if len(reasons):
        lines += [f"- {count} × {reason}" for reason, count in reasons.items()]
    else:
        lines.append("None.")
    lines += [
        "",
        "Files: `cases.csv`/`cases.parquet` (per case), `skipped.csv`, `scores.csv`, "
        "`calibration.png`/`calibration.pdf`.",
        "",
    ]
    return "\n".join(lines)
