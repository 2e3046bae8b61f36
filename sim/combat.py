"""A day of fighting in one theatre: losses and the movement of control.

**Combat power** of a side is Σ troops in theatre × quality, times the defender's advantage when
the side fights on its own soil, times what aid adds and sanctions take away
(:mod:`brink.sim.support`). Quality is capability per soldier relative to the war's average,
to the power ``QUALITY_ELASTICITY``: the COW index mixes industry, energy and population with
the armed forces, so only part of a richer state's edge per soldier shows on the battlefield.

**Defender's advantage.** The rule of thumb that an attacker needs three to one at the point of
attack (Mearsheimer 1989, "Assessing the Conventional Balance", defends it; Epstein 1989,
"The 3:1 Rule, the Adaptive Dynamic Model, and the Future of Security Studies", shows it is no
law) allows an attacker who concentrates to succeed with far less across a whole theatre; the
default multiplier of 1.5 is that theatre-wide reading. Biddle (2004, *Military Power*) argues
that how forces are employed decides as much as how many there are: each side draws a
force-employment factor per war (log-normal, ``force_employment_spread``), so the stronger side
does not always win.

**Losses come from the opponent's fire.** Lanchester's (1916) square law for aimed fire: a
side's losses each day are proportional to the *opponent's* effective force, dA/dt = −a·P_B, not
to its own size. As a share of the side's troops in the theatre this is ``attrition_rate`` ×
P_B / T_A, with P_B the opponent's combat power (defender's advantage, quality, employment, aid
and sanctions included) and T_A the side's own troops there; two equal armies of equal quality
each lose ``attrition_rate`` a day. So the larger army loses *fewer* soldiers a day than the
smaller one, and a defender on its own soil, whose fire counts its advantage, costs an attacker
more than it loses (Dupuy 1987, *Understanding War*: the attacker's casualty rate exceeds the
defender's at equal strength). A force outnumbered more than ``MAX_ATTRITION_RATIO`` to one in
fire loses no faster: it withdraws or surrenders rather than being destroyed (Dupuy 1990,
*Attrition*: the daily casualty rates of a defeated force seldom exceed a few per cent); the
collapse rule of :mod:`brink.sim.war_termination` ends such a war.

**Control.** The share of the contested territory the challenger holds moves each day by
``advance_rate`` × tanh(``advance_steepness`` / 2 × ln r), r the ratio of the challenger's
combat power to the defender's (advantage included) — that is ``advance_rate`` × (r^s − 1) /
(r^s + 1). Dupuy (1987) found opposed advance rates that grow with the force ratio and level off
at what movement and supply allow; Biddle (2004) and the breakthrough literature (Mearsheimer
1983, *Conventional Deterrence*) add that a front at near parity barely moves while an
overwhelming force breaks through and moves at the speed of its columns. The saturating
function does both: twenty to one crosses the whole territory in 1/``advance_rate`` days
(about two weeks by default), near parity the front creeps and luck moves it back and forth — the
attritional fronts of long wars.

**Who defends.** The defender's advantage belongs to the side that holds the ground being
attacked. Combat power counts it for the side fighting on its own soil; but when that side
(the target) counterattacks ground the challenger has taken, the challenger is the one dug in:
the ratio then moves by the advantage squared (the target's taken away, the challenger's
given), both for the front and for the day's losses. Between 1/A and A times the opponent's
power neither side can advance against the other's advantage and the front holds — the
offence–defence stalemate of the Western Front and of Korea after 1951 (Biddle 2004 ch. 3 on
the modern system's defence; Mearsheimer 1983 on attrition when the attacker cannot break
through).
"""

from __future__ import annotations

import math

QUALITY_ELASTICITY = 0.5
MIN_POWER = 1e-9
#: Superiority in fire beyond which losses grow no further: a force outnumbered more than this
#: avoids battle, withdraws or surrenders rather than being destroyed faster (Dupuy 1990,
#: *Attrition*: historical daily casualty rates of a defeated force seldom exceed a few per cent).
MAX_ATTRITION_RATIO = 10.0


def quality(capability: float, troops: float, average_per_soldier: float) -> float:
    """Combat power per soldier relative to the war's average (see the module docstring)."""
    if troops <= 0 or average_per_soldier <= 0:
        return 1.0
    return ((capability / troops) / average_per_soldier) ** QUALITY_ELASTICITY


def daily_loss_share(own_troops: float, opponent_power: float, params) -> float:
    """Share of a side's troops in the theatre lost in one day: the opponent's fire over the
    side's size (Lanchester's square law; see the module docstring)."""
    if opponent_power <= 0 or own_troops <= 0:
        return 0.0
    ratio = min(MAX_ATTRITION_RATIO, opponent_power / own_troops)
    return params.attrition_rate * ratio


def control_change(challenger_power: float, target_power: float, params) -> float:
    """Change in the challenger's share of the contested territory over one day."""
    if challenger_power <= 0 and target_power <= 0:
        return 0.0
    ratio = max(challenger_power, MIN_POWER) / max(target_power, MIN_POWER)
    return advance(math.log(ratio), params)


def advance(log_ratio: float, params) -> float:
    """Daily movement of the front at a log power ratio (positive: the challenger gains)."""
    return params.advance_rate * math.tanh(0.5 * params.advance_steepness * log_ratio)


def dug_in_shift(log_ratio: float, control: float, home_is_target: bool, params) -> float:
    """Log-ratio shift on a day the target attacks ground the challenger holds: the defender's
    advantage then belongs to the challenger, dug in on what it took, not to the target (the
    combat power of the target's home soil counts it). Zero on other days."""
    if home_is_target and control > 0.0 and log_ratio < 0.0:
        return 2.0 * math.log(params.defender_advantage)
    return 0.0


def front_movement(log_ratio: float, control: float, home_is_target: bool, params) -> float:
    """Daily movement of the front (positive: the challenger gains), the defender's advantage
    going to whichever side holds the ground attacked: where neither side can beat the other's
    advantage the front holds (see the module docstring)."""
    shifted = log_ratio + dug_in_shift(log_ratio, control, home_is_target, params)
    if log_ratio < 0.0 < shifted:
        return 0.0
    return advance(shifted, params)


def decisiveness(movement: float, params) -> float:
    """How decisive a day of fighting is, 0–1: the front's movement over its fastest."""
    if params.advance_rate <= 0:
        return 0.0
    return min(1.0, abs(movement) / params.advance_rate)
