"""The ``retrodiction.md`` summary: the command, the counts, the scores and the timings."""

from __future__ import annotations

import math
import platform
import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from brink.experiments.retrodiction.codes import OTHER
from brink.experiments.retrodiction.effects import effects_lines
from brink.experiments.retrodiction.forecasters import (
    COVARIATES,
    FORECASTERS,
    TRAINED_FORECASTERS,
)
from brink.sim.params import ModelParams
from brink.sim.record import OUTCOMES

if TYPE_CHECKING:
    from brink.experiments.retrodiction.run import RetroResult


def model_version() -> str:
    """The package version and, in a git checkout, the (short) commit, ``+dirty`` if edited."""
    from brink.experiments.ensemble.output import git_commit
    from brink.version import __version__

    commit = git_commit()
    if commit is None:
        return f"brink {__version__}"
    return (
        f"brink {__version__}, commit {commit[:7]}{'+dirty' if commit.endswith('+dirty') else ''}"
    )


def _skill(score: float, reference: float) -> str:
    """Brier skill score 1 − score / reference, or "n/a" when the reference is 0."""
    return f"{1 - score / reference:+.3f}" if reference > 0 else "n/a (no war in the file)"


def _table(frame: pd.DataFrame) -> str:
    header = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    lines = [header, rule]
    for row in frame.itertuples(index=False):
        cells = [("–" if v != v else f"{v:.4f}") if isinstance(v, float) else str(v) for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _joined_lines(scores: pd.DataFrame, names: list[str], joined: dict[str, int] | None) -> list:
    """The "who joined" section: the model's and the base rate's scores over state × case pairs."""
    if "joined_brier" not in scores or joined is None:
        return []
    by_name = scores.set_index("forecaster")
    # cast: pandas-stubs cannot tell that a label of a unique index gives one row (a Series)
    model, base = (cast(pd.Series, by_name.loc[name]) for name in (names[0], names[2]))
    table = pd.DataFrame(
        {
            "forecaster": [names[0], names[2]],
            "Brier (fights)": [model["joined_brier"], base["joined_brier"]],
            "AUC (fights)": [model["joined_auc"], base["joined_auc"]],
            "Brier (side)": [model["joined_side_brier"], base["joined_side_brier"]],
        }
    )
    return [
        "## Who joined",
        "",
        f"Each case's potential third states, chosen by onset rules (docs/onset.md), make "
        f"{int(model['joined_pairs'])} state × case pairs; {model['joined_observed']:.1%} of "
        "them fought (MID: the state's own hostility level reached a use of force; ICB: its "
        "crisis saw clashes). Of the "
        f"{joined['fought']} states that fought beside the principals, the rules had chosen "
        f"{joined['chosen']}; the others are not forecast. The model's forecast is the share "
        'of runs in which the state fought (in a war, on a side); "side" scores the three '
        "classes stays out / with the challenger / with the target (MID only: ICB gives no "
        "sides). Pairs in `joined.csv`.",
        "",
        _table(table),
        "",
        f"Brier skill of the model against the base rate: "
        f"{_skill(model['joined_brier'], base['joined_brier'])}.",
        "",
    ]


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
    command: str | None,
    params_file=None,
    train: list | None = None,
    train_cases: int = 0,
    joined: dict[str, int] | None = None,
    rules: tuple = (),
) -> str:
    """The ``retrodiction.md`` summary."""
    cases, skipped, scores = result.cases, result.skipped, result.scores
    war_rate = cases["observed_war"].mean()
    by_name = scores.set_index("forecaster")
    names = list(TRAINED_FORECASTERS if train else FORECASTERS)
    model, recalibrated, base = (by_name["war_brier"].loc[name] for name in names[:3])
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
        f"- Model: {model_version()}.",
        *(
            ["- Decision rules (`--rule`): " + ", ".join(f"`{rule}`" for rule in rules) + "."]
            if rules
            else []
        ),
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
            f"recalibration of the model's war probability are {folds_text(k_folds, len(cases))} "
            "(folds drawn by case, seeded by the root seed) and scored on the held-out fold. "
        )
        + "No model parameter was tuned here"
        + (" (a fit's parameters were applied unchanged)" if params_file is not None else "")
        + ". Probabilities are clipped to [0.001, 0.999] for the log loss. Outcome scores "
        "use only cases whose recorded outcome is one of the classes "
        f"({cases['observed_outcome'].ne(OTHER).sum()} cases); the others count for war only.",
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
    lines += _joined_lines(scores, names, joined)
    lines += effects_lines(result.effects)
    lines += [
        "## Outcome classes: predicted share (mean over cases) and observed share",
        "",
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
        "`joined.csv` (who joined), `effects.csv`, `calibration.png`/`calibration.pdf`.",
        "",
    ]
    return "\n".join(lines)


def folds_text(k_folds: int, n_cases: int) -> str:
    """How many folds the baselines were fitted on: ``--folds``, but never more folds than
    cases (:func:`brink.experiments.retrodiction.scores.folds` gives each case its own fold
    then), and with one case no fold to fit on at all."""
    used = min(k_folds, n_cases)
    if used < 2:
        return (
            "not fitted at all: with one case there is no other fold to fit them on (they "
            "forecast every class alike, and the recalibration is undefined)"
        )
    if used < k_folds:
        return (
            f"fitted on {used - 1} of {used} folds (one case a fold: --folds {k_folds} asks for "
            f"more folds than the {n_cases} cases)"
        )
    return f"fitted on {used - 1} of {used} folds"
