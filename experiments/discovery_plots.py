"""Figures of scenario discovery and robust choice, in the house style (see
:mod:`brink.experiments.plots`): each takes a table or a box and returns a matplotlib figure."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from brink.experiments.plots import factor_label
from brink.figure_style import (
    DOUBLE_COLUMN,
    PALETTE,
    SEQUENTIAL,
    SINGLE_COLUMN,
    figure,
    house_style,
)


def prim_trajectory(rows: pd.DataFrame, chosen: int, what: str) -> Figure:
    """Density against coverage along PRIM's peeling trajectory, coloured by the number of
    restricted factors; the chosen box ringed."""
    fig, ax = figure(SINGLE_COLUMN + 0.5, 2.8)
    with house_style():
        points = ax.scatter(
            rows["coverage"], rows["density"], c=rows["restricted"], cmap="viridis", s=10, zorder=3
        )
        ax.plot(rows["coverage"], rows["density"], color="#999999", linewidth=0.6, zorder=2)
        ax.scatter(
            rows["coverage"][chosen],
            rows["density"][chosen],
            s=60,
            facecolors="none",
            edgecolors=PALETTE["vermilion"],
            linewidths=1.2,
            zorder=4,
            label="box shown",
        )
        bar = fig.colorbar(points, ax=ax, shrink=0.9)
        bar.set_label("factors restricted")
        ax.set_xlabel("coverage (share of the cases inside the box)")
        ax.set_ylabel("density (share of the box that are cases)")
        ax.set_xlim(0, 1.02)
        ax.set_ylim(0, 1.02)
        ax.legend(loc="lower left")
        ax.set_title(f"PRIM peeling trajectory: {what}")
    return fig


def prim_box(box, initial: dict, what: str) -> Figure:
    """The box's limits on each restricted factor, as a share of the factor's range (a
    categorical factor: the share of its choices kept), labelled with the limits."""
    names = list(box.restricted) or list(initial)[:1]
    fig, ax = figure(SINGLE_COLUMN + 0.9, 0.9 + 0.45 * len(names))
    with house_style():
        for row, name in enumerate(reversed(names)):
            limits, full = box.limits[name], initial[name]
            if isinstance(full, frozenset):
                low, high = 0.0, len(limits) / len(full)
                text = ", ".join(sorted(map(str, limits)))
            else:
                span = (full[1] - full[0]) or 1.0
                low, high = (limits[0] - full[0]) / span, (limits[1] - full[0]) / span
                text = f"{limits[0]:.3g} – {limits[1]:.3g}"
            ax.plot([0, 1], [row, row], color="#cccccc", linewidth=6, solid_capstyle="butt")
            ax.plot(
                [low, high], [row, row], color=PALETTE["blue"], linewidth=6, solid_capstyle="butt"
            )
            ax.text(1.02, row, text, va="center", fontsize=6)
        ax.set_yticks(range(len(names)), [factor_label(n) for n in reversed(names)])
        ax.set_xlim(0, 1.45)
        ax.set_ylim(-0.6, len(names) - 0.4)
        ax.set_xticks([0, 0.5, 1], ["lowest", "middle", "highest"])
        ax.set_xlabel("position in the factor's sampled range")
        ax.set_title(
            f"PRIM box: {what}\ncoverage {box.coverage:.2f}, density {box.density:.2f}, "
            f"mass {box.mass:.2f}"
        )
    return fig


def cart_tree(tree, names: list[str], what: str) -> Figure:
    """The classification tree, each node with its rule, points and share of cases."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from sklearn.tree import plot_tree

    fig, ax = figure(DOUBLE_COLUMN, 3.6)
    FigureCanvasAgg(fig)  # plot_tree measures its text with the canvas's renderer
    with house_style():
        plot_tree(
            tree,
            feature_names=[factor_label(n).replace("\n", " ") for n in names],
            class_names=["other", "case"],
            filled=True,
            impurity=False,
            proportion=True,
            rounded=True,
            fontsize=5,
            ax=ax,
        )
        ax.set_title(f"Classification tree: {what}")
    return fig


