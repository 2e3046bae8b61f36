"""The war on the matplotlib map (``brink animate``, saved figures): the front, the sides' forces
and aid, drawn from the same geometry as the browser's (:mod:`brink.viz.warmap`).

The browser's war layers measure a theatre on the SVG projection; here those points are taken
back to longitude and latitude, so the front, the discs and the arrows stand where the view
draws them.
"""

from __future__ import annotations

import math

from matplotlib.axes import Axes
from matplotlib.patches import PathPatch, Polygon
from matplotlib.path import Path as MplPath

from brink.figure_style import SIDE_COLOURS
from brink.scenarios.spec import Scenario
from brink.viz.map_layers import draw_arrow, troops_short
from brink.viz.map_projection import Extent, anchor, map_rings, outline_owners
from brink.viz.map_situation import Situation
from brink.viz.narrate import state_name
from brink.viz.svgparts import Projection, projection
from brink.viz.warmap import (
    AID_COLOUR,
    ARROW_SHARE,
    FRONT_COLOUR,
    HELD_COLOUR,
    MAX_ARROWS,
    front_ends,
    front_position,
    side_discs,
    sides_fighting,
    war_ground,
    war_principals,
)


def _lonlat(proj: Projection, x: float, y: float) -> tuple[float, float]:
    extent = proj.extent
    return (
        x / proj.scale + extent.lon_min,
        extent.lat_max - y / (extent.aspect * proj.scale),
    )


def draw_war(ax: Axes, scenario: Scenario, state: Situation, extent: Extent) -> None:
    """Each war of ``state``: the ground the challenger holds hatched, the front line, a disc
    per side (area ∝ its troops in the theatre, kept apart) and the main donors' aid arrows."""
    proj = projection(scenario)
    owners = outline_owners(scenario)
    for war in state.wars:
        challenger, target = war_principals(scenario, war)
        ground = war_ground(scenario, proj, war.theatre, challenger)
        if ground is None:
            continue
        rings = [
            ring for code, ring in map_rings(scenario, extent) if owners.get(code) == war.theatre
        ]
        clip = PathPatch(
            MplPath.make_compound_path(*(MplPath(ring, closed=True) for ring in rings)),
            transform=ax.transData,
            facecolor="none",
            edgecolor="none",
        )
        ax.add_patch(clip)
        offset, _middle = front_position(ground, war.control)
        (a_x, a_y), (c_x, c_y) = ground.axis, ground.across
        reach = 4 * (proj.height + 1000.0)
        base = (offset * a_x, offset * a_y)
        held = [
            (base[0] + reach * c_x, base[1] + reach * c_y),
            (base[0] - reach * c_x, base[1] - reach * c_y),
            (base[0] - reach * c_x - reach * a_x, base[1] - reach * c_y - reach * a_y),
            (base[0] + reach * c_x - reach * a_x, base[1] + reach * c_y - reach * a_y),
        ]
        patch = Polygon(
            [_lonlat(proj, x, y) for x, y in held],
            closed=True,
            facecolor="none",
            edgecolor=HELD_COLOUR,
            hatch="////",
            linewidth=0,
            zorder=2.5,
        )
        ax.add_patch(patch)
        patch.set_clip_path(clip)
        ends = [_lonlat(proj, x, y) for x, y in front_ends(ground, offset)]
        ax.plot(
            *zip(*ends, strict=True), color=FRONT_COLOUR, lw=3, solid_capstyle="round", zorder=4
        )
        radii, places = side_discs(ground, war)
        for index, side, troops in sides_fighting(war):
            lon, lat = _lonlat(proj, *places[index])
            # the disc's radius in points: SVG units over the map's width in points
            width_pt = ax.get_window_extent().width * 72 / ax.figure.dpi
            radius_pt = radii[index] * width_pt / 1000.0
            colour = SIDE_COLOURS[side]
            # white-filled with a ring of the side's colour, as in the view (a blue disc
            # vanished on the target's blue)
            ax.scatter([lon], [lat], s=math.pi * radius_pt**2, facecolor=(1, 1, 1, 0.45),
                       edgecolor=colour, linewidth=2.2, zorder=5)  # fmt: skip
            who = state_name(scenario, (challenger, target)[index])
            text = ax.annotate(
                f"{who}'s side {troops_short(troops)}",
                (lon, lat),
                xytext=(0, -radius_pt - 2),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize=7.5,
                color=colour,
                zorder=9,
                bbox=dict(boxstyle="round,pad=0.15", fc="white", ec=colour, lw=0.5, alpha=0.85),
            )
            text.set_gid("essential")
        for index in (0, 1):
            donors = war.donors[index]
            total = sum(amount for _code, amount in donors)
            if total <= 0:
                continue
            recipient = (
                war.theatre if war.theatre in war.sides[index] else (challenger, target)[index]
            )
            end = anchor(scenario, recipient, extent)[:2]
            main = [
                (code, amount / total) for code, amount in donors if amount / total >= ARROW_SHARE
            ]
            for number, (donor, share) in enumerate(main[:MAX_ARROWS]):
                start = anchor(scenario, donor, extent)[:2]
                draw_arrow(
                    ax,
                    start,
                    end,
                    AID_COLOUR,
                    lw=1.2 + 3 * share,
                    rad=0.2 if number % 2 == 0 else -0.2,
                )
