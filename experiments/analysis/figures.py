"""Figures of a sweep's analysis, drawn from its tables (data frames), in the house style.

Every function takes a table that :mod:`brink.experiments.analysis.analyze` writes as CSV (or a
box or a tree of scenario discovery) and returns a :class:`matplotlib.figure.Figure`;
:func:`brink.figure_style.save` writes it as PNG and PDF. The same tables read back from disk
give the same figures. First the default analysis's (a probability against a factor, a heat
map, sensitivity indices), then scenario discovery's and robust choice's (PRIM, CART,
feature scores, dimensional stacking, robust boxes) and the series band.
"""

from __future__ import annotations

from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.colors import BoundaryNorm
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from brink.figure_style import (
    DOUBLE_COLUMN,
    PALETTE,
    SEQUENTIAL,
    SINGLE_COLUMN,
    figure,
    house_style,
)

_SERIES = [PALETTE[name] for name in ("blue", "vermilion", "green", "orange", "purple", "sky")]


def factor_label(name: str, unit: str | None = None) -> str:
    """An axis label for a factor: its name without ``parameters.``, and its unit."""
    short = name.removeprefix("parameters.")
    return f"{short}\n({unit})" if unit else short


def probability_by_factor(
    marginal: pd.DataFrame,
    outcome: str,
    label: str,
    units: dict[str, str],
    order: list[str] | None = None,
    note: str = "",
    choices: dict[str, list] | None = None,
) -> Figure:
    """P(outcome) (or a number's mean) against each factor, with 95 % intervals, one panel per
    factor.

    Args:
        marginal: rows ``factor, outcome, x, n, p, low, high`` (see ``analysis.marginals``).
        outcome: which outcome to draw.
        label: the outcome's reading, for the y axis.
        units: each factor's unit, for the x axis.
        order: the factors to draw, in panel order (default: all, as in ``marginal``).
        note: appended to the title (e.g. which factors are shown).
        choices: the choices of categorical and yes/no factors, whose ``x`` is a choice's index.
    """
    choices = choices or {}
    rows = marginal[marginal["outcome"] == outcome]
    factors = list(order or dict.fromkeys(rows["factor"]))
    columns = 2 if len(factors) in (2, 4) else min(3, len(factors))
    lines = -(-len(factors) // columns)
    width = SINGLE_COLUMN if columns == 1 else DOUBLE_COLUMN
    fig, axes = figure(
        width, 2.1 * lines + 0.3, nrows=lines, ncols=columns, squeeze=False, sharey=True
    )
    top = max(0.05, float(rows["high"].max()) * 1.08) if len(rows) else 1.0
    probability = label.startswith("P(")
    with house_style():
        for index, ax in enumerate(axes.flat):
            if index >= len(factors):
                ax.set_visible(False)
                continue
            name = factors[index]
            part = rows[rows["factor"] == name].sort_values("x")
            ax.fill_between(
                part["x"], part["low"], part["high"], color=PALETTE["blue"], alpha=0.18, linewidth=0
            )
            ax.plot(part["x"], part["p"], color=PALETTE["blue"], marker="o", markersize=3)
            ax.set_xlabel(factor_label(name, units.get(name)))
            if name in choices:
                _choice_ticks(ax.xaxis, choices[name])
            ax.set_ylim(0, min(1.0, top) if probability else top)
            if index % columns == 0:
                ax.set_ylabel(label if probability else label.replace(" (", "\n("))
        fig.suptitle(
            f"{label} by factor, with 95 % intervals{note}",
            x=0.0,
            ha="left",
            fontsize=9,
            fontweight="bold",
        )
    return fig


def choice_text(levels: list, code) -> str:
    """A categorical or yes/no factor's choice as the experiment file says it, from the index
    the analyses code it as."""
    return str(levels[int(code)]).lower()


def _choice_ticks(axis, levels: list) -> None:
    """Label a categorical factor's axis with its choices (its values are their indices)."""
    axis.set_ticks(range(len(levels)), [str(level).lower() for level in levels])


def heat_map(
    cells: pd.DataFrame,
    outcome: str,
    label: str,
    pair: tuple[str, str],
    units: dict[str, str],
    choices: dict[str, list] | None = None,
) -> Figure:
    """P(outcome) over two factors: rows ``x, y, n, p`` (cell centres), one colour per cell."""
    part = cells[cells["outcome"] == outcome]
    xs = sorted(part["x"].unique())
    ys = sorted(part["y"].unique())
    grid = np.full((len(ys), len(xs)), np.nan)
    for row in part.itertuples():
        grid[ys.index(row.y), xs.index(row.x)] = row.p
    fig, ax = figure(SINGLE_COLUMN + 0.6, 2.9)
    top = float(np.nanmax(grid)) if np.isfinite(grid).any() else 1.0
    # At most ten colour steps of a round width from 0, so the colour bar reads 0, 0.1, 0.2 …
    # and cells and colour bar stay vector in the PDF.
    widths: tuple[float, ...] = (
        0.005,
        0.01,
        0.02,
        0.025,
        0.05,
        0.1,
    )  # probabilities; then for means of numbers:
    widths += tuple(m * 10.0**e for e in range(0, 7) for m in (0.2, 0.25, 0.5, 1.0))
    step = next(w for w in widths if top / w <= 10)
    bounds = np.arange(0, step * (np.ceil(top / step) + 1) - step / 2, step)
    if len(bounds) < 2:
        bounds = np.array([0.0, step])
    norm = BoundaryNorm(bounds, ncolors=256)
    with house_style():
        image = ax.pcolormesh(
            np.arange(len(xs) + 1) - 0.5,
            np.arange(len(ys) + 1) - 0.5,
            np.ma.masked_invalid(grid),
            cmap=SEQUENTIAL,
            norm=norm,
            edgecolors="white",
            linewidth=0.5,
        )
        choices = choices or {}
        for axis, name, values in ((ax.xaxis, pair[0], xs), (ax.yaxis, pair[1], ys)):
            if name in choices:  # a choice's index: its name
                texts = [choice_text(choices[name], value) for value in values]
            else:
                texts = [f"{value:.3g}" for value in values]
            axis.set_ticks(range(len(values)), texts)
        ax.set_xlabel(factor_label(pair[0], units.get(pair[0])))
        ax.set_ylabel(factor_label(pair[1], units.get(pair[1])))
        if len(xs) * len(ys) <= 64:
            threshold = 0.6 * top
            for (j, i), value in np.ndenumerate(grid):
                if np.isfinite(value):
                    ax.text(
                        i,
                        j,
                        f"{value:.2f}",
                        ha="center",
                        va="center",
                        fontsize=6,
                        color="white" if value > threshold else "black",
                    )
        bar = fig.colorbar(image, ax=ax, shrink=0.9, format="%.3g")
        bar.set_ticks(bounds[:: 2 if len(bounds) > 6 else 1].tolist())
        bar.set_label(f"{label}")
        ax.set_title(f"{label}")
    return fig


def index_bars(
    table: pd.DataFrame,
    outcome: str,
    label: str,
    columns: list[tuple[str, str | tuple[str, str], str]],
    title: str,
    xlabel: str,
    nonnegative: bool = False,
) -> Figure:
    """Horizontal bars of sensitivity indices per factor, with their confidence intervals.

    With ``nonnegative`` (an index that cannot be below 0, such as Morris μ*), an interval is
    cut at 0 instead of drawn into impossible values.

    Args:
        table: rows ``outcome, factor`` and the index columns.
        columns: ``(value column, interval, legend label)`` per series; the interval is a
            column of half-widths, a pair of columns ``(low, high)`` of interval ends, or "".
    """
    part = table[table["outcome"] == outcome].copy()
    part = part.assign(_size=part[columns[0][0]].abs()).sort_values("_size", ascending=True)
    count = len(part)
    fig, ax = figure(SINGLE_COLUMN + 0.9, 0.9 + 0.17 * count * max(1, len(columns) * 0.6))
    height = 0.8 / len(columns)
    positions = np.arange(count)
    with house_style():
        for index, (value, confidence, legend) in enumerate(columns):
            offset = (index - (len(columns) - 1) / 2) * height
            errors = None
            if isinstance(confidence, tuple):
                errors = np.vstack(
                    [part[value] - part[confidence[0]], part[confidence[1]] - part[value]]
                ).clip(min=0)
            elif confidence:
                half = part[confidence].to_numpy()
                low = np.minimum(half, part[value].to_numpy()) if nonnegative else half
                errors = np.vstack([low, half])
            ax.barh(
                positions + offset,
                part[value],
                height=height,
                xerr=errors,
                color=_SERIES[index],
                label=legend,
                error_kw={"elinewidth": 0.6, "capsize": 1.5, "ecolor": "#333333"},
            )
        ax.set_yticks(positions, [factor_label(name) for name in part["factor"]])
        ax.axvline(0, color="#555555", linewidth=0.5)
        ax.set_xlabel(xlabel)
        ax.set_title(f"{title}: {label}")
        if len(columns) > 1:
            ax.legend(loc="lower right")
    return fig


def morris_plane(table: pd.DataFrame, outcome: str, label: str, annotate: int = 6) -> Figure:
    """Morris's (μ*, σ) plane: far right is influential, high up is non-linear or interacting."""
    part = table[table["outcome"] == outcome]
    fig, ax = figure(SINGLE_COLUMN, 2.8)
    with house_style():
        ax.scatter(part["mu_star"], part["sigma"], s=12, color=PALETTE["blue"], zorder=3)
        # labels alternate above and below their point, so close neighbours stay legible
        row: Any  # pandas-stubs types a row's fields as any scalar
        for rank, row in enumerate(part.nlargest(annotate, "mu_star").itertuples()):
            ax.annotate(
                factor_label(row.factor),
                (row.mu_star, row.sigma),
                fontsize=6,
                xytext=(3, 3 if rank % 2 == 0 else -8),
                textcoords="offset points",
            )
        ax.set_xlabel("μ* (mean absolute elementary effect)")
        ax.set_ylabel("σ (spread of elementary effects)")
        ax.set_xlim(left=0)
        ax.set_ylim(bottom=0)
        ax.set_title(f"Morris screening: {label}")
    return fig


# -- scenario discovery and robust choice ------------------------------------------------------


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
    palette: list[str | tuple[float, float, float, float]] = [
        PALETTE[n] for n in ("blue", "vermilion", "green", "orange", "purple", "sky")
    ]
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
