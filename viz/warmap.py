"""The war on the vector map: the front, the forces in the theatre by side, and aid flows.

Drawn from the ``fronts`` rows a run records (:data:`brink.sim.record.FRONT_COLUMNS`: one row
per step and war, as the war stands at the step's end), never from a live model (docs/style.md), so
live and replay modes draw the same war. Three layers of :data:`brink.viz.vector.LAYERS`:

- :func:`front_layer` — the contested territory (the war's theatre, :func:`theatres`) split by
  a front line: the share ``control`` of its area nearest the challenger, hatched, is the
  territory the challenger holds. The model keeps control as one share, not a place (see
  ``docs/war.md``), so where the line runs is drawn, not simulated: it is straight, square to
  the line from the challenger's capital to the theatre's, and placed so the hatched part has
  the share ``control`` of the theatre's area on the map.
- :func:`side_forces_layer` — a disc per side, in the middle of the ground it holds (the
  challenger's behind the front while it holds little), area proportional to
  the thousands of that side's troops in the theatre (the same scale as deployments), with
  their losses so far in the hover text.
- :func:`aid_layer` — an arrow from each main donor whose aid has started to the side it helps
  (to the theatre's own state if it fights on that side, else the side's principal), as wide as
  its share of that side's aid (``aid_donors``), labelled with the combat-power factor all that
  side's aid gives (``aid_challenger``/``aid_target``); hover names every donor.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.path import Path as MplPath

from brink.figure_style import PALETTE, SIDE_COLOURS
from brink.scenarios.spec import Scenario
from brink.viz.map_projection import anchor, map_rings, outline_owners, principal_of
from brink.viz.map_situation import Situation
from brink.viz.narrate import state_name
from brink.viz.svgparts import Label, Projection, attr, curve, svg_path, thousands

#: The hatch of the territory the challenger holds (with white between: it shows on the red
#: of a state at war), and the front line.
HELD_COLOUR = "#111111"
FRONT_COLOUR = "#111111"
AID_COLOUR = PALETTE["green"]
#: Sample spacing (SVG units) of the grid that measures a theatre's area along the front's axis.
GRID = 2.0


def theatres(scenario: Scenario) -> dict[str, str]:
    """Each dispute's theatre: its ``theatre``, else the target state or alliance leader
    (sim/model.py builds disputes the same way)."""
    return {spec.id: spec.theatre or principal_of(scenario, spec.on) for spec in scenario.demands}


@dataclass(frozen=True)
class WarFront:
    """One war as it stands after a step (one ``fronts`` row, read)."""

    dispute: str
    theatre: str
    day: float
    control: float  # share of the contested territory the challenger holds
    forces: tuple[float, float]  # thousands in the theatre: challenger's side, target's
    casualties: tuple[float, float]  # thousands lost so far
    aid: tuple[float, float]  # combat-power factor of each side's aid (1: none)
    sides: tuple[tuple[str, ...], tuple[str, ...]]  # who fights on each side
    donors: tuple[tuple[tuple[str, float], ...], ...]  # (donor, aid delivered) to each side


def _split(text: object) -> tuple[tuple[str, ...], tuple[str, ...]]:
    parts = (str(text) if isinstance(text, str) else "").split("|")
    challenger, target = ([*parts, "", ""])[:2]
    return (
        tuple(code for code in challenger.split(";") if code),
        tuple(code for code in target.split(";") if code),
    )


def _donors(text: object) -> tuple[tuple[tuple[str, float], ...], ...]:
    """``USA:0.012;GBR:0.003|...`` as ((code, amount), ...) per side, the largest first."""
    sides = []
    for part in _split(text):
        pairs = []
        for item in part:
            code, _, amount = item.partition(":")
            try:
                value = float(amount) if amount else 0.0
            except ValueError:
                value = 0.0
            pairs.append((code, value if math.isfinite(value) else 0.0))
        sides.append(tuple(sorted(pairs, key=lambda pair: -pair[1])))
    return tuple(sides)


def wars_at(
    scenario: Scenario, fronts: pd.DataFrame | None, step: int, run: int | None = None
) -> tuple[WarFront, ...]:
    """The wars being fought (or ending) on ``step``: the ``fronts`` rows of that step."""
    if fronts is None or len(fronts) == 0:
        return ()
    rows = fronts[fronts["step"] == step]
    if run is not None and "run" in rows.columns:
        rows = rows[rows["run"] == run]
    places = theatres(scenario)
    wars = []
    for row in rows.to_dict("records"):
        dispute = str(row["dispute"])
        if dispute not in places:
            continue
        wars.append(
            WarFront(
                dispute=dispute,
                theatre=places[dispute],
                day=float(row["day"]),
                control=min(1.0, max(0.0, float(row["control"]))),
                forces=(float(row["forces_challenger"]), float(row["forces_target"])),
                casualties=(float(row["casualties_challenger"]), float(row["casualties_target"])),
                aid=(float(row["aid_challenger"]), float(row["aid_target"])),
                sides=_split(row.get("belligerents")),
                donors=_donors(row.get("aid_donors")),
            )
        )
    return tuple(wars)


# -- geometry of the front ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Ground:
    """A theatre's outline and its area measured along the front's axis."""

    path: str  # the theatre's outline, an SVG path (the clip of the held territory)
    axis: tuple[float, float]  # unit vector from the challenger towards the theatre
    across: tuple[float, float]  # the front line's direction
    depth: np.ndarray  # sorted position along ``axis`` of grid points inside the theatre
    points: np.ndarray  # those points (x, y), in the same order


_GROUND_CACHE: dict[tuple[int, str, str], tuple[Scenario, _Ground | None]] = {}


def war_ground(
    scenario: Scenario, proj: Projection, theatre: str, challenger: str
) -> _Ground | None:
    key = (id(scenario), theatre, challenger)
    cached = _GROUND_CACHE.get(key)
    if cached is not None and cached[0] is scenario:
        return cached[1]
    if len(_GROUND_CACHE) >= 16:
        _GROUND_CACHE.pop(next(iter(_GROUND_CACHE)))
    ground = _measure(scenario, proj, theatre, challenger)
    _GROUND_CACHE[key] = (scenario, ground)
    return ground


def _measure(scenario: Scenario, proj: Projection, theatre: str, challenger: str):
    owners = outline_owners(scenario)
    rings = [ring for code, ring in map_rings(scenario, proj.extent) if owners.get(code) == theatre]
    if not rings:
        return None
    projected = [np.column_stack(proj.xy(ring[:, 0], ring[:, 1])) for ring in rings]
    low = np.min([ring.min(axis=0) for ring in projected], axis=0)
    high = np.max([ring.max(axis=0) for ring in projected], axis=0)
    xs, ys = np.meshgrid(np.arange(low[0], high[0], GRID), np.arange(low[1], high[1], GRID))
    grid = np.column_stack([xs.ravel(), ys.ravel()])
    inside = np.zeros(len(grid), dtype=bool)
    for ring in projected:
        inside |= MplPath(ring).contains_points(grid)
    points = grid[inside]
    if len(points) == 0:
        return None
    start = np.array(proj.xy(*anchor(scenario, challenger, proj.extent)[:2]))
    middle = points.mean(axis=0)
    axis = middle - start
    if np.hypot(*axis) < 1e-6:  # the challenger fights at home: the front runs east–west
        axis = np.array([0.0, 1.0])
    axis = axis / np.hypot(*axis)
    depth = points @ axis
    order = np.argsort(depth, kind="stable")
    return _Ground(
        svg_path(rings, proj),
        (float(axis[0]), float(axis[1])),
        (float(-axis[1]), float(axis[0])),
        depth[order],
        points[order],
    )


def front_position(ground: _Ground, control: float) -> tuple[float, tuple[float, float]]:
    """Where the front runs: its offset along the axis, such that the grid points before it
    are the share ``control`` of the theatre's, and the middle of its stretch inside."""
    count = len(ground.depth)
    held = round(control * count)
    if held == 0:
        offset = float(ground.depth[0])
    elif held >= count:
        offset = float(ground.depth[-1])
    else:
        offset = float((ground.depth[held - 1] + ground.depth[held]) / 2)
    near = np.abs(ground.depth - offset) <= 2 * GRID
    on_line = ground.points[near] if near.any() else ground.points[[min(held, count - 1)]]
    middle = on_line.mean(axis=0)
    return offset, (float(middle[0]), float(middle[1]))


