"""What giving way costs beyond the issue, and what a shifting balance of power adds to war.

Backing down (the challenger) or conceding (the target) is valued against the status quo *as it
will evolve*, not against a static one (issue 21, "an exit that costs"):

- **Audience costs** — a leader who backs down after public commitments pays at home, more in
  democracies (Fearon 1994; Tomz 2007; Weeks 2008): :func:`brink.sim.standoff.audience_cost`.
- **Reputation** — giving way in a rivalry tells the rival, and others, that pressure works:
  states fight for reputation where they expect to meet the same opponent again (Huth 1997;
  Walter 2006; Dafoe, Renshon & Huth 2014). The cost grows with the log of the dyad's earlier
  militarised disputes (a declared ``rivalry:``, or the MID record before the case in
  retrodiction), times ``reputation_cost`` and the side's stakes.
- **What a concession invites** — a target that concedes under threat invites the next demand
  (Schelling 1966, ch. 2; Walter 2009): ``concession_cost`` × the target's stakes.
- **A shifting balance of power** — a side whose relative power is falling expects every
  peaceful bargain to be renegotiated against it; war now locks in today's balance. Its loss
  from not fighting is the share of the issue the shift moves over ``shift_years``:
  Δp = p(1 − p)(g_C − g_T)·years for capability trends g (relative change per year) and p the
  challenger's share of the two principals' capability. This is the commitment problem of
  Fearon (1995, pp. 401–409) and Powell (2006): when the shift outweighs the costs of war, the
  declining side prefers war now (preventive war).
"""

from __future__ import annotations

import math

from brink.sim.dispute import CHALLENGER, TARGET, Dispute
from brink.sim.standoff import audience_cost


def reputation_cost(model, dispute: Dispute, side: str) -> float:
    """Reputation lost by giving way in a dyad with ``rivalry`` earlier disputes."""
    rivalry = dispute.spec.rivalry
    if rivalry <= 0:
        return 0.0
    return model.params.reputation_cost * dispute.stakes(side) * math.log1p(rivalry)


def concession_cost(model, dispute: Dispute, side: str) -> float:
    """What conceding invites: only the target concedes a demand."""
    return model.params.concession_cost * dispute.stakes(TARGET) if side == TARGET else 0.0


def exit_cost(model, dispute: Dispute, side: str) -> float:
    """Everything giving way costs ``side`` beyond the issue itself (issue units)."""
    return (
        audience_cost(model, dispute, side)
        + reputation_cost(model, dispute, side)
        + concession_cost(model, dispute, side)
    )


def power_shift(model, dispute: Dispute) -> float:
    """Δp: how far the challenger's share of the principals' capability moves over
    ``shift_years`` (negative: the challenger declines)."""
    challenger = model.states[dispute.challenger]
    target = model.states[dispute.target_leader]
    growth = challenger.spec.capability_trend - target.spec.capability_trend
    if growth == 0.0:
        return 0.0
    total = challenger.capability + target.capability
    share = challenger.capability / total if total > 0 else 0.5
    return share * (1.0 - share) * growth * model.params.shift_years


def preventive_motive(model, dispute: Dispute, side: str) -> float:
    """What ``side`` loses by not fighting now, as the balance shifts against it (issue units
    of its stakes × the contested share)."""
    shift = power_shift(model, dispute)
    losing = -shift if side == CHALLENGER else shift
    if losing <= 0.0:
        return 0.0
    return losing * dispute.spec.size * dispute.stakes(side)
