"""The crisis's parameters: time, decisions, audience costs, who would fight for whom, power.

The first part of the table of :class:`~brink.sim.params.ModelParams`, which inherits these
fields (in this order, before those of :mod:`brink.sim.war_params` and its own); each is
declared once here with its default, range, unit and meaning (docs/model.md §9).
"""

from __future__ import annotations

from dataclasses import dataclass

from brink.sim.parameter_spec import _p


@dataclass(frozen=True)
class CrisisParameters:
    """Parameters of the crisis before any war (part of :class:`~brink.sim.params.ModelParams`)."""

    # -- time (docs/model.md §2) --
    horizon: int = _p(
        180, 1, 3650, "steps", "how many steps a run lasts at most", integer=True, group="time"
    )
    step_days: int = _p(
        1, 1, 7, "days", "days in one step (7 for a weekly scenario)", integer=True, group="time"
    )
    planning_days: float = _p(
        30.0,
        1.0,
        365.0,
        "days",
        "how far ahead a state looks when it weighs a standoff's risks and running costs",
        group="decision",
    )

    # -- decisions (§4.4) --
    precision: float = _p(
        40.0,
        0.0,
        200.0,
        "1/issue unit",
        "quantal-response precision λ; 0 picks options at random, large values are fully rational",
        group="decision",
    )
    display_hazard: float = _p(
        0.00001,
        0.0,
        0.2,
        "1/day",
        "daily chance that a display of force (level 3) slides into war",
        group="decision",
    )
    spiral_hazard: float = _p(
        0.00003,
        0.0,
        0.5,
        "1/day",
        "daily chance that a use of force (level 4) spirals into war "
        "without a decision (Schelling 1960)",
        group="decision",
    )
    escalation_cost: float = _p(
        0.0001,
        0.0,
        0.1,
        "issue units/day per level",
        "running cost of holding a hostility level above 1 (mobilisation, upkeep), per level",
        group="decision",
    )
    review_rate: float = _p(
        0.2,
        0.01,
        1.0,
        "1/day",
        "daily chance that a party reconsiders its course when nothing new has happened (it "
        "always does when the opponent moves)",
        group="decision",
    )
    option_value: float = _p(
        0.9,
        0.0,
        1.0,
        "share",
        "share of the value of climbing later that holding one's level keeps (the option to "
        "escalate)",
        group="decision",
    )
    offer_share: float = _p(
        0.5,
        0.05,
        0.95,
        "share of demand",
        "share of the demand a target offers when it proposes a compromise",
        group="decision",
    )

    # -- the standoff: a war of attrition (docs/model.md, "The standoff") --
    decision_rule: int = _p(
        1,
        0,
        1,
        "switch",
        "1: each state decides by the screening standoff (a war of attrition with private "
        "resolve); 0: by the expected-utility rule of Brink 0.1",
        integer=True,
        group="standoff",
    )
    standoff_cost: float = _p(
        0.0001,
        0.0,
        0.1,
        "issue units/day",
        "what a day of standing firm costs a side besides its military level (attention, "
        "disruption, forgone business)",
        group="standoff",
    )
    lapse_rate: float = _p(
        0.003,
        0.0,
        0.2,
        "1/day",
        "daily chance that an issue neither side has given up lapses: attention moves on and "
        "the dispute ends unresolved (a stalemate)",
        group="standoff",
    )
    war_threat_rate: float = _p(
        0.0005,
        0.0,
        0.2,
        "1/day",
        "daily chance a side believes the other will act on a preference for war over giving "
        "way, once it has displayed force (the coercive weight of a military threat)",
        group="standoff",
    )
    loss_aversion: float = _p(
        1.5,
        1.0,
        5.0,
        "ratio",
        "how much more the target values keeping what it holds than the challenger values "
        "gaining it (prospect theory's loss aversion, Tversky & Kahneman 1992; Levy 1997)",
        group="standoff",
    )
    reputation_cost: float = _p(
        0.1,
        0.0,
        2.0,
        "stakes per log(1 + earlier disputes)",
        "what giving way costs in reputation, growing with the dyad's earlier disputes (a rivalry)",
        group="standoff",
    )
    rivalry_salience: float = _p(
        0.0,
        0.0,
        2.0,
        "per log(1 + earlier disputes)",
        "how much more an issue weighs to both sides for each log unit of the dyad's earlier "
        "disputes over it (Hensel 2001: issues fought over before are more salient)",
        group="standoff",
    )
    concession_cost: float = _p(
        0.2,
        0.0,
        2.0,
        "share of the target's stakes",
        "what conceding costs the target beyond the issue: the further demands it invites",
        group="standoff",
    )
    shift_years: float = _p(
        5.0,
        0.0,
        30.0,
        "years",
        "how far ahead a state weighs a trend in the balance of power (the preventive motive)",
        group="standoff",
    )

    # -- audience costs (Fearon 1994) --
    audience_cost_democracy: float = _p(
        0.35,
        0.0,
        2.0,
        "issue units per commitment",
        "cost to a democracy of backing down after a public commitment",
        group="audience",
    )
    audience_cost_anocracy: float = _p(
        0.15,
        0.0,
        2.0,
        "issue units per commitment",
        "cost to an anocracy of backing down after a public commitment",
        group="audience",
    )
    audience_cost_autocracy: float = _p(
        0.08,
        0.0,
        2.0,
        "issue units per commitment",
        "cost to an autocracy of backing down after a public commitment (Weeks 2008: not zero)",
        group="audience",
    )

    # -- who would fight for whom (§4.2) --
    join_intercept: float = _p(
        -4.5,
        -10.0,
        5.0,
        "log-odds",
        "b0: log-odds that an unrelated state joins a war",
        group="coalitions",
    )
    join_pact: float = _p(
        5.0,
        0.0,
        10.0,
        "log-odds per unit commitment",
        "b_pact: weight of an alliance commitment",
        group="coalitions",
    )
    join_tripwire: float = _p(
        1.2,
        0.0,
        5.0,
        "log-odds per log(1 + thousand troops)",
        "b_trip: weight of own troops deployed on the side's territory (Schelling 1966)",
        group="coalitions",
    )
    join_affinity: float = _p(
        1.5,
        0.0,
        10.0,
        "log-odds per unit affinity",
        "b_aff: weight of affinity (shared alliances, regime, trade)",
        group="coalitions",
    )
    join_cost: float = _p(
        0.5,
        0.0,
        10.0,
        "log-odds per unit cost",
        "b_cost: weight of the cost of joining (distance, nuclear opponent)",
        group="coalitions",
    )
    join_revisionist_cost: float = _p(
        1.5,
        0.0,
        10.0,
        "log-odds",
        "penalty for joining the challenger, the side demanding change: third states seldom join "
        "a revisionist's war without an offence pact (Leeds 2003)",
        group="coalitions",
    )
    join_interest: float = _p(
        3.0,
        0.0,
        10.0,
        "log-odds per unit interest",
        "pull of a declared interest short of a treaty (a guarantee, an act of a legislature; "
        "`interests:` in a scenario) toward fighting for the state it concerns",
        group="coalitions",
    )
    join_great_power: float = _p(
        1.5,
        0.0,
        10.0,
        "log-odds",
        "pull of a major power (COW list) toward fighting for the side it leans to: great powers "
        "intervene where their interests are at stake, treaty or not (Huth 1998)",
        group="coalitions",
    )
    third_party_optimism: float = _p(
        1.0,
        0.0,
        5.0,
        "log-odds",
        "how far each side underrates the chance that a third state fights against it, where "
        "that state's commitment is unclear (Blainey 1973; Levy 1983; corrected by pacts and "
        "tripwire troops)",
        group="coalitions",
    )
    nuclear_join_cost: float = _p(
        1.0,
        0.0,
        10.0,
        "cost units",
        "added cost of joining against a nuclear power",
        group="coalitions",
    )
    reliability_defense: float = _p(
        0.75,
        0.0,
        1.0,
        "probability",
        "base reliability of a defence pact (Leeds, Long & Mitchell 2000: 75 % honoured)",
        group="coalitions",
    )
    reliability_offense: float = _p(
        0.5, 0.0, 1.0, "probability", "base reliability of an offence pact", group="coalitions"
    )
    reliability_consultation: float = _p(
        0.2, 0.0, 1.0, "probability", "base reliability of a consultation pact", group="coalitions"
    )
    credibility_gain: float = _p(
        0.05,
        0.0,
        1.0,
        "credibility",
        "credibility an ally gains by joining when its partner is attacked",
        group="coalitions",
    )
    credibility_loss: float = _p(
        0.15,
        0.0,
        1.0,
        "credibility",
        "credibility an ally loses by staying out",
        group="coalitions",
    )

    # -- balance of power (§4.3) --
    gradient_km: float = _p(
        2500.0,
        100.0,
        20000.0,
        "km",
        "D in Boulding's loss-of-strength gradient exp(-d/D)",
        group="power",
    )
