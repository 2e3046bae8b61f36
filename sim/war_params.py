"""The war's parameters: war costs, forces over time, fighting, bargaining while fighting, and
third states joining and aiding.

The second part of the table of :class:`~brink.sim.params.ModelParams`, which inherits these
fields after those of :mod:`brink.sim.crisis_params` (docs/war.md); each is declared once here
with its default, range, unit and meaning.
"""

from __future__ import annotations

from dataclasses import dataclass

from brink.sim.crisis_params import CrisisParameters
from brink.sim.parameter_spec import _p


@dataclass(frozen=True)
class WarParameters(CrisisParameters):
    """Parameters of war (part of :class:`~brink.sim.params.ModelParams`)."""

    # -- war costs and war (§4.4, §6) --
    war_cost_scale: float = _p(
        0.6,
        0.0,
        5.0,
        "issue units per 100 days of war",
        "scale of a state's cost of fighting (grows with the opponent's power, falls with resolve)",
        group="war",
    )
    democratic_war_cost: float = _p(
        1.0,
        0.0,
        5.0,
        "share",
        "how much more a war costs a democracy's leaders (they answer for it), and anyone who "
        "fights a democracy (it fights harder): the war cost is multiplied by 1 + this for each",
        group="war",
    )
    nuclear_war_cost: float = _p(
        3.0,
        0.0,
        20.0,
        "issue units",
        "added war cost of a war between two coalitions with nuclear members, weighted by the "
        "chance that each side's nuclear members fight",
        group="war",
    )
    # -- forces over time (docs/war.md: forces) --
    committable_share: float = _p(
        0.3,
        0.02,
        1.0,
        "share of armed forces",
        "share of its armed forces a state can send to one war's theatre, beyond what already "
        "stands there (the rest holds other commitments); a scenario's `committable` overrides it",
        group="forces",
    )
    home_ready_share: float = _p(
        0.5,
        0.0,
        1.0,
        "share of armed forces",
        "share of its armed forces a state fighting on its own soil has in the theatre on the "
        "first day; the rest and its reserves arrive by mobilisation",
        group="forces",
    )
    reserve_ratio: float = _p(
        0.5,
        0.0,
        5.0,
        "reservists per active soldier",
        "reservists a state fighting on its own soil calls up, per active soldier; a scenario's "
        "`reserves` overrides it",
        group="forces",
    )
    mobilisation_days: float = _p(
        45.0,
        1.0,
        365.0,
        "days",
        "time constant of sending committable forces to a theatre next door (63 % arrived)",
        group="forces",
    )
    logistics_km: float = _p(
        1500.0,
        100.0,
        20000.0,
        "km",
        "distance that doubles the time to bring forces to the theatre",
        group="forces",
    )

    # -- fighting (docs/war.md: fighting) --
    attrition_rate: float = _p(
        0.004,
        0.0001,
        0.05,
        "share of forces/day",
        "daily loss of a side's forces in the theatre per unit of the opponent's combat power per "
        "soldier of its own (Lanchester's square law): two equal armies each lose this share a day",
        group="war",
    )
    defender_advantage: float = _p(
        1.5,
        1.0,
        4.0,
        "force multiplier",
        "combat power of a side defending its own soil, per unit of force (3:1 at the point of "
        "attack, about 1.5:1 over a theatre; Mearsheimer 1989)",
        group="war",
    )
    advance_rate: float = _p(
        0.08,
        0.0,
        0.5,
        "share of territory/day",
        "fastest the front moves: the daily share of the contested territory an overwhelming "
        "force takes (Dupuy 1987: advance rates level off at what movement and supply allow)",
        group="war",
    )
    advance_steepness: float = _p(
        2.0,
        0.25,
        10.0,
        "per log power ratio",
        "how sharply the front's speed rises with the balance of combat power: the front moves "
        "at advance_rate × (r^s − 1)/(r^s + 1), barely at parity, at full speed when overwhelming",
        group="war",
    )
    replacement_share: float = _p(
        1.0,
        0.0,
        1.0,
        "share of losses",
        "share of its losses a belligerent replaces from its armed forces and reserves (they "
        "arrive as reinforcements do), so a war is sustained until a side is exhausted",
        group="forces",
    )
    force_employment_spread: float = _p(
        0.3,
        0.0,
        1.5,
        "log-sd",
        "spread of each side's skill in using its forces, drawn per war (Biddle 2004)",
        group="war",
    )
    battle_noise: float = _p(
        0.3,
        0.0,
        1.5,
        "log-sd",
        "day-to-day luck of the battlefield, on losses and on movement",
        group="war",
    )
    break_point: float = _p(
        0.3,
        0.02,
        0.9,
        "share of manpower",
        "losses, as a share of a belligerent side's military manpower (active forces and "
        "reserves), at which a side of average resolve is exhausted and gives up (scaled by "
        "resolve; Klingberg 1966)",
        group="war",
    )

    # -- bargaining while fighting (docs/war.md: termination) --
    optimism: float = _p(
        0.4,
        0.0,
        2.0,
        "log power ratio",
        "scale of each state's overestimate of its own military edge, drawn per run "
        "(Blainey 1973: mutual optimism)",
        group="war",
    )
    cohesion_optimism: float = _p(
        0.0,
        0.0,
        2.0,
        "log break point",
        "how far a side, before a war, underrates the losses its opponent will bear before it "
        "breaks (the opponent's cohesion: its government, army and people holding), in log "
        "units (Blainey 1973 ch. 4; 1941 and 2022 expected quick collapses)",
        group="war",
    )
    learning_days: float = _p(
        60.0,
        1.0,
        365.0,
        "days",
        "time over which decisive fighting reveals the true balance: misestimates shrink by e "
        "each learning_days of fighting that moves the front at full speed, more slowly in a "
        "stalemate (Slantchev 2003; Smith & Stam 2004)",
        group="war",
    )
    war_planning_days: float = _p(
        90.0,
        7.0,
        730.0,
        "days",
        "how far ahead a side at war looks when it weighs an offer against fighting on",
        group="war",
    )
    offer_rate: float = _p(
        0.1,
        0.0,
        1.0,
        "1/day",
        "daily chance that a side at war puts an offer on the table",
        group="war",
    )
    commitment_shift: float = _p(
        0.25,
        0.05,
        5.0,
        "log power ratio",
        "expected shift in the balance of power beyond which no settlement is credible "
        "(Powell 2006; Weisiger 2013)",
        group="war",
    )

    # -- joining and aid over time (docs/war.md: third states) --
    join_window_days: float = _p(
        30.0,
        1.0,
        365.0,
        "days",
        "a state that would join a war does so within about this many days (troops at risk "
        "join at once)",
        group="coalitions",
    )
    join_momentum: float = _p(
        2.0,
        0.0,
        10.0,
        "log-odds per share of territory lost",
        "how much more likely an ally joins as its partner loses the contested territory",
        group="coalitions",
    )
    aid_effect: float = _p(
        0.6,
        0.0,
        3.0,
        "force multiplier",
        "most that aid from richer donors adds to a side's combat power, as a multiple",
        group="aid",
    )
    aid_propensity: float = _p(
        0.5,
        0.0,
        5.0,
        "aid level per unit of affinity gap",
        "how much third states that stay out send in aid to the side they feel closer to, per "
        "unit of the gap in their affinity to the two sides",
        group="aid",
    )
    aid_ramp_days: float = _p(
        30.0,
        1.0,
        365.0,
        "days",
        "time constant for aid to reach the front",
        group="aid",
    )
    sanctions_war_effect: float = _p(
        2.0,
        0.0,
        20.0,
        "combat power per GDP share lost per year",
        "how sanctions wear down the target's capacity to fight over a year",
        group="sanctions",
    )
