"""The casebook's figure: one grid, cases by rows, outcome classes by columns.

Each cell's shade is the model's probability of that outcome (white 0, dark blue 1) with the
percentage written in it; the outcome that really happened is outlined. On the right, the log
score of what happened beside the base rate's. Takes the casebook table (a data frame), never a
live model (docs/style.md: figures take data frames).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from brink.figure_style import DOUBLE_COLUMN, PALETTE, SEQUENTIAL, figure
from brink.sim.outcomes import Outcome
from brink.sim.record import RUN_OUTCOMES

#: Column headings, two lines each so the grid stays narrow.
HEADINGS: dict[str, str] = {
    Outcome.VICTORY_CHALLENGER: "challenger\nwins",
    Outcome.VICTORY_TARGET: "target\nwins",
    Outcome.YIELD_CHALLENGER: "challenger\nyields",
    Outcome.YIELD_TARGET: "target\nyields",
    Outcome.COMPROMISE: "compromise",
    Outcome.STALEMATE: "stalemate",
    Outcome.WAR_ONGOING: "war still\ngoing",
}


def row_label(case: str, dispute: str, start: str) -> str:
    """``munich_1938 · sudetenland (1938-09-12)``: a row's label."""
    return f"{case.rsplit('/', 1)[-1]} · {dispute} ({start})"


def casebook_figure(table: pd.DataFrame, title: str = "") -> Figure:
    """The grid of the casebook table (columns ``p_<outcome>``, ``real_outcome``, scores).

    Args:
        table: one row per case and dispute, as :func:`brink.experiments.casebook.cases.score_cases`
            makes it.
        title: the figure's title.
    """
    n = len(table)
    fig, axes = figure(width=DOUBLE_COLUMN, height=1.1 + 0.36 * max(n, 1))
    shares = (
        table[[f"p_{o}" for o in RUN_OUTCOMES]].to_numpy(dtype=float) if n else np.zeros((0, 7))
    )
    axes.imshow(
        np.nan_to_num(shares), cmap=SEQUENTIAL, vmin=0, vmax=1, aspect="auto", interpolation="none"
    )
    for i, row in enumerate(table.itertuples(index=False)):
        for j in range(len(RUN_OUTCOMES)):
            share = shares[i, j]
            text = "–" if np.isnan(share) else f"{100 * share:.0f}"
            if 0 < share < 0.005:
                text = "<1"
            colour = "white" if share > 0.55 else PALETTE["black"]
            axes.text(j, i, text, ha="center", va="center", fontsize=7, color=colour)
        real = RUN_OUTCOMES.index(row.real_outcome)
        axes.add_patch(
            Rectangle(
                (real - 0.46, i - 0.42),
                0.92,
                0.84,
                fill=False,
                edgecolor=PALETTE["vermilion"],
                linewidth=2.0,
            )
        )
        axes.text(
            len(RUN_OUTCOMES) - 0.3,
            i,
            f"  {row.log_score:+.2f}  ({row.base_rate_log_score:+.2f})",
            ha="left",
            va="center",
            fontsize=7,
        )
    axes.set_xticks(range(len(RUN_OUTCOMES)), [HEADINGS[o] for o in RUN_OUTCOMES])
    axes.xaxis.tick_top()
    axes.tick_params(axis="x", length=0, labelsize=7)
    rows: list[Any] = list(table.itertuples(index=False))  # pandas-stubs: fields any scalar
    labels = [row_label(r.case, r.dispute, r.start) for r in rows]
    axes.set_yticks(range(n), labels)
    axes.tick_params(axis="y", length=0)
    axes.set_xlim(-0.5, len(RUN_OUTCOMES) - 0.5)
    for spine in axes.spines.values():
        spine.set_visible(False)
    axes.text(
        len(RUN_OUTCOMES) - 0.3,
        -0.75,
        "  log score\n  (base rate)",
        ha="left",
        va="bottom",
        fontsize=7,
        fontweight="bold",
    )
    totals = (
        f"Total log score: model {table['log_score'].sum():.1f}, base rate "
        f"{table['base_rate_log_score'].sum():.1f}; what happened was among the model's two "
        f"likeliest in {int(table['in_two_likeliest'].sum())} of {n}."
        if n
        else ""
    )
    axes.set_xlabel(
        "Model's probability of each outcome, % of runs (shade); what happened is outlined. "
        "Log score: ln of the smoothed probability of what happened (0 best).\n" + totals,
        fontsize=6.5,
    )
    axes.set_title(title or "Casebook: the model's forecasts beside what happened", pad=18)
    return fig
