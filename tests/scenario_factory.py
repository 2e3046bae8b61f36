"""Small scenarios built in code, for tests that need a controlled world."""

from __future__ import annotations

from brink.scenarios.spec import (
    AllianceSpec,
    DemandSpec,
    DeploymentSpec,
    Membership,
    ResolveSpec,
    SanctionSpec,
    Scenario,
    StateSpec,
)


def state(
    code,
    capability,
    troops,
    capital,
    regime="democracy",
    nuclear=False,
    resolve=0.5,
    spread=0.15,
    trade=None,
):
    return StateSpec(
        code=code,
        name=code,
        ccode=None,
        regime=regime,
        nuclear=nuclear,
        capability=capability,
        troops=troops,
        capital=capital,
        resolve=ResolveSpec(mean=resolve, spread=spread),
        trade=trade or {},
    )


def protected_state_scenario(
    *,
    tripwire_troops=0.0,
    pact=True,
    pact_reliability=None,
    nuclear_target=False,
    sanctions_severity=0.0,
    trade_share=0.0,
    public_target_commitment=False,
    horizon=120,
    massed=30.0,
    nuclear_ally=False,
):
    """A great power (GRT) demands territory of a small neighbour (SML) that a distant ally
    (ALY) may defend: the test bed of the levers in docs/model.md §4.2."""
    states = {
        "GRT": state(
            "GRT",
            0.04,
            800,
            (55.75, 37.62),
            regime="autocracy",
            nuclear=True,
            resolve=0.6,
            trade={"ALY": trade_share},
        ),
        "SML": state("SML", 0.004, 40, (54.69, 25.28), nuclear=nuclear_target),
        "ALY": state("ALY", 0.12, 1300, (48.86, 2.35), nuclear=nuclear_ally),
    }
    alliances = {}
    if pact:
        alliances["PACT"] = AllianceSpec(
            id="PACT",
            name="Pact",
            kind="defense",
            members=(Membership("SML", 2004), Membership("ALY", 1949)),
            reliability=pact_reliability,
        )
    # The great power has massed an army at the border, as crises of this kind begin
    # (Russia at Ukraine's border in 2021–22): it could strike before the ally's army arrives.
    deployments = (DeploymentSpec(id="massed", owner="GRT", host="GRT", near="SML", troops=massed),)
    if tripwire_troops:
        deployments = (
            *deployments,
            DeploymentSpec(id="tripwire", owner="ALY", host="SML", troops=tripwire_troops),
        )
    sanctions = ()
    if sanctions_severity:
        sanctions = (
            SanctionSpec(
                id="threat",
                senders=("ALY",),
                target="GRT",
                severity=sanctions_severity,
                trigger_actor="GRT",
                trigger_against="SML",
            ),
        )
    demand = DemandSpec(
        id="border", by="GRT", on="SML", issue="cede the border districts", size=0.5
    )
    return Scenario(
        name="protected",
        description="test",
        start_date="2022-01-01",
        states=states,
        alliances=alliances,
        demands=(demand,),
        sanctions=sanctions,
        deployments=deployments,
        horizon=horizon,
    )


def fearon_scenario(*, information="private", deadline=1):
    """Two states and an ultimatum on day 1, the target's resolve uniform on [0, 1], the
    challenger's prior over it Beta(1, 1): Fearon's (1995) game inside the full model."""
    from dataclasses import replace

    from brink.scenarios.spec import PerceptionSpec, UltimatumSpec

    challenger = state("AAA", 0.1, 100, (50.0, 10.0))
    target = replace(
        state("BBB", 0.1, 100, (50.0, 12.0)),
        resolve=ResolveSpec(distribution="uniform", low=0.0, high=1.0),
    )
    demand = DemandSpec(
        id="ultimatum",
        by="AAA",
        on="BBB",
        issue="the whole issue",
        size=1.0,
        deadline=deadline,
        public=False,
        ultimatum=UltimatumSpec(information=information),
    )
    return Scenario(
        name="fearon",
        description="test",
        start_date="2000-01-01",
        states={"AAA": challenger, "BBB": target},
        demands=(demand,),
        horizon=5,
        perceptions=(PerceptionSpec("AAA", "BBB", 1.0, 1.0),),
        parameters={"win_probability": 0.5, "challenger_cost": 0.1, "target_cost_max": 0.4},
    )


