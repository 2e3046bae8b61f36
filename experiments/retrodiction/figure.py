"""The retrodiction's calibration figure: a reliability diagram for the probability of war.

Takes the per-case table (a data frame), never a live model (docs/style.md: figures take data
frames). Each forecaster's cases are binned by forecast (ten equal-width bins); a point is the
bin's mean forecast against the share of its cases that reached war, its area proportional to
the number of cases. A perfectly calibrated forecaster lies on the diagonal (Murphy & Winkler
1977). Below, how often each forecaster gives each probability.

With few cases some forecasts are undefined (a recalibration or a regression with nothing to
fit on is NaN): those cases are left out of that forecaster's points, a forecaster with none
left is left out, and a diagram with no point at all says so instead of failing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from brink.experiments.retrodiction.scores import reliability
from brink.figure_style import PALETTE, SINGLE_COLUMN, figure, line

#: Forecast column of the per-case table → (label, colour, marker).
FORECASTERS = {
    "p_war": ("crisis model", PALETTE["vermilion"], "o"),
    "p_war_recalibrated": ("model, recalibrated out of fold", PALETTE["orange"], "D"),
    "p_war_logistic": ("logistic regression (CV)", PALETTE["blue"], "s"),
    "p_war_base_rate": ("base rate (CV)", PALETTE["black"], "^"),
}


def calibration_figure(cases: pd.DataFrame, title: str = "", bins: int = 10) -> Figure:
    """Reliability diagram of the war forecasts in ``cases`` (needs ``observed_war``).

    Args:
        cases: one row per case, with ``observed_war`` and any of the columns of
            :data:`FORECASTERS`.
        title: the figure's title (e.g. the data file's name).
        bins: number of equal-width forecast bins.
    """
    fig, (top, bottom) = figure(
        width=SINGLE_COLUMN + 0.5,
        height=4.4,
        nrows=2,
        gridspec_kw={"height_ratios": [3, 1]},
        sharex=True,
    )
    observed_all = pd.to_numeric(cases["observed_war"], errors="coerce").to_numpy(dtype=float)
    top.plot([0, 1], [0, 1], color="#999999", linewidth=0.6, linestyle="--")
    handles = [line("#999999", "--", "perfectly calibrated")]
    edges = np.linspace(0, 1, bins + 1)
    for column, (label, colour, marker) in FORECASTERS.items():
        if column not in cases:
            continue
        forecast = pd.to_numeric(cases[column], errors="coerce").to_numpy(dtype=float)
        usable = np.isfinite(forecast) & np.isfinite(observed_all)
        if not usable.any():
            continue
        forecast, observed = np.clip(forecast[usable], 0, 1), observed_all[usable]
        table = reliability(forecast, observed, bins).astype(float)
        top.plot(table["forecast"], table["observed"], color=colour, linewidth=0.8)
        top.scatter(
            table["forecast"],
            table["observed"],
            s=4 + 40 * np.sqrt(table["count"] / max(1, len(forecast))),
            color=colour,
            marker=marker,
            zorder=3,
        )
        handles.append(
            Line2D([], [], color=colour, marker=marker, markersize=4, linewidth=0.8, label=label)
        )
        counts, _ = np.histogram(forecast, bins=edges)
        bottom.stairs(counts, edges, color=colour, linewidth=0.8)
    if len(handles) == 1:
        top.text(0.5, 0.5, "no case with a forecast to show", ha="center", fontsize=7)
    top.set_xlim(0, 1)
    top.set_ylim(0, 1)
    top.set_ylabel("share of cases that reached war")
    top.set_title(title or "Reliability of war forecasts", fontsize=8)
    top.legend(handles=handles, loc="upper left", fontsize=6)
    bottom.set_yscale("symlog", linthresh=1)
    bottom.set_ylim(bottom=0)
    bottom.set_xlabel("forecast probability of war")
    bottom.set_ylabel("cases")
    return fig
