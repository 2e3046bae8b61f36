"""The crisis map: who stands where, drawn from a scenario and the run's tables (docs/model.md §8).

The map takes a :class:`~brink.scenarios.spec.Scenario` and data frames of ``steps`` and
``events`` rows (never a live model, docs/style.md), so the browser view, a replay from disk and an
animation for a talk draw the same picture. Outlines are Natural Earth 1:110m (public domain),
bundled in ``data/``: no tile server and no network.

The map is built in layers of modules: :mod:`brink.viz.map_projection` (outlines, extent,
where each state stands), :mod:`brink.viz.map_situation` (what stands where on a step) and
:mod:`brink.viz.map_layers` (colours, and each thing drawn with its label; the view the map takes
of Crimea's borders). This module stacks the layers (:func:`draw_map`) and renders them, drawing
what does not change once per scenario (:func:`map_figure`, :func:`map_png`).
"""

from __future__ import annotations

import io
from dataclasses import replace
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")  # the view and the CLI draw off screen; never open a window

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from PIL import Image

if TYPE_CHECKING:
    from matplotlib.transforms import Bbox

from brink.scenarios.spec import Scenario
from brink.viz.map_layers import (
    BORDER,
    OTHER_LAND,
    SEA,
    crimea_caption,
    draw_alliances,
    draw_badges,
    draw_capitals,
    draw_crimea,
    draw_demands,
    draw_deployments,
    draw_legend,
    draw_sanctions,
    off_map_text,
)
from brink.viz.map_projection import (
    Extent,
    historical_owners,
    map_extent,
    map_rings,
    outline_owners,
)
from brink.viz.map_sides import alignments
from brink.viz.map_situation import Situation, situation
from brink.viz.map_territories import draw_territories
from brink.viz.map_war import draw_war
from brink.viz.narrate import step_heading
from brink.viz.warmap import wars_at


def display_name(scenario: Scenario) -> str:
    """``Black Sea 2022`` from ``black_sea_2022``; a name with capitals or spaces is kept."""
    name = scenario.name.rsplit("/", 1)[-1]
    if " " in name or name != name.lower():
        return name
    return name.replace("_", " ").title()


def draw_map(
    ax: Axes,
    scenario: Scenario,
    steps: pd.DataFrame | None,
    events: pd.DataFrame | None,
    step: int,
    *,
    run: int | None = None,
    extent: Extent | None = None,
    title: bool = True,
    legend: bool = True,
    layer: str = "all",
    fronts: pd.DataFrame | None = None,
) -> Situation:
    """Draw the crisis on ``ax`` as it stands after ``step``; return what was drawn.

    Args:
        ax: A matplotlib axes; its limits and aspect are set here.
        scenario: The crisis (states, alliances, disputes, standing forces).
        steps: ``steps`` rows for postures (may be empty before the first step).
        events: ``events`` rows for deployments, sanctions, disputes and alliances.
        step: The step to draw.
        run: The run to draw when the tables hold several.
        extent: The region; by default :func:`map_extent` of the scenario.
        title: Put the scenario's name, the step and its date above the map.
        legend: Draw the legend of postures and symbols.
        layer: ``all``; or one of the three layers :func:`map_figure` stacks: ``bottom`` (sea
            and every outline in grey, the same for every step), ``middle`` (what changes: the
            scenario's states in their postures, Crimea, ties, demands, sanctions, troops,
            title) and ``top`` (capitals, names, legend and caption, the same for every step).
        fronts: The run's ``fronts`` rows: its wars (front, sides' forces, aid) are drawn.
    """
    extent = extent or map_extent(scenario)
    state = situation(scenario, steps, events, step, run)
    if fronts is not None:
        state = replace(state, wars=wars_at(scenario, fronts, step, run))
    _frame(ax, extent, layer)
    rings = map_rings(scenario, extent)
    owners = outline_owners(scenario)
    if layer in ("all", "bottom", "middle"):
        if layer == "middle":
            rings = tuple((code, ring) for code, ring in rings if code in owners)
        sides = alignments(scenario, state)
        joined = historical_owners(scenario)
        # A state made of several of today's outlines first, its inner borders in its colour.
        rings = tuple(sorted(rings, key=lambda item: owners.get(item[0]) not in joined))
        faces = [
            sides[owners[code]].fill if code in owners and layer != "bottom" else OTHER_LAND
            for code, _ in rings
        ]
        edges = [
            face if owners.get(code) in joined else BORDER
            for face, (code, _) in zip(faces, rings, strict=True)
        ]
        ax.add_collection(
            PolyCollection(
                [ring for _, ring in rings],
                facecolors=faces,
                edgecolors=edges,
                linewidths=0.5,
                zorder=1,
            )
        )
    if layer in ("all", "middle"):
        draw_crimea(ax, scenario, state)
        draw_territories(ax, scenario, extent)
        draw_alliances(ax, scenario, state, extent)
        draw_sanctions(ax, scenario, state, extent)
        draw_demands(ax, scenario, state, extent)
        draw_deployments(ax, scenario, state, extent)
        draw_war(ax, scenario, state, extent)
        draw_badges(ax, scenario, state, extent)
        if title:
            _draw_title(ax, scenario, step)
    if layer in ("all", "top"):
        draw_capitals(ax, scenario, extent)
        if legend:
            draw_legend(ax, scenario, state, extent)
        ax.text(
            0.0,
            -0.01,
            "\n".join(filter(None, (off_map_text(scenario), crimea_caption(scenario)))),
            transform=ax.transAxes,
            fontsize=7.5,
            color="#555555",
            va="top",
            ha="left",
        )
    return state


