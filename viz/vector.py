"""The crisis map as vector shapes for the browser: SVG built here, shown by ``map.vue``.

Same facts as the matplotlib map (:func:`brink.viz.map_situation.situation`, the same extent,
outlines and colours), drawn as SVG so the page can scale it crisply, show a state's details on
hover and open its panel on a click. Three parts, so a step sends only what changed:

- :func:`base_svg` — sea and Natural Earth outlines; the same for every step of a scenario.
  A scenario state's outlines carry ``data-code`` (what hover and click read) and the class
  ``s-CODE``, which the step's style colours.
- :func:`step_layer` — per step: the fill of each state by posture (a ``<style>`` block),
  Crimea's hatch, alliance ties, sanctions, demands, forces in the theatre and capitals.
- labels — one ``<g class="brink-label">`` each, with the point it names and a priority. The
  page places them at a fixed size in screen pixels, greedily by priority, trying a few
  positions around the point and hiding a label that fits nowhere (its state stays reachable
  by hover); see ``map.vue``.

Everything drawn comes from the scenario and the run's rows (``steps``, ``events``), never a
live model (docs/style.md). A war's front, its forces by side and aid flows come from the run's
``fronts`` rows, drawn by the layers of :mod:`brink.viz.warmap`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from brink.scenarios.spec import Scenario
from brink.viz.map_layers import (
    ALLIANCE_COLOURS,
    ALLIANCE_KINDS,
    CRIMEA_ANNEXATION_YEAR,
    DEMAND_COLOUR,
    OTHER_LAND,
    POSTURE_COLOURS,
    SANCTION_COLOUR,
    SEA,
    alliance_ties,
    deployment_position,
    fought_deployments,
)
from brink.viz.map_projection import (
    anchor,
    historical_owners,
    map_rings,
    outline_owners,
    principal_of,
    world,
)
from brink.viz.map_sides import alignments, side_legend
from brink.viz.map_situation import Situation, scenario_start_year, situation
from brink.viz.narrate import LEVEL_LABELS, dispute_label, state_name, troops_place
from brink.viz.svgparts import (
    WIDTH,
    Label,
    Projection,
    attr,
    curve,
    projection,
    svg_path,
    thousands,
)
from brink.viz.warmap import (
    AID_COLOUR,
    aid_layer,
    front_layer,
    legend_entries,
    side_forces_layer,
    theatres,
    wars_at,
)

_BASE_CACHE: dict[int, tuple[Scenario, str]] = {}


def base_svg(scenario: Scenario) -> str:
    """Sea and outlines of the scenario's map (kept per scenario: they never change)."""
    cached = _BASE_CACHE.get(id(scenario))
    if cached is not None and cached[0] is scenario:
        return cached[1]
    if len(_BASE_CACHE) >= 8:
        _BASE_CACHE.pop(next(iter(_BASE_CACHE)))
    svg = _base_svg(scenario)
    _BASE_CACHE[id(scenario)] = (scenario, svg)
    return svg


def _base_svg(scenario: Scenario) -> str:
    proj = projection(scenario)
    owners = outline_owners(scenario)
    joined = historical_owners(scenario)
    rings: dict[str, list[np.ndarray]] = {}
    for code, ring in map_rings(scenario, proj.extent):
        rings.setdefault(code, []).append(ring)
    shapes = [f'<rect class="sea" width="{WIDTH:.0f}" height="{proj.height:.1f}" fill="{SEA}"/>']
    # A state made of several of today's outlines is one path, drawn first, its inner borders
    # in its own colour (_fills); the neighbours drawn after it keep their borders with it.
    by_owner: dict[str, list[np.ndarray]] = {}
    for code, country_rings in rings.items():
        owner = owners.get(code)
        if owner in joined:
            by_owner.setdefault(owner, []).extend(country_rings)
    for owner, owner_rings in by_owner.items():
        shapes.append(
            f'<path class="state s-{owner} h-{owner}" data-code="{owner}" '
            f'd="{svg_path(owner_rings, proj)}"/>'
        )
    for code, country_rings in rings.items():
        owner = owners.get(code)
        if owner in joined:
            continue
        if owner is None:
            shapes.append(f'<path class="land" d="{svg_path(country_rings, proj)}"/>')
        else:
            shapes.append(
                f'<path class="state s-{owner}" data-code="{owner}" '
                f'd="{svg_path(country_rings, proj)}"/>'
            )
    crimea = world().get("CRIMEA")
    if crimea is not None and crimea.rings and "UKR" in owners:
        shapes.append(
            f'<path class="crimea" data-code="{owners["UKR"]}" d="{svg_path(crimea.rings, proj)}"/>'
        )
    return "".join(shapes)


