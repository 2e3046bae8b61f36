"""Does the model move with history: the onset covariates' effects on war, in history and model.

The rule of ``../shared/design/PATTERNS.md`` ("follows history"): fit a logistic regression of
war on the standardised covariates known at a dispute's onset — log distance, allied, each side
nuclear, contiguity, joint democracy, capability parity (1 − |2·share − 1|) and a dummy per issue
(the most common issue is the reference) — twice: to what happened (war or not) and to the
model's ``p_war`` (a fractional response, Papke & Wooldridge 1996). History's coefficients are
bootstrapped over cases (100 resamples by default; the model's on the same resamples). A
covariate whose history interval (2.5th to 97.5th percentile) excludes zero is *followed* when
the model's coefficient has the same sign and at least half the size, and *missed* otherwise
(*reversed* when the sign is the other); the others are not significant in history and get no
verdict. Each covariate is standardised on the whole file (mean 0, standard deviation 1), so a
coefficient is the change in the log odds of war per standard deviation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import expit, log_expit

#: The covariates known at onset, as ``brink retrodict`` writes them in ``cases.csv``.
EFFECT_COVARIATES = (
    "log_distance",
    "allied",
    "challenger_nuclear",
    "target_nuclear",
    "contiguous",
    "joint_democracy",
    "log_rivalry",
    "capability_parity",
)
RESAMPLES = 100
#: L2 penalty per case on the standardised slopes: keeps a separable resample finite.
RIDGE = 1e-3


def effect_design(frame: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """The standardised covariates and issue dummies of the cases, and their names."""
    # A covariate missing from the table (a cases.csv of an earlier version) is left out.
    columns = {
        c: frame[c].to_numpy(dtype=float)
        for c in EFFECT_COVARIATES
        if c != "capability_parity" and c in frame
    }
    columns["capability_parity"] = 1 - np.abs(2 * frame["capability_share"].to_numpy(float) - 1)
    issues = frame["issue"].value_counts()
    for issue in sorted(issues.index[1:]):
        columns[f"issue_{issue}"] = (frame["issue"] == issue).to_numpy(dtype=float)
    names = [c for c in (*EFFECT_COVARIATES, *columns) if c in columns]
    names = list(dict.fromkeys(names))
    x = np.column_stack([columns[c] for c in names])
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    return (x - x.mean(axis=0)) / scale, names


def logit_slopes(x: np.ndarray, y: np.ndarray, ridge: float = RIDGE) -> np.ndarray:
    """Slopes of a logistic regression of ``y`` ∈ [0, 1] (0/1 or a probability) on ``x``."""
    n, k = x.shape
    design = np.column_stack([np.ones(n), x])
    penalty = np.r_[0.0, np.ones(k)]

    def loss(beta: np.ndarray) -> tuple[float, np.ndarray]:
        z = design @ beta
        value = -np.sum(y * log_expit(z) + (1 - y) * log_expit(-z))
        value += 0.5 * ridge * n * np.sum(penalty * beta**2)
        gradient = design.T @ (expit(z) - y) + ridge * n * penalty * beta
        return value / n, gradient / n

    result = minimize(loss, np.zeros(k + 1), jac=True, method="BFGS", options={"gtol": 1e-8})
    return result.x[1:]


def verdict(history: float, low: float, high: float, model: float) -> str:
    """PATTERNS.md's rule: followed, missed, missed (reversed), or not significant."""
    if low <= 0 <= high or np.isnan(model):
        return "not significant"
    if np.sign(model) != np.sign(history):
        return "missed (reversed)"
    return "followed" if abs(model) >= abs(history) / 2 else "missed"


def effects_table(frame: pd.DataFrame, seed: int, resamples: int = RESAMPLES) -> pd.DataFrame:
    """Each onset covariate's standardised effect on war in history and in the model's forecasts,
    with bootstrap 95 % intervals and the verdict. Empty when the file has no war or no peace."""
    war = frame["observed_war"].to_numpy(dtype=float)
    columns = [
        "covariate",
        *("history", "history_low", "history_high", "model", "model_low", "model_high"),
        "verdict",
    ]
    if len(frame) < 2 or war.min() == war.max():
        return pd.DataFrame(columns=columns)
    x, names = effect_design(frame)
    p_war = frame["p_war"].to_numpy(dtype=float)
    history, model = logit_slopes(x, war), logit_slopes(x, p_war)
    rng = np.random.default_rng(seed)
    draws_h, draws_m = [], []
    for _ in range(resamples):
        pick = rng.integers(0, len(frame), len(frame))
        draws_h.append(logit_slopes(x[pick], war[pick]))
        draws_m.append(logit_slopes(x[pick], p_war[pick]))
    low_h, high_h = np.percentile(draws_h, [2.5, 97.5], axis=0)
    low_m, high_m = np.percentile(draws_m, [2.5, 97.5], axis=0)
    rows = [
        {
            "covariate": name,
            "history": history[i],
            "history_low": low_h[i],
            "history_high": high_h[i],
            "model": model[i],
            "model_low": low_m[i],
            "model_high": high_m[i],
            "verdict": verdict(history[i], low_h[i], high_h[i], model[i]),
        }
        for i, name in enumerate(names)
    ]
    return pd.DataFrame(rows, columns=columns)


def effects_lines(effects: pd.DataFrame, resamples: int = RESAMPLES) -> list[str]:
    """The "does the model move with history" section of ``retrodiction.md``."""
    lines = ["## Does the model move with history", ""]
    if effects.empty:
        return [*lines, "Not measured: the file has no war or no peace.", ""]
    lines += [
        "Standardised logit effects on war of the covariates known at onset, fitted to what "
        "happened and to the model's `p_war`, with bootstrap 95 % intervals "
        f"({resamples} resamples of cases). A covariate significant in history is *followed* "
        "when the model's effect has the same sign and at least half the size "
        "(`../shared/design/PATTERNS.md`). Also in `effects.csv`.",
        "",
        "| covariate | history (95 % CI) | model (95 % CI) | verdict |",
        "|---|---:|---:|---|",
    ]
    for row in effects.itertuples(index=False):
        lines.append(
            f"| {row.covariate} | {row.history:+.2f} ({row.history_low:+.2f}, "
            f"{row.history_high:+.2f}) | {row.model:+.2f} ({row.model_low:+.2f}, "
            f"{row.model_high:+.2f}) | {row.verdict} |"
        )
    significant = effects[effects["verdict"] != "not significant"]
    followed = int((significant["verdict"] == "followed").sum())
    lines += [
        "",
        f"Followed: {followed} of the {len(significant)} covariates significant in history.",
        "",
    ]
    return lines
