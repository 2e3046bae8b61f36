"""The figures of an ensemble, drawn from data frames only (docs/style.md: never a live model).

- :func:`outcome_figure`: how each dispute ends, share of runs with 95 % intervals;
- :func:`escalation_figure`: the system escalation score over time, median and 50 % / 90 % bands;
- :func:`sides_figure`: who joined whom, the share of runs in which each state fought on each side.

Each takes the tables ``brink run`` writes (or
:func:`brink.experiments.ensemble.folder.read_run_dir` reads back) and returns a
:class:`matplotlib.figure.Figure` in the house style of :mod:`brink.figure_style`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from brink import figure_style as style
from brink.experiments.ensemble.tables import escalation_bands, outcome_table, side_table
from brink.sim.outcomes import Outcome
from brink.sim.record import RUN_OUTCOMES as OUTCOMES

OUTCOME_WORDS: dict[str, str] = {
    Outcome.VICTORY_CHALLENGER: "victory, {c}",
    Outcome.VICTORY_TARGET: "victory, {t}",
    Outcome.YIELD_CHALLENGER: "{c} backs down",
    Outcome.YIELD_TARGET: "{t} gives in",
    Outcome.COMPROMISE: "compromise",
    Outcome.STALEMATE: "stalemate",
    Outcome.WAR_ONGOING: "war still going",
}


def _namer(names: Mapping[str, str] | None):
    names = names or {}
    return lambda code: names.get(code, code)


def outcome_figure(runs: pd.DataFrame, names: Mapping[str, str] | None = None) -> Figure:
    """How each dispute ends: share of runs per outcome with Wilson 95 % intervals.

    Args:
        runs: the runs table (dispute, challenger, target, outcome per run).
        names: display names of state and alliance codes.
    """
    name = _namer(names)
    table = outcome_table(runs)
    disputes = list(dict.fromkeys(table["dispute"]))
    if not disputes:
        return _message_figure("Outcomes", "no dispute was made in any run")
    with style.house_style():
        height = 0.35 + 1.55 * len(disputes)
        fig, axes = style.figure(
            style.SINGLE_COLUMN + 1.3, height, nrows=len(disputes), squeeze=False
        )
        for ax, dispute in zip(axes[:, 0], disputes, strict=True):
            rows = table[table["dispute"] == dispute].set_index("outcome").loc[list(OUTCOMES)]
            c, t = name(rows["challenger"].iloc[0]), name(rows["target"].iloc[0])
            y = np.arange(len(OUTCOMES))[::-1]
            share = rows["share"].to_numpy()
            error = np.vstack([share - rows["low"].to_numpy(), rows["high"].to_numpy() - share])
            colours = [style.OUTCOME_COLOURS[o] for o in OUTCOMES]
            ax.barh(y, share, color=colours, height=0.7)
            ax.errorbar(share, y, xerr=error, fmt="none", ecolor="black", elinewidth=0.7, capsize=2)
            for yi, s, high in zip(y, share, rows["high"], strict=True):
                ax.text(high + 0.015, yi, f"{s * 100:.1f} %", va="center", fontsize=6.5)
            ax.set_yticks(y, [OUTCOME_WORDS[o].format(c=c, t=t) for o in OUTCOMES])
            ax.set_xlim(0, 1.12)
            ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0", "25", "50", "75", "100 %"])
            ax.set_title(f"{c} against {t} ({dispute})", fontsize=8)
            ax.tick_params(axis="y", length=0)
        axes[-1, 0].set_xlabel(
            f"share of runs (n = {int(table['runs'].iloc[0])}), bars: 95 % Wilson interval"
        )
    return fig


def escalation_figure(
    escalation: pd.DataFrame, horizon: int | None = None, step_unit: str = "day"
) -> Figure:
    """The system escalation score over time: median line, 50 % and 90 % bands across runs.

    Args:
        escalation: run, step, escalation_score (one row per run and step).
        horizon: last step to draw; a run that ended earlier counts as status quo (0).
        step_unit: what one step is, for the axis label.
    """
    if escalation.empty:
        return _message_figure("Escalation over time", "no step was recorded")
    bands = escalation_bands(escalation, horizon)
    runs = int(escalation["run"].nunique())
    going = bands["step"][bands["active"] > 0]
    last = int(going.max()) if len(going) else int(bands["step"].max() if len(bands) else 1)
    if horizon is not None and last < horizon:
        # Every run has ended well before the horizon: show where things happen, and say so.
        shown = min(horizon, max(last + max(2, last // 10), 10))
        bands = bands[bands["step"] <= shown]
    with style.house_style():
        fig, (ax, below) = style.figure(
            style.DOUBLE_COLUMN * 0.75,
            3.2,
            nrows=2,
            sharex=True,
            gridspec_kw=dict(height_ratios=[3, 1]),
        )
        colour = style.PALETTE["vermilion"]
        steps = bands["step"].to_numpy()
        ax.fill_between(steps, bands["q05"], bands["q95"], color=colour, alpha=0.18, lw=0)
        ax.fill_between(steps, bands["q25"], bands["q75"], color=colour, alpha=0.38, lw=0)
        ax.plot(steps, bands["median"], color=colour)
        ax.plot(steps, bands["mean"], color="black", lw=0.8, ls="--")
        handles = [
            style.patch(colour, 0.18, "90 % of runs"),
            style.patch(colour, 0.38, "50 % of runs"),
            style.line(colour, "-", "median"),
            style.line("black", "--", "mean"),
        ]
        ax.legend(handles=handles, loc="upper left", ncols=4)
        ax.set_ylabel("system escalation score")
        ax.set_title(f"Escalation over time ({runs} runs)")
        ax.axhline(0, color="#999999", lw=0.5)
        low, high = ax.get_ylim()
        ax.set_ylim(low, high + 0.18 * (high - low))  # room for the legend above the bands
        below.plot(steps, bands["active"] * 100, color=style.PALETTE["blue"])
        below.set_ylim(0, 105)
        below.set_ylabel("runs going (%)")
        note = "ended runs count as status quo, 0"
        if horizon is not None and last < horizon:
            note += f"; every run had ended by {step_unit} {last} of {horizon}"
        below.set_xlabel(f"{step_unit} ({note})")
        first = steps.min() if len(steps) else 0
        last_shown = steps.max() if len(steps) else 1
        below.set_xlim(first, max(last_shown, first + 1))  # one step (horizon 1): still a span
    return fig


def sides_figure(runs: pd.DataFrame, names: Mapping[str, str] | None = None) -> Figure:
    """Who joined whom: share of runs in which each state fought on each side of each dispute.

    Args:
        runs: the runs table (side_challenger, side_target per run and dispute).
        names: display names of state and alliance codes.
    """
    name = _namer(names)
    sides = side_table(runs)
    if sides.empty:
        return _message_figure("Who fought on which side", "no state fought in any run")
    columns = []
    fought = set(sides["dispute"])
    for dispute, group in runs.groupby("dispute", sort=False):
        if fought and dispute not in fought:
            continue  # no state fought in this dispute in any run
        c, t = name(group["challenger"].iloc[0]), name(group["target"].iloc[0])
        label = f"\n({dispute})" if len(fought) > 1 else ""
        columns += [
            (dispute, "challenger", f"with {c}{label}"),
            (dispute, "target", f"with {t}{label}"),
        ]
    totals = sides.groupby("state")["share"].sum().sort_values(ascending=False, kind="stable")
    principals = [code for code in dict.fromkeys([*runs["challenger"], *runs["target"]])]
    states = [code for code in principals if code in totals.index]
    states += [code for code in totals.index if code not in states]
    grid = np.zeros((len(states), len(columns)))
    row: Any  # pandas-stubs types a row's fields as any scalar; share is a number
    for row in sides.itertuples():
        j = next(i for i, (d, s, _) in enumerate(columns) if d == row.dispute and s == row.side)
        grid[states.index(row.state), j] = row.share
    n = int(runs["run"].nunique())
    with style.house_style():
        fig, ax = style.figure(1.6 + 1.1 * len(columns), 0.9 + 0.24 * max(len(states), 1))
        image = ax.imshow(grid, cmap=style.SEQUENTIAL, vmin=0, vmax=1, aspect="auto")
        ax.set_xticks(range(len(columns)), [label for *_, label in columns])
        ax.set_yticks(range(len(states)), [name(s) for s in states])
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        for i in range(len(states)):
            for j in range(len(columns)):
                value = grid[i, j]
                ax.text(
                    j,
                    i,
                    _cell_text(value),
                    ha="center",
                    va="center",
                    fontsize=6.5,
                    color="white" if value > 0.55 else "black",
                )
        bar = fig.colorbar(image, ax=ax, shrink=min(0.8, 4 / max(len(states), 1)), pad=0.02)
        bar.set_label("share of runs")
        bar.set_ticks([0, 0.5, 1], labels=["0", "50", "100 %"])
        ax.set_title(f"Who fought on which side ({n} runs)")
    return fig


def war_duration_figure(runs: pd.DataFrame, names: Mapping[str, str] | None = None) -> Figure:
    """How long the wars lasted: the share of each dispute's wars still being fought after
    each day, beside COW's interstate wars (1823–2003) for scale.

    Args:
        runs: the runs table (war, war_days, war_ongoing per run and dispute).
        names: display names of state and alliance codes.
    """
    from brink.experiments.war_durations import cow_war_days

    name = _namer(names)
    if "war_days" not in runs or not runs["war"].astype(bool).any():
        return _message_figure("How long the wars lasted", "no war was fought in any run")
    with style.house_style():
        fig, ax = style.figure(style.DOUBLE_COLUMN * 0.75, 3.0)
        colours = list(style.PALETTE.values())
        longest = 1.0
        for index, (_, group) in enumerate(runs.groupby("dispute", sort=False)):
            wars = group[group["war"].astype(bool)]
            if wars.empty:
                continue
            days = np.sort(wars["war_days"].astype(float).to_numpy())
            going = 1.0 - np.arange(1, len(days) + 1) / len(days)
            colour = colours[(index + 5) % len(colours)]
            label = (
                f"{name(group['challenger'].iloc[0])} vs {name(group['target'].iloc[0])} "
                f"({len(days)} war{'' if len(days) == 1 else 's'}; "
                f"{int(wars['war_ongoing'].astype(bool).sum())} still going)"
            )
            ax.step(np.r_[0.0, days], np.r_[1.0, going], where="post", color=colour, label=label)
            longest = max(longest, float(days.max()))
        history = np.sort(np.asarray(cow_war_days()))
        shown = history[history <= max(longest * 1.5, 60.0)]
        going = 1.0 - np.arange(1, len(history) + 1) / len(history)
        ax.step(
            np.r_[0.0, history],
            np.r_[1.0, going],
            where="post",
            color="#999999",
            ls="--",
            label=f"COW interstate wars, 1823–2003 ({len(history)})",
        )
        ax.set_xlim(0, max(longest * 1.5, 60.0) if len(shown) else longest)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("days of fighting")
        ax.set_ylabel("share of wars still being fought")
        ax.set_title("How long the wars lasted")
        ax.legend(loc="upper right")
    return fig


def _message_figure(title: str, message: str) -> Figure:
    """A small figure that says why there is nothing to draw."""
    with style.house_style():
        fig, ax = style.figure(style.SINGLE_COLUMN, 1.2)
        ax.set_axis_off()
        ax.set_title(title)
        ax.text(0.5, 0.4, message, transform=ax.transAxes, ha="center", va="center")
    return fig


def _cell_text(share: float) -> str:
    if share <= 0:
        return "–"
    return f"{share * 100:.1f} %" if share < 0.1 else f"{share * 100:.0f} %"


def write_figures(
    directory: Path | str,
    runs: pd.DataFrame,
    escalation: pd.DataFrame,
    names: Mapping[str, str] | None = None,
    horizon: int | None = None,
    step_unit: str = "day",
) -> list[Path]:
    """Draw the four ensemble figures into ``directory`` as PNG (200 dpi) and PDF.

    Returns:
        list[Path]: the files written.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    figures = {
        "outcomes": outcome_figure(runs, names),
        "escalation": escalation_figure(escalation, horizon, step_unit),
        "sides": sides_figure(runs, names),
        "wars": war_duration_figure(runs, names),
    }
    written = []
    for stem, fig in figures.items():
        written += style.save(fig, directory / stem)
    return written