# -- what a state is doing: tooltips and panel --------------------------------------------------


def forces_in_theatre(scenario: Scenario, state: Situation, code: str) -> dict[str, float]:
    """Thousands of ``code``'s troops in each theatre: deployed on its soil or massed at its
    border, or all of them for the theatre's own state (sim/power.py, ``troops_in_theatre``),
    counted from the deployments the records show on this step."""
    forces: dict[str, float] = {}
    for theatre in sorted(set(theatres(scenario).values())):
        if code == theatre and code in scenario.states:
            forces[theatre] = scenario.states[code].troops
            continue
        total = sum(
            d.troops
            for d in state.deployments
            if d.owner == code and (d.host == theatre or d.near == theatre)
        )
        if total > 0:
            forces[theatre] = total
    return forces


def forces_text(scenario: Scenario, state: Situation, code: str) -> str:
    """``code``'s forces in each theatre in the words the map's troop circles use
    (:func:`~brink.viz.narrate.troops_place`): ``106k in Russia at the border of Ukraine``."""
    parts = []
    for theatre, amount in forces_in_theatre(scenario, state, code).items():
        if theatre == code:
            parts.append(f"{thousands(amount)} at home in {state_name(scenario, code)}")
            continue
        for deployment in sorted(state.deployments, key=lambda d: -d.troops):
            if deployment.owner == code and theatre in (deployment.host, deployment.near):
                place = troops_place(scenario, deployment.host, deployment.near)
                parts.append(f"{thousands(deployment.troops)} {place}")
    return "; ".join(dict.fromkeys(parts))


def state_info(scenario: Scenario, state: Situation) -> dict[str, dict[str, str]]:
    """What hovering over each state shows: name, posture, capability, forces in the theatre,
    alliances and sanctions, as short strings keyed by field."""
    info = {}
    for code, spec in scenario.states.items():
        alliances = [
            f"{scenario.alliances[a].name} ({ALLIANCE_KINDS.get(scenario.alliances[a].kind, '')})"
            for a, members in sorted(state.alliances.items())
            if code in members
        ]
        sanctions = []
        for sanction in state.sanctions:
            if sanction.status == "lifted":
                continue
            if sanction.target == code:
                sanctions.append(f"{sanction.status} against it")
            elif code in sanction.senders:
                sanctions.append(f"{sanction.status} on {state_name(scenario, sanction.target)}")
        info[code] = {
            "name": spec.name,
            "posture": LEVEL_LABELS.get(state.postures.get(code, 1), "1 none")[2:],
            "level": str(state.postures.get(code, 1)),
            "capability": f"{spec.capability:.3f} CINC share; {thousands(spec.troops)} troops",
            "forces": forces_text(scenario, state, code) or "none",
            "alliances": "; ".join(alliances) or "none",
            "sanctions": "; ".join(dict.fromkeys(sanctions)) or "none",
        }
    return info


# -- the step's layer ---------------------------------------------------------------------------