def declutter(ax: Axes, essential: set[str] | None = None) -> int:
    """Hide the map's labels that would overlap one placed before them; returns how many.

    Labels are kept in order: those marked essential (``gid`` "essential": the sides at war,
    the largest forces; and the texts in ``essential``: the principals' and theatre's names),
    then names, then the rest; a label overlapping a kept one is tried a little above and
    below, then hidden. So ``brink animate`` keeps its labels apart as the view does.
    """
    figure = ax.get_figure(root=True)
    if figure is None:
        raise ValueError("the axes are on no figure")
    renderer = figure.canvas.get_renderer() if hasattr(figure.canvas, "get_renderer") else None
    if renderer is None:
        renderer = FigureCanvasAgg(figure).get_renderer()
    essential = essential or set()

    def rank(text) -> int:
        if text.get_gid() == "essential" or text.get_text() in essential:
            return 0
        return 1 if text.get_gid() == "name" else 2

    texts = [t for t in ax.texts if t.get_visible() and t.get_text()]
    texts.sort(key=rank)
    frame = ax.get_window_extent(renderer)
    kept: list[Bbox] = []
    hidden = 0
    for text in texts:
        box = text.get_window_extent(renderer)
        if (
            any(box.overlaps(other) for other in kept)
            and not _move_clear(text, box, kept, frame, renderer)
            and rank(text) > 0
        ):
            text.set_visible(False)
            hidden += 1
            continue
        kept.append(text.get_window_extent(renderer))
    return hidden


def _move_clear(text, box, kept, frame, renderer) -> bool:
    """Move an annotation placed in offset points to the nearest of a ring of places around
    where it is that meets no kept label and stays in the map; True if it found one."""
    if not hasattr(text, "xyann") or text.get_anncoords() != "offset points":
        return False
    dpi = text.figure.dpi
    x0, y0 = text.xyann
    for reach in (1, 2, 3, 4):
        for dx, dy in ((0, 1), (0, -1), (1, 0), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1)):
            shift_x = dx * reach * (box.width / 2 + 2)
            shift_y = dy * reach * (box.height + 2)
            moved = box.translated(shift_x, shift_y)
            inside = frame.x0 <= moved.x0 and moved.x1 <= frame.x1
            inside = inside and frame.y0 <= moved.y0 and moved.y1 <= frame.y1
            if inside and not any(moved.overlaps(other) for other in kept):
                text.xyann = (x0 + shift_x * 72 / dpi, y0 + shift_y * 72 / dpi)
                return True
    return False


def _frame(ax: Axes, extent: Extent, layer: str) -> None:
    """The axes of a map layer: the extent's limits and aspect, no ticks; the sea in the bottom
    layer, and the frame in every layer but ``top`` and ``title``."""
    # Fix the limits first: with autoscaling off, adding artists does not recompute them.
    ax.set_xlim(extent.lon_min, extent.lon_max)
    ax.set_ylim(extent.lat_min, extent.lat_max)
    ax.set_autoscale_on(False)
    ax.set_aspect(extent.aspect)
    ax.set_xticks([])
    ax.set_yticks([])
    if layer == "all" or layer == "bottom":
        ax.set_facecolor(SEA)
    else:
        ax.patch.set_visible(False)
    if layer in ("top", "title"):
        for spine in ax.spines.values():
            spine.set_visible(False)


def _draw_title(ax: Axes, scenario: Scenario, step: int) -> None:
    # A fixed ``y`` spares matplotlib from laying the title out again on every draw to dodge
    # tick labels, which the map has none of (it lands where the default puts it).
    ax.set_title(
        f"{display_name(scenario)} — {step_heading(scenario, step)}",
        fontsize=13,
        fontweight="bold",
        loc="left",
        y=1.0,
    )


#: Where the map's axes stand in its figure (left, bottom, width, height), the same in every
#: layer so the layers line up pixel for pixel.
MAP_AXES = (0.01, 0.035, 0.98, 0.915)
_LAYER_CACHE: dict[tuple, tuple[Scenario, np.ndarray, np.ndarray]] = {}


