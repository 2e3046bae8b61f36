"""A recorded run as an animation for a talk: the view's map and panels, one frame per step.

:func:`animate_run` reads nothing but the tables of a run directory (``brink run`` output) and
writes a GIF with Pillow, or an MP4 where ffmpeg is installed (matplotlib.animation).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.animation import FFMpegWriter, FuncAnimation, PillowWriter
from matplotlib.figure import Figure
from PIL import Image

from brink.errors import BrinkInputError, Location
from brink.scenarios.spec import Scenario
from brink.viz.map import draw_map, map_extent
from brink.viz.timeline import draw_beliefs, draw_hostility, draw_outcomes

MAX_FRAMES = 120  # a longer run is sampled evenly so a GIF stays small


class PaletteGifWriter(PillowWriter):
    """Pillow's GIF writer with each frame's own 256-colour palette and no dithering.

    Pillow's default conversion dithers to a fixed web palette, which turns the map's war red
    purple and speckles flat colours; an adaptive palette keeps the legend's colours true and
    the file smaller.
    """

    def finish(self) -> None:
        frames = [
            frame.convert("RGB").quantize(
                colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
            )
            for frame in self._frames
        ]
        frames[0].save(
            self.outfile,
            save_all=True,
            append_images=frames[1:],
            duration=int(1000 / self.fps),
            loop=0,
            optimize=True,
        )


def frame_steps(last_step: int, max_frames: int = MAX_FRAMES) -> list[int]:
    """The steps drawn: every step from 0 to ``last_step``, or ``max_frames`` spread evenly."""
    if last_step + 1 <= max_frames:
        return list(range(last_step + 1))
    return sorted(set(np.rint(np.linspace(0, last_step, max_frames)).astype(int).tolist()))


def draw_frame(
    figure: Figure,
    scenario: Scenario,
    tables: dict[str, pd.DataFrame],
    shares: pd.DataFrame,
    run: int,
    step: int,
    span: int,
    ensemble_runs: int,
    dispute: str | None = None,
) -> None:
    """Draw one frame: the map on the left; hostility, outcome shares and beliefs beside it."""
    figure.clear()
    grid = figure.add_gridspec(3, 3, width_ratios=(1, 1, 0.9), hspace=0.65, wspace=0.25)
    figure.subplots_adjust(left=0.01, right=0.97, top=0.93, bottom=0.07)
    draw_map(
        figure.add_subplot(grid[:, :2]),
        scenario,
        tables["steps"],
        tables["events"],
        step,
        run=run,
        extent=map_extent(scenario),
    )
    draw_hostility(figure.add_subplot(grid[0, 2]), scenario, tables["events"], step, span, run)
    draw_outcomes(
        figure.add_subplot(grid[1, 2]), scenario, shares, step, span, ensemble_runs, dispute
    )
    draw_beliefs(figure.add_subplot(grid[2, 2]), scenario, tables["beliefs"], step, run)


def animate_run(
    scenario: Scenario,
    tables: dict[str, pd.DataFrame],
    shares: pd.DataFrame,
    out: Path,
    *,
    run: int,
    dispute: str | None = None,
    fps: float = 4.0,
    dpi: int = 80,
) -> int:
    """Write run ``run`` of ``tables`` as an animation to ``out`` (.gif, or .mp4 with ffmpeg).

    Returns:
        int: the number of frames written.

    Raises:
        BrinkInputError: for an unknown run, a format with no writer here, or a bad ``fps``.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".gif", ".mp4"):
        raise BrinkInputError(
            f"'{out.name}' is neither .gif nor .mp4", Location(file="command line", key="--out")
        )
    if suffix == ".mp4" and shutil.which("ffmpeg") is None:
        raise BrinkInputError(
            "no MP4 writer here (ffmpeg is not installed); write a .gif instead",
            Location(file="command line", key="--out"),
        )
    if not 0 < fps <= 60:
        raise BrinkInputError(
            f"{fps:g} frames per second is outside 0–60", Location(file="command line", key="--fps")
        )
    steps = tables["steps"]
    runs_present = sorted(int(r) for r in steps["run"].unique()) if len(steps) else []
    if run not in runs_present:
        shown = ", ".join(map(str, runs_present[:10])) + ("…" if len(runs_present) > 10 else "")
        raise BrinkInputError(
            f"run {run} is not in this directory (runs: {shown or 'none'})",
            Location(file="command line", key="--run"),
        )
    last = int(steps.loc[steps["run"] == run, "step"].max())
    frames = frame_steps(last)
    span = max(last, 10)
    ensemble_runs = len(runs_present)
    figure = Figure(figsize=(12.0, 6.4), dpi=dpi)

    def update(step: int):
        draw_frame(figure, scenario, tables, shares, run, step, span, ensemble_runs, dispute)
        return []

    animation = FuncAnimation(figure, update, frames=frames, blit=False, repeat=False)
    writer = PaletteGifWriter(fps=fps) if suffix == ".gif" else FFMpegWriter(fps=fps)
    out.parent.mkdir(parents=True, exist_ok=True)
    animation.save(str(out), writer=writer, dpi=dpi)
    return len(frames)
