"""``brink fit``: search the model's free parameters with Optuna's TPE sampler.

Optuna (Akiba et al. 2019) proposes parameter sets with the tree-structured Parzen estimator
(Bergstra et al. 2011); each proposal is one :func:`~brink.experiments.fit.evaluate.evaluate`
of every training case. Trials run one after another and each spreads its cases over the
workers (a process pool or a Dask cluster), so a fit uses a cluster exactly as a sweep does.

Trial 0 is always the default parameters, the point every fit must beat. Every finished trial
is in Optuna's journal (``journal.log``, an append-only file) and its per-case forecasts in
``trials/trial-NNNN.parquet``, written before the trial is told to the study; ``--resume``
reopens the journal, marks a trial that was running when the fit stopped as failed, and
evaluates its parameters again, so no finished trial is lost and none is counted twice.
"""

from __future__ import annotations

import json
import math
import sys
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from brink.errors import BrinkInputError, Location
from brink.experiments.fit.defaults import DEFAULT_FREE  # noqa: F401  (re-exported)
from brink.experiments.fit.evaluate import Evaluation, TrainingSet, evaluate, objective
from brink.experiments.fit.fidelity import make_pruner, rung_cases, rung_step
from brink.experiments.fit.scoring import PARTS
from brink.safe_output import write_atomic
from brink.sim.params import PARAMETERS, ModelParams

#: A range spanning this factor or more (with a positive floor) is searched on a log scale.
LOG_SCALE_SPAN = 100.0
#: A parameter whose range starts at 0 and whose default is below this share of the range's top
#: is searched on a log scale …
SCALE_SHARE = 0.05
#: … from this many decades under its default.
DECADES_BELOW_DEFAULT = 2
#: Random trials before TPE models the scores (Optuna's default is 10).
STARTUP_TRIALS = 10
STUDY_NAME = "brink-fit"


def prior(name: str):
    """The search distribution of a free parameter over its range in ``PARAMETERS``: uniform;
    log-uniform where the range spans two orders of magnitude or more with a positive floor;
    and log-uniform from ``DECADES_BELOW_DEFAULT`` decades under the default where the range
    starts at 0 and the default sits below ``SCALE_SHARE`` of its top. Daily hazards and costs
    are scale parameters: a uniform prior on [0, 0.2] for a hazard whose default is 1e-5 would
    put 99 % of the trials above 0.002 a day, a war within the year in every dispute, and
    almost none where the default is (Jeffreys 1946 on priors for scale parameters)."""
    from optuna.distributions import FloatDistribution, IntDistribution

    spec = PARAMETERS[name]
    low, high = float(spec.low), float(spec.high)
    if spec.integer:
        return IntDistribution(int(low), int(high))
    default = float(spec.default) if spec.default is not None else 0.0
    if low == 0 and 0 < default < SCALE_SHARE * high:
        return FloatDistribution(default / 10**DECADES_BELOW_DEFAULT, high, log=True)
    log = low > 0 and high / low >= LOG_SCALE_SPAN
    return FloatDistribution(low, high, log=log)


def check_free(names: list[str]) -> tuple[str, ...]:
    """The free parameters asked for, checked (known, numeric, not a switch or the clock)."""
    from brink.errors import did_you_mean

    where = Location(file="command line", key="--free")
    for name in names:
        if name not in PARAMETERS:
            raise BrinkInputError(
                f"unknown parameter '{name}'{did_you_mean(name, PARAMETERS)}", where
            )
        spec = PARAMETERS[name]
        if spec.optional or spec.group in ("time", "arming"):
            raise BrinkInputError(f"'{name}' ({spec.group}) cannot be fitted", where)
    if len(set(names)) != len(names):
        raise BrinkInputError("a parameter is named twice", where)
    return tuple(names)


@dataclass
class FitSettings:
    """What defines a fit; a resumed fit must have the same."""

    files: list[dict[str, Any]]
    free: list[str]
    runs: int
    folds: int
    seed: int
    horizon: int
    limit: int | None
    base: dict[str, Any] = field(default_factory=dict)  # --params values under the free ones
    rules: list[str] = field(default_factory=list)  # --rule, as given (file paths absolute)
    rungs: int = 1  # rungs of successive halving the fit uses (brink.experiments.fit.fidelity)

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass
class TrialRecord:
    number: int
    params: dict[str, float]
    score: float
    # the objective's terms and score (floats), the duration counts and war-day quartiles (lists)
    parts: dict[str, Any]
    seconds: float
    default: bool