def _arrowheads() -> str:
    colours = {
        "demand": DEMAND_COLOUR,
        "war": POSTURE_COLOURS[5],
        "sanction": SANCTION_COLOUR,
        "aid": AID_COLOUR,
    }
    return "".join(
        f'<marker id="brink-head-{name}" viewBox="0 0 10 10" refX="9" refY="5" '
        f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f'<path d="M0,0L10,5L0,10z" fill="{colour}"/></marker>'
        for name, colour in colours.items()
    )


Layer = Callable[[Scenario, Situation, Projection], Iterator[tuple[str, list[Label]]]]


def _fills(scenario: Scenario, state: Situation, proj: Projection):
    """Each state filled by its side in the crisis (:mod:`brink.viz.map_sides`); posture is
    the badge at its capital (:func:`_capitals`)."""
    colours = {code: side.fill for code, side in alignments(scenario, state).items()}
    rules = [f".brink-map path.s-{code}{{fill:{colour}}}" for code, colour in colours.items()]
    # A state drawn from several of today's outlines is one shape: the borders inside it take
    # its own colour (map_projection.HISTORICAL_OUTLINES).
    rules.extend(
        f".brink-map path.h-{code}{{stroke:{colours[code]}}}"
        for code in historical_owners(scenario)
        if code in colours
    )
    owners = outline_owners(scenario)
    ukraine, russia = owners.get("UKR"), owners.get("RUS")
    face = colours.get(ukraine, OTHER_LAND) if ukraine is not None else OTHER_LAND
    pattern = ""
    if (
        scenario_start_year(scenario) < CRIMEA_ANNEXATION_YEAR
        or russia is None
        or ukraine == russia
    ):
        rules.append(f".brink-map path.crimea{{fill:{face}}}")
    else:
        # Ukraine's colour hatched in Russia's: Ukrainian territory under Russian control.
        hatch = colours.get(russia, "#777777")
        hatch = "#555555" if hatch == face else hatch
        rules.append(".brink-map path.crimea{fill:url(#brink-crimea)}")
        pattern = (
            '<pattern id="brink-crimea" patternUnits="userSpaceOnUse" width="5" height="5" '
            f'patternTransform="rotate(45)"><rect width="5" height="5" fill="{face}"/>'
            f'<rect width="1.6" height="5" fill="{hatch}"/></pattern>'
        )
    yield f"<style>{''.join(rules)}</style><defs>{pattern}{_arrowheads()}</defs>", []


def _alliances(scenario: Scenario, state: Situation, proj: Projection):
    for index, (alliance_id, members) in enumerate(sorted(state.alliances.items())):
        colour = ALLIANCE_COLOURS[index % len(ALLIANCE_COLOURS)]
        points = {
            code: proj.xy(*anchor(scenario, code, proj.extent)[:2])
            for code in members
            if code in scenario.states
        }
        name = scenario.alliances[alliance_id].name
        lines = "".join(
            f'<line x1="{points[a][0]:.1f}" y1="{points[a][1]:.1f}" '
            f'x2="{points[b][0]:.1f}" y2="{points[b][1]:.1f}"/>'
            for a, b in alliance_ties(points)
        )
        if lines:
            yield (
                f'<g class="tie" stroke="{colour}" data-tip="{attr(name)}">{lines}</g>',
                [],
            )


def _sanctions(scenario: Scenario, state: Situation, proj: Projection):
    for sanction in state.sanctions:
        senders = [code for code in sanction.senders if code != sanction.target]
        if sanction.status == "lifted" or not senders:
            continue
        anchors = [anchor(scenario, code, proj.extent) for code in senders]
        on_map = [(x, y) for x, y, inside in anchors if inside] or [anchors[0][:2]]
        start = proj.xy(
            float(np.mean([x for x, _ in on_map])), float(np.mean([y for _, y in on_map]))
        )
        end = proj.xy(*anchor(scenario, sanction.target, proj.extent)[:2])
        imposed = sanction.status == "imposed"
        names = [state_name(scenario, code) for code in senders]
        who = names[0] if len(names) == 1 else f"{len(names)} states"
        what = "sanctions threatened"
        if imposed:
            what = f"sanctions {round(sanction.severity * 100)} %"
        tip = f"{what} by {', '.join(names)} on {state_name(scenario, sanction.target)}"
        path, mid = curve(start, end, -0.15)
        dash = "" if imposed else ' stroke-dasharray="7 5"'
        yield (
            f'<path class="sanction" d="{path}"{dash} data-tip="{attr(tip)}" '
            f'marker-end="url(#brink-head-sanction)"/>',
            [
                Label(
                    "sanction",
                    f"{what} by {who}",
                    0.6 * start[0] + 0.4 * mid[0],
                    0.6 * start[1] + 0.4 * mid[1],
                    2.0,
                    SANCTION_COLOUR,
                    tip=tip,
                )
            ],
        )


