"""Scores of probabilistic forecasts against what happened, and the baselines they must beat.

Proper scoring rules (Gneiting & Raftery 2007), computed by scikit-learn: the Brier score
(Brier 1950), the mean squared error of a probability (``brier_score_loss``), and the log loss,
the mean negative log probability of what happened (``log_loss``), with probabilities clipped
to [0.001, 0.999] first so that one confident miss costs at most −log(0.001) ≈ 6.9 rather than
infinity. The AUC (area under the ROC curve, ``roc_auc_score``) is the probability that a random
war case gets a higher forecast than a random peace case, ties counting half (Hanley & McNeil
1982); it measures ranking, not calibration. A forecast that is NaN (nothing to fit it on) makes
its score NaN, as does an AUC with one class only.

Baselines, fitted on training folds only and scored on the held-out fold (k-fold
cross-validation, folds drawn by case with a seeded generator, :func:`folds`, and walked with
scikit-learn's ``PredefinedSplit``): the base rate of the training folds, and a multinomial
logistic regression on the standardised case covariates with a small ridge penalty
(``StandardScaler`` and ``LogisticRegression``). Platt scaling is the same regression, binary,
on the forecasts' logit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.metrics import log_loss as sklearn_log_loss
from sklearn.model_selection import PredefinedSplit
from sklearn.preprocessing import StandardScaler

CLIP = 1e-3


def clip(p: np.ndarray) -> np.ndarray:
    """Probabilities clipped to [0.001, 0.999]."""
    return np.clip(np.asarray(p, dtype=float), CLIP, 1 - CLIP)


def _binary(p: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray] | None:
    """``p`` and ``y`` as arrays, or None where a forecast is NaN (the score is then NaN)."""
    p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=float)
    return None if np.isnan(p).any() else (p, y)


def brier(p: ArrayLike, y: ArrayLike) -> float:
    """Brier score of binary forecasts ``p`` for outcomes ``y`` ∈ {0, 1} (lower is better)."""
    arrays = _binary(p, y)
    if arrays is None:
        return math.nan
    return float(brier_score_loss(arrays[1], arrays[0], labels=[0, 1]))


def log_loss(p: ArrayLike, y: ArrayLike) -> float:
    """Mean negative log likelihood of binary outcomes, ``p`` clipped to [0.001, 0.999]."""
    arrays = _binary(p, y)
    if arrays is None:
        return math.nan
    return float(sklearn_log_loss(arrays[1], clip(arrays[0]), labels=[0, 1]))


def auc(p: ArrayLike, y: ArrayLike) -> float:
    """Area under the ROC curve (ties count half); NaN with one class only."""
    arrays = _binary(p, y)
    if arrays is None or len(np.unique(arrays[1])) < 2:
        return math.nan
    return float(roc_auc_score(arrays[1], arrays[0]))


def multiclass_brier(probabilities: np.ndarray, labels: ArrayLike) -> float:
    """Brier score summed over classes, averaged over cases (0 perfect, 2 worst)."""
    probabilities = np.asarray(probabilities, dtype=float)
    if np.isnan(probabilities).any():
        return math.nan
    classes = list(range(probabilities.shape[1]))
    return float(brier_score_loss(np.asarray(labels, dtype=int), probabilities, labels=classes))


def multiclass_log_loss(probabilities: np.ndarray, labels: ArrayLike) -> float:
    """Mean negative log probability of the class that happened, clipped to [0.001, 0.999].

    Written out rather than scikit-learn's ``log_loss``: that one warns on rows that do not sum
    to one, which a row clipped class by class no longer does.
    """
    probabilities = clip(probabilities)
    chosen = probabilities[np.arange(len(probabilities)), np.asarray(labels, dtype=int)]
    return float(-np.mean(np.log(chosen)))


def reliability(p: ArrayLike, y: ArrayLike, bins: int = 10) -> pd.DataFrame:
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
    """A fitted multinomial logistic regression on standardised covariates."""

    scaler: StandardScaler
    model: LogisticRegression | None  # None where the training cases had one class only
    n_classes: int
    only_class: int = 0

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities, one row per case, one column per class 0…n_classes−1."""
        x = np.asarray(x, dtype=float)
        out = np.zeros((len(x), self.n_classes))
        if self.model is None:
            out[:, self.only_class] = 1.0
            return out
        out[:, self.model.classes_] = self.model.predict_proba(self.scaler.transform(x))
        return out

    @property
    def slopes(self) -> np.ndarray:
        """Each class's coefficients against class 0's, on the original (unstandardised)
        covariates: (n_covariates, n_classes), column 0 zero."""
        out = np.zeros((len(self.scaler.scale_), self.n_classes))
        if self.model is None:
            return out
        coefficients = self.model.coef_
        if len(self.model.classes_) == 2:  # one row: the second class against the first
            coefficients = np.vstack([np.zeros_like(coefficients), coefficients])
        relative = coefficients - coefficients[0]
        out[:, self.model.classes_] = relative.T / self.scaler.scale_[:, None]
        return out


