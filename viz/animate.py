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
from PIL import Image, ImageColor

from brink.errors import BrinkInputError, Location
from brink.scenarios.spec import Scenario
from brink.viz import map_layers as crisis_map
from brink.viz import timeline
from brink.viz.map import declutter, draw_map
from brink.viz.map_layers import LEGEND_TITLE, legend_handles
from brink.viz.map_projection import map_extent
from brink.viz.map_sides import SIDE_FILLS, UNCOMMITTED
from brink.viz.timeline import draw_beliefs, draw_hostility, draw_outcomes
from brink.viz.vector import key_states

MAX_FRAMES = 120  # a longer run is sampled evenly so a GIF stays small
#: Written into every animation (a GIF comment, MP4 metadata), so that ``--force`` replaces
#: only a file Brink wrote (:func:`written_by_brink`), never a user's own GIF or MP4.
WRITTEN_BY = "written by brink animate"


#: Colours a frame must keep exactly: the map's postures, symbols and ties, and the panels'
#: lines and bands. An adaptive palette alone merges small areas of colour (a legend's swatch)
#: into their neighbours: threat yellow came out beige-pink, an alliance line grey (issue 15).
KEPT_COLOURS = (
    "#ffffff",
    "#000000",
    "#222222",
    *crisis_map.POSTURE_COLOURS.values(),
    *SIDE_FILLS.values(),
    UNCOMMITTED,
    crisis_map.OTHER_LAND,
    crisis_map.SEA,
    crisis_map.BORDER,
    crisis_map.DEMAND_COLOUR,
    crisis_map.SANCTION_COLOUR,
    *crisis_map.ALLIANCE_COLOURS,
    *timeline.DISPUTE_COLOURS,
    *timeline.OUTCOME_GROUP_COLOURS.values(),
)


def palette_image(image: Image.Image, colours: int = 256) -> Image.Image:
    """``image`` with a palette of ``colours``: :data:`KEPT_COLOURS` exactly, the rest chosen
    for the image (median cut); each pixel takes the nearest colour, with no dithering.

    The nearest colour is found exactly, here, rather than by Pillow's ``quantize(palette=)``,
    whose lookup works on cells of 8 levels a channel and maps white to a near-white entry.
    """
    rgb = image.convert("RGB")
    kept = list(dict.fromkeys(ImageColor.getrgb(colour)[:3] for colour in KEPT_COLOURS))
    adaptive = rgb.quantize(
        colors=colours - len(kept), method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    extra = (adaptive.getpalette() or [])[: 3 * (colours - len(kept))]
    palette = np.array([*(value for colour in kept for value in colour), *extra], dtype=np.int32)
    palette = palette.reshape(-1, 3)
    pixels = np.asarray(rgb, dtype=np.int32).reshape(-1, 3)
    packed = (pixels[:, 0] << 16) | (pixels[:, 1] << 8) | pixels[:, 2]
    unique, where = np.unique(packed, return_inverse=True)
    unique_rgb = np.stack([unique >> 16, (unique >> 8) & 255, unique & 255], axis=1)
    nearest = np.empty(len(unique), dtype=np.uint8)
    for start in range(0, len(unique), 2048):  # in blocks: 2,048 × 256 distances at a time
        block = unique_rgb[start : start + 2048, None, :] - palette[None, :, :]
        nearest[start : start + 2048] = (block * block).sum(axis=2).argmin(axis=1)
    result = Image.fromarray(nearest[where].reshape(rgb.height, rgb.width), mode="P")
    result.putpalette(palette.astype(np.uint8).ravel().tolist())
    return result


class PaletteGifWriter(PillowWriter):
    """Pillow's GIF writer with each frame's own 256-colour palette and no dithering.

    Pillow's default conversion dithers to a fixed web palette, which turns the map's war red
    purple and speckles flat colours; :func:`palette_image` keeps the legend's colours exact.
    """

    _frames: list[Image.Image]  # made by PillowWriter.setup (matplotlib's stubs omit it)

    def finish(self) -> None:
        frames = [palette_image(frame) for frame in self._frames]
        frames[0].save(
            self.outfile,
            save_all=True,
            append_images=frames[1:],
            duration=int(1000 / self.fps),
            loop=0,
            optimize=True,
            comment=WRITTEN_BY.encode("ascii"),
        )


def written_by_brink(path: Path) -> bool:
    """Whether ``path`` is an animation ``brink animate`` wrote (it carries :data:`WRITTEN_BY`:
    a GIF's comment, an MP4's metadata)."""
    mark = WRITTEN_BY.encode("ascii")
    if path.suffix.lower() == ".gif":
        try:
            with Image.open(path) as image:
                return image.format == "GIF" and image.info.get("comment") == mark
        except (OSError, ValueError, Image.DecompressionBombError):
            return False
    with open(path, "rb") as handle:  # an MP4's metadata sits in its moov box, often at the end
        previous = b""
        while chunk := handle.read(1 << 20):
            if mark in previous[-len(mark) :] + chunk:
                return True
            previous = chunk
    return False


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
    """Draw one frame: the map on the left with the run's wars (front, sides' forces, aid),
    its legend under it, outside the map; hostility, outcome shares and beliefs beside it. The
    map's labels are kept apart (:func:`brink.viz.map.declutter`): the principals', the
    theatre's, the sides' and the largest forces' first."""
    figure.clear()
    # Constrained layout keeps the panels' tick labels and legends clear of the map.
    figure.set_layout_engine("constrained")
    grid = figure.add_gridspec(3, 3, width_ratios=(1, 1, 0.9))
    ax = figure.add_subplot(grid[:, :2])
    state = draw_map(
        ax,
        scenario,
        tables["steps"],
        tables["events"],
        step,
        run=run,
        extent=map_extent(scenario),
        legend=False,
        fronts=tables.get("fronts"),
    )
    figure.legend(
        handles=legend_handles(scenario, state),
        loc="outside lower center",
        ncols=5,
        fontsize=7,
        frameon=False,
        title=LEGEND_TITLE,
        title_fontsize=7.5,
    )
    draw_hostility(figure.add_subplot(grid[0, 2]), scenario, tables["events"], step, span, run)
    draw_outcomes(
        figure.add_subplot(grid[1, 2]), scenario, shares, step, span, ensemble_runs, dispute
    )
    draw_beliefs(figure.add_subplot(grid[2, 2]), scenario, tables["beliefs"], step, run)
    figure.draw_without_rendering()  # lay the frame out, so the labels' places are final
    names = {scenario.states[code].name for code in key_states(scenario)}
    declutter(ax, names)


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
    # matplotlib's stubs say fps is an int; its writers take any rate (2.5 frames a second)
    writer = (
        PaletteGifWriter(fps=fps)  # type: ignore[arg-type]
        if suffix == ".gif"
        else FFMpegWriter(fps=fps, metadata={"comment": WRITTEN_BY})  # type: ignore[arg-type]
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    animation.save(str(out), writer=writer, dpi=dpi)
    return len(frames)
