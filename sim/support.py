"""Third states in a war over time: who joins which side, when, and who helps without fighting.

**Joining.** The chance that a third state would fight on a side comes from the logit of
:mod:`brink.sim.coalitions` (pacts, troops at risk, affinity, cost), fixed at the war's start,
plus a term that grows as the side loses the contested territory: allies come to the aid of a
partner in danger (Walt 1987, *The Origins of Alliances*, on balancing; Article 5 binds when a
member is attacked). That chance P is the chance of joining at some point; entries cluster early
in a war (Siverson & Starr 1991, *The Diffusion of War*), so a state that would join does so
within about ``join_window_days``: by day t a share 1 − e^(−t/w) of the would-be joiners have
entered. A state whose own troops stand on the attacked side's soil in the theatre is engaged
from the first day (Schelling 1966: the tripwire), so it draws its whole chance at once.
Sides a state may never join are set to zero in :func:`brink.sim.coalitions.join_probabilities`.

**Aid.** Third states that stay out may still help a side with arms and money. A scenario's
``aid:`` entries say who helps whom from which day; besides them, every sympathetic third state
sends aid at a level ``aid_propensity`` × its sympathy, the gap between its affinity to that side
and to the other (:func:`brink.sim.coalitions.affinity`: shared alliances, regime, trade, and −1
toward a rival), from the war's start — the enemy of one's enemy helps even when it will not
fight (Walt 1987; Regan 2002, *Civil Wars and Foreign Powers*, on outside support). Aid
is weighted by the donor's capability and takes ``aid_ramp_days`` to reach the front; it raises
the recipient's combat power by the factor 1 + a · S / (S + C), with S the aid received, C the
side's own capability and a = ``aid_effect``: a recipient can absorb only so much (arms need
soldiers trained to use them), so aid saturates.

**Sanctions** imposed on a belligerent wear down its capacity to fight: its combat power falls by
``sanctions_war_effect`` × (share of GDP the sanctions cut) per year of war, to at most 80 %
(Pape 1997, "Why Economic Sanctions Do Not Work": sanctions bite slowly and seldom decide wars).
"""

from __future__ import annotations

import math

from brink.sim.maths import logistic
from brink.sim.sanctions import trade_exposure

MAX_SANCTIONS_DRAIN = 0.8
DAYS_PER_YEAR = 365.25


def join_chance(base_logit: float, territory_lost: float, params) -> float:
    """P that a third state fights on a side, given the share of territory the side has lost."""
    return logistic(base_logit + params.join_momentum * territory_lost)


def entered_by(days: float, window: float) -> float:
    """Share of the would-be joiners that have entered a war ``days`` after it began."""
    return -math.expm1(-max(days, 0.0) / window)


def join_hazard(chance: float, days_before: float, days_after: float, window: float) -> float:
    """Chance of joining between two days of a war, for a state that has not joined yet.

    The cumulative chance of having joined by day t is P · (1 − e^(−t/w)); the hazard over an
    interval is the increase of that over what is left.
    """
    before = chance * entered_by(days_before, window)
    after = chance * entered_by(days_after, window)
    if before >= 1.0:
        return 1.0
    return max(0.0, (after - before) / (1.0 - before))


def scenario_aid(
    model, recipient_side_members: set[str], step: int
) -> list[tuple[str, float, int]]:
    """(donor, level, start step) of the scenario's aid to any member of a side, active now."""
    flows = []
    for aid in model.crisis.aid:
        if aid.recipient not in recipient_side_members or aid.day > step:
            continue
        if aid.end is not None and aid.end <= step:
            continue
        flows.append((aid.donor, aid.level, aid.day))
    return flows


def aid_multiplier(support: float, own_capability: float, params) -> float:
    """Combat-power factor of a side that receives ``support`` (capability-weighted aid)."""
    if support <= 0:
        return 1.0
    return 1.0 + params.aid_effect * support / (support + max(own_capability, 1e-12))


def ramp(days: float, params) -> float:
    """Share of an aid flow that has reached the front ``days`` after it started."""
    return -math.expm1(-max(days, 0.0) / params.aid_ramp_days)


def sanctions_cut(model, spec) -> float:
    """Share of the target's GDP that one sanction cuts: σ × its trade with the senders."""
    exposure = sum(trade_exposure(model, spec.target, s) for s in spec.senders if s != spec.target)
    return spec.severity * exposure


def sanctions_drain(params, gdp_share_cut: float, days_of_war: float) -> float:
    """Share of a belligerent's combat power that sanctions cutting ``gdp_share_cut`` of its
    GDP have worn away after ``days_of_war``."""
    if gdp_share_cut <= 0:
        return 0.0
    drain = params.sanctions_war_effect * gdp_share_cut * days_of_war / DAYS_PER_YEAR
    return min(MAX_SANCTIONS_DRAIN, drain)
