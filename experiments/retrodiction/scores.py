"""Scores of probabilistic forecasts against what happened, and the baselines they must beat.

Proper scoring rules (Gneiting & Raftery 2007): the Brier score (Brier 1950), the mean squared
error of a probability, and the log loss, the mean negative log probability of what happened,
with probabilities clipped to [0.001, 0.999] so that one confident miss costs at most
−log(0.001) ≈ 6.9 rather than infinity. The AUC (area under the ROC curve) is the probability
that a random war case gets a higher forecast than a random peace case, ties counting half
(Hanley & McNeil 1982); it measures ranking, not calibration.

Baselines, fitted on training folds only and scored on the held-out fold (k-fold
cross-validation, folds drawn by case with a seeded generator): the base rate of the training
folds, and a multinomial logistic regression on the case covariates with a small ridge penalty,
fitted by BFGS (numpy and scipy only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import logsumexp, softmax
from scipy.stats import rankdata

CLIP = 1e-3


def clip(p: np.ndarray) -> np.ndarray:
    """Probabilities clipped to [0.001, 0.999]."""
    return np.clip(np.asarray(p, dtype=float), CLIP, 1 - CLIP)


def brier(p: Sequence[float], y: Sequence[float]) -> float:
    """Brier score of binary forecasts ``p`` for outcomes ``y`` ∈ {0, 1} (lower is better)."""
    p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=float)
    return float(np.mean((p - y) ** 2))


def log_loss(p: Sequence[float], y: Sequence[float]) -> float:
    """Mean negative log likelihood of binary outcomes, ``p`` clipped to [0.001, 0.999]."""
    p, y = clip(p), np.asarray(y, dtype=float)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def auc(p: Sequence[float], y: Sequence[float]) -> float:
    """Area under the ROC curve (Mann–Whitney form, ties count half); NaN with one class only."""
    p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=bool)
    positives, negatives = int(y.sum()), int((~y).sum())
    if positives == 0 or negatives == 0:
        return float("nan")
    ranks = rankdata(p)
    return float((ranks[y].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def multiclass_brier(probabilities: np.ndarray, labels: Sequence[int]) -> float:
    """Brier score summed over classes, averaged over cases (0 perfect, 2 worst)."""
    probabilities = np.asarray(probabilities, dtype=float)
    truth = np.zeros_like(probabilities)
    truth[np.arange(len(truth)), np.asarray(labels, dtype=int)] = 1.0
    return float(np.mean(np.sum((probabilities - truth) ** 2, axis=1)))


def multiclass_log_loss(probabilities: np.ndarray, labels: Sequence[int]) -> float:
    """Mean negative log probability of the class that happened, clipped to [0.001, 0.999]."""
    probabilities = clip(probabilities)
    chosen = probabilities[np.arange(len(probabilities)), np.asarray(labels, dtype=int)]
    return float(-np.mean(np.log(chosen)))


def reliability(p: Sequence[float], y: Sequence[float], bins: int = 10) -> pd.DataFrame:
    """Reliability table: per equal-width bin of forecasts, mean forecast, observed rate, count."""
    p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=float)
    index = np.minimum((p * bins).astype(int), bins - 1)
    rows = []
    for b in range(bins):
        inside = index == b
        if inside.any():
            rows.append(
                {
                    "low": b / bins,
                    "high": (b + 1) / bins,
                    "forecast": float(p[inside].mean()),
                    "observed": float(y[inside].mean()),
                    "count": int(inside.sum()),
                }
            )
    return pd.DataFrame(rows, columns=["low", "high", "forecast", "observed", "count"])


@dataclass(frozen=True)
class Logistic:
    """A fitted multinomial logistic regression (class 0 is the reference, coefficients 0)."""

    mean: np.ndarray  # of the training covariates, for standardising
    scale: np.ndarray
    coefficients: np.ndarray  # (n_covariates + 1, n_classes), row 0 the intercepts

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities, one row per case."""
        z = (np.asarray(x, dtype=float) - self.mean) / self.scale
        design = np.column_stack([np.ones(len(z)), z])
        return softmax(design @ self.coefficients, axis=1)

    @property
    def slopes(self) -> np.ndarray:
        """Coefficients on the original (unstandardised) covariates, (n_covariates, n_classes)."""
        return self.coefficients[1:] / self.scale[:, None]


