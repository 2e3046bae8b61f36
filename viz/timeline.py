"""The view's panels over time, drawn from the run's tables (never a live model, docs/style.md).

- :func:`draw_escalation`: the system escalation score (Rivera et al. 2024 scale, docs/model.md §8);
- :func:`draw_hostility`: each dispute's MID hostility level, step by step;
- :func:`draw_outcomes`: the share of an ensemble's runs in each main outcome by each day;
- :func:`draw_beliefs`: what each principal believes about the other's resolve, beside the truth.

:func:`panels_figure` puts the four together as the browser view and the animation show them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

from brink.scenarios.spec import Scenario
from brink.sim.outcomes import Outcome
from brink.viz.map_layers import POSTURE_COLOURS
from brink.viz.map_situation import ENDING_ACTIONS, WAR_ACTIONS
from brink.viz.narrate import LEVEL_LABELS, dispute_label, state_name, step_unit

#: The main outcomes of a dispute as the view groups them, in stacking order, with colours.
OUTCOME_GROUPS = ("war", "challenger", "compromise", "target", "ongoing")
OUTCOME_GROUP_COLOURS = {
    "war": POSTURE_COLOURS[5],
    "challenger": "#e08214",
    "compromise": "#b2abd2",
    "target": "#4393c3",
    "ongoing": "#d9d9d9",
}
# Runs-table outcomes (sim/record.py OUTCOMES) in the view's groups.
GROUP_OF_OUTCOME: dict[str, str] = {
    Outcome.VICTORY_CHALLENGER: "challenger",
    Outcome.YIELD_TARGET: "challenger",
    Outcome.VICTORY_TARGET: "target",
    Outcome.YIELD_CHALLENGER: "target",
    Outcome.COMPROMISE: "compromise",
    Outcome.STALEMATE: "ongoing",
    Outcome.WAR_ONGOING: "ongoing",
}
DISPUTE_COLOURS = ("#54278f", "#d95f02", "#1b9e77", "#e7298a", "#66a61e")


def _one_run(frame: pd.DataFrame | None, run: int | None) -> pd.DataFrame:
    if frame is None or len(frame) == 0:
        return pd.DataFrame()
    if run is not None and "run" in frame.columns:
        return frame[frame["run"] == run]
    return frame


def escalation_series(steps: pd.DataFrame | None, run: int | None = None) -> pd.Series:
    """The system escalation score per step (one value per step in the steps table)."""
    rows = _one_run(steps, run)
    if len(rows) == 0:
        return pd.Series(dtype=float)
    return rows.groupby("step")["escalation_score"].first().sort_index()


def hostility_series(
    scenario: Scenario, events: pd.DataFrame | None, last_step: int, run: int | None = None
) -> pd.DataFrame:
    """Each dispute's hostility level (the higher side's) per step from 0 to ``last_step``.

    A dispute starts at its initial level on the day it is made, follows the levels its parties'
    actions report, and drops out (NaN) once it is settled.
    """
    rows = _one_run(events, run)
    index = pd.RangeIndex(0, max(0, last_step) + 1, name="step")
    table = pd.DataFrame(index=index)
    for demand in scenario.demands:
        levels = pd.Series(np.nan, index=index)
        side_levels: dict[str, int] = {}
        current = float(demand.initial_level)
        over_from = None
        dispute_rows = (
            rows[rows["dispute"] == demand.id].sort_values("step", kind="stable").to_dict("records")
            if len(rows)
            else []
        )
        changes: dict[int, float] = {}
        for row in dispute_rows:
            level = row.get("level")
            if level is not None and not (isinstance(level, float) and math.isnan(level)):
                side_levels[str(row.get("actor"))] = int(level)
                current = float(max(side_levels.values()))
            if row.get("action") in WAR_ACTIONS:
                current = 5.0
            changes[int(row["step"])] = current
            if row.get("action") in ENDING_ACTIONS and over_from is None:
                over_from = int(row["step"]) + 1
        value = float(demand.initial_level)
        for step in index:
            if step < demand.day:
                continue
            if over_from is not None and step >= over_from:
                break
            value = changes.get(step, value)
            levels[step] = value
        table[demand.id] = levels
    return table


def outcome_shares(
    runs: pd.DataFrame | None,
    events: pd.DataFrame | None,
    dispute: str,
    horizon: int,
) -> pd.DataFrame:
    """Share of runs in each main outcome of ``dispute`` by each step, 0 … ``horizon``.

    A run counts as ``war`` from the step its war began (war is the outcome a seminar asks about
    first, whatever followed), as its settled outcome from its end step, and as ``ongoing``
    before that or when it ran to the horizon (a stalemate).

    Returns:
        pd.DataFrame: index step, columns :data:`OUTCOME_GROUPS`, rows summing to 1 (empty
        when there are no runs).
    """
    index = pd.RangeIndex(0, horizon + 1, name="step")
    if runs is None or len(runs) == 0:
        return pd.DataFrame(columns=list(OUTCOME_GROUPS), index=index[:0], dtype=float)
    rows = runs[runs["dispute"] == dispute]
    war_start: dict[Any, int] = {}  # run -> the step its war began
    if events is not None and len(events):
        wars = events[(events["dispute"] == dispute) & events["action"].isin(WAR_ACTIONS)]
        war_start = wars.groupby("run")["step"].min().to_dict()
    counts = pd.DataFrame(0.0, index=index, columns=list(OUTCOME_GROUPS))
    steps = index.to_numpy()
    for row in rows.to_dict("records"):
        group = GROUP_OF_OUTCOME.get(row["outcome"], "ongoing")
        end = int(row["end_step"])
        start_war = war_start.get(row["run"])
        if start_war is None and bool(row.get("war")):
            start_war = end
        label = np.full(len(steps), "ongoing", dtype=object)
        label[steps >= end] = group
        if start_war is not None:
            label[steps >= start_war] = "war"
        for name in OUTCOME_GROUPS:
            counts[name] += label == name
    return counts / len(rows) if len(rows) else counts


def latest_beliefs(beliefs: pd.DataFrame | None, step: int, run: int | None = None) -> pd.DataFrame:
    """The latest belief rows at or before ``step``, one per observer and subject."""
    rows = _one_run(beliefs, run)
    if len(rows) == 0:
        return pd.DataFrame(columns=["observer", "subject", "believed", "true", "step"])
    rows = rows[rows["step"] <= step]
    if len(rows) == 0:
        return pd.DataFrame(columns=["observer", "subject", "believed", "true", "step"])
    last = rows.sort_values("step").groupby(["observer", "subject"], sort=True).tail(1)
    return last.reset_index(drop=True)


# -- drawing ----------------------------------------------------------------------------------


def _legend_beside(ax: Axes) -> None:
    """The legend right of the axes, where it covers no data (issue 15: it hid days 2–4)."""
    ax.legend(
        fontsize=7.5, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, frameon=False
    )


def _cursor(ax: Axes, step: int) -> None:
    ax.axvline(step, color="#333333", lw=0.8, ls=":", zorder=0)


def draw_escalation(
    ax: Axes,
    scenario: Scenario,
    steps: pd.DataFrame | None,
    step: int,
    horizon: int,
    run: int | None = None,
) -> None:
    series = escalation_series(steps, run)
    if len(series):
        ax.fill_between(series.index, series.to_numpy(), step="post", color="#fdae61", alpha=0.5)
        ax.step(series.index, series.to_numpy(), where="post", color="#d94801", lw=1.4)
    _cursor(ax, step)
    ax.set_xlim(0, horizon)
    ax.set_ylim(bottom=min(0.0, float(series.min()) if len(series) else 0.0))
    ax.set_title("Escalation score (Rivera et al. 2024 scale)", fontsize=9, loc="left")
    ax.set_xlabel(step_unit(scenario).lower(), fontsize=8)
    ax.tick_params(labelsize=7.5)


def draw_hostility(
    ax: Axes,
    scenario: Scenario,
    events: pd.DataFrame | None,
    step: int,
    horizon: int,
    run: int | None = None,
) -> None:
    table = hostility_series(scenario, events, step, run)
    for index, demand in enumerate(scenario.demands):
        colour = DISPUTE_COLOURS[index % len(DISPUTE_COLOURS)]
        series = table[demand.id]
        label = f"{state_name(scenario, demand.by)} vs {state_name(scenario, demand.on)}"
        ax.step(series.index, series.to_numpy(), where="post", color=colour, lw=1.8, label=label)
    _cursor(ax, step)
    ax.set_xlim(0, horizon)
    ax.set_ylim(0.7, 5.3)
    ax.set_yticks(range(1, 6), [LEVEL_LABELS[level] for level in range(1, 6)], fontsize=7)
    ax.set_title("Hostility level of each dispute (MID scale)", fontsize=9, loc="left")
    ax.set_xlabel(step_unit(scenario).lower(), fontsize=8)
    ax.tick_params(axis="x", labelsize=7.5)
    if scenario.demands:
        _legend_beside(ax)


def main_dispute(scenario: Scenario, runs: pd.DataFrame | None) -> str:
    """The dispute the outcome panel follows: the one that most often ended in war in the
    ensemble (the first one when none did or there are no runs yet)."""
    if not scenario.demands:
        return ""
    first = scenario.demands[0].id
    if runs is None or len(runs) == 0 or "war" not in runs.columns:
        return first
    wars = runs.groupby("dispute")["war"].mean()
    order = [demand.id for demand in scenario.demands if demand.id in wars.index]
    if not order or wars.max() <= 0:
        return first
    return max(order, key=lambda dispute: wars[dispute])


def draw_outcomes(
    ax: Axes,
    scenario: Scenario,
    shares: pd.DataFrame,
    step: int,
    horizon: int,
    runs: int,
    dispute: str | None = None,
) -> None:
    demands = {demand.id: demand for demand in scenario.demands}
    chosen = demands.get(dispute) if dispute is not None else None
    demand = chosen or (scenario.demands[0] if scenario.demands else None)
    challenger = state_name(scenario, demand.by) if demand else "challenger"
    target = state_name(scenario, demand.on) if demand else "target"
    names = {
        "war": "war",
        "challenger": f"{challenger} prevails",
        "compromise": "compromise",
        "target": f"{target} prevails",
        "ongoing": "no settlement yet",
    }
    if len(shares):
        ax.stackplot(
            shares.index,
            *[shares[name].to_numpy() for name in OUTCOME_GROUPS],
            colors=[OUTCOME_GROUP_COLOURS[name] for name in OUTCOME_GROUPS],
            labels=[names[name] for name in OUTCOME_GROUPS],
            step="post",
        )
        at = shares.loc[min(step, shares.index.max())]
        ax.text(
            0.99,
            0.04,
            f"by {step_unit(scenario).lower()} {step}: war {at['war']:.0%}",
            transform=ax.transAxes,
            ha="right",
            fontsize=8,
            fontweight="bold",
            bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.8),
        )
        _legend_beside(ax)
    else:
        ax.text(0.5, 0.5, "estimating…", transform=ax.transAxes, ha="center", fontsize=9)
    _cursor(ax, step)
    ax.set_xlim(0, horizon)
    ax.set_ylim(0, 1)
    name = dispute_label(scenario, demand.id) if demand else ""
    ax.set_title(f"How '{name}' ends: share of {runs} runs", fontsize=9, loc="left")
    ax.set_xlabel(step_unit(scenario).lower(), fontsize=8)
    ax.tick_params(labelsize=7.5)


def draw_beliefs(
    ax: Axes,
    scenario: Scenario,
    beliefs: pd.DataFrame | None,
    step: int,
    run: int | None = None,
) -> None:
    rows = latest_beliefs(beliefs, step, run)
    if len(rows) == 0:
        ax.text(0.5, 0.5, "no open dispute", transform=ax.transAxes, ha="center", fontsize=9)
        ax.set_yticks([])
    else:
        y = np.arange(len(rows))[::-1]
        believed = rows["believed"].to_numpy(dtype=float)
        truth = rows["true"].to_numpy(dtype=float)
        misjudged = np.abs(believed - truth) > 0.15
        colours = np.where(misjudged, "#d6604d", "#4393c3")
        ax.barh(y, believed, color=colours, height=0.55, label="believed")
        ax.scatter(
            truth,
            y,
            marker="|",
            s=260,
            color="black",
            linewidths=2.2,
            zorder=3,
            # A played game hides the truth from a seat until it ends (viz/play_page.py).
            label="true resolve" if np.isfinite(truth).any() else "_hidden",
        )
        labels = [
            f"{state_name(scenario, o)} on {state_name(scenario, s)}"
            for o, s in zip(rows["observer"], rows["subject"], strict=True)
        ]
        ax.set_yticks(y, labels, fontsize=7.5)
        _legend_beside(ax)
    ax.set_xlim(0, 1)
    ax.set_title("Believed resolve of the other side (red: off by > 0.15)", fontsize=9, loc="left")
    ax.tick_params(axis="x", labelsize=7.5)


def panels_figure(
    scenario: Scenario,
    steps: pd.DataFrame | None,
    events: pd.DataFrame | None,
    beliefs: pd.DataFrame | None,
    shares: pd.DataFrame,
    step: int,
    horizon: int,
    *,
    ensemble_runs: int,
    dispute: str | None = None,
    run: int | None = None,
    size: tuple[float, float] = (12.0, 6.0),
    dpi: int = 90,
    width_px: int | None = None,
) -> Figure:
    """The four panels in a 2 × 2 grid, as the browser view shows them under the map; laid
    out by matplotlib's constrained layout, so no label is cut and legends sit beside.

    With ``width_px`` (the width the page shows them at) they are drawn at that width at 100
    dpi, in one column below :data:`TWO_COLUMNS_PX`, with no text under
    :data:`MIN_TEXT_PT` (11 px): shown at their natural size, nothing is shrunk.
    """
    if width_px is not None:
        dpi = 100
        two = width_px >= TWO_COLUMNS_PX
        height = (PANEL_HEIGHT_PX * (2 if two else 4)) / dpi
        size = (width_px / dpi, height)
    figure = Figure(figsize=size, dpi=dpi, layout="constrained")
    if width_px is not None and width_px < TWO_COLUMNS_PX:
        column = figure.subplots(4, 1)
        axes = np.array([[column[0], column[1]], [column[2], column[3]]])
    else:
        axes = figure.subplots(2, 2)
    draw_escalation(axes[0, 0], scenario, steps, step, horizon, run)
    draw_hostility(axes[0, 1], scenario, events, step, horizon, run)
    draw_outcomes(axes[1, 0], scenario, shares, step, horizon, ensemble_runs, dispute)
    draw_beliefs(axes[1, 1], scenario, beliefs, step, run)
    if width_px is not None:
        for text in figure.findobj(Text):
            points = text.get_fontsize()  # points (the stubs allow a name; it is never one)
            if isinstance(points, float | int) and points < MIN_TEXT_PT:
                text.set_fontsize(MIN_TEXT_PT)
    return figure


#: Below this width (pixels) the panels stand in one column; each panel is this tall.
TWO_COLUMNS_PX = 900
PANEL_HEIGHT_PX = 250
#: The smallest text of the panels in the view: 8 pt at 100 dpi is 11.1 px.
MIN_TEXT_PT = 8.0
