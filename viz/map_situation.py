"""What stands where on the crisis map at a given step, from a scenario and the run's tables.

:func:`situation` reads a :class:`~brink.scenarios.spec.Scenario` and data frames of ``steps``
and ``events`` rows (never a live model, docs/style.md) into a :class:`Situation`: each state's
posture, the troops deployed, the demands and their status, the sanctions and the alliances'
members. The matplotlib map, the vector map, the state panel and the timeline all draw from it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from brink.scenarios.spec import Scenario
from brink.sim.options import Option
from brink.viz.map_projection import principal_of

# Demands and threats of these outcomes are drawn faded: the dispute is over.
ENDING_ACTIONS = frozenset(
    {"settle", Option.CONCEDE, Option.BACK_DOWN, Option.ACCEPT_OFFER, "accept_ultimatum", "break"}
)
WAR_ACTIONS = frozenset({"war", "spiral"})


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
    for demand in scenario.demands:
        if demand.day > step:
            continue
        status, level = "open", demand.initial_level
        for row in by_dispute.get(demand.id, []):
            action = row.get("action")
            if not pd.isna(row.get("level")) and row.get("level") is not None:
                level = max(level, int(row["level"]))
            if action in WAR_ACTIONS:
                status, level = "war", 5
            elif action in ENDING_ACTIONS:
                status = "over"
        demands.append(Demand(demand.id, demand.by, demand.on, demand.issue, status, level))

    # Sanctions: declared ones from the scenario; threats, impositions and lifts from the log.
    sanctions: dict[str, Sanction] = {}
    for declared in scenario.sanctions:
        if declared.day <= 0:
            status = "threatened" if declared.trigger_actor else "imposed"
            sanctions[declared.id] = Sanction(
                declared.senders, declared.target, declared.severity, status
            )
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
    year = scenario_start_year(scenario)
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


def scenario_start_year(scenario: Scenario) -> int:
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
        for code in (demand.challenger, principal_of(scenario, demand.target)):
            if code in postures:
                postures[code] = max(postures[code], demand.level)
    return postures
