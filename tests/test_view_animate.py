"""``brink animate`` keeps the view's colours: a palette with the map's and panels' colours."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image, ImageColor

from brink.cli import main
from brink.viz.animate import KEPT_COLOURS, draw_frame, palette_image
from brink.viz.viewruns import Recorded


def _kept() -> set[tuple[int, int, int]]:
    return {ImageColor.getrgb(colour)[:3] for colour in KEPT_COLOURS}


def _colours(image: Image.Image) -> set[tuple[int, int, int]]:
    pixels = np.asarray(image.convert("RGB")).reshape(-1, 3)
    return {tuple(int(v) for v in row) for row in np.unique(pixels, axis=0)}


def _busy_image_with_swatches() -> Image.Image:
    """A smooth gradient of thousands of colours with a 3 × 3 swatch of each kept colour."""
    y, x = np.mgrid[0:200, 0:300]
    pixels = np.stack([x * 255 // 299, y * 255 // 199, (x + y) * 255 // 498], axis=-1)
    pixels = pixels.astype(np.uint8)
    for index, colour in enumerate(sorted(_kept())):
        row, column = divmod(index, 20)
        pixels[5 + 10 * row : 8 + 10 * row, 5 + 10 * column : 8 + 10 * column] = colour
    return Image.fromarray(pixels)


def test_palette_keeps_every_legend_colour_exactly():
    image = _busy_image_with_swatches()
    assert _kept() <= _colours(palette_image(image))
    # An adaptive palette alone (what Pillow does) loses some: the test can tell them apart.
    plain = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    assert not _kept() <= _colours(plain)


@pytest.mark.slow
def test_gif_frames_show_the_colours_the_figure_drew(tmp_path):
    run_dir = tmp_path / "run"
    assert main(["run", "black_sea_2022", "--runs", "1", "--seed", "5", "--horizon", "4",
                 "--out", str(run_dir), "--no-progress"]) == 0  # fmt: skip
    out = tmp_path / "crisis.gif"
    assert main(["animate", str(run_dir), "--out", str(out), "--run", "0"]) == 0
    recorded = Recorded.read(run_dir)
    figure = Figure(figsize=(12.0, 6.4), dpi=80)
    draw_frame(figure, recorded.scenario, recorded.tables, recorded.shares(), 0, 3, 10, 1,
               recorded.dispute)  # fmt: skip
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    drawn = _colours(Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()))
    wanted = drawn & _kept()
    assert len(wanted) >= 8  # postures, land, sea, lines: a real check
    with Image.open(out) as gif:
        gif.seek(3)
        shown = _colours(gif)
    assert wanted <= shown, wanted - shown