def _demands(scenario: Scenario, state: Situation, proj: Projection):
    for number, demand in enumerate(state.demands):
        start = proj.xy(*anchor(scenario, demand.challenger, proj.extent)[:2])
        end = proj.xy(*anchor(scenario, demand.target, proj.extent)[:2])
        war, over = demand.status == "war", demand.status == "over"
        colour = POSTURE_COLOURS[5] if war else DEMAND_COLOUR
        prefix = "WAR: " if war else ("settled: " if over else "demand: ")
        text = prefix + dispute_label(scenario, demand.dispute)
        tip = (
            f"{text} — {state_name(scenario, demand.challenger)} on "
            f"{state_name(scenario, demand.target)}: {demand.issue}"
        )
        path, mid = curve(start, end, 0.12 if number % 2 == 0 else -0.12)
        yield (
            f'<path class="demand{" war" if war else ""}{" over" if over else ""}" d="{path}" '
            f'stroke="{colour}" data-tip="{attr(tip)}" '
            f'marker-end="url(#brink-head-{"war" if war else "demand"})"/>',
            [Label("demand", text, *mid, 9.0 if not over else 1.0, colour, tip=tip)],
        )


#: How many of the largest deployments keep their labels whatever else is on the map.
ESSENTIAL_FORCES = 2


def _forces(scenario: Scenario, state: Situation, proj: Projection):
    placed: dict[tuple[float, float], int] = {}
    # In a war the sides' discs (warmap) stand for the forces in the theatre: the deployments
    # they count are not drawn again beside them (issue 27: three discs over one spot).
    for rank, deployment in enumerate(fought_deployments(state)):
        lon, lat = deployment_position(scenario, deployment, proj.extent)
        key = (round(lon, 1), round(lat, 1))
        count = placed.get(key, 0)
        placed[key] = count + 1
        if count:  # several owners in one spot: fan the markers out
            angle = math.radians(60 * count + 30)
            lon, lat = lon + 1.1 * math.cos(angle), lat + 0.7 * math.sin(angle)
        x, y = proj.xy(lon, lat)
        # Area proportional to troops, as on the PNG map: 10,000 troops ↔ a 12-unit radius.
        radius = 3.8 * math.sqrt(max(deployment.troops, 0.5))
        where = troops_place(scenario, deployment.host, deployment.near)
        owner = state_name(scenario, deployment.owner)
        tip = f"{owner}: {thousands(deployment.troops)} troops {where}"
        yield (
            f'<circle class="troops" cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" '
            f'data-code="{attr(deployment.owner)}" data-tip="{attr(tip)}"/>',
            [
                Label(
                    "troops",
                    f"{deployment.owner} {thousands(deployment.troops)}",
                    x,
                    y + radius,
                    1.5 + deployment.troops / 1000,
                    code=deployment.owner,
                    essential=rank < ESSENTIAL_FORCES,
                )
            ],
        )


def key_states(scenario: Scenario) -> set[str]:
    """The states whose names are never hidden: each dispute's principals and theatre."""
    found = set(theatres(scenario).values())
    for spec in scenario.demands:
        found.add(spec.by)
        found.add(principal_of(scenario, spec.on))
    return {code for code in found if code in scenario.states}


