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
):
    """A great power (GRT) demands territory of a small neighbour (SML) that a distant ally
    (ALY) may defend: the test bed of the levers in MODEL.md §4.2."""
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
        "ALY": state("ALY", 0.12, 1300, (48.86, 2.35), nuclear=True),
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
    deployments = ()
    if tripwire_troops:
        deployments = (
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
