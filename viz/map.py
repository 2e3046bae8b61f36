"""The crisis map: who stands where, drawn from a scenario and the run's tables (docs/model.md §8).

The map takes a :class:`~brink.scenarios.spec.Scenario` and data frames of ``steps`` and
``events`` rows (never a live model, docs/style.md), so the browser view, a replay from disk and an
animation for a talk draw the same picture. Outlines are Natural Earth 1:110m (public domain),
bundled in ``data/``: no tile server and no network.

**Borders.** Natural Earth draws Crimea as part of Russia (its de facto view). This map shows
Crimea as Ukrainian territory under Russian control since 2014, hatched, and says so in its
caption (``data/README.md``).
"""

from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # the view and the CLI draw off screen; never open a window

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.path import Path as MplPath
from PIL import Image

from brink.scenarios.spec import Scenario
from brink.viz.narrate import LEVEL_LABELS, dispute_label, step_heading, troops_text

WORLD_FILE = Path(__file__).resolve().parent.parent / "data" / "naturalearth-110m-countries.geojson"

#: The ring of Natural Earth's Russia feature that is Crimea (data/README.md).
CRIMEA_BOX = (32.5, 36.5, 44.4, 46.2)  # lon_min, lon_max, lat_min, lat_max
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

#: States that no longer exist, drawn with the outlines of today's states on their territory
#: (ISO 3166-3 codes): the Soviet Union, Yugoslavia, Czechoslovakia.
HISTORICAL_OUTLINES = {
    "SUN": (
        "RUS", "UKR", "BLR", "MDA", "EST", "LVA", "LTU", "GEO", "ARM", "AZE",
        "KAZ", "UZB", "TKM", "KGZ", "TJK",
    ),
    "YUG": ("SRB", "HRV", "BIH", "SVN", "MKD", "MNE", "KOS"),
    "CSK": ("CZE", "SVK"),
}  # fmt: skip

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
# Demands and threats of these outcomes are drawn faded: the dispute is over.
ENDING_ACTIONS = frozenset(
    {"settle", "concede", "back_down", "accept_offer", "accept_ultimatum", "break"}
)
WAR_ACTIONS = frozenset({"war", "spiral"})


# -- outlines ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Country:
    """One Natural Earth feature: its code (``ADM0_A3``), name and rings of (lon, lat)."""

    code: str
    name: str
    rings: tuple[np.ndarray, ...]


@cache
def world() -> dict[str, Country]:
    """Natural Earth 110m countries keyed by ``ADM0_A3`` (France and Norway lack ``ISO_A3``).

    Crimea's ring is taken out of Russia and kept under the key ``CRIMEA``.
    """
    features = json.loads(WORLD_FILE.read_text(encoding="utf-8"))["features"]
    countries: dict[str, Country] = {}
    for feature in features:
        props = feature["properties"]
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        # Outer rings only: holes in 110m outlines are lakes, which the map does not need.
        rings = [np.asarray(polygon[0], dtype=float) for polygon in polygons]
        code = props["ADM0_A3"]
        if code == "RUS":
            crimea = [ring for ring in rings if _inside_box(ring, CRIMEA_BOX)]
            rings = [ring for ring in rings if not _inside_box(ring, CRIMEA_BOX)]
            countries["CRIMEA"] = Country("CRIMEA", "Crimea", tuple(crimea))
        countries[code] = Country(code, props["NAME"], tuple(rings))
    return countries


def _inside_box(
    ring: np.ndarray, box: tuple[float, float, float, float], tolerance: float = 0.1
) -> bool:
    """True if the ring lies in the box, give or take ``tolerance`` degrees (the README's box
    is rounded: Crimea's ring spans 32.45–36.53° E, 44.36–46.22° N)."""
    lon_min, lon_max, lat_min, lat_max = box
    return bool(
        ring[:, 0].min() >= lon_min - tolerance
        and ring[:, 0].max() <= lon_max + tolerance
        and ring[:, 1].min() >= lat_min - tolerance
        and ring[:, 1].max() <= lat_max + tolerance
    )


@cache
def _paths(code: str) -> tuple[MplPath, ...]:
    country = world().get(code)
    return tuple(MplPath(ring) for ring in country.rings) if country else ()