#: The front is drawn at least this far into the theatre (share of its depth), so a front on
#: the border itself (nothing held yet) is still a line one can see (issue 27).
FRONT_MIN_DEPTH = 0.03


def front_ends(ground: _Ground, offset: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """The two ends of the front line drawn: across the theatre where it runs, at least
    :data:`FRONT_MIN_DEPTH` of its depth in from the challenger's side."""
    low, high = float(ground.depth[0]), float(ground.depth[-1])
    at = max(offset, low + FRONT_MIN_DEPTH * (high - low))
    at = min(at, high - FRONT_MIN_DEPTH * (high - low))
    near = np.abs(ground.depth - at) <= 2 * GRID
    points = ground.points[near] if near.any() else ground.points
    across = points @ np.array(ground.across)
    (ax, ay), (cx, cy) = ground.axis, ground.across
    ends = [(at * ax + value * cx, at * ay + value * cy) for value in (across.min(), across.max())]
    return ends[0], ends[1]


def held_share(ground: _Ground, offset: float) -> float:
    """Share of the theatre's grid points on the challenger's side of a front at ``offset``."""
    return float(np.searchsorted(ground.depth, offset, side="right") / len(ground.depth))


#: Below this share held, the challenger's disc stands behind the front, not in its sliver.
DISC_INSIDE_SHARE = 0.15


def disc_places(
    ground: _Ground, control: float, radii: tuple[float, float]
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Where each side's disc stands: the target's in the middle of what it still holds, the
    challenger's in the middle of what it holds (or just behind the front while that is little)."""
    offset, (mx, my) = front_position(ground, control)
    ax, ay = ground.axis
    held = ground.depth <= offset
    if held.mean() >= DISC_INSIDE_SHARE:
        challenger = ground.points[held].mean(axis=0)
    else:
        challenger = np.array([mx, my]) - (radii[0] + 6) * np.array([ax, ay])
    kept = ground.points[~held] if (~held).any() else ground.points
    target = kept.mean(axis=0)
    return (float(challenger[0]), float(challenger[1])), (float(target[0]), float(target[1]))


def apart(
    first: tuple[float, float], second: tuple[float, float], radii: tuple[float, float]
) -> tuple[tuple[float, float], tuple[float, float]]:
    """The two sides' discs moved apart along the line between them until they no longer
    overlap (issue 27: they sat on each other while the front was near the border)."""
    gap = 6.0
    dx, dy = second[0] - first[0], second[1] - first[1]
    distance = math.hypot(dx, dy)
    needed = radii[0] + radii[1] + gap
    if distance >= needed:
        return first, second
    if distance < 1e-6:
        dx, dy, distance = 1.0, 0.0, 1.0
    push = (needed - distance) / 2
    ux, uy = dx / distance, dy / distance
    return (
        (first[0] - push * ux, first[1] - push * uy),
        (second[0] + push * ux, second[1] + push * uy),
    )


def side_discs(ground: _Ground, war: WarFront):
    """Each side's disc: radii (area ∝ troops, as the deployments' discs: 10,000 ↔ a 12-unit
    radius) and centres, kept apart (:func:`apart`)."""
    challenger, target = (3.8 * math.sqrt(max(troops, 0.5)) for troops in war.forces)
    radii = (challenger, target)
    return radii, apart(*disc_places(ground, war.control, radii), radii)


def sides_fighting(war: WarFront):
    """(index, side, troops) of each side with troops in the theatre."""
    for index, side in enumerate(("challenger", "target")):
        if war.forces[index] > 0:
            yield index, side, war.forces[index]


# -- the layers ---------------------------------------------------------------------------------


def war_principals(scenario: Scenario, war: WarFront) -> tuple[str, str]:
    spec = next(spec for spec in scenario.demands if spec.id == war.dispute)
    return spec.by, principal_of(scenario, spec.on)


def _side_name(scenario: Scenario, code: str) -> str:
    return f"{state_name(scenario, code)}'s side"


def front_layer(scenario: Scenario, state: Situation, proj: Projection) -> Iterator:
    """The territory the challenger holds, hatched, and the front line (see the module)."""
    for war in state.wars:
        challenger, _target = war_principals(scenario, war)
        ground = war_ground(scenario, proj, war.theatre, challenger)
        if ground is None:
            continue
        offset, middle = front_position(ground, war.control)
        (ax, ay), (cx, cy) = ground.axis, ground.across
        mx, my = middle
        reach = 4 * (proj.height + 1000.0)  # past any map's edge
        # the line through the front point, square to the axis
        fx, fy = mx + (offset - (mx * ax + my * ay)) * ax, my + (offset - (mx * ax + my * ay)) * ay
        held = [
            (fx + reach * cx, fy + reach * cy),
            (fx - reach * cx, fy - reach * cy),
            (fx - reach * cx - reach * ax, fy - reach * cy - reach * ay),
            (fx + reach * cx - reach * ax, fy + reach * cy - reach * ay),
        ]
        ends = front_ends(ground, offset)
        clip = f"brink-theatre-{attr(war.dispute)}"
        share = round(100 * war.control)
        share_text = f"{share} %" if share > 0 or war.control <= 0 else "under 1 %"
        where = state_name(scenario, war.theatre)
        tip = (
            f"Front, day {war.day:g} of the war: {state_name(scenario, challenger)} holds "
            f"{share} % of the contested territory ({where}); hatched: held by the challenger"
        )
        polygon = " ".join(f"{x:.1f},{y:.1f}" for x, y in held)
        yield (
            f'<g class="war-front" data-dispute="{attr(war.dispute)}" '
            f'data-control="{war.control:.4f}" data-day="{war.day:g}">'
            f'<defs><clipPath id="{clip}"><path d="{ground.path}"/></clipPath>'
            f'<pattern id="{clip}-held" patternUnits="userSpaceOnUse" width="7" height="7" '
            f'patternTransform="rotate(-45)"><rect width="2.6" height="7" fill="{HELD_COLOUR}"/>'
            f'<rect x="2.6" width="1.4" height="7" fill="#ffffff"/></pattern></defs>'
            f'<g clip-path="url(#{clip})" pointer-events="none">'
            f'<polygon class="held" points="{polygon}" fill="url(#{clip}-held)" '
            f'fill-opacity="0.85"/></g>'
            f'<line class="front-line" x1="{ends[0][0]:.1f}" y1="{ends[0][1]:.1f}" '
            f'x2="{ends[1][0]:.1f}" y2="{ends[1][1]:.1f}" stroke="{FRONT_COLOUR}" '
            f'stroke-width="4" stroke-linecap="round" data-tip="{attr(tip)}"/></g>',
            [
                Label(
                    "front",
                    f"front: {state_name(scenario, challenger)} holds {share_text} of {where}",
                    # at one end of the line, so the label does not hide the line itself
                    *max(ends, key=lambda end: end[1]),
                    8.5,
                    FRONT_COLOUR,
                    tip=tip,
                    essential=True,
                    short=f"front: {share_text}",
                )
            ],
        )


def side_forces_layer(scenario: Scenario, state: Situation, proj: Projection) -> Iterator:
    """A disc per side at the front, area ∝ its troops in the theatre."""
    for war in state.wars:
        principals = war_principals(scenario, war)
        ground = war_ground(scenario, proj, war.theatre, principals[0])
        if ground is None:
            continue
        radii, places = side_discs(ground, war)
        for index, side, troops in sides_fighting(war):
            radius = radii[index]
            x, y = places[index]
            who = _side_name(scenario, principals[index])
            members = ", ".join(state_name(scenario, code) for code in war.sides[index])
            tip = (
                f"{who} in {state_name(scenario, war.theatre)}: {thousands(troops)} troops; "
                f"{thousands(war.casualties[index])} lost so far"
                + (f" ({members})" if members else "")
            )
            colour = SIDE_COLOURS[side]
            yield (
                f'<circle class="side-forces side-{side}" cx="{x:.1f}" cy="{y:.1f}" '
                f'r="{radius:.1f}" fill="#ffffff" fill-opacity="0.45" stroke="{colour}" '
                f'stroke-width="3" data-troops="{troops:.3f}" data-tip="{attr(tip)}"/>',
                [
                    Label(
                        "troops",
                        f"{who} {thousands(troops)}",
                        x,
                        y + radius,
                        7.0,
                        colour,
                        tip=tip,
                        essential=True,
                        short=f"{principals[index]} side {thousands(troops)}",
                    )
                ],
            )


#: A donor gets its own arrow if it delivers at least this share of its side's aid (the rest
#: are named in the hover text), and at most this many arrows go to one side.
ARROW_SHARE = 0.08
MAX_ARROWS = 5


def aid_layer(scenario: Scenario, state: Situation, proj: Projection) -> Iterator:
    """An arrow from each main donor to the side it helps, width ∝ its share of the side's aid;
    the side's aid factor on one label, every donor in its hover text."""
    for war in state.wars:
        principals = war_principals(scenario, war)
        for index in (0, 1):
            donors = war.donors[index]
            total = sum(amount for _code, amount in donors)
            if not donors or total <= 0:
                continue
            fighting = war.sides[index]
            recipient = war.theatre if war.theatre in fighting else principals[index]
            end = proj.xy(*anchor(scenario, recipient, proj.extent)[:2])
            factor = war.aid[index]
            who = _side_name(scenario, principals[index])
            shares = [(code, amount / total) for code, amount in donors]
            listed = ", ".join(
                f"{state_name(scenario, code)} {round(100 * share)} %" for code, share in shares[:6]
            )
            if len(shares) > 6:
                listed += f" and {len(shares) - 6} more"
            tip = f"Aid to {who}: its combat power ×{factor:.2f}; from {listed}"
            main = [(code, share) for code, share in shares if share >= ARROW_SHARE]
            label_at = end
            for number, (donor, share) in enumerate(main[:MAX_ARROWS]):
                start = proj.xy(*anchor(scenario, donor, proj.extent)[:2])
                path, middle = curve(start, end, 0.2 if number % 2 == 0 else -0.2)
                if number == 0:  # the label rides the largest donor's arrow, in open water
                    label_at = middle
                one = (
                    f"Aid from {state_name(scenario, donor)} to {who}: {round(100 * share)} % "
                    f"of the aid it gets (all of it: combat power ×{factor:.2f})"
                )
                yield (
                    f'<path class="aid" d="{path}" stroke="{AID_COLOUR}" '
                    f'stroke-width="{1.5 + 4 * share:.1f}" data-donor="{attr(donor)}" '
                    f'data-recipient="{attr(recipient)}" data-share="{share:.3f}" '
                    f'data-tip="{attr(one)}" marker-end="url(#brink-head-aid)"/>',
                    [],
                )
            yield (
                "",
                [
                    Label(
                        "aid",
                        f"aid to {state_name(scenario, principals[index])} ×{factor:.2f}",
                        label_at[0],
                        label_at[1],
                        6.0,
                        AID_COLOUR,
                        tip=tip,
                    )
                ],
            )


def legend_entries(has_war: bool) -> list[dict[str, str]]:
    """The legend's words for the war layers (shown once a scenario can have a war)."""
    if not has_war:
        return []
    return [
        {"kind": "hatch", "colour": HELD_COLOUR, "text": "held by the challenger in a war"},
        {"kind": "line", "colour": FRONT_COLOUR, "text": "front line"},
        {"kind": "dot", "colour": SIDE_COLOURS["challenger"], "text": "challenger's side at war"},
        {"kind": "dot", "colour": SIDE_COLOURS["target"], "text": "target's side at war"},
        {"kind": "line", "colour": AID_COLOUR, "text": "aid (donor → side it helps)"},
    ]