def fit_logistic(
    x: np.ndarray, labels: Sequence[int], n_classes: int, ridge: float = 1e-3
) -> Logistic:
    """Fit a multinomial logistic regression by penalised maximum likelihood (BFGS).

    Covariates are standardised on the training data; ``ridge`` is the L2 penalty per case on
    the standardised slopes (not the intercepts), enough to keep separable data finite. A
    covariate that does not vary is kept with scale 1 and gets a zero slope.
    """
    x = np.asarray(x, dtype=float)
    labels = np.asarray(labels, dtype=int)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    design = np.column_stack([np.ones(len(x)), (x - mean) / scale])
    truth = np.zeros((len(x), n_classes))
    truth[np.arange(len(x)), labels] = 1.0
    n, k = design.shape
    penalty = np.ones(k)
    penalty[0] = 0.0

    def loss(flat: np.ndarray) -> tuple[float, np.ndarray]:
        weights = np.zeros((k, n_classes))
        weights[:, 1:] = flat.reshape(k, n_classes - 1)
        scores = design @ weights
        log_norm = logsumexp(scores, axis=1)
        value = -np.sum(truth * scores) + np.sum(log_norm)
        value += 0.5 * ridge * n * np.sum(penalty[:, None] * weights**2)
        probabilities = np.exp(scores - log_norm[:, None])
        gradient = design.T @ (probabilities - truth) + ridge * n * penalty[:, None] * weights
        return value / n, gradient[:, 1:].ravel() / n

    start = np.zeros(k * (n_classes - 1))
    # BFGS, not L-BFGS-B: with a few dozen coefficients the dense update is cheap, and L-BFGS-B's
    # compiled routine was 50 times slower here per call on a busy two-core machine.
    options = {"maxiter": 500, "gtol": 1e-8}
    result = minimize(loss, start, jac=True, method="BFGS", options=options)
    coefficients = np.zeros((k, n_classes))
    coefficients[:, 1:] = result.x.reshape(k, n_classes - 1)
    return Logistic(mean=mean, scale=scale, coefficients=coefficients)


def folds(n: int, k: int, seed: int) -> np.ndarray:
    """Fold number (0…k−1) of each of ``n`` cases: a seeded random, balanced assignment."""
    k = max(2, min(k, n))
    order = np.random.default_rng(seed).permutation(n)
    assignment = np.empty(n, dtype=int)
    assignment[order] = np.arange(n) % k
    return assignment


def cross_validated_baselines(
    x: np.ndarray, labels: np.ndarray, n_classes: int, fold: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold class probabilities of the base rate and of the logistic regression.

    Cases with label −1 (unknown) get forecasts but are left out of every fit.

    Returns:
        Two arrays (n_cases, n_classes): base-rate forecasts and logistic forecasts, each case's
        made by models fitted on the other folds only.
    """
    base = np.zeros((len(labels), n_classes))
    logistic = np.zeros((len(labels), n_classes))
    for f in np.unique(fold):
        test = fold == f
        train = ~test & (labels >= 0)
        if not train.any():  # nothing known to learn from: say so with a uniform forecast
            base[test] = logistic[test] = 1.0 / n_classes
            continue
        counts = np.bincount(labels[train], minlength=n_classes).astype(float)
        base[test] = counts / counts.sum()
        model = fit_logistic(x[train], labels[train], n_classes)
        logistic[test] = model.predict(x[test])
    return base, logistic


def platt_cross_fitted(p: np.ndarray, y: np.ndarray, fold: np.ndarray) -> np.ndarray:
    """Recalibrate forecasts by logistic regression on their logit (Platt 1999), out of fold.

    Each fold's forecasts are mapped by a curve fitted on the other folds only, so the model is
    calibrated on one part of the data and scored on another.
    """
    p = clip(p)
    logit = np.log(p / (1 - p))[:, None]
    out = np.zeros(len(p))
    for f in np.unique(fold):
        test = fold == f
        if test.all():  # one fold (one case): nothing to fit the curve on, so no forecast
            out[test] = np.nan
            continue
        model = fit_logistic(logit[~test], y[~test].astype(int), 2)
        out[test] = model.predict(logit[test])[:, 1]
    return out