def _static_layers(
    scenario: Scenario, extent: Extent, size: tuple[float, float], dpi: int
) -> tuple[np.ndarray, np.ndarray]:
    """The bottom and top layers of a scenario's map as RGBA pixels, drawn once and kept."""
    key = (id(scenario), extent, size, dpi)
    cached = _LAYER_CACHE.get(key)
    if cached is not None and cached[0] is scenario:
        return cached[1], cached[2]
    layers = []
    for layer in ("bottom", "top"):
        figure = Figure(figsize=size, dpi=dpi)
        if layer == "top":
            figure.patch.set_visible(False)
        ax = figure.add_axes(MAP_AXES)
        draw_map(ax, scenario, None, None, 0, extent=extent, layer=layer)
        canvas = FigureCanvasAgg(figure)
        canvas.draw()
        layers.append(np.asarray(canvas.buffer_rgba()).copy())
    if len(_LAYER_CACHE) >= 8:
        _LAYER_CACHE.pop(next(iter(_LAYER_CACHE)))
    _LAYER_CACHE[key] = (scenario, layers[0], layers[1])
    return layers[0], layers[1]


def map_figure(
    scenario: Scenario,
    steps: pd.DataFrame | None,
    events: pd.DataFrame | None,
    step: int,
    *,
    run: int | None = None,
    size: tuple[float, float] = (9.0, 6.4),
    dpi: int = 100,
) -> Figure:
    """A figure holding only the map, for saving (the view takes :func:`map_png`, faster).

    What does not change from step to step (outlines, names, legend, caption) is drawn once per
    scenario and pasted in as pixels below and above what does, so a step redraws only the
    crisis itself (the view redraws the map on every step).
    """
    extent = map_extent(scenario)
    bottom, top = _static_layers(scenario, extent, size, dpi)
    figure = Figure(figsize=size, dpi=dpi)
    figure.figimage(bottom, zorder=-1, origin="upper")
    figure.figimage(top, zorder=10, origin="upper")
    ax = figure.add_axes(MAP_AXES)
    draw_map(ax, scenario, steps, events, step, run=run, extent=extent, layer="middle")
    return figure


#: The middle layers (without title) of the last few maps drawn, with what they show.
_MIDDLE_CACHE: list[tuple[tuple, Situation, Image.Image]] = []
_MIDDLE_CACHE_SIZE = 4


def _transparent_axes(size: tuple[float, float], dpi: int) -> tuple[Figure, Axes]:
    figure = Figure(figsize=size, dpi=dpi)
    figure.patch.set_visible(False)
    return figure, figure.add_axes(MAP_AXES)


def _pixels(figure: Figure) -> Image.Image:
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return Image.frombuffer(
        "RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1
    )


def _below_title(
    scenario: Scenario,
    steps: pd.DataFrame | None,
    events: pd.DataFrame | None,
    step: int,
    run: int | None,
    extent: Extent,
    size: tuple[float, float],
    dpi: int,
) -> Image.Image:
    """The bottom layer with the middle one (but its title) over it: redrawn only when what it
    shows changed, which on most days of a standoff it has not (the day is in the title)."""
    key = (id(scenario), extent, size, dpi)
    state = replace(situation(scenario, steps, events, step, run), step=0)
    for cached_key, cached_state, picture in _MIDDLE_CACHE:
        if cached_key == key and cached_state == state:
            return picture
    bottom, _ = _static_layers(scenario, extent, size, dpi)
    figure, ax = _transparent_axes(size, dpi)
    draw_map(ax, scenario, steps, events, step, run=run, extent=extent, title=False, layer="middle")
    picture = Image.alpha_composite(Image.fromarray(bottom), _pixels(figure))
    _MIDDLE_CACHE.insert(0, (key, state, picture))
    del _MIDDLE_CACHE[_MIDDLE_CACHE_SIZE:]
    return picture


def map_png(
    scenario: Scenario,
    steps: pd.DataFrame | None,
    events: pd.DataFrame | None,
    step: int,
    *,
    run: int | None = None,
    size: tuple[float, float] = (9.0, 6.4),
    dpi: int = 100,
) -> bytes:
    """The picture of :func:`map_figure` as PNG bytes, made faster for the view's every step.

    Only what changes goes through matplotlib, on transparent canvases: the middle layer when
    the situation it shows changed (kept for the next steps otherwise) and the title with the
    day. Pillow's alpha compositing stacks them with the cached bottom and top layers, which
    gives the pixels of :func:`map_figure` (to within rounding) in a fraction of the time; the
    result is saved as an RGB PNG with fast zlib level 1.
    """
    extent = map_extent(scenario)
    _, top = _static_layers(scenario, extent, size, dpi)
    picture = _below_title(scenario, steps, events, step, run, extent, size, dpi)
    figure, ax = _transparent_axes(size, dpi)
    _frame(ax, extent, "title")
    _draw_title(ax, scenario, step)
    picture = Image.alpha_composite(picture, _pixels(figure))
    picture = Image.alpha_composite(picture, Image.fromarray(top)).convert("RGB")
    buffer = io.BytesIO()
    picture.save(buffer, format="png", compress_level=1)
    return buffer.getvalue()
