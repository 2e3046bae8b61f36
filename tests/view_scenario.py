"""A Black Sea crisis built by hand from the spec dataclasses, for the view's unit tests.

It does not depend on the YAML loader, so the map and narration tests pin down the drawing
code alone.
"""

from __future__ import annotations

import pandas as pd

from brink.scenarios.spec import (
    AllianceSpec,
    DemandSpec,
    DeploymentSpec,
    Membership,
    SanctionSpec,
    Scenario,
    StateSpec,
)
from brink.sim.record import EVENT_COLUMNS


def _state(code, name, capital, *, regime="democracy", nuclear=False, capability=0.01):
    return StateSpec(
        code=code,
        name=name,
        ccode=None,
        regime=regime,
        nuclear=nuclear,
        capability=capability,
        troops=100.0,
        capital=capital,
    )


def black_sea() -> Scenario:
    states = {
        "RUS": _state("RUS", "Russia", (55.76, 37.62), regime="autocracy", nuclear=True),
        "UKR": _state("UKR", "Ukraine", (50.45, 30.52)),
        "BLR": _state("BLR", "Belarus", (53.90, 27.57), regime="autocracy"),
        "POL": _state("POL", "Poland", (52.23, 21.01)),
        "ROU": _state("ROU", "Romania", (44.43, 26.10)),
        "FRA": _state("FRA", "France", (48.86, 2.35), nuclear=True),
        "USA": _state("USA", "United States", (38.90, -77.04), nuclear=True, capability=0.14),
    }
    nato = AllianceSpec(
        id="NATO",
        name="North Atlantic Treaty Organization",
        kind="defense",
        members=tuple(
            Membership(code, year)
            for code, year in (("USA", 1949), ("FRA", 1949), ("POL", 1999), ("ROU", 2004))
        ),
        leader="USA",
    )
    return Scenario(
        name="Black Sea test crisis",
        description="hand-built",
        start_date="2022-01-01",
        states=states,
        alliances={"NATO": nato},
        demands=(
            DemandSpec(id="ukraine", by="RUS", on="UKR", issue="neutrality of Ukraine", size=0.6),
            DemandSpec(id="nato", by="RUS", on="NATO", issue="no NATO enlargement", size=0.5),
        ),
        sanctions=(
            SanctionSpec(
                id="west",
                senders=("USA", "FRA"),
                target="RUS",
                severity=0.3,
                trigger_actor="RUS",
                trigger_against="UKR",
            ),
        ),
        deployments=(
            DeploymentSpec(id="rus-blr", owner="RUS", host="BLR", troops=30.0, near="UKR"),
            DeploymentSpec(id="rus-border", owner="RUS", host="RUS", troops=100.0, near="UKR"),
        ),
    )


def event(step, actor, action, target=None, dispute=None, level=None, amount=None, detail=""):
    return dict(
        run=0,
        step=step,
        actor=actor,
        action=action,
        target=target,
        dispute=dispute,
        level=level,
        amount=amount,
        detail=detail,
    )


def events_frame(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(EVENT_COLUMNS))


def steps_frame(postures_by_step: dict[int, dict[str, int]]) -> pd.DataFrame:
    rows = []
    for step, postures in postures_by_step.items():
        for state, posture in postures.items():
            rows.append(
                dict(
                    run=0,
                    step=step,
                    state=state,
                    posture=posture,
                    troops_abroad=0.0,
                    sanctions_cost=0.0,
                    escalation=0.0,
                    escalation_score=float(step),
                    cohesion=1.0,
                    at_war=posture == 5,
                )
            )
    return pd.DataFrame(rows)


def forced_war_run(days: int):
    """The live run of seed 17 of the 2022 scenario with a war over Ukraine's neutrality forced
    on day 1 (as test_war_model forces wars) and fought by the model for ``days`` days."""
    from brink.scenarios.loader import load_scenario
    from brink.sim.params import scenario_params
    from brink.viz.viewruns import LiveRun

    scenario = load_scenario("black_sea_2022")
    live = LiveRun(scenario, scenario_params(scenario), seed=17)
    live.step()
    live.model._begin_war(live.model.disputes["ukraine_neutrality"], detail="forced by the test")
    for _ in range(days):
        live.step()
    return scenario, live
