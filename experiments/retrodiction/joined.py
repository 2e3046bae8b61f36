"""Who joined, scored: the model's chance that each potential third state fights, and on which side.

Each case names its potential third states by onset rules (:attr:`Case.third_states`) and keeps
who really fought (:attr:`Case.fought`: a state whose own MID hostility level reached a use of
force, or an ICB actor whose crisis saw clashes). For every state × case pair the model's
forecast is the share of runs in which the state fought on the challenger's side and on the
target's; it is scored against what happened with the Brier score and the AUC of "fights at
all", and, where the record gives sides (MID), the Brier score over the three classes "stays
out", "fights with the challenger", "fights with the target". The reference is the base rate of
the training folds' pairs (or of the training files' pairs, with ``--train``). States that
fought but that no rule chose are not pairs; :func:`joined_summary` counts them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from brink.experiments.retrodiction.cases import Case
from brink.experiments.retrodiction.scores import auc, brier, multiclass_brier

SIDES = ("challenger", "target")
PAIR_COLUMNS = (
    "case_id",
    "state",
    "rules",
    "p_challenger",
    "p_target",
    "p_fight",
    "fought",
    "side",
)


def joined_pairs(
    cases: list[Case], results: dict[str, dict[str, Any]], keys: list[str] | None = None
) -> pd.DataFrame:
    """One row per potential third state of each case: the model's shares and what happened.

    Args:
        cases: the cases run.
        results: each case's counts from :func:`~brink.experiments.retrodiction.case_runs.run_case`
            (``runs``, ``fought_challenger``, ``fought_target``), keyed by case id.
        keys: the cases' keys in ``results`` if not their ids (training cases).
    """
    rows = []
    for case, key in zip(cases, keys or [case.case_id for case in cases], strict=True):
        result = results[key]
        runs = result["runs"]
        for state, rules in case.third_states.items():
            p_challenger = result["fought_challenger"].get(state, 0) / runs
            p_target = result["fought_target"].get(state, 0) / runs
            rows.append(
                {
                    "case_id": case.case_id,
                    "state": state,
                    "rules": rules,
                    "p_challenger": p_challenger,
                    "p_target": p_target,
                    "p_fight": p_challenger + p_target,
                    "fought": state in case.fought,
                    "side": case.fought.get(state, ""),
                }
            )
    return pd.DataFrame(rows, columns=list(PAIR_COLUMNS))


def _three_classes(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The model's (stays out, challenger's side, target's side) and what happened, as labels."""
    matrix = np.column_stack(
        [1 - frame["p_fight"], frame["p_challenger"], frame["p_target"]]
    ).astype(float)
    labels = frame["side"].map({"": 0, "challenger": 1, "target": 2}).to_numpy(dtype=int)
    return matrix, labels


def joined_scores(
    pairs: pd.DataFrame, fold: dict[str, int], train: pd.DataFrame | None = None
) -> dict[str, dict[str, float]]:
    """Scores of the model and of the base rate on the pairs, per forecaster.

    Args:
        pairs: :func:`joined_pairs` of the scored file.
        fold: each case's fold; the base rate of a case's pairs is that of the other folds.
        train: the training files' pairs (``--train``): the base rate is theirs instead.

    Returns:
        ``{"crisis model": {...}, "base rate": {...}}``, each with ``joined_brier``,
        ``joined_auc``, ``joined_side_brier`` (NaN where the record gives no sides),
        ``joined_pairs`` and ``joined_observed`` (the share of pairs that fought).
    """
    empty = dict.fromkeys(("joined_brier", "joined_auc", "joined_side_brier"), math.nan)
    if pairs.empty:
        return {"crisis model": empty, "base rate": empty}
    fought = pairs["fought"].to_numpy(dtype=float)
    sided = bool((pairs["side"] != "").any() or not pairs["fought"].any())
    matrix, labels = _three_classes(pairs)
    if train is not None:
        rate = np.full(len(pairs), float(train["fought"].mean()) if len(train) else math.nan)
        shares = np.tile(_class_shares(train), (len(pairs), 1))
    else:
        case_fold = pairs["case_id"].map(fold).to_numpy(dtype=int)
        rate = np.zeros(len(pairs))
        shares = np.zeros((len(pairs), 3))
        for f in np.unique(case_fold):
            held = case_fold == f
            rate[held] = fought[~held].mean() if (~held).any() else math.nan
            shares[held] = _class_shares(pairs[~held])
    common = {"joined_pairs": float(len(pairs)), "joined_observed": float(fought.mean())}
    return {
        "crisis model": {
            "joined_brier": brier(pairs["p_fight"], fought),
            "joined_auc": auc(pairs["p_fight"], fought),
            "joined_side_brier": multiclass_brier(matrix, labels) if sided else math.nan,
            **common,
        },
        "base rate": {
            "joined_brier": brier(rate, fought),
            "joined_auc": math.nan,  # one rate per fold: it ranks nothing
            "joined_side_brier": multiclass_brier(shares, labels) if sided else math.nan,
            **common,
        },
    }


def _class_shares(pairs: pd.DataFrame) -> np.ndarray:
    if pairs.empty:
        return np.full(3, 1 / 3)
    labels = pairs["side"].map({"": 0, "challenger": 1, "target": 2}).to_numpy(dtype=int)
    return np.bincount(labels, minlength=3) / len(labels)


def joined_summary(cases: list[Case]) -> dict[str, int]:
    """How many states fought beside the principals, and how many of them a rule had chosen."""
    fought = [(case, state) for case in cases for state in case.fought]
    return {
        "fought": len(fought),
        "chosen": sum(state in case.third_states for case, state in fought),
        "pairs": sum(len(case.third_states) for case in cases),
    }
