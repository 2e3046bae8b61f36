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

**Losses.** Each day a side loses the share ``attrition_rate`` × (opponent's power / own power)^e
of its forces in the theatre. With e = 1 this is Lanchester's (1916) square law, with e = 0 the
linear law; Helmbold (1964, "Some Observations on the Use of Lanchester's Theory for
Prediction") found historical battles in between, and the default e = 0.5 sits there. Losses are
replaced by the reinforcements of :mod:`brink.sim.forces`, so a war is a contest of flows, not of
stocks fought to the last man.

**Control.** The share of the contested territory the challenger holds moves each day by
``advance_rate`` × ln(power ratio): forward when the challenger's power exceeds the defender's
(advantage included), back when it falls short, clamped to [0, 1]. Advance rates that grow with
the force ratio are the pattern Dupuy (1987, *Understanding War*) found in historical data; the
logarithm makes doubling one's power count the same at any scale.
"""

from __future__ import annotations

import math

QUALITY_ELASTICITY = 0.5
MIN_POWER = 1e-9
#: Superiority beyond which losses grow no further: a force outnumbered more than this avoids
#: battle, withdraws or surrenders rather than being destroyed faster (Dupuy 1990, *Attrition*:
#: historical daily casualty rates of a defeated force seldom exceed a few per cent).
MAX_ATTRITION_RATIO = 10.0


def quality(capability: float, troops: float, average_per_soldier: float) -> float:
    """Combat power per soldier relative to the war's average (see the module docstring)."""
    if troops <= 0 or average_per_soldier <= 0:
        return 1.0
    return ((capability / troops) / average_per_soldier) ** QUALITY_ELASTICITY


def daily_loss_share(own_power: float, opponent_power: float, params) -> float:
    """Share of a side's forces in the theatre lost in one day of fighting (Helmbold 1964)."""
    if opponent_power <= 0:
        return 0.0
    ratio = min(MAX_ATTRITION_RATIO, opponent_power / max(own_power, MIN_POWER))
    return params.attrition_rate * ratio**params.attrition_exponent


def control_change(challenger_power: float, target_power: float, params) -> float:
    """Change in the challenger's share of the contested territory over one day."""
    if challenger_power <= 0 and target_power <= 0:
        return 0.0
    ratio = max(challenger_power, MIN_POWER) / max(target_power, MIN_POWER)
    return params.advance_rate * math.log(ratio)