def score_bars(
    part: pd.DataFrame, reading: str, column: str = "score", method: str = "Feature scores"
) -> Figure:
    """Horizontal bars of one index per factor, the largest at the top."""
    part = part.sort_values(column)
    fig, ax = figure(SINGLE_COLUMN + 0.9, 0.9 + 0.2 * len(part))
    with house_style():
        ax.barh(range(len(part)), part[column], color=PALETTE["blue"], height=0.7)
        ax.set_yticks(range(len(part)), [factor_label(n) for n in part["factor"]])
        ax.set_xlabel(f"{method}: {column}" if column != "score" else "importance (sums to 1)")
        ax.set_title(f"{method}: {reading}")
        ax.set_xlim(left=0)
    return fig


def stack(pivot: pd.DataFrame, rows: list[str], columns: list[str], reading: str) -> Figure:
    """A dimensional stack: one cell per combination of binned factors, nested tick labels."""
    grid = pivot.to_numpy(dtype=float)
    fig, ax = figure(DOUBLE_COLUMN, 1.6 + 0.28 * grid.shape[0])
    with house_style():
        ax.set_facecolor("#f0f0f0")  # a combination with no runs shows hatched grey
        ax.add_patch(
            Rectangle(
                (0, 0),
                grid.shape[1],
                grid.shape[0],
                hatch="////",
                fill=False,
                edgecolor="#bbbbbb",
                linewidth=0,
            )
        )
        image = ax.pcolormesh(
            np.ma.masked_invalid(grid), cmap=SEQUENTIAL, edgecolors="white", linewidth=0.4
        )
        bar = fig.colorbar(image, ax=ax, shrink=0.9)
        bar.set_label(reading)

        def labels(index) -> list[str]:
            if isinstance(index, pd.MultiIndex):
                return [" | ".join(map(str, key)) for key in index]
            return [str(key) for key in index]

        ax.set_yticks(np.arange(grid.shape[0]) + 0.5, labels(pivot.index), fontsize=5)
        ax.set_xticks(
            np.arange(grid.shape[1]) + 0.5,
            labels(pivot.columns),
            fontsize=5,
            rotation=60,
            ha="right",
        )
        ax.set_ylabel(" | ".join(factor_label(n).replace("\n", " ") for n in rows))
        ax.set_xlabel(" | ".join(factor_label(n).replace("\n", " ") for n in columns))
        ax.set_title(f"Dimensional stack: {reading}")
    return fig


def robust_boxes(values: pd.DataFrame, reading: str, settings: list[str]) -> Figure:
    """The outcome across futures for each lever setting (box: quartiles; whiskers: 5–95 %)."""
    fig, ax = figure(SINGLE_COLUMN + 1.2, 0.9 + 0.3 * len(settings))
    with house_style():
        data = [values[values["setting"] == s]["value"].to_numpy() for s in settings]
        ax.boxplot(
            data,
            orientation="horizontal",
            whis=(5, 95),
            widths=0.6,
            showfliers=False,
            medianprops={"color": PALETTE["vermilion"]},
        )
        ax.set_yticks(range(1, len(settings) + 1), settings, fontsize=6)
        ax.set_xlabel(f"{reading}, across futures")
        ax.set_ylabel("lever setting")
        ax.set_title(f"Lever settings across futures:\n{reading}")
    return fig


def series_band(table: pd.DataFrame, reading: str, title: str) -> Figure:
    """Mean of a series by step, one line per group; with at most two groups, the band of the
    middle 80 % of runs too (more bands would hide each other)."""
    groups = list(dict.fromkeys(table["group"]))
    fig, ax = figure(SINGLE_COLUMN + 1.6, 2.8)
    palette = [PALETTE[n] for n in ("blue", "vermilion", "green", "orange", "purple", "sky")]
    if len(groups) > len(palette):
        cmap = matplotlib.colormaps["viridis"]
        palette = [cmap(i / max(1, len(groups) - 1)) for i in range(len(groups))]
    with house_style():
        for index, group in enumerate(groups):
            part = table[table["group"] == group]
            colour = palette[index % len(palette)]
            if len(groups) <= 2:
                ax.fill_between(
                    part["step"], part["p10"], part["p90"], color=colour, alpha=0.15, linewidth=0
                )
            ax.plot(
                part["step"],
                part["mean"],
                color=colour,
                label=str(group),
                linewidth=1,
                linestyle="-" if index % 2 == 0 else "--",
            )
        ax.set_xlabel("step of the run (day)")
        ax.set_ylabel(reading)
        band = ", with the middle 80 % of runs" if len(groups) <= 2 else ""
        ax.set_title(f"{title} by step{band}")
        if len(groups) > 1:
            ax.legend(fontsize=5, loc="upper right", title="lever setting", title_fontsize=5)
    return fig