def fit_logistic(x: np.ndarray, labels: ArrayLike, n_classes: int, ridge: float = 1e-3) -> Logistic:
    """Fit a multinomial logistic regression by penalised maximum likelihood (scikit-learn).

    Covariates are standardised on the training data (a covariate that does not vary keeps
    scale 1 and gets a zero slope); ``ridge`` is the L2 penalty per case on the standardised
    slopes (not the intercepts), enough to keep separable data finite: scikit-learn's ``C`` is
    the inverse of the whole penalty, 1 / (ridge × cases). With two classes this is the fit the
    hand-written BFGS made before (scores equal to 1e-7). With more, scikit-learn penalises
    every class's slopes (the symmetric multinomial form) where the hand-written fit penalised
    each class's difference from class 0, so the outcome baseline's scores moved in the fourth
    decimal (CHANGELOG). A class absent from the training cases gets probability 0; with one
    class only, that class gets 1.
    """
    x = np.asarray(x, dtype=float)
    labels = np.asarray(labels, dtype=int)
    scaler = StandardScaler().fit(x)
    present = np.unique(labels)
    if len(present) < 2:
        return Logistic(scaler, None, n_classes, int(present[0]) if len(present) else 0)
    strength = 1.0 / (ridge * len(x)) if ridge > 0 else np.inf
    # lbfgs to a tight gradient tolerance, as the earlier hand-written BFGS (gtol 1e-8): the two
    # class fits (war, Platt) give the scores they gave to 1e-7.
    model = LogisticRegression(C=strength, tol=1e-10, max_iter=1000)
    model.fit(scaler.transform(x), labels)
    return Logistic(scaler, model, n_classes)


def folds(n: int, k: int, seed: int) -> np.ndarray:
    """Fold number (0…k−1) of each of ``n`` cases: a seeded random, balanced assignment.

    Drawn from numpy's generator, not a scikit-learn splitter, so that a seed gives the folds it
    always gave; :class:`sklearn.model_selection.PredefinedSplit` walks them.
    """
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
    for rest, test in PredefinedSplit(fold).split():
        train = rest[labels[rest] >= 0]
        if not len(train):  # nothing known to learn from: say so with a uniform forecast
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
    logit = platt_logit(p)
    out = np.zeros(len(logit))
    if len(np.unique(fold)) < 2:  # one fold (one case): nothing to fit the curve on
        return np.full(len(logit), np.nan)
    for rest, test in PredefinedSplit(fold).split():
        model = fit_logistic(logit[rest], y[rest].astype(int), 2)
        out[test] = model.predict(logit[test])[:, 1]
    return out


def platt_logit(p: np.ndarray) -> np.ndarray:
    """The logit of clipped forecasts, as the one column Platt's curve is fitted on."""
    p = clip(p)
    return np.log(p / (1 - p))[:, None]
