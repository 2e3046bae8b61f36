"""How a war ends: bargaining while fighting, collapse, conquest, or not yet.

Wars are part of the bargaining process (Wagner 2000, "Bargaining and War"; Filson & Werner
2002; Slantchev 2003, "The Principle of Convergence in Wartime Negotiations"; Powell 2004, 2006;
Reiter 2009, *How Wars End*). Here:

- **Beliefs about the war.** Each side estimates the balance of combat power in the theatre, and
  each state overestimates its own edge by a misperception drawn per run (half-normal with scale
  ``optimism``: Blainey 1973, *The Causes of War* — wars begin when states disagree about
  their relative strength). Fighting reveals the truth, but only as fast as it is decisive: the
  misestimate shrinks as e^(−I), where I grows each day by (decisiveness / ``learning_days``),
  decisiveness being how fast the front moves over its fastest (:func:`combat.decisiveness`,
  at least ``STALEMATE_LEARNING``). Slantchev (2003) makes the battlefield the place where
  information is revealed; Smith & Stam (2004, "Bargaining and the Nature of War") show that
  indecisive battles move beliefs little, so wars between near equals, whose fronts barely
  move, keep their disagreement and last (Bennett & Stam 1996, "The Duration of Interstate
  Wars": wars between evenly matched states last longer).
- **What each side expects.** From its estimate, a side projects the contested territory it will
  hold ``war_planning_days`` ahead, clamped to [0, 1]: the terms it expects to be able to get.
- **Settlement.** Turning an offer down costs a side only the fighting until the next offer,
  1/``offer_rate`` days on average (capped at ``war_planning_days``), since it can settle then
  (Slantchev 2003 and Powell 2004 model war as rounds of fighting and offers). So the challenger
  accepts any share at least its projection minus that cost, and the target offers any share at
  most its projection plus its cost, in shares of the demand. When these overlap there is a
  bargaining range, and with a daily chance ``offer_rate`` an offer is put and accepted at its
  middle. As beliefs converge on the truth the range opens: wars end when expectations
  converge (Slantchev 2003), so a war fought under complete information ends soonest.
- **Commitment problem.** While the balance of power is expected to shift by more than
  ``commitment_shift`` (in log power ratio, once the forces already committed have arrived), no
  deal is credible: the side that will be stronger cannot promise not to exploit it (Powell 2006,
  "War as a Commitment Problem"), and wars whose cause is such a shift last longer (Weisiger
  2013, *Logics of War*).
- **Collapse.** A side whose losses reach its break point — ``break_point`` × (0.5 + resolve) of
  its military manpower (active forces and reserves of its belligerents) — is exhausted
  (Klingberg 1966, "Predicting the Termination of War": states give up when their losses reach
  a share of what they can field, higher for the more resolved); a side whose forces in the
  theatre fall below a twentieth of its opponent's with nothing more on the way collapses. The
  other side wins (Reiter 2009 on defeat). Losses are replaced (``replacement_share``), so a
  side is not broken by the losses of its first contingent but by exhaustion: the measure was
  once the share of forces sent, which ended every even war within months.
- **Conquest.** A challenger holding all the contested territory has won.

A settled war is coded in the MID vocabulary (Jones, Bremer & Singer 1996) by the share the
challenger obtains: at most ``DECISIVE_SHARE`` is a victory for the target, at least
1 − ``DECISIVE_SHARE`` a victory for the challenger — terms dictated by the course of the war,
as the MID and COW projects code a war's winner — and anything between a compromise. Yields are
left for concessions made without war.
"""

from __future__ import annotations

import math

from brink.sim import combat
from brink.sim.outcomes import Outcome

MAX_BREAK_POINT = 0.95
COLLAPSE_RATIO = 0.05
DECISIVE_SHARE = 0.15
RESOLVE_CEILING = 1.5  # as in agents.crisis_choice: cost weight (1.5 − resolve)
OPPONENT_FLOOR = 0.25
#: What a day of stalemated fighting reveals, relative to a day of decisive fighting: even a
#: front that does not move shows each side what the war costs it and how the other holds.
STALEMATE_LEARNING = 0.1
#: Mean of a half-normal misperception of scale 1 (√(2/π)).
HALF_NORMAL_MEAN = math.sqrt(2.0 / math.pi)


def break_point(params, resolve: float) -> float:
    """Losses, as a share of a side's military manpower, at which it is exhausted."""
    return min(MAX_BREAK_POINT, params.break_point * (0.5 + resolve))


def misperception(optimism: float, learned: float) -> float:
    """What remains of a state's overestimate of its edge once fighting has revealed
    ``learned`` (days of decisive fighting over ``learning_days``)."""
    return optimism * math.exp(-learned)


def learning(movement: float, days: float, params) -> float:
    """What ``days`` of fighting with the front moving ``movement`` a day reveal, in units of
    ``learning_days`` of decisive fighting: a front that moves fast reveals the balance, a
    stalemate little (Slantchev 2003; Smith & Stam 2004), but never nothing
    (``STALEMATE_LEARNING``)."""
    decisive = max(STALEMATE_LEARNING, combat.decisiveness(movement, params))
    return decisive * days / params.learning_days


def delay_days(params) -> float:
    """Expected days of fighting until the next offer: the cost of turning one down."""
    if params.offer_rate <= 0:
        return params.war_planning_days
    return min(params.war_planning_days, 1.0 / params.offer_rate)


def projected_control(
    control: float, log_ratio: float, params, home_is_target: bool = True
) -> float:
    """The challenger's share of the territory ``war_planning_days`` ahead, at this balance."""
    moved = combat.front_movement(log_ratio, control, home_is_target, params)
    return min(1.0, max(0.0, control + moved * params.war_planning_days))


def daily_war_cost(
    params, opponent_power_share: float, risk_factor: float, resolve: float
) -> float:
    """Issue units one side pays per day of war: ``war_cost_scale`` per 100 days, more against a
    stronger opponent and for a risk-averse state, less for a resolved one."""
    return (
        params.war_cost_scale
        / 100.0
        * (OPPONENT_FLOOR + opponent_power_share)
        * risk_factor
        * (RESOLVE_CEILING - resolve)
    )


def bargaining_range(
    control: float,
    challenger_log_ratio: float,
    target_log_ratio: float,
    challenger_cost: float,
    target_cost: float,
    params,
    home_is_target: bool = True,
) -> tuple[float, float] | None:
    """(lowest share the challenger accepts, highest the target offers), or None if no deal.

    Log ratios are each side's estimate of ln(challenger's power / target's power); costs are
    each side's cost of fighting ``war_planning_days`` more, in shares of the demand.
    """
    least = projected_control(control, challenger_log_ratio, params, home_is_target)
    most = projected_control(control, target_log_ratio, params, home_is_target)
    least, most = least - challenger_cost, most + target_cost
    least, most = max(0.0, least), min(1.0, most)
    if least > most:
        return None
    return least, most


def commitment_problem(log_ratio_now: float, log_ratio_future: float, params) -> bool:
    """Whether the expected shift in power makes any settlement incredible (Powell 2006)."""
    return abs(log_ratio_future - log_ratio_now) > params.commitment_shift


def settlement_outcome(share: float) -> Outcome:
    """MID outcome of a war settled with the challenger getting ``share`` of its demand."""
    if share <= DECISIVE_SHARE:
        return Outcome.VICTORY_TARGET
    if share >= 1.0 - DECISIVE_SHARE:
        return Outcome.VICTORY_CHALLENGER
    return Outcome.COMPROMISE
