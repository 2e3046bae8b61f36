"""The forecasters a retrodiction scores beside the crisis model, and the score table.

The model's war probability recalibrated through a logistic curve (Platt 1999), the base rate,
and a logistic regression on the case covariates (:data:`COVARIATES` and a dummy per issue):
each fitted out of fold within the file (:func:`add_baselines`) or on training files only
(:func:`add_trained_baselines`, ``--train``). :func:`score_table` scores every forecaster with
the rules of :mod:`brink.experiments.retrodiction.scores`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from brink.experiments.retrodiction.codes import OTHER
from brink.experiments.retrodiction.scores import (
    auc,
    brier,
    cross_validated_baselines,
    folds,
    log_loss,
    multiclass_brier,
    multiclass_log_loss,
    platt_cross_fitted,
)


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
    from brink.experiments.retrodiction.scores import fit_logistic, platt_logit

    x_train, columns = design_matrix(train, COVARIATES)
    x_test = _same_design(frame, columns)
    frame["fold"] = 0
    war = train["observed_war"].to_numpy(dtype=int)
    frame["p_war_base_rate"] = war.mean()
    frame["p_war_logistic"] = fit_logistic(x_train, war, 2).predict(x_test)[:, 1]
    platt = fit_logistic(platt_logit(train["p_war"].to_numpy()), war, 2)
    frame["p_war_recalibrated"] = platt.predict(platt_logit(frame["p_war"].to_numpy()))[:, 1]
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


def _index(classes: tuple[str, ...]) -> dict[str, int]:
    return {cls: i for i, cls in enumerate(classes)}


#: Covariates of the logistic baseline: what the scenario tells the model, as numbers.
COVARIATES = (
    "capability_share",
    "log_distance",
    "allied",
    "challenger_nuclear",
    "target_nuclear",
    "log_originators",
    "contiguous",
    "joint_democracy",
    "log_rivalry",
)