def contains(code: str, lon: float, lat: float) -> bool:
    """True if (lon, lat) lies inside the outline of ``code`` (Natural Earth 110m)."""
    return any(path.contains_point((lon, lat)) for path in _paths(code))


@cache
def border_point(
    host: str, start: tuple[float, float], toward: tuple[float, float]
) -> tuple[float, float]:
    """Where troops in ``host`` massed toward a neighbour stand: the last point of the line
    from ``start`` toward ``toward`` (both (lon, lat)) that is still in ``host``'s territory,
    pulled back a little so the marker sits on the host's side of the border."""
    if not _paths(host):
        return start
    fractions = np.linspace(0.0, 1.0, 101)
    last = 0.0
    for fraction in fractions:
        lon = start[0] + fraction * (toward[0] - start[0])
        lat = start[1] + fraction * (toward[1] - start[1])
        if contains(host, lon, lat):
            last = fraction
    last = max(0.0, last - 0.04)
    return (start[0] + last * (toward[0] - start[0]), start[1] + last * (toward[1] - start[1]))


# -- what stands where on a given step --------------------------------------------------------


@dataclass(frozen=True)
class Deployment:
    owner: str
    host: str
    troops: float  # thousands
    near: str | None = None


@dataclass(frozen=True)
class Demand:
    dispute: str
    challenger: str
    target: str
    issue: str
    status: str  # "open", "war" or "over"
    level: int  # highest hostility level of either side


@dataclass(frozen=True)
class Sanction:
    senders: tuple[str, ...]
    target: str
    severity: float
    status: str  # "threatened", "imposed" or "lifted"


@dataclass(frozen=True)
class Situation:
    """Everything the map draws for one step, derived from the scenario and the tables."""

    step: int
    postures: dict[str, int]
    deployments: tuple[Deployment, ...]
    demands: tuple[Demand, ...]
    sanctions: tuple[Sanction, ...]
    alliances: dict[str, tuple[str, ...]] = field(default_factory=dict)
    wars: tuple = ()  # the wars fought on this step (brink.viz.warmap.WarFront), if drawn


def _rows_until(frame: pd.DataFrame | None, step: int, run: int | None) -> pd.DataFrame:
    if frame is None or len(frame) == 0:
        return pd.DataFrame()
    if run is not None and "run" in frame.columns:
        frame = frame[frame["run"] == run]
    return frame[frame["step"] <= step]


