"""Robust choice of levers (``brink analyze --robust LEVER...``): how each lever setting fares
across every future the sweep ran it in, not only on average.

A future is one combination of the other factors' values (the uncertainties, and any lever not
named); a sweep crosses every lever setting with the same futures, so settings can be compared
future by future. For each setting the outcome's mean per design point gives its distribution
across futures, and (lower is better unless ``--higher-is-better``):

- **regret** in a future: how much worse the setting does there than the best setting does in
  that future (Savage 1951); the table gives its mean and its maximum over futures (minimax
  regret), as robust decision making uses it (Lempert, Popper & Bankes 2003);
- **satisficing**: the share of futures in which the outcome stays at or below ``--satisficing``
  (at or above, with ``--higher-is-better``): the domain criterion of Starr (1963), as in
  McPhail et al. (2018).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from brink.experiments.analysis.discovery import Section
from brink.experiments.analysis.figures import robust_boxes
from brink.experiments.analysis.report import markdown_table
from brink.figure_style import save


def setting_name(row: pd.Series, levers: list[str]) -> str:
    """A lever setting in words: ``troops = 3, kind = defense``."""
    parts = []
    for name in levers:
        value = row[name]
        text = f"{value:.3g}" if isinstance(value, float) else str(value).lower()
        parts.append(f"{name.split('.')[-1]} = {text}")
    return ", ".join(parts)


def robustness(
    points: pd.DataFrame,
    levers: list[str],
    futures: list[str],
    threshold: float | None,
    higher_is_better: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per lever setting: distribution across futures, regret and satisficing.

    Args:
        points: one row per design point, the factor columns and ``value`` (the outcome's mean).
        levers: the lever columns whose settings are compared.
        futures: the columns that make a future.
        threshold: the satisficing threshold (None: no satisficing column).

    Returns:
        (the summary per setting, the values per setting and future with their regret).
    """
    frame = points.copy()
    frame["setting"] = frame.apply(lambda row: setting_name(row, levers), axis=1)
    frame["future"] = frame.groupby(futures, sort=False, dropna=False).ngroup() if futures else 0
    best = frame.groupby("future")["value"].transform("max" if higher_is_better else "min")
    frame["regret"] = (best - frame["value"]) if higher_is_better else (frame["value"] - best)
    rows = []
    for setting, part in frame.groupby("setting", sort=False):
        values = part["value"].dropna()
        row = {
            "setting": setting,
            "futures": len(values),
            "mean": values.mean(),
            "p10": values.quantile(0.1),
            "median": values.median(),
            "p90": values.quantile(0.9),
            "worst": values.min() if higher_is_better else values.max(),
            "mean regret": part["regret"].mean(),
            "max regret": part["regret"].max(),
        }
        if threshold is not None:
            ok = values >= threshold if higher_is_better else values <= threshold
            row["satisficing"] = float(ok.mean()) if len(values) else np.nan
        rows.append(row)
    summary = pd.DataFrame(rows).sort_values(["max regret", "mean"], kind="stable")
    return summary.reset_index(drop=True), frame


def robust_section(
    points: pd.DataFrame,
    levers: list[str],
    futures: list[str],
    outcome: str,
    reading: str,
    threshold: float | None,
    higher_is_better: bool,
    folders,
) -> Section:
    """The ``--robust`` section of ``analysis.md``, a table and a figure."""
    tables, figures = folders
    summary, values = robustness(points, levers, futures, threshold, higher_is_better)
    summary.to_csv(tables / f"robust_{outcome}.csv", index=False)
    better = "higher" if higher_is_better else "lower"
    best = summary.iloc[0]
    met = values.groupby("future")["setting"].nunique().max()
    warning = []
    if met < 2:
        warning = [
            "**Each future met only one lever setting**, so regret is 0 by construction: make "
            f"{', '.join(f'`{name}`' for name in levers)} levers (the `levers:` block), which "
            "the sweep crosses with every future.",
            "",
        ]
    lines = [
        f"## Robust choice of levers: {reading}",
        "",
        f"Each setting of {', '.join(f'`{name}`' for name in levers)} across "
        f"{values['future'].nunique()} futures (combinations of "
        f"{', '.join(f'`{f}`' for f in futures) or 'nothing else'}); {better} is better. "
        "Regret in a future: the gap to the best setting in that future. "
        + (
            f"Satisficing: the share of futures with the outcome {'≥' if higher_is_better else '≤'}"
            f" {threshold:g}. "
            if threshold is not None
            else "Give `--satisficing LEVEL` for a satisficing share. "
        )
        + f"Sorted by maximum regret (`tables/robust_{outcome}.csv`).",
        "",
        *warning,
        markdown_table(summary),
        "",
        f"Least-regret setting: **{best['setting']}** (maximum regret {best['max regret']:.3g}, "
        f"mean {best['mean']:.3g}).",
        "",
        f"![robust](figures/robust_{outcome}.png)",
        "",
    ]
    files = [tables / f"robust_{outcome}.csv"]
    files += save(
        robust_boxes(values, reading, list(summary["setting"])), figures / f"robust_{outcome}"
    )
    return Section(lines, files)
