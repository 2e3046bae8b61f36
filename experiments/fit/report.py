"""What a fit leaves behind: out-of-fold scores, ``params.yaml``, figures and ``fit.md``.

**Out of fold.** Every trial ran every training case, so the fit can be cross-validated
without running anything again: for each fold *k*, the trial with the best score on the other
folds is chosen, and its forecasts for the cases of fold *k* are kept. The forecasts kept
across the *k* folds are each made by parameters chosen without looking at their cases; they
are scored against the training-fold base rate and outcome shares. (The sampler proposed the
trials from the whole training score, so this checks the choice among trials, not the search
itself; the test that says what the fit is worth on data it never saw is
``brink retrodict TEST --train …`` on a file the fit never read.)
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from brink.experiments.fit.evaluate import TrainingSet, objective
from brink.experiments.fit.scoring import DURATION_BINS, PARTS
from brink.experiments.fit.study import TrialRecord, prior
from brink.experiments.retrodiction.codes import OTHER, OUTCOME_CLASSES
from brink.experiments.retrodiction.scores import auc, brier
from brink.scenarios.params_file import PARAMS_FORMAT

#: The share of the best trials that stand for the fit's uncertainty in ``params.yaml``.
TOP_SHARE = 0.1
TOP_AT_LEAST = 5


def fold_choices(
    records: list[TrialRecord], cases: dict[int, pd.DataFrame], training: TrainingSet
) -> dict[int, int]:
    """For each fold, the trial with the best score on the other folds."""
    chosen: dict[int, int] = {}
    for k in sorted(set(training.fold.tolist())):
        best, best_score = None, -math.inf
        for record in records:
            frame = cases[record.number]
            counts = np.array(_counts(record))
            score = objective(frame, counts, training.observed_war_days, frame["fold"] != k)
            if score["score"] > best_score:
                best, best_score = record.number, score["score"]
        if best is None:
            raise ValueError(f"fold {k}: no trial has a finite score")
        chosen[k] = best
    return chosen


def _counts(record: TrialRecord) -> list[float]:
    return record.parts.get("duration_counts") or [0.0] * len(DURATION_BINS)


def out_of_fold_forecasts(cases: dict[int, pd.DataFrame], chosen: dict[int, int]) -> pd.DataFrame:
    parts = [cases[trial][cases[trial]["fold"] == k] for k, trial in chosen.items()]
    return pd.concat(parts).sort_index()


def skill_table(forecasts: pd.DataFrame, training: TrainingSet, label: str) -> list[dict[str, Any]]:
    """Per training file: war Brier, its skill against the training-fold base rate, AUC, and
    outcome log loss against the training-fold class shares (the null)."""
    rows = []
    for index, file in enumerate(training.files):
        frame = forecasts[forecasts["file"] == index]
        if frame.empty:
            continue
        war = frame["observed_war"].to_numpy(dtype=float)
        base = np.empty(len(frame))
        for k in frame["fold"].unique():
            held = (frame["fold"] == k).to_numpy()
            base[held] = war[~held].mean() if (~held).any() else war.mean()
        model_brier = brier(frame["p_war"].to_numpy(), war)
        base_brier = brier(base, war)
        classes = OUTCOME_CLASSES[file.format]
        known = (frame["observed_outcome"] != OTHER).to_numpy()
        labels = frame.loc[known, "observed_outcome"].map(classes.index).to_numpy(dtype=int)
        matrix = frame.loc[known, [f"p_{c}" for c in classes]].to_numpy(dtype=float)
        model_loss = float(-np.mean(np.log(matrix[np.arange(len(labels)), labels])))
        null_loss = _null_outcome_loss(frame[known], classes)
        rows.append(
            {
                "forecaster": label,
                "file": Path(file.path).name,
                "cases": len(frame),
                "war_brier": model_brier,
                "base_rate_brier": base_brier,
                "war_brier_skill": 1.0 - model_brier / base_brier if base_brier > 0 else math.nan,
                "war_auc": auc(frame["p_war"].to_numpy(), war),
                "outcome_log_loss": model_loss,
                "null_outcome_log_loss": null_loss,
            }
        )
    return rows


def _null_outcome_loss(frame: pd.DataFrame, classes: tuple[str, ...]) -> float:
    """Log loss of the training-fold outcome shares (add-half smoothed), fold by fold."""
    losses = []
    for k in frame["fold"].unique():
        held = frame["fold"] == k
        train = frame.loc[~held, "observed_outcome"] if (~held).any() else frame["observed_outcome"]
        counts = np.array([(train == c).sum() for c in classes], dtype=float) + 0.5
        shares = counts / counts.sum()
        labels = frame.loc[held, "observed_outcome"].map(classes.index).to_numpy(dtype=int)
        losses += list(-np.log(shares[labels]))
    return float(np.mean(losses))


def top_trials(records: list[TrialRecord]) -> list[TrialRecord]:
    ranked = sorted(records, key=lambda r: r.score, reverse=True)
    return ranked[: max(TOP_AT_LEAST, math.ceil(TOP_SHARE * len(ranked)))]


def params_document(
    best: TrialRecord,
    records: list[TrialRecord],
    fit: dict[str, Any],
    base: dict[str, Any],
) -> str:
    """``params.yaml``: the best trial's values, the top trials as the uncertainty, the fit."""
    values = {**base, **{k: _plain(v) for k, v in best.params.items()}}
    document = {
        "format": PARAMS_FORMAT,
        "values": values,
        "posterior": [{k: _plain(v) for k, v in r.params.items()} for r in top_trials(records)],
        "fit": fit,
    }
    header = (
        "# Model parameters fitted by `brink fit` (see fit.md beside this file).\n"
        "# values: the best trial; posterior: the best trials, standing for the uncertainty of\n"
        "# the fit (`brink run --params FILE --posterior` draws one per run).\n"
    )
    return header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float):
        return float(f"{value:.6g}")
    return value