def kitchen_sink_scenario():
    """Every mechanism at once, so that every parameter has something to act on: an autocratic
    nuclear challenger, a democratic target with a hands-tying statement and an ally with a
    tripwire, an anocratic challenger in a second dispute made later, a sanctions threat, an
    arms race, offers and an ultimatum; a rivalry and a falling power (the exit's costs)."""
    from dataclasses import replace

    from brink.scenarios.spec import ArmsRaceSpec, Event

    base = protected_state_scenario(sanctions_severity=0.4, trade_share=0.05, horizon=150)
    states = dict(base.states)
    states["ANO"] = replace(
        state("ANO", 0.01, 150, (41.0, 29.0), regime="anocracy", resolve=0.55),
        capability_trend=-0.04,  # a falling power: the preventive motive
    )
    states["NBR"] = state("NBR", 0.008, 120, (44.4, 26.1), regime="democracy", resolve=0.5)
    states["VCT"] = state(
        "VCT", 0.03, 400, (53.9, 27.57), regime="anocracy", nuclear=True, resolve=0.5, spread=0.25
    )
    demands = (
        *base.demands,
        DemandSpec(id="strait", by="ANO", on="NBR", issue="passage", size=0.6, day=20, deadline=90),
        DemandSpec(
            id="annex", by="GRT", on="VCT", issue="union", size=1.0, day=2, deadline=4, public=False
        ),
        DemandSpec(
            id="late", by="ANO", on="SML", issue="fishing rights", size=0.3, day=100, rivalry=6
        ),
    )
    sanctions = (
        *base.sanctions,
        SanctionSpec(
            id="strait_threat",
            senders=("NBR", "ALY"),
            target="ANO",
            severity=0.6,
            trigger_actor="ANO",
            trigger_against="NBR",
            day=21,
        ),
    )
    events = (
        Event(
            day=0,
            kind="statement",
            actor="SML",
            dispute="border",
            ties_hands=True,
            text="not one inch",
        ),
        Event(
            day=25,
            kind="statement",
            actor="ANO",
            dispute="strait",
            ties_hands=True,
            text="the strait is ours",
        ),
        Event(day=30, kind="offer", actor="NBR", dispute="strait", share=0.3),
        Event(day=5, kind="deploy", actor="ALY", target="SML", troops=3.0, ref="reinforce"),
        Event(day=40, kind="withdraw", ref="reinforce"),
        Event(day=10, kind="talks", actor="GRT", target="ALY", dispute="border"),
    )
    arms = (
        ArmsRaceSpec(
            rivals=("GRT", "ALY"), reaction=(0.3, 0.2), fatigue=(0.5, 0.4), grievance=(0.2, 0.1)
        ),
    )
    alliances = dict(base.alliances)
    alliances["PACT2"] = AllianceSpec(
        id="PACT2",
        name="Second pact",
        kind="defense",
        members=(Membership("NBR", 2004), Membership("ALY", 1949), Membership("VCT", 2010)),
    )
    alliances["AXIS"] = AllianceSpec(
        id="AXIS",
        name="Axis",
        kind="offense",
        members=(Membership("GRT", 1990), Membership("ANO", 1990)),
    )
    alliances["TALK"] = AllianceSpec(
        id="TALK",
        name="Talking shop",
        kind="consultation",
        members=(Membership("SML", 1990), Membership("NBR", 1990), Membership("ANO", 1995)),
    )
    from dataclasses import replace

    return replace(
        base,
        states=states,
        demands=demands,
        events=events,
        arms_races=arms,
        alliances=alliances,
        sanctions=sanctions,
    )


def war_scenario():
    """A great power that does not fear war makes demands of two small members of a defence
    pact in turn, under a sanctions threat, with the ally's troops in the second: the first
    often ends in war, and in the second the ally's record from the first counts. The test bed
    of the war parameters (docs/war.md)."""
    from dataclasses import replace

    base = protected_state_scenario(
        horizon=200, tripwire_troops=2.0, sanctions_severity=0.8, trade_share=0.05
    )
    states = dict(base.states)
    states["NBR"] = state("NBR", 0.008, 120, (44.4, 26.1), regime="democracy", resolve=0.9)
    # A great power (COW number 2, a major power since 1898) with no pact of defence: a
    # consultation pact with NBR and a declared interest in SML are all that may bring it in
    # (join_great_power, join_interest, reliability_consultation).
    states["FRD"] = replace(
        state("FRD", 0.15, 1400, (50.45, 30.52)), ccode=2, interests={"SML": 0.8}
    )
    alliances = dict(base.alliances)
    alliances["PACT"] = replace(
        alliances["PACT"], members=(*alliances["PACT"].members, Membership("NBR", 2004))
    )
    alliances["TALK"] = AllianceSpec(
        id="TALK",
        name="Talks",
        kind="consultation",
        members=(Membership("NBR", 1995), Membership("FRD", 1995)),
    )
    # Issues the targets hold dear (stakes 3), so they fight rather than give in; each dispute
    # opens with a use of force, so that under any decision rule the standoff slides into war
    # within days (the spiral hazard below) before one side can give way.
    opening = {"size": 0.4, "stakes_target": 3.0, "initial_level": 4}
    demands = (
        DemandSpec(id="first", by="GRT", on="NBR", issue="the delta", **opening),
        DemandSpec(id="later", by="GRT", on="SML", issue="the border", day=60, **opening),
        DemandSpec(id="again", by="GRT", on="NBR", issue="the coast", day=120, **opening),
    )
    deployments = (
        *base.deployments,
        DeploymentSpec(id="massed_nbr", owner="GRT", host="GRT", near="NBR", troops=300.0),
    )
    return replace(
        base,
        states=states,
        alliances=alliances,
        demands=demands,
        deployments=deployments,
        # a challenger that fears no war and a standoff that slides into war quickly
        parameters={"challenger_cost": 0.0, "spiral_hazard": 0.3, "display_hazard": 0.1},
    )