def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _amount(value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if math.isnan(number) else number


def situation(
    scenario: Scenario,
    steps: pd.DataFrame | None,
    events: pd.DataFrame | None,
    step: int,
    run: int | None = None,
) -> Situation:
    """What stands where after ``step``: postures, deployments, demands, sanctions, alliances.

    Deployments, sanctions and alliances in force when the scenario starts (``day``/``start``
    0) come from the scenario; everything later comes from the events table, which logs every
    scheduled event and decision (docs/model.md §8), so nothing is counted twice.

    Args:
        scenario: The crisis as it stood on its start date.
        steps: ``steps`` rows (sim/record.py STEP_COLUMNS), for postures.
        events: ``events`` rows (EVENT_COLUMNS).
        step: The step to draw (0: the start).
        run: Which run of a multi-run table; ``None`` when the tables hold one run.
    """
    step_rows = _rows_until(steps, step, run)
    event_rows = _rows_until(events, step, run)
    if len(event_rows):
        event_rows = event_rows.sort_values("step", kind="stable")
    records = event_rows.to_dict("records") if len(event_rows) else []

    # Deployments: the scenario's standing forces, then every deploy and withdraw since.
    troops: dict[tuple[str, str], float] = {}
    near: dict[tuple[str, str], str | None] = {}
    for spec in scenario.deployments:
        if spec.start <= 0 and (spec.end is None or spec.end > step):
            key = (spec.owner, spec.host)
            troops[key] = troops.get(key, 0.0) + spec.troops
            near[key] = spec.near
    for row in records:
        action = row.get("action")
        if action not in ("deploy", "withdraw"):
            continue
        owner = _text(row.get("actor"))
        host = _text(row.get("target")) or owner
        key = (owner, host)
        sign = 1.0 if action == "deploy" else -1.0
        troops[key] = max(0.0, troops.get(key, 0.0) + sign * _amount(row.get("amount")))
        if key not in near:
            near[key] = _near_from_scenario(scenario, owner, host)
    deployments = tuple(
        Deployment(owner, host, amount, near.get((owner, host)))
        for (owner, host), amount in troops.items()
        if amount > 0.0
    )

    # Demands: the scenario's disputes made by this step, their status from the events.
    by_dispute: dict[str, list[dict]] = {}
    for row in records:
        by_dispute.setdefault(_text(row.get("dispute")), []).append(row)
    demands = []
    for spec in scenario.demands:
        if spec.day > step:
            continue
        status, level = "open", spec.initial_level
        for row in by_dispute.get(spec.id, []):
            action = row.get("action")
            if not pd.isna(row.get("level")) and row.get("level") is not None:
                level = max(level, int(row["level"]))
            if action in WAR_ACTIONS:
                status, level = "war", 5
            elif action in ENDING_ACTIONS:
                status = "over"
        demands.append(Demand(spec.id, spec.by, spec.on, spec.issue, status, level))

    # Sanctions: declared ones from the scenario; threats, impositions and lifts from the log.
    sanctions: dict[str, Sanction] = {}
    for spec in scenario.sanctions:
        if spec.day <= 0:
            status = "threatened" if spec.trigger_actor else "imposed"
            sanctions[spec.id] = Sanction(spec.senders, spec.target, spec.severity, status)
    for row in records:
        action = row.get("action")
        if action not in ("threaten_sanctions", "impose_sanctions", "lift_sanctions"):
            continue
        actor, target = _text(row.get("actor")), _text(row.get("target"))
        status = {
            "threaten_sanctions": "threatened",
            "impose_sanctions": "imposed",
            "lift_sanctions": "lifted",
        }[action]
        key, senders, severity = _sanction_key(scenario, actor, target)
        if key in sanctions:
            senders, severity = sanctions[key].senders, sanctions[key].severity
        if _amount(row.get("amount")) > 0.0 and action != "lift_sanctions":
            severity = _amount(row.get("amount"))
        sanctions[key] = Sanction(senders, target, severity, status)

    # Alliances: members in the start year, then joins and leaves.
    year = _start_year(scenario)
    alliances = {
        alliance_id: [
            member.state
            for member in spec.members
            if member.joined <= year and (member.left is None or member.left > year)
        ]
        for alliance_id, spec in scenario.alliances.items()
    }
    for row in records:
        action = row.get("action")
        alliance_id = _text(row.get("target"))
        if action == "join_alliance" and alliance_id in alliances:
            if row["actor"] not in alliances[alliance_id]:
                alliances[alliance_id].append(row["actor"])
        elif action == "leave_alliance" and alliance_id in alliances:
            alliances[alliance_id] = [m for m in alliances[alliance_id] if m != row["actor"]]

    return Situation(
        step=step,
        postures=_postures(scenario, step_rows, step, demands),
        deployments=deployments,
        demands=tuple(demands),
        sanctions=tuple(sanctions.values()),
        alliances={key: tuple(value) for key, value in alliances.items()},
    )


def _near_from_scenario(scenario: Scenario, owner: str, host: str) -> str | None:
    for spec in scenario.deployments:
        if spec.owner == owner and spec.host == host and spec.near:
            return spec.near
    for event in scenario.events:
        if event.kind == "deploy" and event.actor == owner and event.target == host and event.near:
            return event.near
    return None


def _sanction_key(scenario: Scenario, actor: str, target: str):
    for spec in scenario.sanctions:
        if spec.target == target and (actor in spec.senders or actor == spec.id):
            return spec.id, spec.senders, spec.severity
    return f"{actor}->{target}", (actor,), 0.0


def _start_year(scenario: Scenario) -> int:
    try:
        return int(str(scenario.start_date)[:4])
    except ValueError:
        return 10_000


def _postures(
    scenario: Scenario, step_rows: pd.DataFrame, step: int, demands: list[Demand]
) -> dict[str, int]:
    postures = dict.fromkeys(scenario.states, 1)
    if len(step_rows):
        latest = step_rows[step_rows["step"] == step_rows["step"].max()]
        for code, level in zip(latest["state"], latest["posture"], strict=True):
            if code in postures and not pd.isna(level):
                postures[code] = int(level)
        return postures
    # Before the first step: both sides of each dispute hold its initial level.
    for demand in demands:
        for code in (demand.challenger, _principal(scenario, demand.target)):
            if code in postures:
                postures[code] = max(postures[code], demand.level)
    return postures


def _principal(scenario: Scenario, target: str) -> str:
    """The state that stands for a target: the state itself, or an alliance's leader."""
    alliance = scenario.alliances.get(target)
    if alliance is None:
        return target
    if alliance.leader:
        return alliance.leader
    members = [m.state for m in alliance.members if m.state in scenario.states]
    return max(members, key=lambda code: scenario.states[code].capability, default=target)


# -- extent and positions ---------------------------------------------------------------------


@dataclass(frozen=True)
class Extent:
    lon_min: float
    lon_max: float
    lat_min: float
    lat_max: float

    @property
    def aspect(self) -> float:
        """y/x scale of an equirectangular map true to shape at its middle latitude."""
        return 1.0 / math.cos(math.radians((self.lat_min + self.lat_max) / 2))

    def inside(self, lon: float, lat: float) -> bool:
        return self.lon_min <= lon <= self.lon_max and self.lat_min <= lat <= self.lat_max


def _distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points (haversine, R = 6371 km)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def map_extent(scenario: Scenario, reach_km: float = 2500.0, ratio: float = 1.45) -> Extent:
    """The region to draw: the disputes' principals and every state within ``reach_km`` of
    them, with margins, widened to the figure's width/height ``ratio``.

    States farther away (the United States in a European crisis) are drawn at the map's edge
    with an arrow toward where they are, so the theatre is not lost in an ocean.
    """
    states = scenario.states
    core = {demand.by for demand in scenario.demands} | {demand.on for demand in scenario.demands}
    core = [code for code in core if code in states] or list(states)
    centre_lat = float(np.mean([states[c].capital[0] for c in core]))
    centre_lon = float(np.mean([states[c].capital[1] for c in core]))
    chosen = [
        code
        for code, spec in states.items()
        if code in core or _distance_km(spec.capital, (centre_lat, centre_lon)) <= reach_km
    ]
    lats = [states[c].capital[0] for c in chosen]
    lons = [states[c].capital[1] for c in chosen]
    # Margins leave room for names, troop labels and arrows next to the outermost capitals.
    lat_min, lat_max = min(lats) - 4.5, max(lats) + 4.5
    lon_min, lon_max = min(lons) - 9.0, max(lons) + 9.0
    # Widen the shorter side so the map fills a figure of the given ratio.
    aspect = 1.0 / math.cos(math.radians((lat_min + lat_max) / 2))
    width, height = lon_max - lon_min, (lat_max - lat_min) * aspect
    if width / height < ratio:
        grow = (ratio * height - width) / 2
        lon_min, lon_max = lon_min - grow, lon_max + grow
    else:
        grow = (width / ratio - height) / 2 / aspect
        lat_min, lat_max = lat_min - grow, lat_max + grow
    return Extent(lon_min, lon_max, max(-85.0, lat_min), min(85.0, lat_max))


def anchor(scenario: Scenario, code: str, extent: Extent) -> tuple[float, float, bool]:
    """Map position (lon, lat) of a state's capital, and whether it is on the map.

    An alliance stands at the middle of its members' capitals on the map (its leader's
    capital when none is). A capital outside the extent is moved to the edge along the line
    from the map's centre, so arrows from far-away states still show.
    """
    alliance = scenario.alliances.get(code)
    if alliance is not None:
        points = [
            scenario.states[m.state].capital
            for m in alliance.members
            if m.state in scenario.states and extent.inside(*scenario.states[m.state].capital[::-1])
        ]
        if points:
            lats, lons = zip(*points, strict=True)
            return float(np.mean(lons)), float(np.mean(lats)), True
        code = _principal(scenario, code)
    spec = scenario.states.get(code)
    if spec is None:
        centre = ((extent.lon_min + extent.lon_max) / 2, (extent.lat_min + extent.lat_max) / 2)
        return (*centre, False)
    lat, lon = spec.capital
    if extent.inside(lon, lat):
        return lon, lat, True
    cx, cy = (extent.lon_min + extent.lon_max) / 2, (extent.lat_min + extent.lat_max) / 2
    dx, dy = lon - cx, lat - cy
    inset_x = 0.06 * (extent.lon_max - extent.lon_min)
    inset_y = 0.08 * (extent.lat_max - extent.lat_min)
    scale = min(
        (extent.lon_max - inset_x - cx) / dx if dx > 0 else math.inf,
        (extent.lon_min + inset_x - cx) / dx if dx < 0 else math.inf,
        (extent.lat_max - inset_y - cy) / dy if dy > 0 else math.inf,
        (extent.lat_min + inset_y - cy) / dy if dy < 0 else math.inf,
    )
    return cx + scale * dx, cy + scale * dy, False


def display_name(scenario: Scenario) -> str:
    """``Black Sea 2022`` from ``black_sea_2022``; a name with capitals or spaces is kept."""
    name = scenario.name.rsplit("/", 1)[-1]
    if " " in name or name != name.lower():
        return name
    return name.replace("_", " ").title()


# -- drawing ----------------------------------------------------------------------------------


@cache
def _rings_in(extent: Extent) -> tuple[tuple[str, np.ndarray], ...]:
    """The outlines that reach into the extent (5° margin); cached per extent."""
    margin = 5.0
    found = []
    for code in world():
        if code == "CRIMEA":
            continue
        for ring in world()[code].rings:
            if (
                ring[:, 0].max() >= extent.lon_min - margin
                and ring[:, 0].min() <= extent.lon_max + margin
                and ring[:, 1].max() >= extent.lat_min - margin
                and ring[:, 1].min() <= extent.lat_max + margin
            ):
                found.append((code, ring))
    return tuple(found)


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
    """
    extent = extent or map_extent(scenario)
    state = situation(scenario, steps, events, step, run)
    _frame(ax, extent, layer)
    rings = _rings_in(extent)
    owners = outline_owners(scenario)
    if layer in ("all", "bottom", "middle"):
        if layer == "middle":
            rings = tuple((code, ring) for code, ring in rings if code in owners)
        faces = [
            POSTURE_COLOURS.get(state.postures.get(owners[code], 0), OTHER_LAND)
            if code in owners and layer != "bottom"
            else OTHER_LAND
            for code, _ in rings
        ]
        ax.add_collection(
            PolyCollection(
                [ring for _, ring in rings],
                facecolors=faces,
                edgecolors=BORDER,
                linewidths=0.5,
                zorder=1,
            )
        )
    if layer in ("all", "middle"):
        _draw_crimea(ax, scenario, state)
        _draw_alliances(ax, scenario, state, extent)
        _draw_sanctions(ax, scenario, state, extent)
        _draw_demands(ax, scenario, state, extent)
        _draw_deployments(ax, scenario, state, extent)
        if title:
            _draw_title(ax, scenario, step)
    if layer in ("all", "top"):
        _draw_capitals(ax, scenario, extent)
        if legend:
            _draw_legend(ax, scenario, state, extent)
        ax.text(
            0.0,
            -0.01,
            crimea_caption(scenario),
            transform=ax.transAxes,
            fontsize=7.5,
            color="#555555",
            va="top",
            ha="left",
        )
    return state


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


def outline_owners(scenario: Scenario) -> dict[str, str]:
    """Which scenario state each Natural Earth outline is coloured for: a state's own outline,
    and for a state that no longer exists (:data:`HISTORICAL_OUTLINES`) those of today's states
    on its territory, unless the scenario has that state itself."""
    owners: dict[str, str] = {}
    for code in scenario.states:
        for outline in HISTORICAL_OUTLINES.get(code, ()):
            if outline not in scenario.states:
                owners[outline] = code
    owners.update({code: code for code in scenario.states})
    return owners


def crimea_caption(scenario: Scenario) -> str:
    """The caption's statement of the view the map takes of Crimea (``data/README.md``)."""
    if _start_year(scenario) < CRIMEA_ANNEXATION_YEAR:
        return CRIMEA_CAPTION_BEFORE_2014
    return CRIMEA_CAPTION


def _draw_crimea(ax: Axes, scenario: Scenario, state: Situation) -> None:
    crimea = world().get("CRIMEA")
    if crimea is None or not crimea.rings:
        return
    owners = outline_owners(scenario)

    def colour(outline: str, default: str) -> str:
        owner = owners.get(outline)
        return POSTURE_COLOURS.get(state.postures.get(owner, 0), default) if owner else default

    face = colour("UKR", OTHER_LAND)
    if _start_year(scenario) < CRIMEA_ANNEXATION_YEAR:
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


def _draw_capitals(ax: Axes, scenario: Scenario, extent: Extent) -> None:
    off_map: list[tuple[float, float]] = []
    for code, spec in scenario.states.items():
        lon, lat, on_map = anchor(scenario, code, extent)
        if not on_map:
            # Stack the badges of far-away states that land on the same stretch of edge.
            height = 0.045 * (extent.lat_max - extent.lat_min)
            while any(abs(lat - y) < height and abs(lon - x) < 8 for x, y in off_map):
                lat -= height
            off_map.append((lon, lat))
        if on_map:
            ax.plot(lon, lat, "o", ms=3.5, color="#222222", zorder=6)
            near_right = lon > extent.lon_max - 0.18 * (extent.lon_max - extent.lon_min)
            ax.annotate(
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
        else:
            left_half = lon < (extent.lon_min + extent.lon_max) / 2
            ax.annotate(
                f"{spec.name} (off map)",
                (lon, lat),
                fontsize=8,
                # Grow away from the nearer edge so a long name stays on the map.
                ha="left" if left_half else "right",
                va="center",
                color="#222222",
                zorder=7,
                bbox=dict(boxstyle="round,pad=0.25", fc="white", ec="#999999", alpha=0.9),
            )


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


def _draw_alliances(ax: Axes, scenario: Scenario, state: Situation, extent: Extent) -> None:
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


def _arrow(ax: Axes, start, end, colour: str, *, style="-|>", ls="-", lw=1.6, rad=0.15, alpha=1):
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


def _draw_demands(ax: Axes, scenario: Scenario, state: Situation, extent: Extent) -> None:
    for number, demand in enumerate(state.demands):
        # Alternate the bend so two demands from one capital do not run on top of each other.
        rad = 0.25 if number % 2 == 0 else -0.25
        sx, sy, _ = anchor(scenario, demand.challenger, extent)
        tx, ty, _ = anchor(scenario, demand.target, extent)
        war = demand.status == "war"
        over = demand.status == "over"
        colour = POSTURE_COLOURS[5] if war else DEMAND_COLOUR
        alpha = 0.35 if over else 1.0
        _arrow(ax, (sx, sy), (tx, ty), colour, lw=3.0 if war else 1.8, rad=rad, alpha=alpha)
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


def _draw_sanctions(ax: Axes, scenario: Scenario, state: Situation, extent: Extent) -> None:
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
        _arrow(
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


def _deployment_position(
    scenario: Scenario, deployment: Deployment, extent: Extent
) -> tuple[float, float]:
    hx, hy, on_map = anchor(scenario, deployment.host, extent)
    if deployment.near and deployment.near in scenario.states and on_map:
        nlat, nlon = scenario.states[_principal(scenario, deployment.near)].capital
        return border_point(deployment.host, (hx, hy), (nlon, nlat))
    return hx, hy


def _marker_size(thousands: float) -> float:
    # Marker area proportional to troops: 10,000 troops ↔ 120 pt².
    return 12.0 * max(thousands, 0.5)


def _draw_deployments(ax: Axes, scenario: Scenario, state: Situation, extent: Extent) -> None:
    placed: dict[tuple[float, float], int] = {}
    for deployment in sorted(state.deployments, key=lambda d: -d.troops):
        x, y = _deployment_position(scenario, deployment, extent)
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
        label = f"{code} {_troops_short(deployment.troops)}"
        ax.annotate(
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


def _troops_short(thousands: float) -> str:
    if thousands >= 10:
        return f"{thousands:,.0f}k"
    return f"{thousands:,.1f}k".replace(".0k", "k")


def _legend_corner(scenario: Scenario, extent: Extent) -> str:
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


def _draw_legend(ax: Axes, scenario: Scenario, state: Situation, extent: Extent) -> None:
    handles = [
        Patch(facecolor=POSTURE_COLOURS[level], edgecolor=BORDER, label=LEVEL_LABELS[level])
        for level in range(1, 6)
    ]
    handles.append(Patch(facecolor=OTHER_LAND, edgecolor=BORDER, label="not in the scenario"))
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
    ax.legend(
        handles=handles,
        loc=_legend_corner(scenario, extent),
        fontsize=7.5,
        title="Posture (MID hostility level)",
        title_fontsize=8,
        framealpha=0.9,
        borderpad=0.5,
        labelspacing=0.35,
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