def _capitals(scenario: Scenario, state: Situation, proj: Projection):
    key = key_states(scenario)
    for code, spec in scenario.states.items():
        lon, lat, on_map = anchor(scenario, code, proj.extent)
        if not on_map:
            continue  # named in the strip beside the map (off_map), never over land
        x, y = proj.xy(lon, lat)
        posture = POSTURE_COLOURS.get(state.postures.get(code, 1), OTHER_LAND)
        yield (
            f'<circle class="capital" cx="{x:.1f}" cy="{y:.1f}" r="4.5" data-code="{code}" '
            f'data-posture="{state.postures.get(code, 1)}" style="fill:{posture}"/>',
            [
                Label(
                    "name",
                    spec.name,
                    x,
                    y,
                    4.0 + spec.capability,
                    code=code,
                    essential=code in key,
                    short=code,
                )
            ],
        )


#: What the step's layer draws, bottom to top: each is a function of the scenario, the step's
#: situation and the projection. The war's layers (the front, forces by side, aid flows) are in
#: :mod:`brink.viz.warmap`.
LAYERS: tuple[Layer, ...] = (
    _fills,
    front_layer,
    _alliances,
    _sanctions,
    _demands,
    aid_layer,
    _forces,
    side_forces_layer,
    _capitals,
)


@dataclass(frozen=True)
class StepMap:
    """One step of the vector map: its SVG layer, its labels and the hover text per state."""

    step: int
    layer: str
    labels: str
    info: dict[str, dict[str, str]]


def step_map(
    scenario: Scenario,
    steps: pd.DataFrame | None,
    events: pd.DataFrame | None,
    step: int,
    run: int | None = None,
    fronts: pd.DataFrame | None = None,
) -> StepMap:
    """The vector map's changing part after ``step`` (``steps``/``events``/``fronts``: the
    run's rows; without ``fronts`` no war is drawn but the demand's)."""
    proj = projection(scenario)
    state = replace(
        situation(scenario, steps, events, step, run),
        wars=wars_at(scenario, fronts, step, run),
    )
    shapes: list[str] = []
    labels: list[Label] = []
    for layer in LAYERS:
        for svg, layer_labels in layer(scenario, state, proj):
            shapes.append(svg)
            labels.extend(layer_labels)
    labels.sort(key=lambda label: -label.rank)
    return StepMap(
        step,
        "".join(shapes),
        "".join(label.svg() for label in labels),
        state_info(scenario, state),
    )


def legend(scenario: Scenario) -> list[dict[str, str]]:
    """The legend's entries in words: the sides (fills), the posture badges at the capitals,
    symbols and alliances."""
    entries = side_legend(scenario, situation(scenario, None, None, 0))
    entries.append({"kind": "fill", "colour": OTHER_LAND, "text": "not in the scenario"})
    entries.append({"kind": "label", "colour": "#222222", "text": "posture at the capital:"})
    entries.extend(
        {"kind": "badge", "colour": POSTURE_COLOURS[level], "text": LEVEL_LABELS[level][2:]}
        for level in range(1, 6)
    )
    entries.append({"kind": "line", "colour": DEMAND_COLOUR, "text": "demand"})
    entries.append({"kind": "dash", "colour": SANCTION_COLOUR, "text": "sanctions"})
    entries.append({"kind": "dot", "colour": "#222222", "text": "troops (area ∝ number)"})
    entries.extend(legend_entries(bool(scenario.demands)))
    for index, alliance_id in enumerate(sorted(scenario.alliances)):
        spec = scenario.alliances[alliance_id]
        entries.append(
            {
                "kind": "dash",
                "colour": ALLIANCE_COLOURS[index % len(ALLIANCE_COLOURS)],
                "text": f"{spec.name} ({ALLIANCE_KINDS.get(spec.kind, spec.kind)})",
            }
        )
    return entries
