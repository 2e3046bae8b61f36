"""Retrodiction: run the crisis model on every historical dispute of a file and score it.

``brink retrodict DATA`` reads a Gibler–Miller–Little dyadic MID file or an ICB actor-level file
(:mod:`brink.experiments.retrodiction.data`), turns each dispute or crisis into a scenario
(:mod:`brink.experiments.retrodiction.cases`), runs the model R times per case with default
parameters (seeds from ``SeedSequence(root).spawn``, a process pool or a Dask cluster), and
writes to the output folder:

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

The cases' runs and seeds are in :mod:`brink.experiments.retrodiction.case_runs`, the baselines
and the score table in :mod:`brink.experiments.retrodiction.forecasters`, the summary in
:mod:`brink.experiments.retrodiction.summary`.
"""

from __future__ import annotations

import csv
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from brink.experiments.retrodiction.case_runs import CaseTask, case_seeds, run_case
from brink.experiments.retrodiction.cases import Case, SkippedRecord, build_cases
from brink.experiments.retrodiction.codes import OUTCOME_CLASSES, model_outcome_class
from brink.experiments.retrodiction.data import FORMAT_NAMES, RecordFormat, read_records
from brink.experiments.retrodiction.defaults import DEFAULT_FOLDS, DEFAULT_RUNS
from brink.experiments.retrodiction.effects import effects_table
from brink.experiments.retrodiction.figure import calibration_figure
from brink.experiments.retrodiction.forecasters import (
    FORECASTERS,
    TRAINED_FORECASTERS,
    add_baselines,
    add_trained_baselines,
    score_table,
)
from brink.experiments.retrodiction.joined import joined_pairs, joined_scores, joined_summary
from brink.experiments.retrodiction.summary import summary_markdown
from brink.figure_style import save
from brink.safe_output import check_output_folder, staged_folder
from brink.scenarios.params_file import base_params
from brink.sim.params import ModelParams
from brink.sim.record import OUTCOMES

#: Tasks in flight per worker: enough to keep workers busy, few enough to stream results.
IN_FLIGHT_PER_WORKER = 4


@dataclass
class RetroResult:
    """What a retrodiction leaves in memory once its files are written."""

    cases: pd.DataFrame
    skipped: pd.DataFrame
    scores: pd.DataFrame
    root_seed: int
    seconds: float
    simulate_seconds: float
    effects: pd.DataFrame = field(default_factory=pd.DataFrame)  # does the model move with history
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

    runner = make_runner(jobs=jobs, scheduler=scheduler)
    if runner is None:  # make_runner returns None only when asked to check its options
        raise RuntimeError("make_runner gave no runner")
    with runner:
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
        # Each potential third state with the onset rules that chose it; who really fought.
        "third_states": ", ".join(f"{code} ({rules})" for code, rules in case.third_states.items()),
        "fought": ", ".join(
            f"{code} ({side})" if side else code for code, side in case.fought.items()
        ),
        "notes": "; ".join(case.notes),
    }


#: Task keys of training cases (a training file may share dispute numbers with the test file).
TRAIN_KEY = "train:"


def _training_cases(paths: list[str | Path], record_format: RecordFormat) -> list[Case]:
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
        cases += build_cases(records)[0]
    return cases


def retrodict(
    data: str | Path,
    *,
    runs: int = DEFAULT_RUNS,
    jobs: int | None = None,
    scheduler: str | None = None,
    out: str | Path | None = None,
    seed: int | None = None,
    horizon: int | None = None,
    limit: int | None = None,
    k_folds: int = DEFAULT_FOLDS,
    overrides: dict[str, Any] | None = None,
    params_file=None,
    train: list[str | Path] | None = None,
    command: str | None = None,
    progress: bool = False,
    force: bool = False,
    rules: tuple = (),
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
        rules: decision rules (:class:`~brink.scenarios.spec.RuleSpec`, ``--rule``); a rule for
            a state applies in the cases where that state is a party.
    """
    from brink.scenarios.rule_specs import with_rules

    started = time.perf_counter()
    out_dir = Path(out) if out is not None else Path("out") / f"retrodict-{Path(data).stem}"
    check_output_folder(out_dir, kind="retrodiction", again=force)  # before hours of work
    records = read_records(data)
    cases, skipped = build_cases(records, limit=limit)
    train_cases = _training_cases(train or [], records.format)
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
            CaseTask(case.case_id, with_rules(case.scenario, rules, cases=True), seeds)
            for case, seeds in zip(cases, case_seeds(seed, len(cases), runs), strict=True)
        ]
        # Training cases get seeds of their own (the test file's are those of a plain run).
        train_seeds = case_seeds(seed + 1, len(train_cases), runs)
        train_by_key = {f"{TRAIN_KEY}{i}": case for i, case in enumerate(train_cases)}
        tasks += [
            CaseTask(key, with_rules(case.scenario, rules, cases=True), seeds)
            for (key, case), seeds in zip(train_by_key.items(), train_seeds, strict=True)
        ]
        train_rows: dict[str, dict[str, Any]] = {}
        rows: dict[str, dict[str, Any]] = {}
        counts: dict[str, dict[str, Any]] = {}  # who fought in each case's runs
        simulate_started = time.perf_counter()
        with files["cases_csv"].open("w", newline="") as stream:
            writer: csv.DictWriter | None = None

            def on_result(result: dict[str, Any]) -> None:
                nonlocal writer
                counts[result["case_id"]] = {
                    key: result[key] for key in ("runs", "fought_challenger", "fought_target")
                }
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
        pairs = joined_pairs(cases, counts)
        train_pairs = (
            joined_pairs(list(train_by_key.values()), counts, keys=list(train_by_key))
            if train_cases
            else None
        )
        fold = dict(zip(frame["case_id"], frame["fold"], strict=True))
        _add_joined(scores, pairs, fold, train_pairs)
        files["joined"] = out_dir / "joined.csv"
        pairs.to_csv(files["joined"], index=False)
        effects = effects_table(frame, seed)
        files["effects"] = out_dir / "effects.csv"
        effects.to_csv(files["effects"], index=False)
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
            effects=effects,
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
                command=command,
                params_file=params_file,
                train=list(train or []),
                train_cases=len(train_cases),
                joined=joined_summary(cases),
                rules=tuple(str(rule) for rule in rules),
            )
        )
    result.files = {key: final_dir / path.relative_to(out_dir) for key, path in files.items()}
    return result


def _add_joined(
    scores: pd.DataFrame,
    pairs: pd.DataFrame,
    fold: dict[str, int],
    train_pairs: pd.DataFrame | None,
) -> None:
    """Add the "who joined" scores to the model's and the base rate's rows (in place)."""
    names = list(TRAINED_FORECASTERS if train_pairs is not None else FORECASTERS)
    rows = {"crisis model": names[0], "base rate": names[2]}
    for forecaster, values in joined_scores(pairs, fold, train_pairs).items():
        for column, value in values.items():
            if column not in scores:
                scores[column] = float("nan")
            scores.loc[scores["forecaster"] == rows[forecaster], column] = value


def _no_cases(path: str, skipped: list[SkippedRecord]):
    from brink.errors import BrinkInputError, Location

    return BrinkInputError(
        f"none of the {len(skipped)} records could be turned into a scenario; see skipped.csv",
        Location(file=path),
    )
