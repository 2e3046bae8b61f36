"""One look for every Brink figure, drawn by each product of experiments/ (journal figures) and
by viz/ alike: journal-ready sizes, fonts and colours.

Use :func:`figure` to make a figure in the house style and :func:`save` to write it as a PNG at
200 dpi (for screens and reports) and a vector PDF (for papers). Colours are the Okabe–Ito
palette, which readers with any common colour-vision deficiency can tell apart (Okabe & Ito
2008); sequential data use ``Blues``, ordered by lightness, so zero is white. Figures are bare
``matplotlib.figure.Figure`` objects (Agg), so they need no display and leave pyplot's global
state alone.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

if TYPE_CHECKING:
    from matplotlib.typing import LineStyleType, RcKeyType

DPI = 200
#: Widths of a figure in inches: one journal column and the full page width.
SINGLE_COLUMN = 3.5
DOUBLE_COLUMN = 7.2

#: Okabe & Ito (2008) colour-blind-safe palette.
PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermilion": "#D55E00",
    "purple": "#CC79A7",
}
#: The colour of each side of a dispute, used everywhere a side is drawn.
SIDE_COLOURS = {"challenger": PALETTE["vermilion"], "target": PALETTE["blue"]}
#: The colour of each dispute outcome (MID vocabulary), used everywhere an outcome is drawn.
#: Keyed by the values of :class:`brink.sim.outcomes.Outcome` (a member looks up as its value):
#: this module is below ``sim/`` in the layers and imports nothing of it.
OUTCOME_COLOURS = {
    "victory_challenger": PALETTE["vermilion"],
    "victory_target": PALETTE["blue"],
    "yield_challenger": PALETTE["sky"],
    "yield_target": PALETTE["orange"],
    "compromise": PALETTE["green"],
    "stalemate": "#7f7f7f",
    "war_ongoing": PALETTE["purple"],
}
SEQUENTIAL = "Blues"

RC: dict[RcKeyType, Any] = {
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.05,
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 8,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.linewidth": 0.6,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "lines.linewidth": 1.2,
    "axes.grid": False,
    "grid.linewidth": 0.4,
    "grid.color": "#dddddd",
    "pdf.fonttype": 42,  # TrueType in PDFs, so journals' checks and editors accept the text
    "svg.fonttype": "none",
}


@contextmanager
def house_style():
    """Context in which matplotlib uses the Brink style (does not change global settings)."""
    with matplotlib.rc_context(RC):
        yield


def figure(width: float = DOUBLE_COLUMN, height: float = 3.0, **subplots) -> tuple[Figure, Any]:
    """A new figure in the house style: ``(figure, axes)`` as from ``plt.subplots``.

    The figure is not registered with pyplot's global state, so many can be made in a loop
    without leaking memory.
    """
    with house_style():
        fig = Figure(figsize=(width, height), layout="constrained")
        axes = fig.subplots(**subplots)
    return fig, axes


def save(fig: Figure, stem: Path | str, formats: tuple[str, ...] = ("png", "pdf")) -> list[Path]:
    """Write ``stem.png`` (200 dpi) and ``stem.pdf`` (vector), each through a temporary name.

    Returns:
        list[Path]: the files written.
    """
    stem = Path(stem)
    written = []
    with house_style():
        for fmt in formats:
            path = stem.with_suffix(f".{fmt}")
            temporary = path.with_name(f".{path.stem}.partial.{fmt}")
            fig.savefig(temporary, format=fmt, dpi=DPI)
            temporary.replace(path)
            written.append(path)
    return written


def patch(colour: str, alpha: float, label: str) -> Patch:
    """A legend entry for a shaded band."""
    return Patch(facecolor=colour, alpha=alpha, edgecolor="none", label=label)


def line(colour: str, linestyle: LineStyleType, label: str) -> Line2D:
    """A legend entry for a line."""
    return Line2D([], [], color=colour, linestyle=linestyle, label=label)