def trials_frame(records: list[TrialRecord]) -> pd.DataFrame:
    rows = []
    for r in records:
        rows.append(
            {
                "trial": r.number,
                "default": r.default,
                "score": r.score,
                **{f"score_{k}": r.parts[k] for k in PARTS},
                **r.params,
                "seconds": r.seconds,
            }
        )
    return pd.DataFrame(rows).sort_values("trial")


def trace_figure(records: list[TrialRecord], stem: Path) -> list[Path]:
    """Score by trial, the best so far as a line, the default parameters marked."""
    from brink.figure_style import PALETTE, SINGLE_COLUMN, figure, save

    frame = trials_frame(records)
    fig, ax = figure(width=SINGLE_COLUMN * 1.6, height=2.8)
    ax.scatter(frame["trial"], frame["score"], s=10, color=PALETTE["blue"], label="trial")
    ax.plot(
        frame["trial"],
        frame["score"].cummax(),
        color=PALETTE["vermilion"],
        drawstyle="steps-post",
        label="best so far",
    )
    default = frame[frame["default"]]
    if not default.empty:
        ax.scatter(
            default["trial"],
            default["score"],
            s=40,
            marker="D",
            facecolor="none",
            edgecolor="black",
            label="default parameters",
        )
    ax.set_xlabel("trial")
    ax.set_ylabel("score (mean log probability of what happened)")
    ax.set_title("Fit: score by trial")
    ax.legend(loc="lower right", fontsize=7)
    return save(fig, stem)


def marginal_figure(records: list[TrialRecord], free: list[str], stem: Path) -> list[Path]:
    """Each free parameter's value against the trial's score over its prior range, the best
    trials (the posterior of ``params.yaml``) in colour."""
    from brink.figure_style import DOUBLE_COLUMN, PALETTE, figure, save

    columns = min(4, len(free))
    rows = math.ceil(len(free) / columns)
    fig, axes = figure(
        width=DOUBLE_COLUMN, height=2.1 * rows, nrows=rows, ncols=columns, squeeze=False
    )
    top = {r.number for r in top_trials(records)}
    frame = trials_frame(records)
    chosen = frame["trial"].isin(top)
    for ax, name in zip(axes.flat, free, strict=False):
        distribution = prior(name)
        ax.scatter(frame[name], frame["score"], s=8, color="0.6", label="trial")
        ax.scatter(
            frame.loc[chosen, name],
            frame.loc[chosen, "score"],
            s=14,
            color=PALETTE["vermilion"],
            label="best trials",
        )
        ax.set_xlim(distribution.low, distribution.high)
        if getattr(distribution, "log", False):
            ax.set_xscale("log")
        ax.set_xlabel(name.replace("_", " "))
        ax.set_ylabel("score")
    for ax in list(axes.flat)[len(free) :]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=6, loc="lower left")
    fig.suptitle("Fit: score against each parameter (prior range on the axis)")
    return save(fig, stem)