def open_study(directory: Path, seed: int, resume: bool):
    import optuna
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    storage = JournalStorage(JournalFileBackend(str(directory / "journal.log")))
    sampler = optuna.samplers.TPESampler(seed=seed, n_startup_trials=STARTUP_TRIALS)
    return optuna.create_study(
        study_name=STUDY_NAME,
        storage=storage,
        sampler=sampler,
        pruner=make_pruner(),
        direction="maximize",
        load_if_exists=resume,
    )


def trial_path(directory: Path, number: int) -> Path:
    return directory / "trials" / f"trial-{number:04d}.parquet"


def run_trials(
    training: TrainingSet,
    settings: FitSettings,
    directory: Path,
    *,
    budget: int,
    runner=None,
    resume: bool = False,
    progress: bool = True,
) -> list[TrialRecord]:
    """Run trials until ``budget`` have finished (counting those of an earlier, resumed fit)."""
    from optuna.trial import TrialState

    study = open_study(directory, settings.seed, resume)
    distributions = {name: prior(name) for name in settings.free}
    base = ModelParams().with_overrides({**settings.base, "horizon": settings.horizon})
    stale = [t for t in study.get_trials(deepcopy=False) if t.state == TrialState.RUNNING]
    for trial in stale:  # running when the fit stopped: evaluate its parameters again
        study.tell(trial.number, state=TrialState.FAIL)
        again = {"default": trial.user_attrs.get("default", False)}
        study.enqueue_trial(dict(trial.params), user_attrs=again)
    if not study.get_trials(deepcopy=False):
        defaults = {name: getattr(base, name) for name in settings.free}
        study.enqueue_trial(defaults, user_attrs={"default": True})
    (directory / "trials").mkdir(exist_ok=True)
    added = rung_cases(training.file_index, settings.rungs, settings.seed)
    while _finished(study) < budget:
        trial = study.ask(distributions)
        values = {name: trial.params[name] for name in settings.free}
        params = base.with_overrides(values)
        result = _climb(trial, training, params, runner, added)
        if result is None:
            study.tell(trial, state=TrialState.PRUNED)
            if progress:
                attrs = trial.user_attrs
                print(
                    f"brink fit: trial {trial.number} ({_finished(study)}/{budget}): pruned at "
                    f"rung {len(attrs['rung_scores'])} of {settings.rungs} (score "
                    f"{attrs['rung_scores'][-1]:.4f} on {attrs['cases_run']} cases) in "
                    f"{attrs['seconds']:.1f} s",
                    file=sys.stderr,
                )
            continue
        parts = objective(result.cases, result.duration_counts, training.observed_war_days)
        frame = result.cases.assign(trial=trial.number)
        write_atomic(trial_path(directory, trial.number), partial(frame.to_parquet, index=False))
        for name, value in parts.items():
            trial.set_user_attr(name, value)
        trial.set_user_attr("seconds", result.seconds)
        trial.set_user_attr("duration_counts", [float(c) for c in result.duration_counts])
        quartiles = np.percentile(result.war_days, [25, 50, 75]) if result.war_days else ()
        trial.set_user_attr("war_days_quartiles", [float(q) for q in quartiles])
        trial.set_user_attr("wars", len(result.war_days))
        study.tell(trial, parts["score"])
        if progress:
            print(
                f"brink fit: trial {trial.number} ({_finished(study)}/{budget}): score "
                f"{parts['score']:.4f} in {result.seconds:.1f} s",
                file=sys.stderr,
            )
    return finished_trials(study, directory)


