"""Figures for the classic models, from data frames (never a live model), in journal style.

Each function writes ``<stem>.png`` and ``<stem>.pdf`` and returns the paths.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

STYLE: dict[RcKeyType, Any] = {
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "figure.dpi": 150,
    "savefig.bbox": "tight",
}


def _save(figure: plt.Figure, stem: Path) -> list[Path]:
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = [stem.with_suffix(".png"), stem.with_suffix(".pdf")]
    for path in paths:
        figure.savefig(path)
    plt.close(figure)
    return paths


def wealth_figure(wealth: pd.DataFrame, stem: Path) -> list[Path]:
    """Wealth of each actor over the years (columns ``year``, ``actor``, ``wealth``)."""
    with plt.rc_context(STYLE):
        figure, axis = plt.subplots(figsize=(6.5, 3.2))
        table = wealth.pivot(index="year", columns="actor", values="wealth")
        colours = plt.get_cmap("tab10")
        for k, actor in enumerate(table.columns):
            axis.plot(table.index, table[actor], lw=0.8, color=colours(k % 10), label=str(actor))
        axis.set_xlabel("year")
        axis.set_ylabel("wealth")
        axis.set_title("Tribute model: wealth of each actor")
        axis.legend(title="actor", ncol=2, fontsize=7, loc="upper left", bbox_to_anchor=(1, 1))
        return _save(figure, stem)


def commitment_figure(commitment: np.ndarray, stem: Path, title: str = "") -> list[Path]:
    """The commitment matrix L[i, j] (percent) as a heat map."""
    with plt.rc_context(STYLE):
        figure, axis = plt.subplots(figsize=(4.2, 3.6))
        image = axis.imshow(commitment, cmap="Blues", vmin=0, vmax=100)
        n = commitment.shape[0]
        axis.set_xticks(range(n))
        axis.set_yticks(range(n))
        axis.set_xlabel("toward actor j")
        axis.set_ylabel("commitment of actor i")
        axis.set_title(title or "Commitment L[i, j] at the end")
        for i in range(n):
            for j in range(n):
                value = int(commitment[i, j])
                axis.text(
                    j,
                    i,
                    str(value),
                    ha="center",
                    va="center",
                    fontsize=6,
                    color="white" if value > 60 else "black",
                )
        figure.colorbar(image, ax=axis, label="percent", shrink=0.85)
        return _save(figure, stem)


def ring_figure(
    wealth: np.ndarray, commitment: np.ndarray, clusters: list[frozenset[int]], stem: Path
) -> list[Path]:
    """Actors on the ring, sized by wealth, joined by commitments; clusters shaded."""
    n = len(wealth)
    angles = np.pi / 2 - 2 * np.pi * np.arange(n) / n
    x, y = np.cos(angles), np.sin(angles)
    with plt.rc_context(STYLE):
        figure, axis = plt.subplots(figsize=(4.2, 4.2))
        for i in range(n):
            for j in range(i + 1, n):
                level = min(commitment[i, j], commitment[j, i])
                if level > 0:
                    axis.plot(
                        [x[i], x[j]],
                        [y[i], y[j]],
                        color="grey",
                        lw=0.3 + 2 * level / 100,
                        alpha=0.25 + 0.6 * level / 100,
                        zorder=1,
                    )
        colours = plt.get_cmap("Set2")
        for k, cluster in enumerate(clusters):
            members = sorted(cluster)
            axis.scatter(
                x[members],
                y[members],
                s=700 + 500 * k,
                facecolor="none",
                lw=2.5,
                edgecolor=colours(k % 8),
                zorder=2,
                label=f"cluster {{{', '.join(map(str, members))}}}",
            )
        sizes = 40 + 400 * wealth / max(float(wealth.max()), 1.0)
        axis.scatter(x, y, s=sizes, color="black", zorder=3)
        for i in range(n):
            axis.annotate(str(i), (1.32 * x[i], 1.32 * y[i]), ha="center", va="center")
        axis.set_xlim(-1.5, 1.5)
        axis.set_ylim(-1.5, 1.5)
        axis.set_aspect("equal")
        axis.axis("off")
        axis.set_title("Clusters on the ring (dot size: wealth; lines: commitment)")
        if clusters:
            axis.legend(
                loc="upper center", bbox_to_anchor=(0.5, 0.0), fontsize=7, ncol=2, markerscale=0.25
            )
        return _save(figure, stem)


def cluster_timeline_figure(clusters: pd.DataFrame, years: int, stem: Path) -> list[Path]:
    """Spells of clusters (≥ 10 years) in each population as horizontal bars."""
    lasting = clusters[clusters["duration"] >= 10]
    populations = sorted(clusters["population"].unique()) if len(clusters) else [0]
    with plt.rc_context(STYLE):
        figure, axis = plt.subplots(figsize=(6.5, 0.3 * len(populations) + 1.2))
        colours = plt.get_cmap("viridis")
        row: Any  # pandas-stubs types a row's fields as any scalar; these are numbers
        for row in lasting.itertuples(index=False):
            axis.barh(
                row.population,
                row.duration,
                left=row.formed - 0.5,
                height=0.7,
                color=colours(min(row.size, 10) / 10),
                alpha=0.35,
                edgecolor="none",
            )
        axis.set_xlim(0, years)
        axis.set_yticks(populations)
        axis.invert_yaxis()
        axis.set_xlabel("year")
        axis.set_ylabel("population")
        axis.set_title("Cluster spells of at least 10 years (darker: more members)")
        return _save(figure, stem)


def tribute_figures(run, clusters: pd.DataFrame, out: Path) -> list[Path]:
    """All tribute figures: one population's wealth, commitment and ring, and every
    population's cluster spells.

    Args:
        run: A :class:`brink.sim.classics.tribute_runs.TributeRun` (its tables are used).
        clusters: Cluster spells of all populations.
        out: Directory.
    """
    from brink.sim.classics.tribute_runs import find_clusters

    out = Path(out)
    years = int(run.wealth["year"].max())
    final_wealth = run.wealth[run.wealth["year"] == years].sort_values("actor")["wealth"]
    paths = wealth_figure(run.wealth, out / "tribute_wealth")
    paths += commitment_figure(
        run.final_commitment,
        out / "tribute_commitment",
        f"Commitment L[i, j] after {years} years (population {run.population})",
    )
    paths += ring_figure(
        final_wealth.to_numpy(),
        run.final_commitment,
        find_clusters(run.final_commitment),
        out / "tribute_ring",
    )
    paths += cluster_timeline_figure(clusters, years, out / "tribute_clusters")
    return paths


def bdm_figure(rounds: pd.DataFrame, summary: pd.DataFrame, stem: Path) -> list[Path]:
    """Each actor's position over rounds, with the forecast and the weighted mean."""
    with plt.rc_context(STYLE):
        figure, axis = plt.subplots(figsize=(6.0, 3.4))
        table = rounds.pivot(index="round", columns="actor", values="position")
        colours = plt.get_cmap("tab20")
        for k, actor in enumerate(table.columns):
            axis.plot(
                table.index,
                table[actor],
                lw=0.9,
                marker="o",
                ms=2.5,
                color=colours(k % 20),
                label=str(actor),
            )
        axis.plot(summary["round"], summary["forecast"], color="black", lw=2.2, label="forecast")
        axis.plot(
            summary["round"], summary["mean"], color="black", lw=1.2, ls="--", label="weighted mean"
        )
        axis.set_xlabel("round")
        axis.set_ylabel("position")
        axis.set_title("Expected-utility model: positions over rounds")
        axis.legend(ncol=2, fontsize=7, loc="upper left", bbox_to_anchor=(1, 1))
        return _save(figure, stem)
