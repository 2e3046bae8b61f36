"""The drawing layers of the crisis map: its colours, and each thing drawn with its label.

Each ``_draw_*`` function draws one kind of thing on a matplotlib axes for one
:class:`~brink.viz.map_situation.Situation`: Crimea, the capitals and their names, alliance ties,
demands, sanctions, deployed troops and the legend, each with its label placed clear of the
others. :func:`brink.viz.map.draw_map` stacks them.

**Borders.** Natural Earth draws Crimea as part of Russia (its de facto view). This map shows
Crimea as Ukrainian territory under Russian control since 2014, hatched, and says so in its
caption (``data/README.md``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")  # the view and the CLI draw off screen; never open a window

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from brink.figure_style import PALETTE
from brink.scenarios.spec import Scenario
from brink.viz.map_projection import (
    Extent,
    anchor,
    border_point,
    historical_name,
    historical_owners,
    off_map,
    outline_owners,
    principal_of,
    two_germanys,
    world,
)
from brink.viz.map_sides import SIDE_BORDER, alignments, side_legend
from brink.viz.map_situation import Deployment, Situation, scenario_start_year
from brink.viz.narrate import LEVEL_LABELS, dispute_label, join_words, troops_text

if TYPE_CHECKING:
    from matplotlib.typing import LegendLocType

CRIMEA_CAPTION = (
    "Borders: Natural Earth 1:110m. Crimea (hatched) is shown as Ukrainian territory "
    "under Russian control since 2014."
)

CRIMEA_CAPTION_BEFORE_2014 = (
    "Borders: Natural Earth 1:110m (today's outlines). Crimea is shown as part of Ukraine, "
    "as it was before 2014."
)
#: The year from which the map shows Crimea as Ukrainian territory under Russian control.
CRIMEA_ANNEXATION_YEAR = 2014

#: Posture colours by MID hostility level: calm blue to war red (ColorBrewer RdYlBu, reversed).
POSTURE_COLOURS = {
    1: "#abd9e9",
    2: "#fee090",
    3: "#fdae61",
    4: "#f46d43",
    5: "#a50026",
}
OTHER_LAND = "#e6e6e6"
SEA = "#f2f6fa"
BORDER = "#8c8c8c"
DEMAND_COLOUR = "#54278f"
SANCTION_COLOUR = "#08519c"
TROOPS_COLOUR = "#ffffff"
ALLIANCE_COLOURS = ("#1b7837", "#762a83", "#b35806", "#01665e", "#8c510a")
#: An alliance's kind (scenario key) in words, for legends and tooltips.
ALLIANCE_KINDS = {
    "defense": "defence pact",
    "offense": "offensive pact",
    "neutrality": "neutrality pact",
    "nonaggression": "non-aggression pact",
    "consultation": "consultation pact",
}


#: The year Ukraine became independent: before it, Crimea's status is no question for the map.
UKRAINE_INDEPENDENCE_YEAR = 1991


def crimea_caption(scenario: Scenario) -> str:
    """The map's caption, fitting its year: where its borders come from, the states drawn from
    today's outlines as they stood then (``data/historical-states.csv``), and, from 1991 on
    where Ukraine is a state of its own on the map, the view it takes of Crimea
    (``data/README.md``)."""
    year = scenario_start_year(scenario)
    owners = outline_owners(scenario)
    joined = sorted(historical_owners(scenario))
    names = [
        historical_name(code, year) or scenario.states[code].name
        for code in joined
        if code in scenario.states
    ]
    if two_germanys(year):
        names.append("the two German states")
        joined.append("GDR")
    if joined:
        text = (
            f"Borders of {year}: {join_words(names)} drawn from today's outlines on their "
            "territory (Natural Earth 1:110m; data/historical-states.csv)."
        )
    else:
        text = "Borders: Natural Earth 1:110m."
    if year >= 10_000 or "UKR" not in owners or owners.get("UKR") != "UKR":
        return text if joined else CRIMEA_CAPTION.split(" Crimea")[0]
    if year < UKRAINE_INDEPENDENCE_YEAR:
        return text
    if year < CRIMEA_ANNEXATION_YEAR:
        return CRIMEA_CAPTION_BEFORE_2014
    return CRIMEA_CAPTION


def draw_crimea(ax: Axes, scenario: Scenario, state: Situation) -> None:
    crimea = world().get("CRIMEA")
    if crimea is None or not crimea.rings:
        return
    owners = outline_owners(scenario)
    sides = alignments(scenario, state)

    def colour(outline: str, default: str) -> str:
        owner = owners.get(outline)
        return sides[owner].fill if owner in sides else default

    face = colour("UKR", OTHER_LAND)
    if scenario_start_year(scenario) < CRIMEA_ANNEXATION_YEAR or owners.get("UKR") == owners.get(
        "RUS"
    ):
        # Before 2014 Crimea is simply part of Ukraine.
        ax.add_collection(
            PolyCollection(
                list(crimea.rings), facecolors=face, edgecolors=BORDER, linewidths=0.5, zorder=1.5
            )
        )
        return
    # Ukraine's colour, hatched in Russia's: Ukrainian territory under Russian control.
    hatch_colour = colour("RUS", "#777777")
    if hatch_colour == face:
        hatch_colour = "#555555"
    ax.add_collection(
        PolyCollection(
            list(crimea.rings),
            facecolors=face,
            edgecolors=hatch_colour,
            hatch="////",
            linewidths=0.6,
            zorder=1.5,
        )
    )


def draw_badges(ax: Axes, scenario: Scenario, state: Situation, extent: Extent) -> None:
    """Each state's posture (MID hostility level) as a badge at its capital: the fill shows
    its side (brink.viz.map_sides)."""
    for code in scenario.states:
        lon, lat, on_map = anchor(scenario, code, extent)
        if on_map:
            level = state.postures.get(code, 1)
            ax.scatter(
                [lon],
                [lat],
                s=42,
                facecolor=POSTURE_COLOURS.get(level, OTHER_LAND),
                edgecolor="#222222",
                linewidth=0.9,
                zorder=6,
            )


def draw_capitals(ax: Axes, scenario: Scenario, extent: Extent) -> None:
    """The names of the states on the map at their capitals (or on their land, where the
    capital is off the map); those off it are listed in the caption (:func:`off_map_text`)."""
    for spec in scenario.states.values():
        lon, lat, on_map = anchor(scenario, spec.code, extent)
        if not on_map:
            continue
        ax.plot(lon, lat, "o", ms=3.5, color="#222222", zorder=6)
        near_right = lon > extent.lon_max - 0.18 * (extent.lon_max - extent.lon_min)
        name = ax.annotate(
            spec.name,
            (lon, lat),
            xytext=(-4, 4) if near_right else (4, 4),
            ha="right" if near_right else "left",
            textcoords="offset points",
            fontsize=8.5,
            fontweight="bold",
            color="#222222",
            zorder=7,
            bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.65),
        )
        name.set_gid("name")


def off_map_text(scenario: Scenario) -> str:
    """``Off the map: ← United States, ← Canada`` (empty when every state is on it)."""
    entries = off_map(scenario)
    if not entries:
        return ""
    return "Off the map: " + ", ".join(f"{e['arrow']} {e['name']}" for e in entries)


def alliance_ties(points: dict[str, tuple[float, float]]) -> list[tuple[str, str]]:
    """Ties that join an alliance's members with the shortest lines: a minimum spanning tree
    (Prim), so a map of NATO shows a light web between neighbours, not a star from one capital.
    """
    codes = sorted(points)
    if len(codes) < 2:
        return []
    joined = {codes[0]}
    ties = []
    while len(joined) < len(codes):
        best = min(
            ((a, b) for a in joined for b in codes if b not in joined),
            key=lambda pair: math.dist(points[pair[0]], points[pair[1]]),
        )
        ties.append(best)
        joined.add(best[1])
    return ties


def draw_alliances(ax: Axes, scenario: Scenario, state: Situation, extent: Extent) -> None:
    for index, (_, members) in enumerate(sorted(state.alliances.items())):
        colour = ALLIANCE_COLOURS[index % len(ALLIANCE_COLOURS)]
        points = {
            code: anchor(scenario, code, extent)[:2] for code in members if code in scenario.states
        }
        segments = [[points[a], points[b]] for a, b in alliance_ties(points)]
        if segments:
            ax.add_collection(
                LineCollection(
                    segments,
                    colors=colour,
                    linewidths=1.0,
                    linestyles=(0, (4, 3)),
                    alpha=0.75,
                    zorder=2,
                )
            )


def draw_arrow(
    ax: Axes, start, end, colour: str, *, style="-|>", ls="-", lw=1.6, rad=0.15, alpha=1
):
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops=dict(
            arrowstyle=style,
            color=colour,
            lw=lw,
            ls=ls,
            alpha=alpha,
            shrinkA=4,
            shrinkB=6,
            connectionstyle=f"arc3,rad={rad}",
        ),
        zorder=4,
    )


def _label(ax: Axes, x: float, y: float, text: str, colour: str, *, alpha: float = 1.0) -> None:
    ax.text(
        x,
        y,
        text,
        fontsize=7.5,
        color=colour,
        ha="center",
        va="center",
        alpha=alpha,
        zorder=8,
        bbox=dict(boxstyle="round,pad=0.2", fc="white", ec=colour, lw=0.6, alpha=0.85 * alpha),
    )


def draw_demands(ax: Axes, scenario: Scenario, state: Situation, extent: Extent) -> None:
    for number, demand in enumerate(state.demands):
        # Alternate the bend so two demands from one capital do not run on top of each other.
        rad = 0.25 if number % 2 == 0 else -0.25
        sx, sy, _ = anchor(scenario, demand.challenger, extent)
        tx, ty, _ = anchor(scenario, demand.target, extent)
        war = demand.status == "war"
        over = demand.status == "over"
        colour = POSTURE_COLOURS[5] if war else DEMAND_COLOUR
        alpha = 0.35 if over else 1.0
        draw_arrow(ax, (sx, sy), (tx, ty), colour, lw=3.0 if war else 1.8, rad=rad, alpha=alpha)
        if demand.target in scenario.alliances:
            _label(ax, tx, ty, demand.target, DEMAND_COLOUR, alpha=alpha)
        mx, my = _arc_midpoint((sx, sy), (tx, ty), rad)
        prefix = "WAR: " if war else ("settled: " if over else "demand: ")
        _label(ax, mx, my, prefix + dispute_label(scenario, demand.dispute), colour, alpha=alpha)


def _arc_midpoint(start, end, rad: float) -> tuple[float, float]:
    # Midpoint of matplotlib's arc3 connection: offset from the chord's middle by rad × length.
    (x1, y1), (x2, y2) = start, end
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    dx, dy = x2 - x1, y2 - y1
    return mx + rad * dy / 2, my - rad * dx / 2


def draw_sanctions(ax: Axes, scenario: Scenario, state: Situation, extent: Extent) -> None:
    # One arrow per sanction, from the middle of its senders on the map: fourteen NATO
    # capitals sending one threat should not draw fourteen lines.
    for sanction in state.sanctions:
        if sanction.status == "lifted":
            continue
        tx, ty, _ = anchor(scenario, sanction.target, extent)
        senders = [code for code in sanction.senders if code != sanction.target]
        if not senders:
            continue
        anchors = [anchor(scenario, code, extent) for code in senders]
        on_map = [(x, y) for x, y, inside in anchors if inside] or [anchors[0][:2]]
        sx = float(np.mean([x for x, _ in on_map]))
        sy = float(np.mean([y for _, y in on_map]))
        imposed = sanction.status == "imposed"
        draw_arrow(
            ax,
            (sx, sy),
            (tx, ty),
            SANCTION_COLOUR,
            ls="-" if imposed else "--",
            lw=2.0 if imposed else 1.4,
            rad=-0.15,
            alpha=0.85,
        )
        names = [scenario.states[s].name if s in scenario.states else s for s in senders]
        who = names[0] if len(names) == 1 else f"{len(names)} states"
        what = (
            f"sanctions {round(sanction.severity * 100)} % imposed"
            if imposed
            else "sanctions threatened"
        )
        mx, my = _arc_midpoint((sx, sy), (tx, ty), -0.15)
        mx, my = 0.6 * sx + 0.4 * mx, 0.6 * sy + 0.4 * my  # near the senders, off the arrows
        _label(ax, mx, my, f"{what} by {who}", SANCTION_COLOUR)


def deployment_position(
    scenario: Scenario, deployment: Deployment, extent: Extent
) -> tuple[float, float]:
    hx, hy, on_map = anchor(scenario, deployment.host, extent)
    if deployment.near and deployment.near in scenario.states and on_map:
        nlat, nlon = scenario.states[principal_of(scenario, deployment.near)].capital
        return border_point(deployment.host, (hx, hy), (nlon, nlat))
    return hx, hy


def _marker_size(thousands: float) -> float:
    # Marker area proportional to troops: 10,000 troops ↔ 120 pt².
    return 12.0 * max(thousands, 0.5)


def fought_deployments(state: Situation) -> list[Deployment]:
    """The deployments drawn, largest first: in a war the sides' discs stand for the forces in
    the theatre, so the deployments they count are not drawn again beside them."""
    fought = {(code, war.theatre) for war in state.wars for side in war.sides for code in side}
    return [
        d
        for d in sorted(state.deployments, key=lambda d: -d.troops)
        if (d.owner, d.host) not in fought and (d.owner, d.near) not in fought
    ]


def draw_deployments(ax: Axes, scenario: Scenario, state: Situation, extent: Extent) -> None:
    placed: dict[tuple[float, float], int] = {}
    for rank, deployment in enumerate(fought_deployments(state)):
        x, y = deployment_position(scenario, deployment, extent)
        # Several owners in one host: fan the markers out around the spot.
        key = (round(x, 1), round(y, 1))
        count = placed.get(key, 0)
        placed[key] = count + 1
        if count:
            angle = math.radians(60 * count + 30)
            x, y = x + 1.1 * math.cos(angle), y + 0.7 * math.sin(angle)
        ax.scatter(
            [x],
            [y],
            s=_marker_size(deployment.troops),
            facecolor=TROOPS_COLOUR,
            edgecolor="#222222",
            linewidth=1.1,
            alpha=0.6,
            zorder=5,
        )
        code = deployment.owner
        label = f"{code} {troops_short(deployment.troops)}"
        text = ax.annotate(
            label,
            (x, y),
            xytext=(-math.sqrt(_marker_size(deployment.troops)) / 2 - 2, -2),
            textcoords="offset points",
            fontsize=7,
            ha="right",
            va="top",
            color="#222222",
            zorder=8,
            bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.6),
        )
        text.set_gid("essential" if rank < 2 else "troops")


def troops_short(thousands: float) -> str:
    if thousands >= 10:
        return f"{thousands:,.0f}k"
    return f"{thousands:,.1f}k".replace(".0k", "k")


def _legend_corner(scenario: Scenario, extent: Extent) -> LegendLocType:
    """Lower left (open sea in most crises) unless a capital stands there; then matplotlib's
    best place, which hides the fewest names."""
    for code in scenario.states:
        lon, lat, on_map = anchor(scenario, code, extent)
        if (
            on_map
            and lon < extent.lon_min + 0.3 * (extent.lon_max - extent.lon_min)
            and lat < extent.lat_min + 0.45 * (extent.lat_max - extent.lat_min)
        ):
            return "best"
    return "lower left"


def draw_legend(ax: Axes, scenario: Scenario, state: Situation, extent: Extent) -> None:
    ax.legend(
        handles=legend_handles(scenario, state),
        loc=_legend_corner(scenario, extent),
        fontsize=7.5,
        title=LEGEND_TITLE,
        title_fontsize=8,
        framealpha=0.9,
        borderpad=0.5,
        labelspacing=0.35,
    )


LEGEND_TITLE = "Sides; posture (MID level) at the capital"


def legend_handles(scenario: Scenario, state: Situation) -> list[Artist]:
    """The legend's entries, in words: the sides, the posture badges, symbols, alliances."""
    handles: list[Artist] = [
        Patch(facecolor=entry["colour"], edgecolor=SIDE_BORDER, label=entry["text"])
        for entry in side_legend(scenario, state)
    ]
    handles.append(Patch(facecolor=OTHER_LAND, edgecolor=BORDER, label="not in the scenario"))
    handles.extend(
        Line2D(
            [],
            [],
            ls="",
            marker="o",
            markersize=6,
            markerfacecolor=POSTURE_COLOURS[level],
            markeredgecolor="#222222",
            label=f"posture: {LEVEL_LABELS[level][2:]}",
        )
        for level in range(1, 6)
    )
    handles.append(Line2D([], [], color=DEMAND_COLOUR, lw=1.8, label="demand"))
    handles.append(Line2D([], [], color=SANCTION_COLOUR, lw=1, ls="--", label="sanctions"))
    for index, alliance_id in enumerate(sorted(state.alliances)):
        colour = ALLIANCE_COLOURS[index % len(ALLIANCE_COLOURS)]
        spec = scenario.alliances[alliance_id]
        # A short id (NATO) reads better than a long name; a long id (UNION_STATE) does not.
        name = alliance_id if len(alliance_id) <= 5 else spec.name
        label = f"{name} ({ALLIANCE_KINDS.get(spec.kind, spec.kind)})"
        handles.append(Line2D([], [], color=colour, lw=0.9, ls=(0, (4, 3)), label=label))
    handles.append(
        Line2D(
            [],
            [],
            ls="",
            marker="o",
            markersize=math.sqrt(_marker_size(10)),
            markerfacecolor=TROOPS_COLOUR,
            markeredgecolor="#222222",
            label=f"{troops_text(10)} deployed",
        )
    )
    if state.wars:
        handles.extend(
            [
                Patch(
                    facecolor="white",
                    edgecolor="#111111",
                    hatch="////",
                    label="held by the challenger",
                ),
                Line2D([], [], color="#111111", lw=3, label="front line"),
                Line2D([], [], color=PALETTE["green"], lw=2, label="aid (donor → side it helps)"),
            ]
        )
    return handles