def _climb(trial, training: TrainingSet, params: ModelParams, runner, added) -> Evaluation | None:
    """Score ``trial`` rung by rung (:mod:`brink.experiments.fit.fidelity`): the evaluation of
    every case if it reached the last rung, None if it was pruned on the way. Trial 0, the
    defaults, is never pruned."""
    result: Evaluation | None = None
    scores: list[float] = []
    for rung, indices in enumerate(added):
        more = evaluate(training, params, runner, indices=indices)
        result = more if result is None else result.joined(more)
        if rung == len(added) - 1:
            break
        score = objective(result.cases, result.duration_counts, training.observed_war_days)
        scores.append(score["score"])
        trial.set_user_attr("rung_scores", scores)
        trial.set_user_attr("cases_run", len(result.cases))
        trial.set_user_attr("seconds", result.seconds)
        trial.report(score["score"], rung_step(rung))
        if trial.should_prune() and not trial.user_attrs.get("default", False):
            return None
    return result


def _finished(study) -> int:
    """Trials that ended: scored on every case, or pruned on the way."""
    from optuna.trial import TrialState

    ended = (TrialState.COMPLETE, TrialState.PRUNED)
    return sum(t.state in ended for t in study.get_trials(deepcopy=False))


def pruned_count(directory: Path) -> int:
    """How many of a fit's trials were pruned (read from its journal)."""
    from optuna.trial import TrialState

    study = open_study(directory, 0, resume=True)
    return sum(t.state == TrialState.PRUNED for t in study.get_trials(deepcopy=False))


def finished_trials(study, directory: Path) -> list[TrialRecord]:
    from optuna.trial import TrialState

    records = []
    for trial in study.get_trials(deepcopy=False):
        if trial.state != TrialState.COMPLETE or not trial_path(directory, trial.number).exists():
            continue
        attrs = trial.user_attrs
        records.append(
            TrialRecord(
                number=trial.number,
                params=dict(trial.params),
                score=float(trial.value),
                parts={
                    **{k: attrs.get(k, 0.0) for k in PARTS},
                    "duration_counts": attrs.get("duration_counts"),
                    "war_days_quartiles": attrs.get("war_days_quartiles"),
                },
                seconds=float(attrs.get("seconds", math.nan)),
                default=bool(attrs.get("default", False)),
            )
        )
    return records


def load_trial_cases(directory: Path, records: list[TrialRecord]) -> dict[int, pd.DataFrame]:
    return {r.number: pd.read_parquet(trial_path(directory, r.number)) for r in records}


def objective_noise(
    training: TrainingSet, params: ModelParams, repeats: int, seed: int, runner=None
) -> tuple[float, list[float]]:
    """The standard deviation of the score of ``params`` over ``repeats`` fresh sets of seeds
    (other random numbers than the fit's): how much of a score difference is luck."""
    from dataclasses import replace

    from brink.experiments.retrodiction.case_runs import case_seeds

    scores = []
    for repeat in range(repeats):
        seeds = case_seeds(seed + 1_000_003 * (repeat + 1), len(training.cases), training.runs)
        fresh = replace(training, seeds=tuple(seeds))
        result = evaluate(fresh, params, runner)
        parts = objective(result.cases, result.duration_counts, training.observed_war_days)
        scores.append(parts["score"])
    sd = float(np.std(scores, ddof=1)) if len(scores) > 1 else math.nan
    return sd, scores


def write_settings(directory: Path, settings: FitSettings) -> None:
    (directory / "fit.json").write_text(json.dumps(settings.as_dict(), indent=2) + "\n")


def check_resumable(directory: Path, settings: FitSettings) -> None:
    """A resumed fit must be the same fit: same data (by hash), free parameters, runs, folds,
    seed, horizon and limit."""
    path = directory / "fit.json"
    if not path.is_file():
        raise BrinkInputError("has no fit.json: nothing to resume", Location(file=str(directory)))
    earlier = json.loads(path.read_text())
    now = settings.as_dict()
    # fits written before --rule and --rungs existed used the built-in rules and one rung
    older = {"rules": [], "rungs": 1}
    differing = [key for key in now if earlier.get(key, older.get(key)) != now[key]]
    if differing:
        raise BrinkInputError(
            "was a different fit (" + ", ".join(differing) + " differ); resume it with the "
            "same data and options, or choose another --out",
            Location(file=str(path)),
        )


def timed(started: float) -> str:
    return f"{time.perf_counter() - started:.0f} s"
